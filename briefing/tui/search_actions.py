"""Full-text search in the reader: ``/`` opens the search box, Escape leaves the results.

A search replaces the list only when its query runs, so a mistyped query keeps
the list and says what is wrong in the box. Leaving the results goes back to
the article that was open before the search. Kept apart from the reader's core,
which only asks :func:`search_terms` what to highlight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.worker import Worker

from briefing.models import Article, ArticleFilter
from briefing.store import QueryError
from briefing.tui.arrival_watch import ArrivalWatch
from briefing.tui.list_state import ListState
from briefing.tui.widgets.article_list import ArticleList, Listing
from briefing.tui.widgets.search_bar import SEARCH_LIMIT, SearchBar

SEARCH_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def search_terms(query: str) -> list[str]:
    """The words of an FTS5 query, for highlighting: operators, quotes and stars dropped."""
    words = "".join(c if c.isalnum() or c in "-'" else " " for c in query).split()
    return [w for w in words if w not in SEARCH_OPERATORS and not w.startswith("NEAR")]


class SearchActions(ListState):
    """Mixed into the reader: the search box's actions and the search worker."""

    # The reader's own state, set up by BriefingApp.
    arrivals: ArrivalWatch
    article: Article | None
    _article_before_search: int | None

    if TYPE_CHECKING:

        @property
        def article_filter(self) -> ArticleFilter: ...

        def reload(self, select_id: int | None = None) -> Worker[None]: ...

        def _place_in_list(self) -> int | None: ...

        async def _show_listing(self, listing: Listing, cursor: int) -> None: ...

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
                self.store.articles.search, query, self.article_filter, SEARCH_LIMIT, False
            )
        except QueryError as error:
            self.query_one(SearchBar).show_error(str(error))
            return
        if self.search_query is None:
            self._article_before_search = self._place_in_list()
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
