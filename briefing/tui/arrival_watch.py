"""New articles while the reader runs: noticed every few seconds, shown when asked.

Another process (``briefing watch``, a cron ingest) adds articles to the store
the reader has open. Reloading the list by itself would shift the rows under
the person's cursor, so the reader only says so: a notice ("3 new articles — R
to show") and a count in the status line; ``R`` (or any reload: a filter, the
end of a search) then shows them and the count starts again from nought.

The check runs on the store thread, in a worker, like every other query
(:class:`~briefing.store.arrivals.ArrivalCounter` says why it is cheap).
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.message import Message

from briefing.store.arrivals import ArrivalCounter
from briefing.tui.store_runner import StoreRunner
from briefing.tui.terminal.capabilities import plain_terminal

CHECK_INTERVAL = 2.0  # seconds between two looks at the store
NOTICE_SECONDS = 6.0


class NewArticles(Message):
    """Articles were stored since the list was loaded: ``count`` of them in all."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class ArrivalWatch:
    """Looks at the store every :attr:`interval` seconds; tells the app when articles arrive.

    The app calls :meth:`start` once mounted and awaits :meth:`acknowledge` when
    it loads the list; it shows :meth:`describe` while :attr:`pending` is not 0.
    """

    def __init__(self, runner: StoreRunner, interval: float = CHECK_INTERVAL) -> None:
        self.runner = runner
        self.interval = interval
        self.counter = ArrivalCounter(runner.store)
        self.pending = 0  # articles stored since the list was loaded
        self._loads = 0  # how many times the list was loaded: a check from before is stale
        self._app: App[Any] | None = None

    def start(self, app: App[Any]) -> None:
        self._app = app
        app.set_interval(self.interval, self._check_soon, name="arrivals")

    async def acknowledge(self) -> None:
        """The list is being loaded: what is stored now will be shown.

        Queued on the store thread before the list's own queries, so an article
        stored in between is counted again at worst, never missed.
        """
        self.pending = 0
        self._loads += 1
        await self.runner.call(self.counter.mark_seen)

    def acknowledge_now(self) -> None:
        """:meth:`acknowledge` on this thread, before the store thread has work."""
        self.pending = 0
        self._loads += 1
        self.counter.mark_seen()

    def describe(self) -> str:
        return f"{self.pending} new (R)" if self.pending else ""

    def _check_soon(self) -> None:
        if self._app is not None:
            self._app.run_worker(self._check(), group="arrivals", exclusive=True)

    async def _check(self) -> None:
        loads = self._loads
        try:
            count = await self.runner.call(self.counter.count)
        except RuntimeError:  # the store thread has shut down: the reader is closing
            return
        if loads != self._loads or count <= self.pending or self._app is None:
            return
        self.pending = count
        plural = "s" if count != 1 else ""
        dash = "-" if plain_terminal() else "—"  # the Linux console's font has no —
        self._app.notify(
            f"{count} new article{plural} {dash} R to show", timeout=NOTICE_SECONDS, markup=False
        )
        self._app.post_message(NewArticles(count))
