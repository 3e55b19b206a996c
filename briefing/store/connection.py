"""Opening a database file: read-only when it must be, never someone else's, schema current.

One file, in WAL mode so that a reader and an ingest can share it, with a busy
timeout so that a writer waits instead of failing. The connection is in
autocommit mode; writes go through :func:`briefing.store.transactions.writing`.

Opening never changes a file that is not a briefing database: a SQLite file
with other tables is refused untouched (no tables added, no switch to WAL),
and a missing file is created only when the caller says so (``create``).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from briefing.store.errors import StoreError, describe_error
from briefing.store.permissions import create_database_file, keep_shared
from briefing.store.schema_version import KNOWN_STEPS, applied_steps, user_tables

BUSY_TIMEOUT_MS = 10_000

Identity = tuple[int, int, int]  # a file's inode, size and mtime


def open_database(
    path: Path,
    notice: Callable[[str], None] | None = None,
    create: bool = False,
    create_directories: bool = False,
    read_only: bool = False,
) -> tuple[sqlite3.Connection, bool]:
    """The database at ``path`` with its schema current, and whether it was opened read-only
    (asked for, or a file or directory this process may not write).

    A missing file is created when ``create`` is true (its directory too with
    ``create_directories``), and is otherwise an error that says so.
    """
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    exists = path.exists()
    if not exists:
        _check_can_create(path, create, create_directories)
    elif not create and _is_empty(path):
        raise StoreError(f"{path} is an empty file, not a briefing database")
    read_only = exists and (read_only or not _writable(path))
    try:
        if read_only:
            db = _connect_read_only(path)
        else:
            if not exists:
                create_database_file(path)  # not SQLite's 0644: see store/permissions.py
            db = _connect(path)
        try:
            _prepare(db, path, notice, read_only)
        except BaseException:
            db.close()
            raise
        if not read_only:
            keep_shared(path)
    except sqlite3.DatabaseError as error:
        raise StoreError(f"cannot open database {path}: {describe_error(error)}") from error
    except OSError as error:
        raise StoreError(f"cannot open database {path}: {error}") from error
    return db, read_only


def memory_database() -> sqlite3.Connection:
    """A throwaway in-memory database with the current schema."""
    db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    _migrate(db, Path(":memory:"), None)
    return db


def identity(path: Path) -> Identity | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def _check_can_create(path: Path, create: bool, create_directories: bool) -> None:
    if not create:
        raise StoreError(f"no database at {path} (`briefing --db {path} ingest DIR` creates one)")
    parent = path.absolute().parent
    if not parent.is_dir():
        if not create_directories:
            raise StoreError(f"cannot create {path}: no directory {parent}")
        parent.mkdir(parents=True, exist_ok=True)


def _is_empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def _connect(path: Path) -> sqlite3.Connection:
    # One connection may serve a worker thread (the reader runs every query on one
    # thread of its own); calls are never concurrent.
    return sqlite3.connect(path, check_same_thread=False, isolation_level=None)


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
    return sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)


def _prepare(
    db: sqlite3.Connection, path: Path, notice: Callable[[str], None] | None, read_only: bool
) -> None:
    """Pragmas, and the schema checked (one query when current) and brought up to date."""
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Reading the schema here makes a file that is not a database fail now, in open.
    steps = applied_steps(db)
    if steps is None:
        tables = user_tables(db)
        if tables:
            shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            raise StoreError(
                f"{path} is not a briefing database (it holds other tables: {shown}); "
                "it was left untouched"
            )
    _refuse_newer(steps or [], path)
    if not read_only:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    if steps is None or len(steps) < len(KNOWN_STEPS):
        if read_only:
            raise StoreError(
                f"{path} needs upgrading to this version's format, but it is read-only"
            )
        _migrate(db, path, notice if steps else None)


def _refuse_newer(steps: list[str], path: Path) -> None:
    unknown = sorted(set(steps) - set(KNOWN_STEPS))
    if unknown:
        raise StoreError(
            f"{path} was written by a newer version of briefing "
            f"(schema steps {', '.join(unknown)}); upgrade briefing to open it"
        )


def _migrate(db: sqlite3.Connection, path: Path, notice: Callable[[str], None] | None) -> None:
    """Apply the pending schema steps, under the write lock, so that two commands opening
    a new database at once do not both build it: the second waits, then finds nothing
    left to do."""
    from sqlite_utils import Database  # only here: see briefing.store.schema_version

    from briefing.store.schema import migrations

    wrapped = Database(db)
    db.execute("BEGIN IMMEDIATE")
    try:
        _refuse_newer(applied_steps(db) or [], path)
        if migrations.applied(wrapped) and migrations.pending(wrapped) and notice is not None:
            notice(f"Upgrading {path} to the current format; this happens once.")
        migrations.apply(wrapped)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
