"""Related briefings in the reader: following one, and Backspace to come back.

The reader shows a few related articles under the open one; opening one keeps
a trail, so Backspace in the reader walks back along it the way a browser's
Back does. Picking a new article from the list starts a new trail (the reader's
core clears :attr:`history`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import App
from textual.worker import Worker

from briefing.models import Article
from briefing.tui.widgets.reader_pane import ReaderPane
from briefing.tui.widgets.related_list import RelatedList


class RelatedHistory(App[None]):
    """Mixed into the reader: the trail of related articles followed from the list's one."""

    # The reader's own state, set up by BriefingApp.
    article: Article | None
    history: list[int]

    if TYPE_CHECKING:

        def load_article(self, article_id: int) -> Worker[None]: ...

        def _in_reader(self) -> bool: ...

    @on(RelatedList.Opened)
    def _related_opened(self, event: RelatedList.Opened) -> None:
        if self.article is not None:
            self.history.append(self.article.id)
        self.load_article(event.article_id)
        self.query_one(ReaderPane).focus()
        self.refresh_bindings()

    def _back_along_history(self) -> bool:
        """Backspace in the reader after following related articles: back to the last one.

        False (nothing done) when there is no trail or the reader is not focused.
        """
        if not (self.history and self._in_reader()):
            return False
        self.load_article(self.history.pop())
        self.query_one(ReaderPane).focus()
        self.refresh_bindings()
        return True
