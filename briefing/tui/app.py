"""The reader application: article list, reader pane and keyword sidebar.

The App is handed its store and config; it never opens a database itself, so
tests give it a seeded temporary store. Every query runs on the store thread
(:class:`StoreRunner`) inside an exclusive worker, so a newer request (the
cursor moved again) cancels an older one and a stale result never lands.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import sqlite3
import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.css.query import NoMatches
from textual.driver import Driver
from textual.markup import escape as escape_markup
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Markdown, Static
from textual.worker import WorkerFailed

from briefing.config import Config, ConfigError
from briefing.models import Article, ArticleFilter, ArticleSummary
from briefing.related import UnknownArticle
from briefing.related import related as related_articles
from briefing.sanitize import clean_line
from briefing.saved_views import SavedView, ViewError
from briefing.store import QueryError, Store, StoreError, describe_error
from briefing.trends import newest_article_id
from briefing.tui.article_list import ASCII_GLYPHS, ArticleList, Glyphs, Listing
from briefing.tui.help_screen import HelpScreen, describe_bindings
from briefing.tui.links_screen import LinksScreen
from briefing.tui.live import ArrivalWatch, NewArticles  # live (issue 7): new articles
from briefing.tui.reader import ReaderPane, links_of
from briefing.tui.related_list import RelatedList
from briefing.tui.rows import RowLayout
from briefing.tui.search_bar import SearchBar
from briefing.tui.sidebar import KeywordSidebar
from briefing.tui.store_runner import StoreRunner
from briefing.tui.trends_screen import TrendsScreen, keyword_trend, trends_report
from briefing.tui.views_screens import SaveViewScreen, ViewsScreen
from briefing.uistate import ReaderState, StateFile

SEARCH_LIMIT = 500
RELATED_COUNT = 5
TREND_DAYS = 7  # "rising": the last week of the corpus against the weeks before
TOP_KEYWORDS = 25
BODY_DELAY = 0.12  # seconds without a newer key press before the body is rendered
MARK_READ_DELAY = 1.0  # seconds an article stays on screen before "select" marks it read
SAVE_DELAY = 0.5  # seconds the cursor rests before the open article is remembered
HANGUP_EXIT = 129  # 128 + SIGHUP, as a shell reports a process ended by a hang-up
NARROW_WIDTH = 110  # below this many columns the sidebar folds away (K shows it)
SEARCH_OPERATORS = {"AND", "OR", "NOT", "NEAR"}

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "asterisk": "*",
    "space": "space",
    "backspace": "backspace",
}


def format_key(key: str) -> str:
    return KEY_NAMES.get(key.strip(), key.strip())


def search_terms(query: str) -> list[str]:
    """The words of an FTS5 query, for highlighting: operators, quotes and stars dropped."""
    words = "".join(c if c.isalnum() or c in "-'" else " " for c in query).split()
    return [w for w in words if w not in SEARCH_OPERATORS and not w.startswith("NEAR")]


class StatusLine(Static):
    """The top line: database, article count, filters and search."""


class BriefingApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "briefing"

    # The footer shows these in order and an 80-column one shows the first few.
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("slash", "search", "Search", id="search"),
        Binding("K", "toggle_sidebar", "Keywords", id="toggle_sidebar"),
        Binding("s", "toggle_star", "Star", tooltip="Toggle the star", id="toggle_star"),
        Binding("r", "toggle_read", "Read", tooltip="Toggle read", id="toggle_read"),
        Binding("u", "unread_only", "Unread", tooltip="Unread articles only", id="unread_only"),
        Binding("asterisk", "starred_only", "Starred", tooltip="Starred only", id="starred_only"),
        Binding("backspace", "remove_filter", "Remove filter", id="remove_filter"),
        Binding("w", "save_view", "Save view", tooltip="Save filters and search", id="save_view"),
        Binding("v", "views", "Views", tooltip="Open a saved view", id="views"),
        Binding("t", "trends", "Trends", tooltip="Rising and new keywords", id="trends"),
        Binding(
            "S", "stories", "Stories", tooltip="Collapse stories to their newest", id="stories"
        ),
        Binding("e", "expand_story", "Expand story", show=False, id="expand_story"),
        Binding("escape", "go_back", "Back", show=False, id="back"),
        Binding("h", "toggle_highlight", "Highlight keywords", show=False, id="toggle_highlight"),
        Binding("l", "links", "Links", show=False, id="links"),
        Binding("R", "refresh", "Refresh", show=False, id="refresh"),
        Binding("space", "reader_page", "Page reader", show=False, id="reader_page"),
    ]

    def __init__(self, store: Store, config: Config | None = None) -> None:
        # NO_COLOR: native ANSI output, so Textual strips colours (NoColor) and
        # leaves the terminal's own; otherwise it would turn them into greys.
        super().__init__(ansi_color=True if "NO_COLOR" in os.environ else None)
        self.store = store
        self.config = config or Config()
        self.runner = StoreRunner(store)
        self.arrivals = ArrivalWatch(self.runner)  # live (issue 7)
        self.state_file = StateFile(str(store.path or ":memory:"))
        self.saved = self.state_file.load() if store.path else ReaderState()
        self.filters: list[tuple[str, str]] = []  # (key, display)
        self.unread_only = self.saved.unread_only
        self.starred_only = self.saved.starred_only
        self.since: str | None = None  # from a saved view
        self.until: str | None = None
        self.views: list[SavedView] = []
        self.stories_collapsed = False
        self.story: tuple[int, str] | None = None  # an expanded story: (id, its title)
        self.history: list[int] = []
        self._story_left_at: int | None = (
            None  # articles left by opening a related one; Backspace returns
        )
        # "New since your last visit" compares with the newest article of the last session.
        self.previous_visit = self.saved.seen_up_to
        self.seen_up_to = self.saved.seen_up_to
        self.search_query: str | None = None
        self.article: Article | None = None
        self.highlight_keywords = False
        self.sidebar_override: bool | None = None
        self._mark_read_timer: Timer | None = None
        self._save_timer: Timer | None = None
        self._chosen_theme = self.saved.theme
        self._article_before_search: int | None = None
        self._restoring = True
        self.hung_up = False  # the terminal went away (SIGHUP): exit quietly
        self.database_error: str | None = None  # why the app stopped, if the store failed
        self.glyphs = ASCII_GLYPHS if _plain_terminal() else Glyphs()
        self.keymap = dict(self.config.keymap)
        check_keymap(self.keymap)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status", markup=False)
        with Horizontal(id="main"):
            yield ArticleList(self.glyphs, id="list")
            yield ReaderPane(id="reader")
            yield KeywordSidebar(id="sidebar")
        yield SearchBar(id="search")
        yield Footer()

    def on_mount(self) -> None:
        self._catch_hangup()
        self.theme = self._initial_theme()
        self.screen.set_class(self.no_color, "-no-color")
        if self.keymap:
            self.set_keymap(self.keymap)
        self.query_one(SearchBar).display = False
        self.query_one(ArticleList).focus()
        self._apply_sidebar()
        self.filters = [(key, key) for key in self.saved.keywords]
        self.arrivals.start(self)  # live (issue 7): looks for new articles every 2 s
        self.reload(select_id=self.saved.article_id)
        self.reload_views()
        self.note_visit()

    def get_driver_class(self) -> type[Driver]:
        """Textual's own driver, but on Linux one that survives its terminal going away."""
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver":
            from briefing.tui.terminal_driver import HangupSafeLinuxDriver

            return HangupSafeLinuxDriver
        return driver

    def _catch_hangup(self) -> None:
        """A dropped SSH connection hangs the terminal up: leave quietly, keeping everything.

        Python's default for SIGHUP kills the process on the spot, before the reader's
        state is saved. Not in headless tests, which run in pytest's own loop.
        """
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()

        def hung_up(signum: int, frame: object) -> None:
            # At once, in the signal handler, not later in the loop: the kernel sends
            # SIGCONT right after SIGHUP, and Textual's SIGCONT handler would start
            # the terminal afresh (new threads writing to a dead terminal, and an exit
            # that never completes). Its reads and writes now go to /dev/null.
            signal.signal(signal.SIGCONT, _ignore_signal)
            _detach_from_terminal()
            loop.call_soon_threadsafe(self._hang_up)

        with contextlib.suppress(ValueError):  # not the main thread: leave the default
            signal.signal(signal.SIGHUP, hung_up)

    def _hang_up(self) -> None:
        if self.hung_up:
            return
        self.hung_up = True
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_state_now()
        # Queued store calls (a star) still finish: run_reader shuts the runner down.
        self.exit(return_code=HANGUP_EXIT)

    def _initial_theme(self) -> str:
        """The remembered theme, else the configured one, else one for this terminal.

        With NO_COLOR an ANSI theme is used whatever was chosen: Textual then
        drops every colour and the terminal's own foreground and background
        remain, where a colour theme would be turned into greys.
        """
        if self.no_color:
            return "ansi-dark"
        for name in (self.saved.theme, self.config.theme):
            if name and name != "auto" and name in self.available_themes:
                return name
        return "textual-dark" if _colour_depth_is_rich() else "ansi-dark"

    def watch_theme(self, theme: str) -> None:
        # Only a theme the person picked is remembered, not one chosen for this terminal.
        if not self._restoring and not self.no_color:
            self._chosen_theme = theme
            self._save_state()

    def on_resize(self, event: events.Resize) -> None:
        self._apply_sidebar(event.size.width)

    def _apply_sidebar(self, width: int | None = None) -> None:
        narrow = (width or self.size.width) < NARROW_WIDTH
        self.screen.set_class(narrow, "narrow")
        if self.sidebar_override is not None:
            visible = self.sidebar_override
        else:
            visible = self.config.sidebar == "show" or (
                self.config.sidebar == "auto" and not narrow
            )
        self.query_one(KeywordSidebar).display = visible
        # Too narrow for three panes: the sidebar takes the reader's place while open.
        self.query_one(ReaderPane).display = not (narrow and visible)

    # -- loading the list -----------------------------------------------------------------

    @property
    def article_filter(self) -> ArticleFilter:
        return ArticleFilter(
            keywords=tuple(key for key, _ in self.filters),
            since=self.since,
            until=self.until,
            unread_only=self.unread_only,
            starred_only=self.starred_only,
            story=self.story[0] if self.story else None,
            stories_collapsed=self.stories_collapsed and self.story is None,
        )

    @work(exclusive=True, group="list")
    async def reload(self, select_id: int | None = None) -> None:
        """Fetch the list for the current filters and search, keeping ``select_id`` selected."""
        await self.arrivals.acknowledge()  # live (issue 7): what is stored now gets shown
        article_filter = self.article_filter
        store = self.store
        if self.filters and any(key == display for key, display in self.filters):
            self.filters = [await self._with_display(key) for key, _ in self.filters]
        if self.search_query is not None:
            try:
                hits = await self.runner.call(
                    store.search, self.search_query, article_filter, SEARCH_LIMIT, False
                )
            except QueryError as error:
                self.query_one(SearchBar).show_error(str(error))
                return
            articles = [hit.article for hit in hits]
            listing = Listing.of(articles)
            ids = [a.id for a in articles]
            cursor = ids.index(select_id) if select_id in ids else 0
        else:
            groups = await self.runner.call(store.date_groups, article_filter)
            position = None
            if select_id is not None:
                position = await self.runner.call(store.article_position, select_id, article_filter)
            listing = Listing(RowLayout(groups), fetch=partial(self._fetch_page, article_filter))
            cursor = position or 0
        await self._show_listing(listing, cursor)

    async def _show_listing(self, listing: Listing, cursor: int) -> None:
        article_list = self.query_one(ArticleList)
        article_list.story_sizes = self.stories_collapsed and self.story is None
        article_list.show_listing(listing, cursor)
        self._restoring = False
        self._update_status()
        self.reload_top_keywords()
        if listing.layout.article_count == 0:
            # Nothing is open any more: r and s must not act on an article no longer shown.
            self.article = None
            self.query_one(KeywordSidebar).show_article_keywords([])
            self.refresh_bindings()
            await self.query_one(ReaderPane).show(
                None, highlight_keywords=False, empty_message=self._empty_message()
            )

    async def _fetch_page(
        self, article_filter: ArticleFilter, offset: int, limit: int
    ) -> list[ArticleSummary]:
        return await self.runner.call(self.store.list_articles, article_filter, limit, offset)

    async def _with_display(self, key: str) -> tuple[str, str]:
        keyword = await self.runner.call(self.store.keyword, key)
        return (key, keyword.display if keyword else key)

    @work(exclusive=True, group="top-keywords")
    async def reload_top_keywords(self) -> None:
        listing = self.query_one(ArticleList).listing
        if self.search_query is not None and listing.articles is not None:
            ids = [article.id for article in listing.articles]
            top = await self.runner.call(self.store.top_keywords_among, ids, TOP_KEYWORDS)
        else:
            top = await self.runner.call(self.store.top_keywords, TOP_KEYWORDS, self.article_filter)
        sidebar = self.query_one(KeywordSidebar)
        trend = None
        if self.filters and sidebar.display:
            width = max(8, sidebar.content_region.width - 2)
            trend = await self.runner.call(
                keyword_trend, self.store, self.filters[-1][0], width, self.glyphs.ascii
            )
        sidebar.show_trend(trend)
        sidebar.show_top_keywords(top, [key for key, _ in self.filters])
        sidebar.show_filters([display for _, display in self.filters], self._conditions())

    def _conditions(self) -> list[str]:
        conditions = []
        if self.story is not None:
            conditions.append(f"story: {clean_line(self.story[1])}")
        elif self.stories_collapsed:
            conditions.append("stories collapsed")
        if self.since:
            conditions.append(f"since {self.since}")
        if self.until:
            conditions.append(f"until {self.until}")
        if self.unread_only:
            conditions.append("unread only")
        if self.starred_only:
            conditions.append("starred only")
        if self.search_query is not None:
            conditions.append(f"search: {clean_line(self.search_query)}")
        return conditions

    def _empty_message(self) -> str:
        if self.search_query is not None:
            return "Nothing matches this search. Escape returns to the list."
        narrowed = self.unread_only or self.starred_only or self.since or self.until
        if self.filters or narrowed:
            return "No articles match these filters. Backspace removes the last one."
        return "No articles yet. Add some with: briefing ingest DIR"

    def _update_status(self) -> None:
        count = self.query_one(ArticleList).article_count
        noun = "result" if self.search_query is not None else "article"
        plural = "s" if count != 1 else ""
        capped = self.search_query is not None and count >= SEARCH_LIMIT
        shown = f"best {count}" if capped else str(count)
        # What changes goes first, so a narrow terminal cuts off only the path.
        parts = [Content.assemble(("briefing", "bold"), f"  {shown} {noun}{plural}")]
        if self.arrivals.pending:  # live (issue 7): articles stored since the list loaded
            parts.append(Content.assemble(" · ", (self.arrivals.describe(), "bold")))
        if self.filters:
            crumb = " › ".join(clean_line(display) for _, display in self.filters)
            parts.append(Content.assemble(" · ", ("filter: ", "bold"), crumb))
        for condition in self._conditions():
            parts.append(Content(f" · {condition}"))
        if self.store.state_read_only:
            parts.append(Content(" · read-only"))
        parts.append(Content(f" · {_short_path(self.store.path)}").stylize("dim"))
        self.query_one(StatusLine).update(Content("").join(parts))

    @on(NewArticles)  # live (issue 7): the count in the status line
    def _new_articles(self) -> None:
        self._update_status()

    # -- the open article -----------------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _highlighted(self, event: ArticleList.Highlighted) -> None:
        if self._mark_read_timer is not None:
            self._mark_read_timer.stop()
            self._mark_read_timer = None
        if event.article is None:
            return
        self.history.clear()  # a new article from the list starts a new trail
        self.load_article(event.article.id)
        if self.config.mark_read == "select" and not event.article.read:
            self._mark_read_timer = self.set_timer(
                MARK_READ_DELAY, partial(self._mark_read_after_delay, event.article.id)
            )

    @work(exclusive=True, group="article")
    async def load_article(self, article_id: int) -> None:
        """Show an article: its header at once, its body when the keys stop for a moment.

        Holding j or PgDn then costs one cheap header per article passed, and
        the Markdown body (a widget per block) is built only for the article
        the cursor stops on: a newer key press cancels this worker while it waits.
        """
        article = await self.runner.call(self.store.article, article_id)
        if (article is None) != (self.article is None):
            self.refresh_bindings()  # r, s and l apply only with an article open
        self.article = article
        self.query_one(ReaderPane).show_header(article)
        self._save_state_soon()
        await asyncio.sleep(BODY_DELAY)
        with contextlib.suppress(NoMatches):  # the app closed while we waited
            self._show_article_keywords()
            await self._show_body()
        if article is not None:
            try:
                related = await self.runner.call(
                    related_articles, self.store.db, article.id, RELATED_COUNT
                )
            except UnknownArticle:  # removed since it was shown
                related = []
            with contextlib.suppress(NoMatches):
                self.query_one(ReaderPane).show_related(related)

    def _show_article_keywords(self) -> None:
        sidebar = self.query_one(KeywordSidebar)
        if sidebar.display:
            sidebar.show_article_keywords(self.article.keywords if self.article else [])

    async def _show_article(self) -> None:
        self.query_one(ReaderPane).show_header(self.article)
        await self._show_body()

    async def _show_body(self) -> None:
        terms = search_terms(self.search_query) if self.search_query else []
        await self.query_one(ReaderPane).show_body(
            self.article, highlight_keywords=self.highlight_keywords, search_terms=terms
        )

    def _mark_read_after_delay(self, article_id: int) -> None:
        if self.store.state_read_only:
            return
        if self.article is not None and self.article.id == article_id and not self.article.read:
            self.set_state(read=True)

    @on(ArticleList.Selected)
    def _selected(self, event: ArticleList.Selected) -> None:
        self.query_one(ReaderPane).focus()
        if (
            self.config.mark_read != "never"
            and not event.article.read
            and not self.store.state_read_only
        ):
            self.set_state(read=True, article_id=event.article.id)

    @work(group="state")
    async def set_state(
        self,
        *,
        read: bool | None = None,
        starred: bool | None = None,
        article_id: int | None = None,
    ) -> None:
        """Save read/star at once (committed before the screen changes), then redraw."""
        article_id = article_id or (self.article.id if self.article else None)
        if article_id is None:
            return
        if self.store.state_read_only:
            self.notify(
                "The database is read-only: read and star marks cannot be saved.",
                severity="warning",
            )
            return
        if read is not None:
            await self.runner.call(self.store.set_read, article_id, read)
        if starred is not None:
            await self.runner.call(self.store.set_starred, article_id, starred)
        updated = await self.runner.call(self.store.article, article_id)
        if updated is None:
            return
        self.query_one(ArticleList).update_article(updated)
        if self.article is not None and self.article.id == article_id:
            self.article = updated
            self.query_one(ReaderPane).update_meta(updated)

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_read", "toggle_star"):
            return self.query_one(ArticleList).article_count > 0
        if action == "links":
            return self.article is not None
        if action == "remove_filter":
            dated = self.since is not None or self.until is not None
            return bool(self.filters or self.history) or self.story is not None or dated
        if action == "expand_story":
            current = self.query_one(ArticleList).current
            return current is not None and current.story_size > 1 and self.story is None
        return True

    def _target(self) -> ArticleSummary | None:
        """What r and s act on: in the reader, the article on screen (perhaps a related
        one, not in the list); elsewhere the article under the cursor, even if the
        reader has not caught up with it yet."""
        if self._in_reader() and self.article is not None:
            return self.article
        return self.query_one(ArticleList).current

    def action_toggle_read(self) -> None:
        target = self._target()
        if target is not None:
            self.set_state(read=not target.read, article_id=target.id)

    def action_toggle_star(self) -> None:
        target = self._target()
        if target is not None:
            self.set_state(starred=not target.starred, article_id=target.id)

    def action_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self._refilter()

    def action_starred_only(self) -> None:
        self.starred_only = not self.starred_only
        self._refilter()

    def action_stories(self) -> None:
        """S: show each story as its newest article with a count, or every article."""
        self.stories_collapsed = not self.stories_collapsed
        self.story = None
        self._refilter()
        state = "collapsed to their newest article" if self.stories_collapsed else "expanded"
        self.notify(f"Stories {state}", timeout=2)

    def action_expand_story(self) -> None:
        """e: the articles of the story under the cursor, newest first (Backspace returns)."""
        current = self.query_one(ArticleList).current
        if current is None or current.story_id is None or current.story_size < 2:
            return
        self._story_left_at = current.id
        self.story = (current.story_id, current.title)
        self._refilter()

    def _collapse_story(self) -> None:
        self.story = None
        self.reload(select_id=self._story_left_at)
        self.refresh_bindings()
        self._save_state()

    @on(RelatedList.Opened)
    def _related_opened(self, event: RelatedList.Opened) -> None:
        if self.article is not None:
            self.history.append(self.article.id)
        self.load_article(event.article_id)
        self.query_one(ReaderPane).focus()
        self.refresh_bindings()

    def _in_reader(self) -> bool:
        focused = self.focused
        return focused is not None and (
            isinstance(focused, ReaderPane) or isinstance(focused.parent, ReaderPane)
        )

    def action_remove_filter(self) -> None:
        """Backspace: in the reader after following related articles, back to the last
        one; otherwise collapse an expanded story, else drop the last keyword filter,
        else a saved view's dates."""
        if self.history and self._in_reader():
            self.load_article(self.history.pop())
            self.query_one(ReaderPane).focus()
            self.refresh_bindings()
            return
        if self.story is not None:
            self._collapse_story()
            return
        if self.filters:
            self.filters.pop()
            self._refilter()
        elif self.since or self.until:
            self.since = self.until = None
            self._refilter()

    def action_go_back(self) -> None:
        """Escape: leave the search, else return to the list, else drop the last filter."""
        if self.search_query is not None:
            self._leave_search()
        elif not isinstance(self.focused, ArticleList):
            self.query_one(ArticleList).focus()
        elif self.filters or self.story is not None or self.since or self.until:
            self.action_remove_filter()

    def _refilter(self) -> None:
        self.reload(select_id=self.article.id if self.article else None)
        self.refresh_bindings()
        self._save_state()

    @on(KeywordSidebar.Chosen)
    def _keyword_chosen(self, event: KeywordSidebar.Chosen) -> None:
        if event.key not in [key for key, _ in self.filters]:
            self.filters.append((event.key, event.display))
            self._refilter()
        self.query_one(ArticleList).focus()

    def action_search(self) -> None:
        self.query_one(SearchBar).open(self.search_query or "")

    @on(SearchBar.Submitted)
    def _search_submitted(self, event: SearchBar.Submitted) -> None:
        if not event.query.strip():
            self.query_one(SearchBar).show_error("Type something to search for.")
            return
        self.run_search(event.query)

    @work(exclusive=True, group="list")
    async def run_search(self, query: str) -> None:
        """Search; only a query that runs replaces the list (a bad one changes nothing)."""
        await self.arrivals.acknowledge()  # the search sees what is stored now
        try:
            hits = await self.runner.call(
                self.store.search, query, self.article_filter, SEARCH_LIMIT, False
            )
        except QueryError as error:
            self.query_one(SearchBar).show_error(str(error))
            return
        if self.search_query is None:
            self._article_before_search = self.article.id if self.article else None
        self.search_query = query
        await self._show_listing(Listing.of([hit.article for hit in hits]), 0)
        self.query_one(SearchBar).show_error(None)
        self.query_one(ArticleList).focus()

    @on(SearchBar.Cancelled)
    def _search_cancelled(self) -> None:
        if self.search_query is not None:
            self._leave_search()
        self.query_one(ArticleList).focus()

    def _leave_search(self) -> None:
        self.search_query = None
        self.query_one(SearchBar).display = False
        self.reload(select_id=self._article_before_search)
        self.query_one(ArticleList).focus()

    async def action_toggle_highlight(self) -> None:
        self.highlight_keywords = not self.highlight_keywords
        await self._show_article()
        state = "on" if self.highlight_keywords else "off"
        self.notify(f"Keyword highlighting {state}", timeout=2)

    def action_toggle_sidebar(self) -> None:
        self.sidebar_override = not self.query_one(KeywordSidebar).display
        self._apply_sidebar()
        self._show_article_keywords()

    def action_reader_page(self) -> None:
        self.query_one(ReaderPane).action_page_down()

    def action_refresh(self) -> None:
        self.reload(select_id=self.article.id if self.article else None)

    def action_links(self) -> None:
        if self.article is None:
            return
        links = links_of(self.article.body)

        def copy(address: str | None) -> None:
            if address:
                self._copy_link(address)

        self.push_screen(LinksScreen(links), copy)

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self._copy_link(event.href)

    def _copy_link(self, address: str) -> None:
        """Links never open a browser on the server: the address goes to the clipboard."""
        address = clean_line(address)
        self.copy_to_clipboard(address)
        self.notify(f"Copied link to clipboard (OSC 52): {address}", markup=False, timeout=4)

    # -- saved views ----------------------------------------------------------------------

    @work(exclusive=True, group="views")
    async def reload_views(self) -> None:
        self.views = await self.runner.call(self.store.saved_views)
        self.query_one(KeywordSidebar).show_views([view.name for view in self.views])

    def action_save_view(self) -> None:
        if self.store.state_read_only:
            self.notify("The database is read-only: views cannot be saved.", severity="warning")
            return
        view = SavedView("", self.article_filter, self.search_query)
        names = [display for _, display in self.filters]
        if self.search_query:
            names.append(self.search_query)
        suggestion = clean_line(" ".join(names))[:40].strip()

        def save(name: str | None) -> None:
            if name:
                self.save_view(dataclasses.replace(view, name=name))

        taken = {v.name for v in self.views}
        self.push_screen(SaveViewScreen(suggestion, view.describe(), taken), save)

    @work(group="views")
    async def save_view(self, view: SavedView) -> None:
        try:
            saved = await self.runner.call(self.store.save_view, view)
        except (StoreError, ViewError) as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        self.notify(f"Saved view {saved.name!r}: {saved.describe()}", markup=False, timeout=3)
        self.reload_views()

    def action_views(self) -> None:
        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            what, name = choice
            if what == "open":
                self.open_view(name)
            else:
                self.delete_view(name)

        self.push_screen(ViewsScreen(self.views), chosen)

    @on(KeywordSidebar.ViewChosen)
    def _view_chosen(self, event: KeywordSidebar.ViewChosen) -> None:
        self.open_view(event.name)
        self.query_one(ArticleList).focus()

    @work(group="views")
    async def open_view(self, name: str) -> None:
        """Put the view's filters in place, then run its search or reload the list."""
        view = await self.runner.call(self.store.saved_view, name)
        if view is None:
            self.notify(f"There is no view named {name!r} any more.", markup=False)
            self.reload_views()
            return
        f = view.resolved().article_filter
        self.story = None
        self.stories_collapsed = f.stories_collapsed
        self.filters = [(key, key) for key in f.keywords]
        self.since, self.until = f.since, f.until
        self.unread_only, self.starred_only = f.unread_only, f.starred_only
        if view.query:
            self.run_search(view.query)
        else:
            self.search_query = None
            self.query_one(SearchBar).display = False
            self.reload()
        self.refresh_bindings()
        self._save_state()
        self.notify(f"View {view.name!r}", markup=False, timeout=2)

    @work(group="views")
    async def delete_view(self, name: str) -> None:
        try:
            deleted = await self.runner.call(self.store.delete_view, name)
        except StoreError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        if deleted:
            self.notify(f"Deleted view {name!r}", markup=False, timeout=3)
        self.reload_views()

    # -- trends ---------------------------------------------------------------------------

    @work(group="visit")
    async def note_visit(self) -> None:
        self.seen_up_to = await self.runner.call(newest_article_id, self.store)
        self._save_state()

    @work(exclusive=True, group="trends")
    async def action_trends(self) -> None:
        rising, new = await self.runner.call(
            trends_report, self.store, TREND_DAYS, self.previous_visit, self.glyphs.ascii
        )

        def chosen(key: str | None) -> None:
            if key and key not in [k for k, _ in self.filters]:
                self.filters.append((key, key))
                self._refilter()

        self.push_screen(TrendsScreen(TREND_DAYS, rising, new), chosen)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(describe_bindings(self.binding_groups(), format_key)))

    def binding_groups(self) -> list[tuple[str, list[Binding]]]:
        """Bindings by where they work, with keys as remapped by the config's keymap."""
        groups = [
            ("Everywhere", self.BINDINGS),
            ("Article list", ArticleList.BINDINGS),
            ("Reader", ReaderPane.BINDINGS),
            ("Search box", SearchBar.BINDINGS),
        ]
        result = []
        for title, bindings in groups:
            remapped = []
            for binding in bindings:
                assert isinstance(binding, Binding)
                keys = self.keymap.get(binding.id or "", binding.key)
                remapped.append(
                    Binding(
                        keys,
                        binding.action,
                        binding.tooltip or binding.description,
                        id=binding.id,
                    )
                )
            result.append((title, remapped))
        panes = [
            Binding("tab", "", "Next pane: list, reader, keywords"),
            Binding("shift+tab", "", "Previous pane"),
        ]
        result.append(("Panes", panes))
        result.append(("Keyword sidebar", [Binding("enter", "", "Filter the list by the keyword")]))
        result.append(("Command palette", [Binding("ctrl+p", "", "Every action, by name")]))
        return result

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for view in self.views:
            # The palette reads titles and help as markup: a view's text must not be.
            yield SystemCommand(
                escape_markup(f"Open view: {clean_line(view.name)}"),
                escape_markup(view.describe()),
                partial(self.open_view, view.name),
            )
        for title, bindings in self.binding_groups():
            for binding in bindings:
                if not binding.action or title == "Search box":
                    continue
                target = {"Article list": "#list", "Reader": "#reader"}.get(title)
                yield SystemCommand(
                    binding.description,
                    f"{title}: {', '.join(map(format_key, binding.key.split(',')))}",
                    partial(self._run_binding, binding.action, target),
                )

    async def _run_binding(self, action: str, target: str | None) -> None:
        if target is None:
            await self.run_action(action)
        else:
            await self.run_action(action, self.query_one(target))

    # -- state ----------------------------------------------------------------------------

    def _save_state_soon(self) -> None:
        """Save the open article once the cursor has rested, not on every key of a scroll."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_state)

    def _save_state(self) -> None:
        if self.store.path is not None:
            self.run_worker(self._save_state_now, thread=True, group="save-state")

    def _save_state_now(self) -> None:
        if self.store.path is None:
            return
        state = ReaderState(
            article_id=self.article.id if self.article else None,
            keywords=[key for key, _ in self.filters],
            unread_only=self.unread_only,
            starred_only=self.starred_only,
            theme=self._chosen_theme,
            seen_up_to=self.seen_up_to,
        )
        self.state_file.save(state)

    def _handle_exception(self, error: Exception) -> None:
        # A damaged database is found when a query reaches the bad page, on the store
        # thread: end the app with one line of explanation, not a traceback.
        cause = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(cause, sqlite3.DatabaseError):
            if self.store.changed_under_a_snapshot():
                self.database_error = (
                    f"database {self.store.path} was written since the reader opened it "
                    "read-only; its directory is not writable, so the reader cannot follow "
                    "the changes: start it again (see Many readers, one store in the README)"
                )
            else:
                self.database_error = f"database {self.store.path}: {describe_error(cause)}"
            self.exit(return_code=1)
            return
        super()._handle_exception(error)

    async def action_quit(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_state_now()
        self.runner.shutdown()
        self.exit()


def check_keymap(keymap: dict[str, str]) -> None:
    """Every keymap entry must name a binding, or the config error says which one does not."""
    known = {
        binding.id
        for bindings in (
            BriefingApp.BINDINGS,
            ArticleList.BINDINGS,
            ReaderPane.BINDINGS,
            SearchBar.BINDINGS,
        )
        for binding in bindings
        if isinstance(binding, Binding) and binding.id
    }
    for binding_id in keymap:
        if binding_id not in known:
            raise ConfigError(
                f"keymap.{binding_id}: no such binding (known: {', '.join(sorted(known))})"
            )


def check_theme(name: str) -> None:
    """A configured theme must exist; "auto" picks one by the terminal's colours."""
    from textual.theme import BUILTIN_THEMES

    if name != "auto" and name not in BUILTIN_THEMES:
        raise ConfigError(
            f"theme: no theme named {name!r} (choose auto or one of: "
            f"{', '.join(sorted(BUILTIN_THEMES))})"
        )


