"""Run store calls off the event loop, on one thread that owns the connection.

SQLite calls block, and on a big table they block long enough to be felt, so
the interface never makes them itself: it awaits :meth:`StoreRunner.call`,
which queues the call on a single worker thread. One thread means the
connection is never used by two threads at once and writes are never
interleaved; WAL mode lets other processes (an ingest) write meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from briefing.store import Store

P = ParamSpec("P")
T = TypeVar("T")


class StoreRunner:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-store")

    async def call(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``function(*args)`` (usually a bound Store method) on the store thread."""
        future = self._executor.submit(function, *args, **kwargs)
        return await asyncio.wrap_future(future)

    def shutdown(self) -> None:
        """Finish queued calls (a pending star must reach the disk), then stop."""
        self._executor.shutdown(wait=True)
