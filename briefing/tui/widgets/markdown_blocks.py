"""Two of Textual's Markdown blocks, made to show all of an article.

A code block keeps its lines whole (code is not reflowed), so a line wider than
the reader was cut at the pane's edge with nothing to say so: Textual's fence
scrolls sideways but hides its scrollbar, and only a mouse could move it. Here a
line that goes on past the edge ends in an arrow (→, or ← where it was scrolled
past; both are in the Linux console's font), and the reader's left and right keys
scroll its code blocks (``ReaderPane.action_scroll_code``).

A table's ``---:`` and ``:---:`` set its columns' alignment; markdown-it puts
that on every cell as ``style="text-align:right"``, and Textual's table drops
it. Here each cell is aligned as its column asks.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.content import Content
from textual.css.types import AlignHorizontal
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label

# MarkdownTable and friends are not exported by textual.widgets.markdown, but they are
# the classes its Markdown widget builds tables with.
from textual.widgets._markdown import MarkdownTable, MarkdownTableContent, MarkdownTH
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

_ALIGNMENTS: dict[str, AlignHorizontal] = {
    "text-align:left": "left",
    "text-align:center": "center",
    "text-align:right": "right",
}


MORE = Style(reverse=True)  # the arrows are not code: drawn unlike it


class CodeLines(Label):
    """The lines of a code block, marked where they go on past what the block shows."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        fence = self.parent
        if not isinstance(fence, ScrollingFence):
            return strip
        shown = fence.scrollable_content_region.width
        start = int(fence.scroll_x) - self.styles.padding.left  # in this label's content
        end = start + shown
        if shown < 3:
            return strip
        length = strip.cell_length
        if end < length and strip.crop(end, length).text.strip():
            strip = Strip.join(
                [strip.crop(0, end - 1), Strip([Segment("→", MORE)], 1), strip.crop(end, length)]
            )
        if start > 0 and strip.crop(0, start).text.strip():
            strip = Strip.join(
                [
                    strip.crop(0, start),
                    Strip([Segment("←", MORE)], 1),
                    strip.crop(start + 1, length),
                ]
            )
        return strip


class ScrollingFence(MarkdownFence):
    """A code block whose lines say so when they go on past its edge, scrolled by keys."""

    def compose(self) -> ComposeResult:
        yield CodeLines(self._highlighted_code, id="code-content", expand=True)

    def watch_scroll_x(self, old: float, new: float) -> None:
        super().watch_scroll_x(old, new)
        self.query_one(CodeLines).refresh()

    def on_resize(self) -> None:
        self.query_one(CodeLines).refresh()

    def scroll_code(self, direction: int) -> None:
        """Half the block's width to the right (1) or the left (-1)."""
        step = max(1, self.scrollable_content_region.width // 2)
        self.scroll_to(x=self.scroll_target_x + direction * step, animate=False, immediate=True)


class AlignedTableContent(MarkdownTableContent):
    """The cells of a table, each aligned as its column is."""

    def __init__(
        self,
        headers: list[Content],
        rows: list[list[Content]],
        alignments: list[AlignHorizontal | None],
    ) -> None:
        super().__init__(headers, rows)
        self.alignments = alignments

    def compose(self) -> ComposeResult:
        columns = max(1, len(self.headers))
        cells: Iterable[Widget] = super().compose()  # headers, then row by row
        for index, cell in enumerate(cells):
            alignment = self.alignments[index % columns] if self.alignments else None
            if alignment is not None:
                cell.styles.text_align = alignment
            yield cell


class AlignedTable(MarkdownTable):
    """A table whose columns keep the alignment its delimiter row gave them."""

    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        self._headers, self._rows = headers, rows
        yield AlignedTableContent(headers, rows, self._alignments())

    def _alignments(self) -> list[AlignHorizontal | None]:
        def flatten(block: MarkdownBlock) -> Iterable[MarkdownBlock]:
            for child in block._blocks:
                yield child
                yield from flatten(child)

        return [
            _ALIGNMENTS.get(str(block._token.attrGet("style") or "").replace(" ", ""))
            for block in flatten(self)
            if isinstance(block, MarkdownTH)
        ]


def reader_block(base: type[MarkdownBlock]) -> type[MarkdownBlock]:
    """The reader's version of one of Textual's Markdown block classes."""
    if issubclass(base, MarkdownFence) and not issubclass(base, ScrollingFence):
        return ScrollingFence
    if issubclass(base, MarkdownTable) and not issubclass(base, AlignedTable):
        return AlignedTable
    return base
