"""Read and star marks in the reader: ``r``, ``s``, and marking read as the config says.

A mark is committed to the store before the screen changes, so what is shown
is what is saved; a read-only database says so instead. ``r`` and ``s`` act on
the article the person is looking at: in the reader, the one on screen (perhaps
a related one, not in the list); elsewhere the one under the cursor.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from textual import on, work
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.worker import Worker

from briefing.config import Config
from briefing.models import Article, ArticleSummary
from briefing.tui.list_state import ListState
from briefing.tui.marks import PendingMarks
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane


class MarksActions(ListState):
    """Mixed into the reader: toggling read and star, and marking read on opening."""

    # The reader's own state, set up by BriefingApp.
    config: Config
    article: Article | None
    preview: str  # "follow" or "open", from the config; p switches it

    history: list[int]
    pending_marks: PendingMarks
    _marks_timer: Timer | None
    _busy_said: bool

    if TYPE_CHECKING:

        def _in_reader(self) -> bool: ...

        def load_article(self, article_id: int, at_once: bool = False) -> Worker[None]: ...

    def _mark_read_after_delay(self, article_id: int) -> None:
        if self.store.state_read_only:
            return
        if self.article is not None and self.article.id == article_id and not self.article.read:
            self.set_state(read=True)

    @on(ArticleList.Selected)
    def _selected(self, event: ArticleList.Selected) -> None:
        self.open_article(event.article)

    def open_article(self, summary: ArticleSummary) -> None:
        """Enter, n and N: the article in the reader, which takes the focus; marked read
        unless the config says never."""
        shown = self.article.id if self.article else None
        if self.preview == "open" or shown != summary.id:
            self.history.clear()  # a new article from the list starts a new trail
            # No rest, and the reader takes the focus once the article is in it: one frame.
            self.load_article(summary.id, at_once=True)
        else:
            self.query_one(ReaderPane).focus()
        if self.config.mark_read != "never" and not summary.read and not self.store.state_read_only:
            self.set_state(read=True, article_id=summary.id)

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
        self.pending_marks.add(article_id, read, starred)
        updated: ArticleSummary | None
        if await self.runner.call(self.pending_marks.write, self.store):
            updated = await self.runner.call(self.store.articles.get, article_id)
        else:
            # Another program holds the write lock: show the mark now, save it later.
            updated = self._marked(article_id, read, starred)
            self._retry_marks_later()
        if updated is None:
            return
        try:
            article_list, reader = self.query_one(ArticleList), self.query_one(ReaderPane)
        except NoMatches:  # the reader is closing: the mark is saved, nothing to redraw
            return
        article_list.update_article(updated)
        shown = self.article
        if isinstance(updated, Article) and shown is not None and shown.id == article_id:
            self.article = updated
            reader.update_meta(updated)

    def _marked(
        self, article_id: int, read: bool | None, starred: bool | None
    ) -> ArticleSummary | None:
        """The open article or the listed row with the marks the person asked for."""
        shown = self.article if self.article is not None and self.article.id == article_id else None
        summary = shown or self.query_one(ArticleList).find(article_id)
        if summary is not None and read is not None:
            summary = dataclasses.replace(summary, read=read)
        if summary is not None and starred is not None:
            summary = dataclasses.replace(summary, starred=starred)
        return summary

    def _retry_marks_later(self) -> None:
        if self._marks_timer is not None:
            return  # a retry is already due: it takes this mark too
        if not self._busy_said:
            self._busy_said = True
            self.notify(
                "The database is busy (another program is writing it): your marks are "
                "kept and will be saved when it is free.",
                severity="warning",
                timeout=6,
            )
        self._marks_timer = self.set_timer(self.pending_marks.next_delay(), self._retry_marks)

    @work(group="state")
    async def _retry_marks(self) -> None:
        self._marks_timer = None
        if not self.pending_marks:
            return
        if await self.runner.call(self.pending_marks.write, self.store):
            self._busy_said = False
            self.notify("The database is free again: your marks are saved.", timeout=3)
        else:
            self._retry_marks_later()

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
