"""Key bindings whose footer labels follow the language, which can change while the app runs.

Textual reads BINDINGS once per class, so their descriptions are written as untranslated messages (`N_`) and
each screen swaps in translated copies when it mounts and whenever the language changes."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from roleplay.text.i18n import _


def translate_bindings(node: DOMNode) -> None:
    # _merge_bindings/_bindings are Textual internals (textual is pinned in pyproject.toml).
    merged = node._merge_bindings()
    for key, bindings in merged.key_to_bindings.items():
        merged.key_to_bindings[key] = [
            replace(b, description=_(b.description)) if b.description else b for b in bindings
        ]
    node._bindings = merged


def relabel(node: DOMNode, action: str, description: str) -> None:
    """Give the key bound to `action` another label on this node (a chat is left, not hung up on)."""
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=description) if b.action == action else b for b in bindings
        ]
