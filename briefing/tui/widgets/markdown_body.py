"""An article's Markdown body as one widget.

Textual's Markdown widget mounts a widget per block (a list is a widget of
item widgets of paragraph widgets), and each is styled and laid out: 40-50 ms
per article, and all of them restyled again whenever the reader pane gains or
loses focus. Here markdown-it's tokens become a list of blocks (a heading, a
paragraph, a list item with its bullet, a quote, code, a rule, a table), each
one :class:`Content`, and the widget wraps them to its width itself, so list
items keep their hanging indent. markdown-it is imported with the first body,
after the reader's first screen.

Article text is untrusted: it only ever becomes :class:`Content` built from
plain strings, never markup. Raw HTML is off, so ``<script>`` shows as text.
A link is text with a click action that hands its address to the app (which
copies it to the clipboard); nothing opens.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.app import RenderResult
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BULLETS = ("• ", "▪ ", "‣ ", "◦ ")
CONSOLE_BULLETS = ("* ", "- ", "+ ", "- ")  # the Linux console's font lacks those
QUOTE = "│ "
HEADING_STYLES = {
    level: f"$markdown-h{level}-color $markdown-h{level}-text-style" for level in range(1, 7)
}
INLINE_STYLES = {
    "em_open": "italic",
    "strong_open": "bold",
    "s_open": "strike",
}
CODE_STYLE = "$text-warning"
RULE_STYLE = "$secondary"
_SPACES = re.compile(r"\s+")


@functools.cache
def parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough, raw HTML off. No linkify: its regexes
    took 20-40 ms to compile on the first article, and bare addresses are listed by l."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@dataclass
class Block:
    """One block of the body: its text and what goes before its first and other lines."""

    content: Content
    first: str = ""  # prefix of the first line (indent, quote bar, bullet)
    rest: str = ""  # prefix of the lines after it
    kind: str = "text"  # text, center (h1), code, rule, table
    gap: int = 1  # blank lines before it (none before the first block)
    rows: list[list[Content]] = field(default_factory=list)  # a table's cells
    align: list[str] = field(default_factory=list)  # a table's columns: left, right, center


def inline(token: Token) -> Content:
    """An inline token's children as Content: emphasis, code, links (a click copies)."""
    text: list[str] = []
    spans: list[tuple[int, int, str | Style]] = []
    stack: list[tuple[str | Style, int]] = []
    position = 0

    def add(part: str) -> None:
        nonlocal position
        text.append(part)
        position += len(part)

    for child in token.children or ():
        kind = child.type
        if kind == "text":
            add(_SPACES.sub(" ", child.content))
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            start = position
            add(child.content)
            spans.append((start, position, CODE_STYLE))
        elif kind in INLINE_STYLES:
            stack.append((INLINE_STYLES[kind], position))
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            stack.append((Style.from_meta({"@click": f"link({href!r})"}), position))
        elif kind == "image":
            start = position
            add("🖼  ")
            alt = child.content or str(child.attrs.get("alt", ""))
            if alt:
                add(f"({alt})")
            href = str(child.attrs.get("src", ""))
            spans.append((start, position, Style.from_meta({"@click": f"link({href!r})"})))
        elif kind.endswith("_close") and stack:
            style, start = stack.pop()
            spans.append((start, position, style))
        elif child.content:
            add(child.content)
    content = Content("".join(text))
    for start, end, style in spans:
        if end > start:
            content = content.stylize(style, start, end)
    return content


def blocks_of(markdown: str, bullets: Sequence[str] = BULLETS) -> list[Block]:
    """The blocks of a Markdown text, in order."""
    tokens = parser().parse(markdown)
    return list(_blocks(tokens, bullets))


# markdown-it puts a column's alignment (its delimiter row's ---: and :---:) on each cell.
_ALIGNMENTS = {"text-align:right": "right", "text-align:center": "center"}


