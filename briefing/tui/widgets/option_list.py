"""An OptionList that can be measured at any width, and moved with j and k.

Textual's ``OptionList.get_content_height`` wraps every option at ``width -
padding`` without the ``if not width: return 0`` guard of
``Widget.get_content_height``; a layout made in the middle of a resize can give
the list no width at all, and Rich's ``chop_cells`` then raises ``ValueError:
range() arg 3 must not be zero``, which ends the app.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import OptionList


class SafeOptionList(OptionList):
    """Every option list of the reader: j/k move like the arrows, and no width crashes."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        padding = self.get_component_styles("option-list--option").padding.width
        if width - padding < 1:
            return 0  # nothing fits: what Widget.get_content_height says for width 0
        return super().get_content_height(container, viewport, width)
