"""Keep the interface translations in step with the code.

Usage: python scripts/i18n.py [--check]

Extracts every `_("...")` message from roleplay/ (Babel), adds new ones to the zh_CN catalog
(roleplay/text/locale/zh_CN/LC_MESSAGES/roleplay.po) and compiles it to roleplay.mo. Translate new entries in
the .po file, then run it again. With --check it changes nothing and exits 1 when a message is untranslated or
the compiled .mo is stale (the test suite runs this).
"""

from __future__ import annotations

import gettext
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "roleplay/text/locale/zh_CN/LC_MESSAGES/roleplay.po"
MO = PO.with_suffix(".mo")


def extracted() -> Catalog:
    template = Catalog(project="roleplay", domain="roleplay")
    method_map = [("**.py", "python")]
    for filename, lineno, message, _comments, _context in extract_from_dir(ROOT / "roleplay", method_map):
        template.add(message, locations=[(filename, lineno)])
    return template


def translations_in_mo() -> dict[str, str]:
    with MO.open("rb") as f:
        return {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if k}  # type: ignore[attr-defined]


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main(check: bool) -> int:
    with PO.open("rb") as f:
        catalog = read_po(f, locale="zh_CN", domain="roleplay")
    template = extracted()
    created = catalog.creation_date
    catalog.update(template, no_fuzzy_matching=True)
    catalog.creation_date = created  # a date that changes on every run only makes merges conflict
    missing = [m.id for m in catalog if m.id and (not m.string or not all(m.string) or m.fuzzy)]
    if check:
        wanted: dict[object, object] = {}
        for m in catalog:
            if not m.id or not m.string or m.fuzzy:
                continue
            if m.pluralizable:  # a .mo keeps each plural form under (singular, form number)
                wanted.update({(m.id[0], i): form for i, form in enumerate(m.string)})
            else:
                wanted[m.id] = m.string
        stale = not MO.exists() or translations_in_mo() != wanted
        for message in missing:
            print(f"{PO.relative_to(ROOT)}: untranslated: {message!r}")
        if stale:
            print(f"{MO.relative_to(ROOT)} is stale: run python scripts/i18n.py")
        return 1 if missing or stale else 0
    with PO.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False, ignore_obsolete=True, include_lineno=False)
    MO.write_bytes(compiled(catalog))
    print(f"{len(catalog)} messages, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