def _blocks(tokens: Sequence[Token], bullets: Sequence[str]) -> Iterator[Block]:
    """Blocks apart by a blank line (two before a big heading); a tight list's items
    together; what is inside a list item or a quote indented under its bullet or bar."""
    lists: list[list[int]] = []  # per open list: [next number], or [] for bullets
    tight: list[bool | None] = []  # per open list: its items together (None: not known yet)
    items: list[int] = []  # per open list: items so far
    outer: list[str] = []  # the indent before each open item or quote
    indent = ""  # the prefix of lines inside the open items and quotes
    marker: str | None = None  # an item's bullet, waiting for the item's first block
    heading = 0
    gap = 0  # blank lines before the next block
    row: list[Content] | None = None
    table: Block | None = None

    def start() -> tuple[str, int]:
        nonlocal marker
        first = indent if marker is None else marker
        marker = None
        return first, gap

    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading = int(token.tag[1:] or 1)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            number = token.attrGet("start") if kind == "ordered_list_open" else None
            lists.append([int(number or 1)] if kind == "ordered_list_open" else [])
            tight.append(None)
            items.append(0)
            if len(lists) > 1 and tight[-2]:
                gap = 0  # a list in a tight list's item follows its text at once
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            tight.pop()
            items.pop()
            gap = 1 if not tight or not tight[-1] else 0
        elif kind == "list_item_open":
            items[-1] += 1
            if items[-1] > 1:
                gap = 0 if tight[-1] else 1
            numbers = lists[-1]
            if numbers:
                bullet = f"{numbers[0]}. "
                numbers[0] += 1
            else:
                bullet = bullets[(len(lists) - 1) % len(bullets)]
            outer.append(indent)
            marker = (indent if marker is None else marker) + bullet
            indent += " " * len(bullet)
        elif kind == "list_item_close":
            indent = outer.pop()
        elif kind == "paragraph_open" and tight and tight[-1] is None:
            tight[-1] = bool(token.hidden)
        elif kind == "blockquote_open":
            outer.append(indent)
            marker = None if marker is None else marker + QUOTE
            indent += QUOTE
        elif kind == "blockquote_close":
            indent = outer.pop()
            gap = 1
        elif kind == "inline" and table is not None:
            if row is not None:
                row.append(inline(token))
        elif kind == "inline":
            first, before = start()
            content = inline(token)
            if heading:
                content = content.stylize(HEADING_STYLES.get(heading, "bold"))
                centred = heading == 1 and not first and not indent
                before = max(before, 2 if heading <= 2 else 1)
                yield Block(content, first, indent, "center" if centred else "text", before)
                heading = 0
            else:
                yield Block(content, first, indent, gap=before)
            gap = 0 if tight and tight[-1] else 1
        elif kind in ("fence", "code_block"):
            first, before = start()
            code = Content(token.content.rstrip("\n")).stylize(CODE_STYLE)
            yield Block(code, first, indent, "code", before)
            gap = 1
        elif kind == "hr":
            first, before = start()
            yield Block(Content(""), first, indent, "rule", before)
            gap = 1
        elif kind == "table_open":
            first, before = start()
            table = Block(Content(""), first, indent, "table", before)
        elif kind == "tr_open":
            row = []
        elif kind == "th_open" and table is not None:
            style = str(token.attrGet("style") or "").replace(" ", "")
            table.align.append(_ALIGNMENTS.get(style, "left"))
        elif kind == "tr_close" and table is not None and row is not None:
            table.rows.append(row)
            row = None
        elif kind == "table_close" and table is not None:
            yield table
            table = None
            gap = 1


def _cells(text: str) -> int:
    return Content(text).cell_length


