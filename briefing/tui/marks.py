"""Read and star marks the database was too busy to take, kept until it is free.

Another process may hold the store's write lock for longer than SQLite's busy
timeout (an ingest of a large folder). The reader must not end over that, nor
lose the mark: it keeps the wanted state of each article here, shows it at once,
and tries again later. Toggling an article twice meanwhile leaves one wanted
state, not two writes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from briefing.store import Store
from briefing.store.errors import is_busy as is_busy  # the reader's workers ask it too

RETRY_FIRST = 1.0  # seconds before the first retry; doubled each time the lock is still held
RETRY_MAX = 30.0


@dataclass
class PendingMarks:
    """article id -> {"read": bool, "starred": bool}: what the person last asked for."""

    wanted: dict[int, dict[str, bool]] = field(default_factory=dict)
    delay: float = RETRY_FIRST

    def __bool__(self) -> bool:
        return bool(self.wanted)

    def add(self, article_id: int, read: bool | None, starred: bool | None) -> None:
        marks = self.wanted.setdefault(article_id, {})
        if read is not None:
            marks["read"] = read
        if starred is not None:
            marks["starred"] = starred

    def next_delay(self) -> float:
        delay, self.delay = self.delay, min(RETRY_MAX, self.delay * 2)
        return delay

    def write(self, store: Store) -> bool:
        """Try to save every pending mark (on the store thread); True when all are saved.

        A mark is forgotten only once written; the lock held still leaves the rest."""
        for article_id in list(self.wanted):
            marks = self.wanted[article_id]
            try:
                if "read" in marks:
                    store.marks.set_read(article_id, marks["read"])
                    del marks["read"]
                if "starred" in marks:
                    store.marks.set_starred(article_id, marks["starred"])
                    del marks["starred"]
            except sqlite3.OperationalError as error:
                if is_busy(error):
                    return False
                raise
            del self.wanted[article_id]
        self.delay = RETRY_FIRST
        return True

    def describe(self) -> str:
        """'2 read marks and 1 star', for the line said on quitting."""
        reads = sum("read" in marks for marks in self.wanted.values())
        stars = sum("starred" in marks for marks in self.wanted.values())
        parts = []
        if reads:
            parts.append(f"{reads} read mark{'s' if reads != 1 else ''}")
        if stars:
            parts.append(f"{stars} star{'s' if stars != 1 else ''}")
        return " and ".join(parts) or "no marks"
