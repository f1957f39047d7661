"""Text wrapped by the rules of Chinese typesetting at whatever width it is drawn. Its own module, with no
import of the model, so the home screen can use it before the library (and pydantic) have loaded."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from roleplay.text.linebreak import line_starts


class Wrapped:
    """A `Text` wrapped by the rules of Chinese typesetting (`roleplay.text.linebreak`) at whatever width it
    is drawn: in the conversation, the debrief, the phone card, the replies. Styles are kept."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines = []
        for paragraph in self.text.split("\n", allow_blank=True):
            for line in paragraph.divide(line_starts(paragraph.plain, width)):
                line.rstrip()
                lines.append(line)
        out = Text("\n").join(lines)
        out.no_wrap = True
        out.overflow = "crop"
        out.justify = self.text.justify
        yield out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)


def wrapped(text: str | Text, style: str = "") -> Wrapped:
    return Wrapped(Text(text, style=style) if isinstance(text, str) else text)
