"""Counting articles that another process stored while a reader has the store open.

``briefing watch`` or a cron ingest adds articles to the database a reader is
showing. The reader asks every few seconds, so the question must cost almost
nothing: ``PRAGMA data_version`` changes only when another connection has
committed to the file, and reading it touches no table; only when it changed
are the new articles counted, by an id range on the primary key.

Like every store call, these run on the reader's store thread.
"""

from __future__ import annotations

from briefing.store.store import Store


class ArrivalCounter:
    """Articles stored since :meth:`mark_seen`: what a reader's list does not show yet."""

    def __init__(self, store: Store) -> None:
        self.db = store.db
        self._seen_id: int | None = None  # the newest article id the list was loaded with
        self._version: int | None = None
        self._count = 0

    def mark_seen(self) -> None:
        """Every article stored so far is shown now (the list is being loaded)."""
        row = self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
        self._seen_id = int(row[0])
        self._version = None
        self._count = 0

    def count(self) -> int:
        """How many articles were stored since :meth:`mark_seen` (0 before it)."""
        if self._seen_id is None:
            return 0
        version = int(self.db.execute("PRAGMA main.data_version").fetchone()[0])
        if version != self._version:
            self._version = version
            row = self.db.execute(
                "SELECT count(*) FROM articles WHERE id > ?", [self._seen_id]
            ).fetchone()
            self._count = int(row[0])
        return self._count
