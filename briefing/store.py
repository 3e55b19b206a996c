"""The SQLite store: articles, keywords, full-text index and the reader's state.

One file, in WAL mode so that a reader and an ingest can share it, with a busy
timeout so that a writer waits instead of failing. Every query the CLI and the
reader need lives here or in :mod:`briefing.reading` (the read side), so neither
ever writes SQL, and neither imports the other.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlite_utils import Database

from briefing import personal_state
from briefing import saved_views as view_table
from briefing.dates import utc_now
from briefing.keywords import Keyword
from briefing.parse import ParsedArticle
from briefing.reading import QueryError, Reading, StoreError
from briefing.saved_views import SavedView
from briefing.schema import known_migration_names, migrations
from briefing.stories import place_article

__all__ = ["FileRecord", "QueryError", "Store", "StoreError", "describe_error"]

BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class FileRecord:
    """What the store knows of an ingested file, to tell whether it changed."""

    id: int
    content_hash: str
    size: int | None
    mtime_ns: int | None


class Store(Reading):
    """A briefing database. Open with :meth:`open`; one instance per thread."""

    def __init__(self, db: Database, path: Path | None, read_only: bool = False) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        # Where this reader's own state (read, starred, saved views) is written:
        # "main", or the schema of a per-user database attached to a shared store.
        self.state_schema = "main"
        self.state_path: Path | None = None
        self.opened_as: tuple[int, int, int] | None = None  # the file's inode, size, mtime

    def changed_under_a_snapshot(self) -> bool:
        """Whether someone wrote the file since it was opened ``immutable`` (read-only in a
        directory this user may not write): SQLite cannot follow such a change, and its
        reads of the changed file look like damage."""
        return (
            self.read_only
            and self.path is not None
            and self.opened_as is not None
            and _identity(self.path) != self.opened_as
        )

    @classmethod
    def open(
        cls,
        path: Path | str,
        notice: Callable[[str], None] | None = None,
        state_path: Path | None = None,
    ) -> Store:
        """Open (creating if needed) and bring the schema up to date.

        ``notice`` is told, in one line, before an existing database is upgraded,
        which on a big one takes seconds. A database file that this process may
        not write (or one in a directory it may not write) is opened read-only:
        :attr:`read_only` is then true and every write raises :class:`StoreError`.

        With ``state_path``, this reader's read and star marks and saved views are
        kept in that database of their own instead (see :mod:`briefing.personal_state`),
        and can be saved even when the store itself is read-only.
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path} is a directory, not a database file")
        read_only = path.exists() and not _writable(path)
        try:
            if read_only:
                db = Database(_connect_read_only(path))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                # One connection may serve a worker thread (the reader runs every
                # query on one thread of its own); calls are never concurrent.
                db = Database(sqlite3.connect(path, check_same_thread=False))
            _configure(db, read_only)
            _migrate(db, path, notice, read_only)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot open database {path}: {describe_error(error)}") from error
        except OSError as error:
            raise StoreError(f"cannot open database {path}: {error}") from error
        store = cls(db, path, read_only)
        store.opened_as = _identity(path)
        if state_path is not None:
            try:
                personal_state.attach(db, state_path)
            except (sqlite3.Error, OSError) as error:
                db.close()
                raise StoreError(
                    f"cannot open your state database {state_path}: {error}"
                ) from error
            store.state_schema = personal_state.SCHEMA
            store.state_path = state_path
        return store

    @classmethod
    def memory(cls) -> Store:
        """A throwaway in-memory store, for tests and experiments."""
        db = Database(sqlite3.connect(":memory:", check_same_thread=False))
        _configure(db)
        migrations.apply(db)
        return cls(db, None)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all."""
        self.check_writable()
        with self.db.atomic():
            yield

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
        with self.db.atomic():
            yield

    def check_writable(self) -> None:
        """Raise :class:`StoreError` if this store was opened read-only."""
        if self.read_only:
            raise StoreError(f"{self.path} is read-only; nothing can be saved to it")

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

    # -- the reader's state ---------------------------------------------------------------

    def set_read(self, article_id: int, read: bool = True) -> None:
        self._set_state(article_id, "read", read)

    def set_starred(self, article_id: int, starred: bool = True) -> None:
        self._set_state(article_id, "starred", starred)

    def _set_state(self, article_id: int, column: str, value: bool) -> None:
        self.check_state_writable()
        now = utc_now() if value else None
        with self.db.atomic():
            self.db.execute(
                f"INSERT INTO {self.state_schema}.article_state "
                f"(article_id, {column}, {column}_at) VALUES (?, ?, ?) "
                f"ON CONFLICT(article_id) DO UPDATE SET {column} = excluded.{column}, "
                f"{column}_at = excluded.{column}_at",
                [article_id, int(value), now],
            )

    # -- saved views (the reader's own, like the marks) ----------------------------------

    def save_view(self, view: SavedView) -> SavedView:
        self.check_state_writable()
        return view_table.save_view(self.db, self.state_schema, view)

    def delete_view(self, name: str) -> bool:
        self.check_state_writable()
        return view_table.delete_view(self.db, self.state_schema, name)

    def saved_views(self) -> list[SavedView]:
        return view_table.saved_views(self.db)

    def saved_view(self, name: str) -> SavedView | None:
        return view_table.saved_view(self.db, name)

    # -- writing, for ingest --------------------------------------------------------------

    def file_records(self) -> dict[str, FileRecord]:
        """Every ingested file by path, loaded in one query for a fast unchanged check."""
        rows = self.db.execute(
            "SELECT path, id, content_hash, file_size, file_mtime_ns FROM articles"
        )
        return {row[0]: FileRecord(*row[1:]) for row in rows}

    def path_for_hash(self, content_hash: str) -> str | None:
        row = self.db.execute(
            "SELECT path FROM articles WHERE content_hash = ? LIMIT 1", [content_hash]
        ).fetchone()
        return row[0] if row else None

    def touch_file(self, article_id: int, size: int, mtime_ns: int) -> None:
        """Remember a file's new mtime when its content did not change."""
        self.db.execute(
            "UPDATE articles SET file_size = ?, file_mtime_ns = ? WHERE id = ?",
            [size, mtime_ns, article_id],
        )

    def save_article(
        self,
        *,
        path: str,
        content_hash: str,
        size: int,
        mtime_ns: int,
        parsed: ParsedArticle,
        keywords: Sequence[Keyword],
    ) -> tuple[int, bool]:
        """Insert or update the article from ``path`` with its keywords.

        Returns ``(id, created)``. An updated article keeps its id, so its
        read and starred state survive. Call inside :meth:`transaction`.
        """
        now = utc_now()
        values = {
            "content_hash": content_hash,
            "file_size": size,
            "file_mtime_ns": mtime_ns,
            "title": parsed.title,
            "date": parsed.date,
            "source": parsed.source,
            "body": parsed.body,
            "tags": json.dumps(parsed.tags, ensure_ascii=False),
            "format": parsed.format,
            "word_count": parsed.word_count,
            "updated_at": now,
        }
        existing = self.db.execute("SELECT id FROM articles WHERE path = ?", [path]).fetchone()
        if existing:
            article_id = int(existing[0])
            assignments = ", ".join(f"{column} = ?" for column in values)
            self.db.execute(
                f"UPDATE articles SET {assignments} WHERE id = ?", [*values.values(), article_id]
            )
            self.db.execute("DELETE FROM article_keywords WHERE article_id = ?", [article_id])
        else:
            columns = ["path", "ingested_at", *values]
            cursor = self.db.execute(
                f"INSERT INTO articles ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                [path, now, *values.values()],
            )
            article_id = int(cursor.lastrowid or 0)
        self._link_keywords(article_id, parsed.date, keywords)
        place_article(self.db, article_id)  # stories: join or leave one (briefing.stories)
        return article_id, existing is None

    def _link_keywords(
        self, article_id: int, date: str | None, keywords: Iterable[Keyword]
    ) -> None:
        # executemany on the raw connection: ingest's writer is the one process that
        # competes with the YAKE workers for the cores, so its per-call overhead counts.
        keywords = list(keywords)
        conn = self.db.conn
        conn.executemany(
            "INSERT INTO keywords (key, display, article_count) VALUES (?, ?, 0) "
            "ON CONFLICT(key) DO NOTHING",
            [(k.key, k.display) for k in keywords],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO article_keywords "
            "(article_id, keyword_id, score, rank, article_date) "
            "SELECT ?, id, ?, ?, ? FROM keywords WHERE key = ?",
            [(article_id, k.score, k.rank, date, k.key) for k in keywords],
        )

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.check_writable()
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def _writable(path: Path) -> bool:
    """Whether this process may write the database: the file, and the directory that
    holds its write-ahead log (``-wal``) and shared-memory index (``-shm``)."""
    directory = path.absolute().parent
    return os.access(path, os.W_OK) and os.access(directory, os.W_OK | os.X_OK)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Open without ever writing the file.

    A WAL database needs its ``-shm`` file even to be read. When the directory is
    read-only and neither ``-wal`` nor ``-shm`` exists, nobody can be writing the
    database (a writer would have had to create them), so it is opened as
    ``immutable``: SQLite then reads it without any locking or shared memory.
    Otherwise ``mode=ro`` reads it alongside any writer, through the existing files.
    """
    uri = "file:" + quote(str(path.absolute()), safe="/") + "?mode=ro"
    directory = path.absolute().parent
    companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    if not os.access(directory, os.W_OK | os.X_OK) and not any(p.exists() for p in companions):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def describe_error(error: sqlite3.Error) -> str:
    """SQLite's complaint about a database, in words for a person."""
    message = str(error)
    if isinstance(error, sqlite3.DatabaseError) and re.search(
        r"malformed|not a database|corrupt", message
    ):
        return f"the file is damaged or not a briefing database ({message})"
    if "readonly" in message or "read-only" in message:
        return f"the database is read-only ({message})"
    return message


def _configure(db: Database, read_only: bool = False) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Reading the schema here makes a file that is not a database fail now, in open.
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    if not read_only and db.execute("PRAGMA database_list").fetchone()[2]:  # a file
        db.enable_wal()
    if not read_only:
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")


def _refuse_newer(db: Database, path: Path) -> set[str]:
    applied = {m.name for m in migrations.applied(db)}
    unknown = applied - known_migration_names()
    if unknown:
        raise StoreError(
            f"{path} was written by a newer version of briefing "
            f"(schema steps {', '.join(sorted(unknown))}); upgrade briefing to open it"
        )
    return applied


def _migrate(
    db: Database,
    path: Path,
    notice: Callable[[str], None] | None = None,
    read_only: bool = False,
) -> None:
    _refuse_newer(db, path)
    if not migrations.pending(db):
        return
    if read_only:
        raise StoreError(f"{path} needs upgrading to this version's format, but it is read-only")
    # Under the write lock, so that two commands opening a new database at once do
    # not both try to build it: the second waits, then finds nothing left to do.
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        applied = _refuse_newer(db, path)
        if applied and migrations.pending(db) and notice is not None:
            notice(f"Upgrading {path} to the current format; this happens once.")
        migrations.apply(db)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
