"""Stories in the reader: ``S`` collapses each story to its newest article, ``e`` expands one.

A story is the articles about one event, from several sources and days,
grouped at ingest (see :mod:`briefing.insight.stories`). Both keys only change what the
list is filtered by and the reader's core reloads it; Backspace leaves an
expanded story for the article it was opened from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import Worker

from briefing.tui.list_state import ListState
from briefing.tui.widgets.article_list import ArticleList


class StoriesActions(ListState):
    """Mixed into the reader: collapsing stories, expanding one and leaving it."""

    # The reader's own state, set up by BriefingApp.
    _story_left_at: int | None

    if TYPE_CHECKING:

        def reload(self, select_id: int | None = None) -> Worker[None]: ...

        def _refilter(self) -> None: ...

        def _save_state(self) -> None: ...

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
