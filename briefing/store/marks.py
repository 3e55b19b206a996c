"""The reader's own marks on articles: read and starred, with when they were set."""

from __future__ import annotations

from sqlite3 import Connection

from briefing.dates import utc_now
from briefing.store.own_state import StateOwner
from briefing.store.transactions import writing


class Marks:
    """``store.marks``: read and star marks, written where the reader's state lives."""

    def __init__(self, db: Connection, owner: StateOwner) -> None:
        self.db = db
        self.owner = owner

    def set_read(self, article_id: int, read: bool = True) -> None:
        self._set(article_id, "read", read)

    def set_starred(self, article_id: int, starred: bool = True) -> None:
        self._set(article_id, "starred", starred)

    def _set(self, article_id: int, column: str, value: bool) -> None:
        self.owner.check_state_writable()
        now = utc_now() if value else None
        schema = self.owner.state_schema
        with writing(self.db, immediate=False):  # a write first
            self.db.execute(
                f"INSERT INTO {schema}.article_state "
                f"(article_id, {column}, {column}_at) VALUES (?, ?, ?) "
                f"ON CONFLICT(article_id) DO UPDATE SET {column} = excluded.{column}, "
                f"{column}_at = excluded.{column}_at",
                [article_id, int(value), now],
            )
