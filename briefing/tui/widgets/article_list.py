"""The article list: a Line API widget that draws only the rows on screen.

One widget per row (ListView) lags past a thousand items; this list holds a
:class:`RowLayout` (numbers, not rows) and a cache of pages of summaries
fetched from the store on demand, so it costs the same at 100 articles as at
100,000. A row whose page has not arrived yet is drawn as a placeholder and
redrawn when it comes.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.models import ArticleSummary
from briefing.sanitize import for_console, terminal_line
from briefing.tui.widgets.rows import Heading, RowLayout

PAGE_SIZE = 100
# Pages kept in memory; older ones are dropped, so a long scroll stays small.
MAX_PAGES = 40

Fetch = Callable[[int, int], Awaitable[list[ArticleSummary]]]


@dataclass(frozen=True)
class Glyphs:
    """Marks for unread and starred; plain ASCII for the Linux console's font."""

    unread: str = "●"
    star: str = "★"
    ellipsis: str = "…"
    crumb: str = "›"  # between the keywords of a filter
    ascii: bool = False  # sparklines too: ASCII marks instead of block characters


ASCII_GLYPHS = Glyphs(unread="N", star="*", ellipsis="~", crumb=">", ascii=True)


class Listing:
    """What the list shows: its rows, and where to fetch the articles from."""

    def __init__(
        self,
        layout: RowLayout,
        fetch: Fetch | None = None,
        articles: list[ArticleSummary] | None = None,
        pages: dict[int, list[ArticleSummary]] | None = None,
    ) -> None:
        self.layout = layout
        self.fetch = fetch
        self.articles = articles  # all of them, when they are few (search results)
        self.pages = pages or {}  # pages already read (the first screen's), by number

    @classmethod
    def of(cls, articles: list[ArticleSummary]) -> Listing:
        return cls(RowLayout.flat(len(articles)), articles=articles)


