"""The reader pane: an article's title, date, source and keywords over its Markdown body.

The body is one widget (:class:`MarkdownBody`, markdown-it-py's tokens made
into Content), which never treats article text as Textual markup. Raw HTML is
off, so ``<script>`` is shown as text. Links are not opened (there is no
browser on a server): a click posts ``MarkdownBody.LinkClicked``, and the app
copies the address with OSC 52. Keywords and search terms can be highlighted
in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from briefing.models import Article, RelatedArticle
from briefing.sanitize import for_console, terminal_line, terminal_text
from briefing.tui.terminal.capabilities import plain_terminal
from briefing.tui.widgets.markdown_body import CONSOLE_BULLETS, MarkdownBody
from briefing.tui.widgets.related_list import RelatedList

KEYWORD_STYLE = "bold underline"
SEARCH_STYLE = "reverse"
# A Markdown link (no "[" in its text; one balanced level of (...) in the address, as
# Wikipedia's have; an optional title) or a bare address. Written so that no run of
# "[" or "](" makes it rescan the text: the old pattern was cubic on "[](" repeated.
_LINK = re.compile(
    r"\[([^\[\]]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))++)>?(?:\s[^()]*)?\)"
    r"|(?<![(<\w])(https?://[^\s)>\]]+)"
    r"|<(https?://[^\s<>]+)>"  # an autolink
)
MAX_LINKS = 1000  # the l dialog lists at most this many

# What the reader shows of a body: when it was Textual's Markdown, a widget per block
# (about 2 ms each), an article of 20,000 headings took a minute and a gigabyte. One
# widget is cheaper, but parsing and wrapping still grow with the text: the start of
# any article shows in well under a second; `briefing show ID` prints the rest.
MAX_BODY_CHARS = 256 * 1024
MAX_BLOCKS = 250
_BLOCK_START = re.compile(r" {0,3}(?:#|>|[-*+] |\d{1,9}[.)] |\||```|~~~)")
_FENCE = re.compile(r" {0,3}(?:```|~~~)")


def terms_pattern(terms: Iterable[str], prefix: bool = False) -> re.Pattern[str] | None:
    """A case-insensitive pattern for whole words (or word starts, for search terms)."""
    words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in words)
    tail = r"\w*" if prefix else r"(?!\w)"
    return re.compile(rf"(?<!\w)(?:{alternatives}){tail}", re.IGNORECASE)


def shown_line(text: str) -> str:
    """A one-line field of an article as the screen shows it (see :func:`shown_text`)."""
    line = terminal_line(text)
    return for_console(line) if plain_terminal() else line


def shown_text(text: str) -> str:
    """Article text for this screen: safe for any terminal, and on the Linux console
    with its typographic punctuation as ASCII, which the console's font lacks."""
    text = terminal_text(text)
    return for_console(text) if plain_terminal() else text


def links_of(markdown: str) -> list[tuple[str, str]]:
    """(text, address) of the links in a Markdown text, in order, without repeats: those
    in the part the reader shows (:data:`MAX_BODY_CHARS`), :data:`MAX_LINKS` at most."""
    seen: dict[str, str] = {}
    for match in _LINK.finditer(markdown, 0, MAX_BODY_CHARS):
        address = _unescape(match.group(2) or match.group(3) or match.group(4) or "")
        text = _unescape(match.group(1)) if match.group(2) else address
        if address and address not in seen:
            seen[address] = shown_line(text or address)
            if len(seen) >= MAX_LINKS:
                break
    return [(text, address) for address, text in seen.items()]


def excerpt(body: str) -> tuple[str, int]:
    """The start of ``body`` that the reader mounts (:data:`MAX_BODY_CHARS`,
    :data:`MAX_BLOCKS`), and how many characters of it are left out."""
    if len(body) <= MAX_BODY_CHARS and body.count("\n") < MAX_BLOCKS:
        return body, 0
    limit = min(len(body), MAX_BODY_CHARS)
    position = blocks = 0
    after_blank, fenced = True, False
    while position < limit:
        end = body.find("\n", position, limit)
        end = limit if end < 0 else end + 1
        line = body[position:end]
        if not line.strip():
            after_blank = True
        else:
            if after_blank or _BLOCK_START.match(line):
                blocks += 1
                if blocks > MAX_BLOCKS:
                    break
            after_blank = False
            if _FENCE.match(line):
                fenced = not fenced
        position = end
    if position >= len(body):
        return body, 0
    shown = body[:position].rstrip("\n")
    return shown + ("\n```" if fenced else ""), len(body) - position


