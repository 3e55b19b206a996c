"""The keyword sidebar's place in the reader: shown or folded by width, kept in step with the list.

The sidebar lists the keywords most frequent among the articles shown, the open
article's keywords and a trend line for the last filter. All of it follows what
the list shows, so the reader's core asks for a refill after every reload;
the querying (on the store thread, in the "top-keywords" group) and the
folding rules for narrow terminals are kept here.
"""

from __future__ import annotations

from textual import work

from briefing.config import Config
from briefing.models import Article
from briefing.tui.list_state import ListState
from briefing.tui.widgets.article_list import ArticleList, Glyphs
from briefing.tui.widgets.sidebar import KeywordSidebar

TOP_KEYWORDS = 25
NARROW_WIDTH = 110  # below this many columns the sidebar folds away (K shows it)


class SidebarActions(ListState):
    """Mixed into the reader: K, folding the sidebar on narrow terminals, and its contents.
    (:class:`LayoutActions` calls the folding when the width changes.)"""

    # The reader's own state, set up by BriefingApp.
    config: Config
    glyphs: Glyphs
    article: Article | None
    sidebar_override: bool | None

    def _apply_sidebar(self, width: int | None = None) -> None:
        """Classes on the screen for app.tcss: narrow, and -sidebar while it shows beside
        the others (too narrow for three panes, it takes the reader's place)."""
        narrow = (width or self.size.width) < NARROW_WIDTH
        main = self.default_screen
        main.set_class(narrow, "narrow")
        if self.sidebar_override is not None:
            visible = self.sidebar_override
        else:
            visible = self.config.sidebar == "show" or (
                self.config.sidebar == "auto" and not narrow
            )
        main.set_class(visible, "-sidebar")

    def action_toggle_sidebar(self) -> None:
        self.sidebar_override = not self.query_one(KeywordSidebar).display
        self._apply_sidebar()
        self._show_article_keywords()
        if self.sidebar_override:
            self.reload_top_keywords()  # the trend is drawn only while the sidebar shows

    @work(exclusive=True, group="top-keywords")
    async def reload_top_keywords(self) -> None:
        query = self.list_query
        listing = self.query_one(ArticleList).listing
        if query.search is not None and listing.articles is not None:
            ids = [article.id for article in listing.articles]
            top = await self.runner.call(self.store.keywords.top_among, ids, TOP_KEYWORDS)
        else:
            top = await self.runner.call(
                self.store.keywords.top, TOP_KEYWORDS, query.article_filter
            )
        sidebar = self.query_one(KeywordSidebar)
        trend = None
        if query.keywords and sidebar.display:
            from briefing.tui.screens.trends import keyword_trend  # on first use

            width = max(8, sidebar.content_region.width - 2)
            trend = await self.runner.call(
                keyword_trend, self.store, query.keywords[-1].key, width, self.glyphs.ascii
            )
        sidebar.show_trend(trend)
        sidebar.show_top_keywords(top, [keyword.key for keyword in query.keywords])
        sidebar.show_filters(query.crumbs(), query.conditions())

    def _show_article_keywords(self) -> None:
        sidebar = self.query_one(KeywordSidebar)
        if sidebar.display:
            sidebar.show_article_keywords(self.article.keywords if self.article else [])
