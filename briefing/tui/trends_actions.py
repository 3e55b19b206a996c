"""Trends in the reader: ``t`` shows rising keywords and those new since the last visit.

"New since your last visit" needs to know what the last visit saw, so the
reader notes the newest article once it starts (:meth:`note_visit`) and keeps
the previous session's mark for the report. The report itself is computed on
the store thread (:func:`briefing.tui.screens.trends.trends_report`); picking a
keyword there adds it as a filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from briefing.tui.list_state import ListState
from briefing.tui.widgets.article_list import Glyphs

TREND_DAYS = 7  # "rising": the last week of the corpus against the weeks before


class TrendsActions(ListState):
    """Mixed into the reader: the trends report and the mark of this visit."""

    # The reader's own state, set up by BriefingApp.
    glyphs: Glyphs
    previous_visit: int | None
    seen_up_to: int | None

    if TYPE_CHECKING:

        def _save_state(self) -> None: ...

    @work(group="visit")
    async def note_visit(self) -> None:
        self.seen_up_to = await self.runner.call(self.store.articles.newest_id)
        self._save_state()

    @work(exclusive=True, group="trends")
    async def action_trends(self) -> None:
        from briefing.tui.screens.trends import TrendsScreen, trends_report  # on first use

        rising, new = await self.runner.call(
            trends_report, self.store, TREND_DAYS, self.previous_visit, self.glyphs.ascii
        )

        def chosen(key: str | None) -> None:
            if key:
                self.list_query = self.list_query.with_keyword(key)

        self.push_screen(TrendsScreen(TREND_DAYS, rising, new), chosen)
