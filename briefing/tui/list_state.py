"""What decides the list the reader shows, declared once for the mixins that read or change it.

BriefingApp sets these up in ``__init__``; its mixins (filters, views, stories,
search, the sidebar and the status line) subclass this instead of declaring
the same attributes each, so mypy checks every use against one definition.
"""

from __future__ import annotations

from textual.app import App

from briefing.store import Store
from briefing.tui.store_runner import StoreRunner


class ListState(App[None]):
    store: Store
    runner: StoreRunner
    filters: list[tuple[str, str]]  # keyword filters: (key, display)
    search_query: str | None
    since: str | None  # a saved view's dates
    until: str | None
    unread_only: bool
    starred_only: bool
    stories_collapsed: bool
    story: tuple[int, str] | None  # an expanded story: (id, its title)
