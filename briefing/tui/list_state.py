"""The one value that decides what the list shows, in a reactive the reader's parts share.

:class:`~briefing.tui.query.ListQuery` is frozen: every key that narrows or
widens the list assigns a new one to :attr:`ListState.list_query`, and
BriefingApp's watcher reloads the list, remembers the step for Back, saves the
state file and refreshes the keys, so no action has to remember to. The
reader's mixins subclass this so mypy checks every use against one definition.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.reactive import reactive

from briefing.store import Store
from briefing.tui.query import ListQuery
from briefing.tui.store_runner import StoreRunner

TRAIL_LIMIT = 100  # steps Back can retrace


@dataclass(frozen=True)
class Stop:
    """A list the person left: what it showed, and the article the cursor was on."""

    query: ListQuery
    article_id: int | None


class ListState(App[None]):
    store: Store
    runner: StoreRunner
    list_query: reactive[ListQuery] = reactive(ListQuery, init=False)
