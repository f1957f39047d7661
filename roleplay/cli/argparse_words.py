"""argparse's own sentences (a mistyped command line), in the interface's language.

argparse looks each sentence up through its module's `_` and `ngettext` at the moment it says it (Python's
gettext hook for it); `speak_our_language` points those at the interface's catalogue, and the sentences are
marked here so that `scripts/i18n.py` puts them in it.
"""

from __future__ import annotations

import argparse

from roleplay.text.i18n import N_, _, ngettext

SENTENCES = (
    N_("%(prog)s: error: %(message)s\n"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("show program's version number and exit"),
)


def speak_our_language() -> None:
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
