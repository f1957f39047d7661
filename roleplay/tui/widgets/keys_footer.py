"""The footer of every screen: its keys are in the screen's first frame, and it is rebuilt only when the keys
it shows change.

Why: Textual's Footer composes empty, then rebuilds itself a frame later, and again on every focus change
(each rebuild makes a widget per key). On the home screen that put the footer a fifth of a second after the
library, and rebuilt it several times for the same keys. Each key's widget also starts compact and is made
wide on mount, two restylings per key (about 40 ms a screen): here it is wide from the start.

It leans on two of Footer's internals (`_bindings_ready`, `FooterKey`), so it holds for the Textual pinned in
pyproject.toml; the snapshot tests show the footers whenever that pin moves.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KeyLine = tuple[tuple[str, str, bool, str], ...]


class KeysFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(Footer._bindings_ready, True)  # the keys now, not a frame later
        self._shown: KeyLine | None = None

    def _keys(self) -> KeyLine:
        """What the footer shows: each key, its words, whether it is enabled, its tooltip."""
        return tuple(
            (binding.key, binding.description, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )

    def compose(self):  # type: ignore[no-untyped-def] # Footer.compose's own signature
        self._shown = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and self._keys() == self._shown:
            return  # the same keys: nothing to rebuild
        super().bindings_changed(screen)
