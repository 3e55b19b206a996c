"""A text input whose cursor does not blink."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Input


class SteadyInput(Input):
    """A text input whose cursor does not blink: a blink is a redraw twice a second,
    bytes on an SSH line for as long as the box is open, however idle the reader."""

    cursor_blink = reactive(False, init=False)
