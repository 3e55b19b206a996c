"""Full-text search in the reader: ``/`` opens the search box, Up and Down recall earlier searches.

A search is one more field of the list's query: submitting it assigns the
query, and the reader's watcher runs it. Only a query that runs replaces the
list; a mistyped one keeps the list and says what is wrong in the box. Kept
apart from the reader's core, which only asks :func:`search_terms` what to
highlight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.worker import Worker

from briefing.tui.list_state import ListState
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.search_bar import SearchBar

SEARCH_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def search_terms(query: str) -> list[str]:
    """The words of an FTS5 query, for highlighting: operators, quotes and stars dropped."""
    words = "".join(c if c.isalnum() or c in "-'" else " " for c in query).split()
    return [w for w in words if w not in SEARCH_OPERATORS and not w.startswith("NEAR")]


class SearchActions(ListState):
    """Mixed into the reader: the search box's actions."""

    if TYPE_CHECKING:

        def reload(self, select_id: int | None = None) -> Worker[None]: ...

        def _save_state(self) -> None: ...

        def leave_search(self) -> None: ...

    def action_search(self) -> None:
        self.query_one(SearchBar).open(self.list_query.search or "")

    @on(SearchBar.Submitted)
    def _search_submitted(self, event: SearchBar.Submitted) -> None:
        search_bar = self.query_one(SearchBar)
        if not event.query.strip():
            search_bar.show_error("Type something to search for.")
            return
        search_bar.remember(event.query)
        self._save_state()
        if self.list_query.search == event.query:
            self.reload()  # the same search again: fresh results, from the best
        else:
            self.list_query = self.list_query.searching(event.query)

    @on(SearchBar.Cancelled)
    def _search_cancelled(self) -> None:
        self.query_one(ArticleList).focus()
        self.leave_search()
