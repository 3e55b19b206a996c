"""The store: one SQLite file of articles, keywords, a full-text index and the reader's state.

:class:`Store` is the one door to the database: nothing outside
:mod:`briefing.store` writes SQL. Its parts are reached by what they hold:
``store.articles`` (lists, counts, search), ``store.keywords``, ``store.marks``
(read and starred), ``store.views`` (saved views), ``store.stories``,
``store.calendar`` (counts per day, for trends), ``store.periods`` (for the
digest) and ``store.files`` (what ingest writes). One Store serves one thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from sqlite3 import Connection
from typing import Any

from briefing.store import own_state
from briefing.store.articles import Articles
from briefing.store.calendar import Calendar
from briefing.store.connection import Identity, identity, memory_database, open_database
from briefing.store.errors import StoreError
from briefing.store.files import Files
from briefing.store.keywords import Keywords
from briefing.store.marks import Marks
from briefing.store.periods import Periods
from briefing.store.stories import Stories
from briefing.store.transactions import writing
from briefing.store.views import Views


class Store:
    """A briefing database. Open with :meth:`open`; one instance per thread."""

    def __init__(self, db: Connection, path: Path | None, read_only: bool = False) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        # Where this reader's own state (read, starred, saved views) is written:
        # "main", or the schema of a per-user database attached to a shared store.
        self.state_schema = "main"
        self.state_path: Path | None = None
        self.opened_as: Identity | None = None
        self.articles = Articles(db)
        self.keywords = Keywords(db)
        self.marks = Marks(db, self)
        self.views = Views(db, self)
        self.stories = Stories(db)
        self.calendar = Calendar(db)
        self.periods = Periods(db)
        self.files = Files(db, self.keywords)

    @classmethod
    def open(
        cls,
        path: Path | str,
        notice: Callable[[str], None] | None = None,
        state_path: Path | None = None,
        create: bool = True,
        create_directories: bool = False,
        read_only: bool = False,
    ) -> Store:
        """Open and bring the schema up to date; a missing file is created with ``create``
        (and its directory with ``create_directories``), and is an error otherwise.
        A SQLite file that is not a briefing database is refused untouched.

        ``notice`` is told, in one line, before an existing database is upgraded,
        which on a big one takes seconds. A database file that this process may
        not write (or one in a directory it may not write) is opened read-only:
        :attr:`read_only` is then true and every write raises :class:`StoreError`.

        With ``state_path``, this reader's read and star marks and saved views are
        kept in that database of their own instead (see :mod:`briefing.store.own_state`),
        and can be saved even when the store itself is read-only. ``read_only`` opens a
        store that could be written read-only all the same: a reader of a store that
        belongs to someone else never writes it, never upgrades it, never locks it.
        """
        path = Path(path)
        db, read_only = open_database(path, notice, create, create_directories, read_only)
        store = cls(db, path, read_only)
        store.opened_as = identity(path)
        if state_path is not None:
            try:
                own_state.attach(db, state_path)
            except (sqlite3.Error, OSError) as error:
                db.close()
                raise StoreError(
                    f"cannot open your state database {state_path}: {error}"
                ) from error
            store.state_schema = own_state.SCHEMA
            store.state_path = state_path
        return store

    @classmethod
    def memory(cls) -> Store:
        """A throwaway in-memory store, for tests and experiments."""
        return cls(memory_database(), None)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def changed_under_a_snapshot(self) -> bool:
        """Whether someone wrote the file since it was opened ``immutable`` (read-only in a
        directory this user may not write): SQLite cannot follow such a change, and its
        reads of the changed file look like damage."""
        return (
            self.read_only
            and self.path is not None
            and self.opened_as is not None
            and identity(self.path) != self.opened_as
        )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all."""
        self.check_writable()
        with writing(self.db):
            yield

    def check_writable(self) -> None:
        """Raise :class:`StoreError` if this store was opened read-only."""
        if self.read_only:
            raise StoreError(f"{self.path} is read-only; nothing can be saved to it")

    @property
    def state_read_only(self) -> bool:
        """Whether read and star marks and saved views cannot be saved."""
        return self.read_only and self.state_schema == "main"

    def check_state_writable(self) -> None:
        if self.state_read_only:
            self.check_writable()

    @contextmanager
    def state_transaction(self) -> Iterator[None]:
        """Writes of the reader's own state commit together or not at all."""
        self.check_state_writable()
        with writing(self.db, immediate=False):
            yield

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.check_writable()
        with writing(self.db):
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def stats(self) -> dict[str, Any]:
        """Counts and extents, for ``briefing stats``."""
        one = self.db.execute(
            "SELECT count(*), min(date), max(date), coalesce(sum(word_count), 0), "
            "count(*) - count(date) FROM articles"
        ).fetchone()
        state = self.db.execute(
            "SELECT coalesce(sum(read), 0), coalesce(sum(starred), 0) FROM article_state "
            "WHERE article_id IN (SELECT id FROM articles)"
        ).fetchone()
        keyword_count = self.db.execute(
            "SELECT count(*) FROM keywords WHERE article_count > 0"
        ).fetchone()[0]
        return {
            "database": str(self.path) if self.path else ":memory:",
            "articles": one[0],
            "undated": one[4],
            "oldest": one[1],
            "newest": one[2],
            "words": one[3],
            "keywords": keyword_count,
            "read": state[0],
            "unread": one[0] - state[0],
            "starred": state[1],
            "size_bytes": self._size_on_disk(),
        }

    def _size_on_disk(self) -> int:
        """The database file with its write-ahead log, which holds recent writes."""
        if self.path is None:
            return 0
        files = (self.path, self.path.with_name(self.path.name + "-wal"))
        return sum(f.stat().st_size for f in files if f.exists())
