"""Moving about the reader: narrowing the list (``u``, ``*``, ``S``, ``e``, a sidebar
keyword), the next unread article (``n``, ``N``), following a related briefing, and going
back (Escape, Backspace, ``q`` in the reader).

Narrowing only assigns a new :class:`ListQuery`; the reader's watcher does the
rest and keeps a trail of the lists left behind, so Back returns to each one
with the cursor where it was, whatever changed it. In the reader, following a
related briefing keeps a trail of articles the same way a browser's Back does;
picking a new article from the list starts a new one. Going back is written
here, in one place, because it undoes every kind of step.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from textual import on, work
from textual.worker import Worker

from briefing.models import Article, ArticleSummary
from briefing.tui.list_state import ListState, Stop
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane
from briefing.tui.widgets.related_list import RelatedList
from briefing.tui.widgets.sidebar import KeywordSidebar


class NavigationActions(ListState):
    """Mixed into the reader: the keys that narrow the list, n and N, and Back."""

    # The reader's own state, set up by BriefingApp.
    article: Article | None
    history: list[int]  # related articles followed in the reader
    trail: list[Stop]  # lists left behind, the latest last
    _returning: Stop | None

    if TYPE_CHECKING:

        def reload(self, select_id: int | None = None) -> Worker[None]: ...

        def load_article(self, article_id: int) -> Worker[None]: ...

        def open_article(self, summary: ArticleSummary) -> None: ...

        def _in_reader(self) -> bool: ...

        def _place_in_list(self) -> int | None: ...

    # -- narrowing ------------------------------------------------------------------------

    def action_unread_only(self) -> None:
        self.list_query = self.list_query.toggled("unread_only")

    def action_starred_only(self) -> None:
        self.list_query = self.list_query.toggled("starred_only")

    def action_stories(self) -> None:
        """S: show each story as its newest article with a count, or every article."""
        self.list_query = self.list_query.toggled("stories_collapsed")
        state = "collapsed to their newest article" if self.list_query.collapsed else "expanded"
        self.notify(f"Stories {state}", timeout=2)

    def action_expand_story(self) -> None:
        """e: the articles of the story under the cursor, newest first (Back returns)."""
        current = self.query_one(ArticleList).current
        if current is None:
            return
        if current.story_id is None or current.story_size < 2:
            # Said rather than ignored: a key that does nothing looks like a broken one.
            self.notify("This article is not part of a story (S shows the stories).", timeout=3)
            return
        self.list_query = self.list_query.expanding(current.story_id, current.title)

    @on(KeywordSidebar.Chosen)
    def _keyword_chosen(self, event: KeywordSidebar.Chosen) -> None:
        self.list_query = self.list_query.with_keyword(event.key, event.display)
        self.query_one(ArticleList).focus()

    # -- articles --------------------------------------------------------------------------

    @on(RelatedList.Opened)
    def _related_opened(self, event: RelatedList.Opened) -> None:
        if self.article is not None:
            self.history.append(self.article.id)
        self.load_article(event.article_id)
        self.query_one(ReaderPane).focus()
        self.refresh_bindings()

    # -- n and N --------------------------------------------------------------------------

    @work(exclusive=True, group="next-unread")
    async def action_next_unread(self, direction: int = 1) -> None:
        """n (N with ``direction`` -1): open the next (previous) unread article, newsboat's way.

        From the list it starts at the row under the cursor, which opens if it is
        unread; in the reader, after the open article. Search results are in
        memory and in rank order, so they are walked there; a dated list asks
        the store, on its thread, for the nearest unread one beyond.
        """
        article_list = self.query_one(ArticleList)
        reading = self._in_reader() and self.article is not None
        start: ArticleSummary | None = self.article if reading else article_list.current
        if start is None:
            return
        query = self.list_query
        found: ArticleSummary | None
        position: int | None
        results = article_list.listing.articles
        if not reading and not start.read:
            found, position = start, article_list.cursor
        elif results is not None:
            found, position = _next_unread_among(results, start.id, direction)
        else:
            article_filter = dataclasses.replace(query.article_filter, unread_only=True)
            found = await self.runner.call(
                self.store.articles.next_after, start.id, article_filter, older=direction > 0
            )
            position = None
            if found is not None:
                position = await self.runner.call(
                    self.store.articles.position, found.id, query.article_filter
                )
        if found is None:
            where = "below" if direction > 0 else "above"
            self.notify(f"No unread article {where} this one.", timeout=2)
            return
        if position is not None and self.list_query == query:
            article_list.move_cursor(position)
        self.open_article(found)

    # -- going back -----------------------------------------------------------------------

    def action_remove_filter(self) -> None:
        self.go_back(to_list=False)

    def action_go_back(self) -> None:
        self.go_back()

    def go_back(self, to_list: bool = True) -> None:
        """Escape, Backspace (and q in the reader): back where the person came from.

        In the reader: the related article followed from, else the list, its
        cursor still on the article (a search's results stay). In the list: the
        list as it was before the last key that changed it (a keyword, u, *, S,
        e, a search, a view), the cursor on the article it was on then. With no
        such step (a list restored from the last session): out of the search,
        else the latest narrowing undone (:meth:`ListQuery.step_back`). In the
        sidebar, Escape (``to_list``) returns to the list and Backspace undoes.
        """
        if self._in_reader():
            if self.history:
                self.load_article(self.history.pop())
                self.query_one(ReaderPane).focus()
                self.refresh_bindings()
            else:
                self.query_one(ArticleList).focus()
            return
        if to_list and not isinstance(self.focused, ArticleList):
            self.query_one(ArticleList).focus()
            return
        if self.trail:
            self._return_to(self.trail.pop())
            return
        query = self.list_query
        earlier = query.searching(None) if query.search is not None else query.step_back()
        if earlier is not None:
            self._return_to(Stop(earlier, self._place_in_list()))

    def leave_search(self) -> None:
        """Escape in the search box while results show: the list before the search, the
        cursor on the article it was on then."""
        without = self.list_query.searching(None)
        if self.trail and self.trail[-1].query == without:
            self._return_to(self.trail.pop())
        elif without != self.list_query:
            self._return_to(Stop(without, self._place_in_list()))

    def _return_to(self, stop: Stop) -> None:
        if stop.query == self.list_query:
            self.reload(select_id=stop.article_id)
        else:
            self._returning = stop  # the watcher selects its article, and keeps no step
            self.list_query = stop.query

    def can_go_back(self) -> bool:
        query = self.list_query
        earlier = query.search is not None or query.step_back() is not None
        return bool(self.trail or self.history) or earlier or self._in_reader()


def _next_unread_among(
    articles: list[ArticleSummary], start_id: int, direction: int
) -> tuple[ArticleSummary | None, int | None]:
    """The next unread article after ``start_id`` in a list held in memory, and its row."""
    ids = [article.id for article in articles]
    index = ids.index(start_id) if start_id in ids else (-1 if direction > 0 else len(ids))
    index += direction
    while 0 <= index < len(articles):
        if not articles[index].read:
            return articles[index], index
        index += direction
    return None, None
