"""The Linux console's font: what the reader draws there instead of Textual's glyphs.

The kernel's built-in font (cp437) and console-setup's fonts (Lat15, Uni2) share
ASCII, the single and double box lines, ``█░▒``, ``·`` and the arrows; they lack
Textual's rounded corners, its eighth blocks (``▁▂▅▊▎▏▕``: "tall" and "vkey"
borders, scrollbar ends), ``⏎`` and ``…``. A character missing from the font is
drawn as a box, so on such a terminal (see
:func:`~briefing.tui.terminal.capabilities.plain_terminal`) the app takes the
class ``-plain``, which ``console.tcss`` turns into plain lines, and the hooks
here cover what no stylesheet reaches.
"""

from __future__ import annotations

from typing import Any, cast

from rich.segment import Segments
from textual._context import active_app
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.scrollbar import ScrollBar, ScrollBarRender

# Textual shows these keys as ⏎ and ⌫; the other names it uses are ASCII or arrows.
CONSOLE_KEY_NAMES = {"enter": "Enter", "backspace": "Bksp"}


class WholeCellScrollBarRender(ScrollBarRender):
    """A thumb of whole reverse-video cells, with no eighth-block ends."""

    VERTICAL_BARS = [" "]
    HORIZONTAL_BARS = [" "]


class ConsoleScrollBarRender(ScrollBarRender):
    """Whole cells in a plain app, Textual's eighth blocks elsewhere. The renderer is a
    class attribute of Textual's ScrollBar, shared by every app of the process (tests
    run several), so the choice is made per app as each bar is drawn."""

    @classmethod
    def render_bar(cls, *args: Any, **kwargs: Any) -> Segments:
        try:
            plain = active_app.get().has_class("-plain")
        except LookupError:  # drawn outside an app
            plain = False
        renderer = WholeCellScrollBarRender if plain else ScrollBarRender
        return renderer.render_bar(*args, **kwargs)


class ConsoleGlyphs(App[None]):
    """Mixed into the reader: key names and the palette's prompt in the console's font."""

    plain: bool  # set by BriefingApp: the terminal's font is the console's

    def on_mount(self) -> None:
        """The class console.tcss keys on, and scrollbars to match. (Textual calls the
        Mount handler of every class of the app's MRO: this one runs besides the app's.)"""
        self.set_class(self.plain, "-plain")
        ScrollBar.renderer = ConsoleScrollBarRender

    def get_key_display(self, binding: Binding) -> str:
        if self.plain and binding.key in CONSOLE_KEY_NAMES:
            return CONSOLE_KEY_NAMES[binding.key]
        return super().get_key_display(binding)

    def action_command_palette(self) -> None:
        # Textual's own placeholder ends in "…", and nothing but the argument changes it.
        if not self.plain:
            super().action_command_palette()
        elif self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder="Search for commands")
            )