def _unescape(text: str) -> str:
    """Drop Markdown's backslash escapes (plain-text briefings are stored escaped)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


class ReaderPane(VerticalScroll, can_focus=True):
    """The open article. j/k and space scroll it; the list keeps the cursor."""

    BINDINGS = [
        # Only in the stacked layout (the app allows it there); elsewhere q quits.
        Binding(
            "q",
            "app.close_article",
            "Back",
            tooltip="Back to the list (stacked layout; side by side q quits)",
            id="reader.close",
        ),
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="reader.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="reader.up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="reader.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="reader.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="reader.half_up"),
        Binding("g,home", "top", "Top", show=False, id="reader.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="reader.bottom"),
        Binding("right", "scroll_code(1)", "Code blocks right", show=False, id="reader.code_right"),
        Binding("left", "scroll_code(-1)", "Code blocks left", show=False, id="reader.code_left"),
        # newsboat's and mutt's q in an article: back to the list, not out of the program.
        Binding("q", "app.go_back", "Back to where you came from", show=False, id="reader.back"),
    ]

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    # Textual's scroll_down and scroll_page_down wait for the next refresh and measure
    # from where the last scroll stood then, so keys read in one go (ten j in one write,
    # a held key over SSH) all aim at the same line. Scroll now, from where the last
    # scroll is going, and without animation: every frame of one costs bytes.
    def scroll_by_lines(self, lines: int) -> None:
        self.scroll_to(y=self.scroll_target_y + lines, animate=False, immediate=True)

    def action_scroll_down(self) -> None:
        self.scroll_by_lines(1)

    def action_scroll_up(self) -> None:
        self.scroll_by_lines(-1)

    def action_page_down(self) -> None:
        self.scroll_by_lines(max(1, self.scrollable_content_region.height))

    def action_page_up(self) -> None:
        self.scroll_by_lines(-max(1, self.scrollable_content_region.height))

    def action_half_page(self, direction: int) -> None:
        self.scroll_by_lines(direction * max(1, self.scrollable_content_region.height // 2))

    def action_scroll_code(self, direction: int) -> None:
        """Code blocks keep their lines whole: those lines wider than the reader scroll
        sideways, every block of the article at once (there is no cursor to pick one)."""
        self.query_one(MarkdownBody).scroll_code(direction)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        # The related list (an OptionList, ~9 ms to mount and style) is mounted after the
        # first screen is painted; what it is given before then waits here.
        self._related_mounted = False
        self._related_pending: Sequence[RelatedArticle] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="reader-title", markup=False)
        yield Static(id="reader-meta", markup=False)
        yield Static(id="reader-keywords", markup=False)
        yield MarkdownBody(id="reader-body")

    def on_mount(self) -> None:
        if plain_terminal():
            self.query_one(MarkdownBody).bullets = CONSOLE_BULLETS

    def watch_has_focus(self, has_focus: bool) -> None:
        """Restyle the pane and its title, where the focus shows (app.tcss), rather than
        everything in the pane as Textual would: the body and the related list do not
        change with it, and restyling them took 3 ms of each Enter and Escape.
        tests/test_tui_focus.py fails if a rule shows the pane's focus anywhere else."""
        self.app.stylesheet.update_nodes([self, *self.query("#reader-title")], animate=True)

    def mount_related(self) -> None:
        """Mount the heading and the list under the body (after the first screen)."""
        if self._related_mounted:
            return
        self._related_mounted = True
        heading = Label("Related briefings", id="related-heading")
        heading.display = False
        related_list = RelatedList(id="related")
        related_list.display = False
        self.mount_all([heading, related_list])
        self.show_related(self._related_pending)
        self._related_pending = ()

    def show_related(self, related: Sequence[RelatedArticle]) -> None:
        """The closest articles, after the body (Tab reaches them, Enter opens one)."""
        if not self._related_mounted:
            self._related_pending = related
            return
        related_list = self.query_one(RelatedList)
        related_list.show(related)
        heading = self.query_one("#related-heading")
        heading.display = bool(related)
        related_list.visible = heading.visible = True

    async def show(
        self,
        article: Article | None,
        *,
        highlight_keywords: bool,
        search_terms: Iterable[str] = (),
        empty_message: str = "No article.",
    ) -> None:
        """Display ``article`` (or a message), with the chosen highlights."""
        self.show_header(article, empty_message)
        await self.show_body(
            article, highlight_keywords=highlight_keywords, search_terms=search_terms
        )

    def show_header(self, article: Article | None, empty_message: str = "No article.") -> None:
        """Title, date, source and keywords: cheap, so they change at once on a key press."""
        same_article = (
            article is not None and self.article is not None and (article.id == self.article.id)
        )
        self.article = article
        title = self.query_one("#reader-title", Static)
        meta = self.query_one("#reader-meta", Static)
        keywords = self.query_one("#reader-keywords", Static)
        # The header's lines have fixed heights (app.tcss), so changing it moves nothing
        # else: no layout pass, and only these lines are sent to the terminal. The old
        # body is hidden (its space kept) until the new one is drawn.
        self.query_one(MarkdownBody).visible = False
        if not self._related_mounted:
            # Mounted once the first screen (this header) has been painted.
            self.call_after_refresh(self.mount_related)
        elif not same_article:
            # Another article's: hidden, not removed (no new layout) until its own come.
            self.query_one(RelatedList).visible = False
            self.query_one("#related-heading").visible = False
        if article is None:
            title.update(Content(empty_message), layout=False)
            meta.update(Content(""), layout=False)
            keywords.update(Content(""), layout=False)
            return
        title.update(Content(shown_line(article.title)).stylize("bold"), layout=False)
        meta.update(Content(meta_line(article)), layout=False)
        names = [shown_line(k.display) for k in article.keywords]
        keywords.update(Content.assemble(("Keywords: ", "bold"), " · ".join(names)), layout=False)

    async def show_body(
        self,
        article: Article | None,
        *,
        highlight_keywords: bool,
        search_terms: Iterable[str] = (),
    ) -> None:
        """The Markdown body: the costly part (parsed and wrapped), so it may come later."""
        body = self.query_one(MarkdownBody)
        if article is None:
            body.highlights = []
            body.set_markdown("")
            body.visible = True
            return
        highlights: list[tuple[re.Pattern[str], str]] = []
        search = terms_pattern(search_terms, prefix=True)
        if search is not None:
            highlights.append((search, SEARCH_STYLE))
        names = [shown_line(k.display) for k in article.keywords]
        keyword_pattern = terms_pattern(names) if highlight_keywords else None
        if keyword_pattern is not None:
            highlights.append((keyword_pattern, KEYWORD_STYLE))
        body.highlights = highlights
        text, left_out = excerpt(article.body)
        text = shown_text(text)
        if left_out:
            text += (
                f"\n\n---\n\n*{left_out:,} more characters are not shown here: "
                f"`briefing show {article.id}` prints the whole article.*\n"
            )
        body.set_markdown(text)
        body.visible = True
        self.scroll_home(animate=False)

    def update_meta(self, article: Article) -> None:
        """Redraw the state line after a read or star change, without re-rendering the body."""
        self.article = article
        self.query_one("#reader-meta", Static).update(Content(meta_line(article)), layout=False)


def meta_line(article: Article) -> str:
    """Date, state, source and length, under the title (state first: the line may be cut)."""
    parts = [article.date or "undated"]
    parts.append("starred" if article.starred else "")
    parts.append("unread" if not article.read else "read")
    if article.source:
        parts.append(shown_line(article.source))
    parts.append(f"{article.word_count} words")
    return " · ".join(part for part in parts if part)