def fit(text: str, width: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to ``width`` terminal cells (wide characters count two), padded."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - cell_len(ellipsis)) + ellipsis


class ArticleList(ScrollView, can_focus=True):
    """Articles newest first under date headings, or ranked search results."""

    COMPONENT_CLASSES = {
        "article-list--heading",
        "article-list--cursor",
        "article-list--unread",
        "article-list--date",
        "article-list--star",
        "article-list--placeholder",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Next", show=False, id="list.next"),
        Binding("k,up", "cursor_up", "Previous", show=False, id="list.previous"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="list.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="list.half_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("enter", "select", "Open", id="list.open"),
    ]

    class Highlighted(Message):
        """The cursor is on another article (None: the list is empty).

        ``by_user``: a key or a click moved it, not a new listing placing it; only
        that counts as looking at the article (mark_read = "select")."""

        def __init__(self, article: ArticleSummary | None, by_user: bool = False) -> None:
            super().__init__()
            self.article = article
            self.by_user = by_user

    class Selected(Message):
        """The person opened an article (Enter or double click)."""

        def __init__(self, article: ArticleSummary) -> None:
            super().__init__()
            self.article = article

    def __init__(self, glyphs: Glyphs = Glyphs(), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs = glyphs
        self.story_sizes = False  # show "+3" after a story's newest article (stories collapsed)
        self.listing = Listing(RowLayout([]))
        self.date_headings = True  # False: no headings, each row shows its date (stacked)
        self.empty_message = ""
        self.cursor = -1
        self._pages: dict[int, list[ArticleSummary]] = {}
        self._loading: set[int] = set()
        self._announce_when_loaded = False
        self._announce_by_user = False
        self.today = dt.date.today()
        self._styles: dict[tuple[str, bool], Style] = {}  # see _style

    # -- what to show ---------------------------------------------------------------------

    def show_listing(self, listing: Listing, cursor: int = 0, empty_message: str = "") -> None:
        """Replace the list's content and put the cursor on article ``cursor``.

        ``empty_message`` is what an empty list says: stacked, the reader (which says it
        too) is not on screen beside it."""
        listing.layout = listing.layout.with_headings(self.date_headings)
        self.listing = listing
        self.empty_message = empty_message
        self._pages, listing.pages = listing.pages, {}
        self._loading = set()
        count = listing.layout.article_count
        self.virtual_size = Size(0, listing.layout.row_count)
        self.scroll_to(0, 0, animate=False)
        self.refresh()
        self.move_cursor(min(max(cursor, 0), count - 1) if count else -1, force=True, by_user=False)
        if self.cursor >= 0:
            # Before the first frame (the restored article) the list has no height yet
            # to scroll by: once it has, the cursor's row is brought into view.
            self.call_after_refresh(self._scroll_to_cursor)

    def show_date_headings(self, headings: bool) -> None:
        """Date headings between the rows, or the date on each row: a list as wide as a
        narrow terminal has room for the date, and most of its dates have one article.
        The cursor stays on its article."""
        if headings == self.date_headings:
            return
        self.date_headings = headings
        self.listing.layout = self.listing.layout.with_headings(headings)
        self.virtual_size = Size(0, self.listing.layout.row_count)
        self.refresh()
        if self.cursor >= 0:
            self.call_after_refresh(self._scroll_to_cursor)

    def on_focus(self) -> None:
        # Shown again (a stacked reader's list, back from the article, perhaps after a
        # resize): the cursor must be on screen.
        if self.cursor >= 0:
            self.call_after_refresh(self._scroll_to_cursor)

    @property
    def article_count(self) -> int:
        return self.listing.layout.article_count

    @property
    def current(self) -> ArticleSummary | None:
        """The article under the cursor, if it has been fetched."""
        return self.summary_at(self.cursor) if self.cursor >= 0 else None

    def summary_at(self, index: int) -> ArticleSummary | None:
        if self.listing.articles is not None:
            return self.listing.articles[index] if 0 <= index < self.article_count else None
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            self._request_page(index // PAGE_SIZE)
            return None
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def find(self, article_id: int) -> ArticleSummary | None:
        """The listed article with this id, if its page is in memory."""
        articles = self.listing.articles
        for page in [articles] if articles is not None else list(self._pages.values()):
            for summary in page:
                if summary.id == article_id:
                    return summary
        return None

    def update_article(self, article: ArticleSummary) -> None:
        """Redraw an article whose read or star mark changed."""
        articles = self.listing.articles
        pages = [articles] if articles is not None else list(self._pages.values())
        for page in pages:
            for position, summary in enumerate(page):
                if summary.id == article.id:
                    page[position] = article
        self.refresh()

    # -- fetching pages -------------------------------------------------------------------

    def _request_page(self, number: int) -> None:
        if number in self._loading or self.listing.fetch is None:
            return
        self._loading.add(number)
        self.run_worker(self._load_page(self.listing, number), group="pages")

    async def _load_page(self, listing: Listing, number: int) -> None:
        assert listing.fetch is not None
        articles = await listing.fetch(number * PAGE_SIZE, PAGE_SIZE)
        if listing is not self.listing:
            return  # the list changed meanwhile: a stale page
        self._loading.discard(number)
        self._pages[number] = articles
        if len(self._pages) > MAX_PAGES:
            keep = self.cursor // PAGE_SIZE
            farthest = max(self._pages, key=lambda page: abs(page - keep))
            del self._pages[farthest]
        self.refresh()
        if self._announce_when_loaded and self.cursor // PAGE_SIZE == number:
            self._announce_when_loaded = False
            self.post_message(self.Highlighted(self.current, self._announce_by_user))

    # -- the cursor -----------------------------------------------------------------------

    def move_cursor(self, index: int, force: bool = False, by_user: bool = True) -> None:
        count = self.article_count
        index = min(max(index, 0), count - 1) if count else -1
        if index == self.cursor and not force:
            return
        previous, self.cursor = self.cursor, index
        if force or previous < 0 or index < 0:
            self.refresh()
        else:
            # Only the two rows whose cursor mark changed: over SSH, bytes matter.
            layout = self.listing.layout
            self.refresh_line(layout.row_of(previous))
            self.refresh_line(layout.row_of(index))
        if index < 0:
            self.post_message(self.Highlighted(None))
            return
        self._scroll_to_cursor()
        summary = self.current
        if summary is None:
            self._announce_when_loaded = True
            self._announce_by_user = by_user
        else:
            self._announce_when_loaded = False
            self.post_message(self.Highlighted(summary, by_user))

    def _scroll_to_cursor(self) -> None:
        """Keep the cursor (and its heading) in view, scrolling by jumps, not by lines.

        When the cursor leaves the screen the list moves by two thirds of a page,
        like less or mutt: a held key then repaints the whole list once per
        jump instead of on every row, which over SSH is most of the bytes.
        """
        layout = self.listing.layout
        row = layout.row_of(self.cursor)
        top = row - 1 if layout.has_heading_above(self.cursor) else row
        height = max(1, self.scrollable_content_region.height)
        first = int(self.scroll_y)
        if first <= top and row < first + height:
            return
        below = row >= first + height
        target = row - height // 3 if below else top - (2 * height) // 3
        limit = max(0, layout.row_count - height)
        self.scroll_to(y=min(max(0, target), limit), animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.article_count - 1)

    def action_half_page(self, direction: int) -> None:
        self.move_cursor(self.cursor + direction * max(1, self.size.height // 2))

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor + direction * max(1, self.size.height - 1))

    def action_select(self) -> None:
        summary = self.current
        if summary is not None:
            self.post_message(self.Selected(summary))

    def on_click(self, event: events.Click) -> None:
        row = event.y + int(self.scroll_y)
        if row >= self.listing.layout.row_count:
            return
        item = self.listing.layout.item(row)
        if isinstance(item, int):
            self.move_cursor(item)
            if event.chain >= 2:
                self.action_select()

    # -- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + int(self.scroll_y)
        base = self._style("")
        layout = self.listing.layout
        if layout.article_count == 0 and self.empty_message:
            lines = textwrap.wrap(self.empty_message, max(1, width - 2))
            style = base + self._style("article-list--placeholder", partial=False)
            text = " " + lines[row] if row < len(lines) else ""
            return Strip([Segment(fit(text, width), style)], width)
        if row >= layout.row_count:
            return Strip.blank(width, base)
        item = layout.item(row)
        if isinstance(item, Heading):
            style = base + self._style("article-list--heading", partial=False)
            return Strip([Segment(fit(" " + item.label, width), style)], width)
        return self._article_strip(item, width, base)

    def _article_strip(self, index: int, width: int, base: Style) -> Strip:
        summary = self.summary_at(index)
        cursor = index == self.cursor
        line_style = base + (
            self._style("article-list--cursor", partial=False) if cursor else Style()
        )
        if summary is None:
            style = line_style + self._style("article-list--placeholder", partial=False)
            return Strip([Segment(fit("   " + self.glyphs.ellipsis, width), style)], width)
        glyphs = self.glyphs
        unread = f" {glyphs.unread}" if not summary.read else "  "
        star = glyphs.star if summary.starred else " "
        # Under date headings, or when every date is this year's, "Nov 24" is enough;
        # otherwise (a ranked list, an archive of years) rows carry the year.
        short = self.listing.layout.short_dates
        date = _short_date(summary.date) if short else (summary.date or "undated")
        date_width = 6 if short else 10
        size = f" +{summary.story_size - 1}" if self.story_sizes and summary.story_size > 1 else ""
        title_width = width - 6 - date_width - cell_len(star) - len(size)  # marks, date, gaps
        title = terminal_line(summary.title)
        if glyphs.ascii:
            title = for_console(title)
        title_style = line_style + (
            self._style("article-list--unread") if not summary.read else Style()
        )
        segments = [
            Segment(fit(unread, 2), self._accent(line_style, "article-list--unread", cursor)),
            Segment(star, self._accent(line_style, "article-list--star", cursor)),
            Segment(" ", line_style),
            Segment(fit(date, date_width), self._accent(line_style, "article-list--date", cursor)),
            Segment("  ", line_style),
            Segment(fit(title, title_width, glyphs.ellipsis), title_style),
            Segment(size, self._accent(line_style, "article-list--date", cursor)),
            Segment(" ", line_style),
        ]
        return Strip(segments).crop(0, width).extend_cell_length(width, line_style)

    def _accent(self, line_style: Style, component: str, cursor: bool) -> Style:
        """On the cursor row the cursor's colours win, so nothing fades into its background."""
        return line_style if cursor else line_style + self._style(component)

    def _style(self, component: str, partial: bool = True) -> Style:
        """The list's style (component ""), or a component's, worked out once until the
        styles change: Textual works a style out from every ancestor's background on
        each call, which was a third of the time drawing a row took."""
        key = (component, partial)
        style = self._styles.get(key)
        if style is None:
            if component:
                style = self.get_component_rich_style(component, partial=partial)
            else:
                style = self.rich_style
            self._styles[key] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # focus, a theme, NO_COLOR: every style may have changed


def _short_date(date: str | None) -> str:
    if date is None:
        return "  --  "
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return date[:6]
    return f"{day:%b} {day.day:>2}"
