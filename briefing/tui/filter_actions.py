"""Narrowing the list and stepping back: ``u``, ``*``, a sidebar keyword, Backspace, Escape.

Each of these only changes what the list is filtered by; the reader's core then
reloads it, keeping the open article selected where it still shows. Backspace
and Escape undo one step at a time, the most recent kind first (a related
article followed, an expanded story, a keyword, a saved view's dates), so they
are written here together rather than beside each thing they undo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

from briefing.tui.list_state import ListState
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.sidebar import KeywordSidebar


class FilterActions(ListState):
    """Mixed into the reader: the keys that narrow the list or undo a step."""

    if TYPE_CHECKING:

        def _refilter(self) -> None: ...

        def _back_along_history(self) -> bool: ...

        def _collapse_story(self) -> None: ...

        def _leave_search(self) -> None: ...

    def action_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self._refilter()

    def action_starred_only(self) -> None:
        self.starred_only = not self.starred_only
        self._refilter()

    def action_remove_filter(self) -> None:
        """Backspace: in the reader after following related articles, back to the last
        one; otherwise collapse an expanded story, else drop the last keyword filter,
        else a saved view's dates."""
        if self._back_along_history():
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

    @on(KeywordSidebar.Chosen)
    def _keyword_chosen(self, event: KeywordSidebar.Chosen) -> None:
        if event.key not in [key for key, _ in self.filters]:
            self.filters.append((event.key, event.display))
            self._refilter()
        self.query_one(ArticleList).focus()
