"""The reader application: article list, reader pane and keyword sidebar.

The App is handed its store and config; it never opens a database itself, so
tests give it a seeded temporary store. Every query runs on the store thread
(:class:`StoreRunner`) inside an exclusive worker, so a newer request (the
cursor moved again) cancels an older one and a stale result never lands.

This module keeps the reader's core: its layout, loading the list, the open
article and the state it remembers. What the list shows is one value, the
:class:`ListQuery` in :attr:`list_query`: keys assign a new one and
:meth:`watch_list_query` does the rest. What the other keys do is mixed in from
a module each (moving about and going back, searching, saved views, trends,
marks, help and the command palette, hang-ups), so each can be read on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import os
import sqlite3
from functools import partial
from pathlib import Path, PurePath

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.worker import WorkerFailed

from briefing.config import Config, ConfigError
from briefing.insight.related import related as related_articles
from briefing.models import Article, ArticleFilter, ArticleSummary, RelatedArticle
from briefing.store import QueryError, Store, StoreError, UnknownArticle, describe_error
from briefing.store.articles import Articles
from briefing.store.views import SavedView
from briefing.tui.arrival_watch import ArrivalWatch, NewArticles
from briefing.tui.help_commands import HelpCommands, format_key
from briefing.tui.layout_actions import NARROW_WIDTH, STACK, LayoutActions, layout_for
from briefing.tui.list_state import TRAIL_LIMIT, Stop
from briefing.tui.marks import PendingMarks, is_busy
from briefing.tui.marks_actions import MarksActions
from briefing.tui.navigation_actions import NavigationActions
from briefing.tui.query import KeywordFilter, ListQuery
from briefing.tui.reader_actions import ReaderActions
from briefing.tui.screens.main import MainScreen
from briefing.tui.search_actions import SearchActions, search_terms
from briefing.tui.startup_notices import StartupNotices
from briefing.tui.state_file import ReaderState, StateFile
from briefing.tui.store_runner import StoreRunner
from briefing.tui.terminal.capabilities import check_theme, colour_depth_is_rich, plain_terminal
from briefing.tui.terminal.console import ConsoleGlyphs
from briefing.tui.terminal.signals import HANGUP_EXIT, HangupHandling
from briefing.tui.trends_actions import TrendsActions
from briefing.tui.views_actions import ViewsActions
from briefing.tui.widgets.article_list import (
    ASCII_GLYPHS,
    PAGE_SIZE,
    ArticleList,
    Glyphs,
    Listing,
)
from briefing.tui.widgets.key_footer import KeyFooter
from briefing.tui.widgets.reader_pane import ReaderPane
from briefing.tui.widgets.rows import RowLayout
from briefing.tui.widgets.search_bar import SEARCH_LIMIT, SearchBar
from briefing.tui.widgets.sidebar import KeywordSidebar
from briefing.tui.widgets.status_line import StatusLine, empty_message, status_content

# What the CLI and the tests import from here, wherever it is defined.
__all__ = [
    "BODY_DELAY",
    "HANGUP_EXIT",
    "NARROW_WIDTH",
    "SEARCH_LIMIT",
    "BriefingApp",
    "check_keymap",
    "check_theme",
    "format_key",
    "search_terms",
]

STYLES = Path(__file__).with_name("app.tcss")
CONSOLE_STYLES = Path(__file__).with_name("console.tcss")
RELATED_COUNT = 5
BODY_DELAY = 0.12  # seconds without a newer key press before the body is rendered
MARK_READ_DELAY = 1.0  # seconds an article stays on screen before "select" marks it read
SAVE_DELAY = 0.5  # seconds the cursor rests before the open article is remembered


class BriefingApp(
    HangupHandling,
    SearchActions,
    NavigationActions,
    MarksActions,
    ReaderActions,
    LayoutActions,
    ViewsActions,
    TrendsActions,
    HelpCommands,
    ConsoleGlyphs,
    StartupNotices,
):
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
        Binding(
            "backspace",
            "remove_filter",
            "Back",
            tooltip="Back where you came from",
            id="remove_filter",
        ),
        Binding(
            "n",
            "next_unread(1)",
            "Next unread",
            show=False,
            tooltip="Open the next unread article (while searching, the next unread result)",
            id="next_unread",
        ),
        Binding(
            "N",
            "next_unread(-1)",
            "Previous unread",
            show=False,
            tooltip="Open the previous unread article",
            id="previous_unread",
        ),
        Binding("w", "save_view", "Save view", tooltip="Save filters and search", id="save_view"),
        Binding("v", "views", "Views", tooltip="Open a saved view", id="views"),
        Binding("t", "trends", "Trends", tooltip="Rising and new keywords", id="trends"),
        Binding(
            "S", "stories", "Stories", tooltip="Collapse stories to their newest", id="stories"
        ),
        Binding("e", "expand_story", "Expand story", show=False, id="expand_story"),
        Binding(
            "escape",
            "go_back",
            "Back",
            show=False,
            tooltip="Back to the list from an article, then as Backspace",
            id="back",
        ),
        Binding("h", "toggle_highlight", "Highlight keywords", show=False, id="toggle_highlight"),
        Binding(
            "p",
            "toggle_preview",
            "Preview",
            show=False,
            tooltip="The reader follows the cursor, or shows what Enter opens",
            id="toggle_preview",
        ),
        Binding("l", "links", "Links", show=False, id="links"),
        Binding("R", "refresh", "Refresh", show=False, id="refresh"),
        Binding("space", "reader_page", "Page reader", show=False, id="reader_page"),
    ]

    def __init__(self, store: Store, config: Config | None = None) -> None:
        # NO_COLOR: native ANSI output, so Textual strips colours (NoColor) and
        # leaves the terminal's own; otherwise it would turn them into greys.
        # The Linux console's rules (console.tcss) are parsed only where they apply.
        styles: list[str | PurePath] = [STYLES, CONSOLE_STYLES] if plain_terminal() else [STYLES]
        super().__init__(css_path=styles, ansi_color=True if "NO_COLOR" in os.environ else None)
        self.store = store
        self.config = config or Config()
        self.runner = StoreRunner(store)
        self.arrivals = ArrivalWatch(self.runner)
        self.state_file = StateFile(str(store.path or ":memory:"))
        self.saved = self.state_file.load() if store.path else ReaderState()
        self.views: list[SavedView] = []
        self.history: list[int] = []  # articles left by opening a related one; Back returns
        self.trail: list[Stop] = []  # lists left by a key that changed the query; Back returns
        self._returning: Stop | None = None  # the list Back is returning to
        self.searches = list(self.saved.searches)  # the search box's history, oldest first
        # "New since your last visit" compares with the newest article of the last session.
        self.previous_visit = self.saved.seen_up_to
        self.seen_up_to = self.saved.seen_up_to
        self.article: Article | None = None
        self.highlight_keywords = False
        self.sidebar_override: bool | None = None
        self._mark_read_timer: Timer | None = None
        self._save_timer: Timer | None = None
        self._chosen_theme = self.saved.theme
        self._restoring = True
        self.hung_up = False  # the terminal went away (SIGHUP): exit quietly
        self.database_error: str | None = None  # why the app stopped, if the store failed
        self.pending_marks = PendingMarks()  # marks a busy database could not take yet
        self._marks_timer: Timer | None = None
        self._busy_said = False
        self.plain = plain_terminal()
        self.glyphs = ASCII_GLYPHS if self.plain else Glyphs()
        self.keymap = dict(self.config.keymap)
        self.preview = self.config.preview  # p switches it for the session
        check_keymap(self.keymap)

    # -- layout ---------------------------------------------------------------------------

    def get_default_screen(self) -> MainScreen:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        # Before the first styling pass: later, setting a class on the screen restyles
        # every widget (25 ms at start-up); _apply_sidebar and the layout's watcher then
        # find them already set.
        self.screen.set_class(self.size.width < NARROW_WIDTH, "narrow")
        self.screen.set_class(layout_for(self.config.layout, self.size.width) == "stack", STACK)
        yield StatusLine(id="status", markup=False)
        with Horizontal(id="main"):
            yield ArticleList(self.glyphs, id="list")
            yield ReaderPane(id="reader")
            yield KeywordSidebar(id="sidebar")
        yield SearchBar(id="search")
        yield KeyFooter(id="footer")

    def on_mount(self) -> None:
        self._catch_hangup()
        self.theme = self._initial_theme()
        if self.keymap:
            self.set_keymap(self.keymap)
        search_bar = self.query_one(SearchBar)
        search_bar.display = False
        search_bar.searches = self.searches  # one list: the box adds, the state file keeps
        self.query_one(ArticleList).focus()
        self._start_layout()
        self.arrivals.start(self)  # looks for new articles every 2 s
        # The last session's list, without a step to go back to; a search that no
        # longer runs (an older SQLite) falls back to the list without it.
        self.set_reactive(BriefingApp.list_query, self.saved.query)
        if not self._show_first_screen():
            self.reload(select_id=self.saved.article_id, fallback=self.saved.query.searching(None))
        self.reload_views()
        self.note_visit()
        self.call_after_refresh(_after_first_frame)

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
        return "textual-dark" if colour_depth_is_rich() else "ansi-dark"

    def watch_theme(self, theme: str) -> None:
        # Only a theme the person picked is remembered, not one chosen for this terminal.
        if not self._restoring and not self.no_color:
            self._chosen_theme = theme
            self._save_state()

    # -- loading the list -----------------------------------------------------------------

    def watch_list_query(self, old: ListQuery, new: ListQuery) -> None:
        """Every change of what the list shows: remember the list left (unless Back is
        returning to it), fetch the new one, save it, and let the keys follow."""
        if self._returning is not None:
            select, self._returning = self._returning.article_id, None
        else:
            place = self._place_in_list()
            self.trail.append(Stop(old, place))
            del self.trail[:-TRAIL_LIMIT]
            # A new search starts at its best result; anything else keeps the article.
            select = None if new.search is not None and new.search != old.search else place
        if old.search is not None and new.search is None:
            self.query_one(SearchBar).display = False
        self.reload(select_id=select, fallback=old)
        self.refresh_bindings()
        self._save_state()

    @work(exclusive=True, group="list")
    async def reload(self, select_id: int | None = None, fallback: ListQuery | None = None) -> None:
        """Fetch the list for the query, keeping ``select_id`` selected.

        A search that does not run changes nothing: the query goes back to
        ``fallback`` (the list still on screen) and the search box says why.
        """
        await self.arrivals.acknowledge()  # what is stored now gets shown
        query = self.list_query
        if any(not keyword.display for keyword in query.keywords):
            named = [await self._with_display(keyword.key) for keyword in query.keywords]
            query = dataclasses.replace(query, keywords=tuple(named))
            if self.list_query == query:  # a display name does not make another: no reload
                self.set_reactive(BriefingApp.list_query, query)
        article_filter = query.article_filter
        store = self.store
        search_bar = self.query_one(SearchBar)
        if query.search is not None:
            try:
                hits = await self.runner.call(
                    store.articles.search, query.search, article_filter, SEARCH_LIMIT, False
                )
            except QueryError as error:
                if not search_bar.display:
                    search_bar.open(query.search)
                search_bar.show_error(str(error))
                if fallback is not None:
                    self.set_reactive(BriefingApp.list_query, fallback)
                    if self.trail and self.trail[-1].query == fallback:
                        self.trail.pop()
                    self.refresh_bindings()
                    self._save_state()
                    if self._restoring:  # at start nothing is on screen yet: show that
                        self.reload(select_id=select_id)
                return
            search_bar.show_error(None)
            if search_bar.display and search_bar.has_focus_within:
                self.query_one(ArticleList).focus()
            articles = [hit.article for hit in hits]
            listing = Listing.of(articles)
            ids = [a.id for a in articles]
            cursor = ids.index(select_id) if select_id in ids else 0
        else:
            layout, cursor = await self.runner.call(
                dated_layout, store.articles, article_filter, select_id
            )
            listing = Listing(layout, fetch=partial(self._fetch_page, article_filter))
        await self._show_listing(listing, cursor)

    def _show_first_screen(self) -> bool:
        """What reload() shows at start, read here before the first frame (~2 ms at 100,000
        articles; the store thread has nothing to do yet), so that the list and the open
        article's header are drawn in the first frame, not over the 5-7 frames of reload's
        chain of store calls. False if reload() must do it (keyword filters need their
        names first; an empty list has its own message)."""
        query = self.list_query
        if query.keywords or query.search is not None:
            return False
        articles, article_filter = self.store.articles, query.article_filter
        try:
            self.arrivals.acknowledge_now()
            layout, cursor = dated_layout(articles, article_filter, self.saved.article_id)
            page = cursor // PAGE_SIZE
            rows = articles.newest_first(article_filter, PAGE_SIZE, page * PAGE_SIZE)
            if not layout.article_count or cursor % PAGE_SIZE >= len(rows):
                return False
            article = articles.get(rows[cursor % PAGE_SIZE].id)
        except (sqlite3.Error, StoreError):  # reload() meets it again and says why
            return False
        if article is None:
            return False
        self.article = article  # before the list's Highlighted, which leaves it be
        self.refresh_bindings()
        self.query_one(ReaderPane).show_header(article)
        listing = Listing(
            layout, fetch=partial(self._fetch_page, article_filter), pages={page: rows}
        )
        self.call_next(self._show_listing, listing, cursor)  # before the first frame
        self.load_article(article.id)  # the body and related articles, as at any start
        return True

    async def _show_listing(self, listing: Listing, cursor: int) -> None:
        article_list = self.query_one(ArticleList)
        article_list.story_sizes = self.list_query.collapsed
        article_list.show_listing(listing, cursor, empty_message(self.list_query))
        self._restoring = False
        self._update_status()
        self.reload_top_keywords()
        if listing.layout.article_count == 0:
            # Nothing is open any more: r and s must not act on an article no longer shown.
            self.article = None
            self.query_one(KeywordSidebar).show_article_keywords([])
            self.refresh_bindings()
            await self.query_one(ReaderPane).show(
                None, highlight_keywords=False, empty_message=self.list_query.empty_message()
            )

    @on(NewArticles)  # the count in the status line
    def _update_status(self) -> None:
        count = self.query_one(ArticleList).article_count
        content = status_content(
            self.list_query, count, self.arrivals, self.store, self.glyphs.crumb
        )
        self.query_one(StatusLine).update(content)

    async def _fetch_page(
        self, article_filter: ArticleFilter, offset: int, limit: int
    ) -> list[ArticleSummary]:
        return await self.runner.call(
            self.store.articles.newest_first, article_filter, limit, offset
        )

    async def _with_display(self, key: str) -> KeywordFilter:
        keyword = await self.runner.call(self.store.keywords.find, key)
        return KeywordFilter(key, keyword.display if keyword else key)

    # -- the open article -----------------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _highlighted(self, event: ArticleList.Highlighted) -> None:
        if self._mark_read_timer is not None:
            self._mark_read_timer.stop()
            self._mark_read_timer = None
        if event.article is None:
            return
        if self.preview == "open" and self.article is not None:
            # The reader keeps the article opened with Enter; moving costs two rows.
            # (With nothing open yet, at start, it shows the row under the cursor.)
            return
        self.history.clear()  # a new article from the list starts a new trail
        self.load_article(event.article.id)
        # Stacked, the article is not on screen until Enter, which marks it read itself.
        looked_at = event.by_user and not self.stacked
        if self.config.mark_read == "select" and looked_at and not event.article.read:
            self._mark_read_timer = self.set_timer(
                MARK_READ_DELAY, partial(self._mark_read_after_delay, event.article.id)
            )

    @work(exclusive=True, group="article")
    async def load_article(self, article_id: int, at_once: bool = False) -> None:
        """Show an article: its header at once, its body when the keys stop for a moment.

        Holding j or PgDn then costs one cheap header per article passed, and
        the body is parsed only for the article the cursor stops on: a newer key
        press cancels this worker while it waits. An article opened on purpose
        (Enter, ``at_once``) has no rest: header, body and related articles come
        from one store call and are drawn in one frame, with the focus on the reader.
        """
        related: list[RelatedArticle] | None = None
        if at_once:
            article, related = await self.runner.call(self._article_and_related, article_id)
        else:
            article = await self.runner.call(self.store.articles.get, article_id)
        if (article is None) != (self.article is None):
            self.refresh_bindings()  # r, s and l apply only with an article open
        self.article = article
        self.query_one(ReaderPane).show_header(article)
        self._save_state_soon()
        if not at_once:
            await asyncio.sleep(BODY_DELAY)
        with contextlib.suppress(NoMatches):  # the app closed while we waited
            self._show_article_keywords()
            await self._show_body()
        if article is not None:
            if related is None:
                related = await self.runner.call(self._related, article.id)
            with contextlib.suppress(NoMatches):
                self.query_one(ReaderPane).show_related(related)
        if at_once:  # opened with Enter: the focus moves with the article, in its frame
            with contextlib.suppress(NoMatches):
                self.query_one(ReaderPane).focus()

    def _related(self, article_id: int) -> list[RelatedArticle]:
        """(On the store thread.) The closest articles; none for one removed since."""
        try:
            return related_articles(self.store, article_id, RELATED_COUNT)
        except UnknownArticle:
            return []

    def _article_and_related(self, article_id: int) -> tuple[Article | None, list[RelatedArticle]]:
        """(On the store thread.) An article and its closest articles, in one call."""
        article = self.store.articles.get(article_id)
        return article, self._related(article_id) if article is not None else []

    async def _show_article(self) -> None:
        self.query_one(ReaderPane).show_header(self.article)
        await self._show_body()

    async def _show_body(self) -> None:
        search = self.list_query.search
        terms = search_terms(search) if search else []
        await self.query_one(ReaderPane).show_body(
            self.article, highlight_keywords=self.highlight_keywords, search_terms=terms
        )

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_read", "toggle_star"):
            return self.query_one(ArticleList).article_count > 0
        if action == "links":
            return self.article is not None
        if action == "remove_filter":
            return self.can_go_back()
        return super().check_action(action, parameters)

    def _in_reader(self) -> bool:
        focused = self.focused
        return focused is not None and (
            isinstance(focused, ReaderPane) or isinstance(focused.parent, ReaderPane)
        )

    def _place_in_list(self) -> int | None:
        """The article whose row the list keeps when it is fetched again: the one shown,
        which is the highlighted row when the reader follows the cursor; with
        preview = "open" the highlighted row, wherever the opened article is."""
        if self.preview == "open":
            current = self.query_one(ArticleList).current
            if current is not None:
                return current.id
        return self.article.id if self.article else None

    def action_refresh(self) -> None:
        self.reload(select_id=self._place_in_list())

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
            query=self.list_query,
            theme=self._chosen_theme,
            seen_up_to=self.seen_up_to,
            searches=list(self.searches),
        )
        self.state_file.save(state)

    def _handle_exception(self, error: Exception) -> None:
        # A damaged database is found when a query reaches the bad page, on the store
        # thread: end the app with one line of explanation, not a traceback.
        cause = error.error if isinstance(error, WorkerFailed) else error
        if is_busy(cause):
            # Another program held the write lock past the busy timeout: that passes.
            self.notify(
                "The database is busy (another program is writing it); R tries again.",
                severity="warning",
                timeout=6,
            )
            return
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
        if self.pending_marks and not await self.runner.call(self.pending_marks.write, self.store):
            self.database_error = (
                f"{self.pending_marks.describe()} not saved: database {self.store.path} "
                "stayed busy (another program was writing it)"
            )
            self.runner.shutdown()
            self.exit(return_code=1)
            return
        self.runner.shutdown()
        self.exit()


def dated_layout(
    articles: Articles, article_filter: ArticleFilter, select_id: int | None
) -> tuple[RowLayout, int]:
    """The rows of a dated list (articles under their days) and the row of ``select_id``
    (0 when it is not listed): what reload() asks the store thread, and the first screen
    asks before the first frame."""
    layout = RowLayout(articles.date_groups(article_filter))
    position = articles.position(select_id, article_filter) if select_id is not None else None
    return layout, position or 0


def _after_first_frame() -> None:
    """If start-up ran without the garbage collector (``briefing read`` turns it off), what
    it made lives as long as the app: out of the collector's sight for good, so later
    collections, during key presses, walk only newer objects."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


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
