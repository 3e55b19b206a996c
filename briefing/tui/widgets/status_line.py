"""The reader's status line: how many articles are shown, what narrows them, and which
database they come from.

What narrows them is the list's :class:`ListQuery` in words, the same words the
keyword sidebar and the empty list's message use. Filter names and queries are
untrusted text: the query cleans them, and they are never read as markup.
"""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.widgets import Static

from briefing.store import Store
from briefing.tui.arrival_watch import ArrivalWatch
from briefing.tui.query import ListQuery
from briefing.tui.widgets.search_bar import SEARCH_LIMIT


class StatusLine(Static):
    """The top line: database, article count, filters and search."""


def status_content(
    query: ListQuery, count: int, arrivals: ArrivalWatch, store: Store, crumb: str = "›"
) -> Content:
    """The status line: what changes first, so a narrow terminal cuts off only the path."""
    noun = "result" if query.search is not None else "article"
    plural = "s" if count != 1 else ""
    capped = query.search is not None and count >= SEARCH_LIMIT
    shown = f"best {count}" if capped else str(count)
    parts = [Content.assemble(("briefing", "bold"), f"  {shown} {noun}{plural}")]
    if arrivals.pending:  # articles stored since the list loaded
        parts.append(Content.assemble(" · ", (arrivals.describe(), "bold")))
    if query.keywords:
        parts.append(
            Content.assemble(" · ", ("filter: ", "bold"), f" {crumb} ".join(query.crumbs()))
        )
    for condition in query.conditions():
        parts.append(Content(f" · {condition}"))
    if store.state_read_only:
        parts.append(Content(" · read-only"))
    parts.append(Content(f" · {short_path(store.path)}").stylize("dim"))
    return Content("").join(parts)


def empty_message(query: ListQuery) -> str:
    """What an empty list says: why it is empty, and the key that widens it again."""
    if query.search is not None:
        return "Nothing matches this search. Escape returns to the list."
    if query.keywords or query.unread_only or query.starred_only or query.since or query.until:
        return "No articles match these filters. Backspace removes the last one."
    return "No articles yet. Add some with: briefing ingest DIR"


def short_path(path: Path | None) -> str:
    if path is None:
        return ":memory:"
    home = Path.home()
    try:
        return "~/" + str(path.relative_to(home))
    except ValueError:
        return str(path)
