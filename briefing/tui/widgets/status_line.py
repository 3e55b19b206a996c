"""The reader's status line, and what it says the list is narrowed by.

The top line says how many articles are shown, what they are filtered by, and
which database they come from; the keyword sidebar and the empty list's message
use the same account of the filters (:meth:`StatusReport._conditions`), so it is
written once, here. Filter names and queries are untrusted text: they are
cleaned and never read as markup.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.content import Content
from textual.widgets import Static

from briefing.sanitize import terminal_line
from briefing.tui.arrival_watch import ArrivalWatch, NewArticles
from briefing.tui.list_state import ListState
from briefing.tui.widgets.article_list import ArticleList, Glyphs
from briefing.tui.widgets.search_bar import SEARCH_LIMIT


class StatusLine(Static):
    """The top line: database, article count, filters and search."""


class StatusReport(ListState):
    """Mixed into the reader: the status line's text and the list's narrowing conditions."""

    # The reader's own state, set up by BriefingApp.
    arrivals: ArrivalWatch
    glyphs: Glyphs

    def _conditions(self) -> list[str]:
        conditions = []
        if self.story is not None:
            conditions.append(f"story: {terminal_line(self.story[1])}")
        elif self.stories_collapsed:
            conditions.append("stories collapsed")
        if self.since:
            conditions.append(f"since {self.since}")
        if self.until:
            conditions.append(f"until {self.until}")
        if self.unread_only:
            conditions.append("unread only")
        if self.starred_only:
            conditions.append("starred only")
        if self.search_query is not None:
            conditions.append(f"search: {terminal_line(self.search_query)}")
        return conditions

    def _empty_message(self) -> str:
        if self.search_query is not None:
            return "Nothing matches this search. Escape returns to the list."
        narrowed = self.unread_only or self.starred_only or self.since or self.until
        if self.filters or narrowed:
            return "No articles match these filters. Backspace removes the last one."
        return "No articles yet. Add some with: briefing ingest DIR"

    def _update_status(self) -> None:
        count = self.query_one(ArticleList).article_count
        noun = "result" if self.search_query is not None else "article"
        plural = "s" if count != 1 else ""
        capped = self.search_query is not None and count >= SEARCH_LIMIT
        shown = f"best {count}" if capped else str(count)
        # What changes goes first, so a narrow terminal cuts off only the path.
        parts = [Content.assemble(("briefing", "bold"), f"  {shown} {noun}{plural}")]
        if self.arrivals.pending:  # articles stored since the list loaded
            parts.append(Content.assemble(" · ", (self.arrivals.describe(), "bold")))
        if self.filters:
            between = f" {self.glyphs.crumb} "
            crumb = between.join(terminal_line(display) for _, display in self.filters)
            parts.append(Content.assemble(" · ", ("filter: ", "bold"), crumb))
        for condition in self._conditions():
            parts.append(Content(f" · {condition}"))
        if self.store.state_read_only:
            parts.append(Content(" · read-only"))
        parts.append(Content(f" · {short_path(self.store.path)}").stylize("dim"))
        self.query_one(StatusLine).update(Content("").join(parts))

    @on(NewArticles)  # the count in the status line
    def _new_articles(self) -> None:
        self._update_status()


def short_path(path: Path | None) -> str:
    if path is None:
        return ":memory:"
    home = Path.home()
    try:
        return "~/" + str(path.relative_to(home))
    except ValueError:
        return str(path)
