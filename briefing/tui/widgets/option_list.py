"""An OptionList that can be measured at any width, and moved with j and k.

Textual's ``OptionList.get_content_height`` wraps every option at ``width -
padding`` without the ``if not width: return 0`` guard of
``Widget.get_content_height``; a layout made in the middle of a resize can give
the list no width at all, and Rich's ``chop_cells`` then raises ``ValueError:
range() arg 3 must not be zero``, which ends the app.

Nor does Textual draw a ``text-style: reverse`` given to the highlighted option:
an option's style is a ``VisualStyle``, which keeps bold, dim, italic, underline
and strike but not reverse. Without colours (NO_COLOR) reverse video is how the
stylesheet marks the option where the keys go, so it is put back here.
"""

from __future__ import annotations

from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import OptionList

REVERSE = Style(reverse=True)


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

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not self.app.no_color or self.highlighted is None:
            return strip
        try:
            option_index, _ = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return strip
        highlighted = self.get_component_rich_style("option-list--option-highlighted")
        if option_index == self.highlighted and highlighted.reverse:
            return strip.apply_style(REVERSE)
        return strip