def render_block(block: Block, width: int, highlight: Any, code_x: int = 0) -> list[Content]:
    """A block's lines at ``width`` cells, its prefixes included. Code is not reflowed:
    its lines are shown from column ``code_x`` (the reader's arrow keys move it)."""
    prefix_width = max(_cells(block.first), _cells(block.rest))
    room = max(8, width - prefix_width)
    first = Content(block.first).stylize("$text-muted")
    rest = Content(block.rest).stylize("$text-muted")
    if block.kind == "rule":
        lines = [Content("─" * room).stylize(RULE_STYLE)]
    elif block.kind == "code":
        lines = [
            _code_line(line, room, code_x)
            for line in highlight(block.content).split("\n", allow_blank=True)
        ]
    elif block.kind == "table":
        lines = _table(block.rows, room, highlight, block.align)
    else:
        lines = highlight(block.content).wrap(room)
        if block.kind == "center":
            lines = [line.pad_left((room - line.cell_length) // 2) for line in lines]
    return [(first if n == 0 else rest) + line for n, line in enumerate(lines)]


MORE_STYLE = "reverse"  # the arrows are not code: drawn unlike it


def _code_line(line: Content, room: int, start: int) -> Content:
    """``room`` cells of a code line from column ``start``; an arrow where it goes on
    past the edge (→) or was scrolled past (←). Both are in the Linux console's font."""
    length = line.cell_length
    if length <= room and start == 0:
        return line
    start = min(start, max(0, length - 1))
    shown = line[start : start + room]
    if start + room < length and room > 2:
        shown = shown[: room - 1] + Content("→").stylize(MORE_STYLE)
    if start > 0 and shown.cell_length:
        shown = Content("←").stylize(MORE_STYLE) + shown[1:]
    return shown


def _table(
    rows: list[list[Content]], room: int, highlight: Any, align: Sequence[str] = ()
) -> list[Content]:
    """Columns padded to their widest cell when they fit; else one cell after another."""
    cells = [[highlight(cell) for cell in row] for row in rows]
    if not cells:
        return []
    columns = max(len(row) for row in cells)
    widths = [
        max((row[n].cell_length for row in cells if n < len(row)), default=0)
        for n in range(columns)
    ]
    separator = Content(" │ ").stylize(RULE_STYLE)
    lines: list[Content] = []
    if sum(widths) + 3 * (columns - 1) <= room:
        for number, row in enumerate(cells):
            padded = [
                _aligned(
                    row[n] if n < len(row) else Content(""),
                    widths[n] - _width(row, n),
                    align[n] if n < len(align) and number else "left",
                )
                for n in range(columns)
            ]
            line = separator.join(padded)
            lines.append(line.stylize("bold") if number == 0 else line)
            if number == 0:
                rule = "─┼─".join("─" * w for w in widths)
                lines.append(Content(rule).stylize(RULE_STYLE))
        return lines
    for number, row in enumerate(cells):
        line = separator.join(row)
        lines.extend((line.stylize("bold") if number == 0 else line).wrap(room))
    return lines


def _aligned(cell: Content, spare: int, align: str) -> Content:
    """A cell padded to its column's width, as its column is aligned."""
    if align == "right":
        return cell.pad_left(spare)
    if align == "center":
        return cell.pad_left(spare // 2).pad_right(spare - spare // 2)
    return cell.pad_right(spare)


def _width(row: list[Content], n: int) -> int:
    return row[n].cell_length if n < len(row) else 0


class MarkdownBody(Widget):
    """The body: blocks of Content, wrapped to the width, in one widget."""

    DEFAULT_CSS = """
    MarkdownBody {
        height: auto;
    }
    """

    class LinkClicked(Message):
        """A link in the body was clicked: ``href`` is its address (untrusted text)."""

        def __init__(self, href: str) -> None:
            super().__init__()
            self.href = href

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.highlights: list[tuple[re.Pattern[str], str]] = []
        self.blocks: list[Block] = []
        self._lines: tuple[int, list[Content]] | None = None  # (width, lines) last made
        self._strips: dict[int, Strip] = {}  # drawn lines, for _strips_for
        self._strips_for: tuple[int, Style] | None = None  # (width, style) they were drawn at
        self.code_x = 0  # the column code lines are shown from
        self.bullets: Sequence[str] = BULLETS

    def set_markdown(self, markdown: str) -> None:
        """Show ``markdown`` (parsed now) with the current highlights."""
        self.blocks = blocks_of(markdown, self.bullets) if markdown.strip() else []
        self.code_x = 0
        self._redraw()

    def _redraw(self) -> None:
        self._lines = None
        self._strips = {}
        self.refresh(layout=True)

    def scroll_code(self, direction: int) -> None:
        """Code lines half the width further right (1) or left (-1), up to the end of
        the longest: every code block of the body at once (there is no cursor to pick
        one), and nothing else moves."""
        room = max(8, self.size.width)
        longest = max(
            (
                line.cell_length
                for block in self.blocks
                if block.kind == "code"
                for line in block.content.split("\n")
            ),
            default=0,
        )
        step = max(1, room // 2)
        code_x = min(max(0, self.code_x + direction * step), max(0, longest - room + 1))
        if code_x != self.code_x:
            self.code_x = code_x
            self._redraw()

    def highlight(self, content: Content) -> Content:
        for pattern, style in self.highlights:
            content = content.highlight_regex(pattern, style=style)
        return content

    @property
    def contents(self) -> list[Content]:
        """Each text block's Content with its highlights (headings, paragraphs, items)."""
        return [self.highlight(b.content) for b in self.blocks if b.kind in ("text", "center")]

    def lines(self, width: int) -> list[Content]:
        if self._lines is not None and self._lines[0] == width:
            return self._lines[1]
        lines: list[Content] = []
        for number, block in enumerate(self.blocks):
            if number:
                lines.extend(Content("") for _ in range(block.gap))
            lines.extend(render_block(block, width, self.highlight, self.code_x))
        self._lines = (width, lines)
        return lines

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> RenderResult:
        return Content("\n").join(self.lines(self.content_size.width))

    def render_line(self, y: int) -> Strip:
        """Only the lines on screen are drawn (Textual draws a widget's every line), and
        each once for a width and style: a long body costs no more than a short one."""
        if self.text_selection is not None:
            return super().render_line(y)  # the selection's lines count from the top
        width, style = self.size.width, self.visual_style
        if self._strips_for != (width, style):
            self._strips, self._strips_for = {}, (width, style)
        strip = self._strips.get(y)
        if strip is None:
            lines = self.lines(width)
            if y < len(lines):
                strip = Visual.to_strips(self, lines[y], width, 1, style, apply_selection=False)[0]
            else:
                strip = Strip.blank(width, style.rich_style)
            self._strips[y] = strip
        return strip

    def action_link(self, href: str) -> None:
        self.post_message(self.LinkClicked(href))