def _plain_terminal() -> bool:
    """The Linux console and non-UTF-8 terminals get ASCII marks."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return os.environ.get("TERM") == "linux" or encoding not in ("utf8", "")


def _colour_depth_is_rich() -> bool:
    term = os.environ.get("TERM", "")
    colorterm = os.environ.get("COLORTERM", "")
    return "256color" in term or colorterm in ("truecolor", "24bit")


def _short_path(path: Path | None) -> str:
    if path is None:
        return ":memory:"
    home = Path.home()
    try:
        return "~/" + str(path.relative_to(home))
    except ValueError:
        return str(path)


def _ignore_signal(signum: int, frame: object) -> None:
    pass


def _detach_from_terminal() -> None:
    """Point stdin, stdout and stderr at /dev/null where they were the (hung up) terminal."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            if os.isatty(fd):
                os.dup2(null, fd)
    os.close(null)


def run_reader(store: Store, config: Config) -> None:
    """Open the reader on ``store``; returns when the person quits."""
    check_theme(config.theme)
    app = BriefingApp(store, config)
    try:
        app.run()
    finally:
        app.runner.shutdown()
    if app.hung_up:
        # Nobody is left to read a message; 128 + SIGHUP, as for a process it ended.
        raise SystemExit(HANGUP_EXIT)
    if app.database_error is not None:
        raise StoreError(app.database_error)
