"""Opening a database file: read-only when it must be, pragmas, and the schema brought up to date.

One file, in WAL mode so that a reader and an ingest can share it, with a busy
timeout so that a writer waits instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from briefing.store.errors import StoreError, describe_error
from briefing.store.schema import known_migration_names, migrations

BUSY_TIMEOUT_MS = 10_000

Identity = tuple[int, int, int]  # a file's inode, size and mtime


def open_database(path: Path, notice: Callable[[str], None] | None = None) -> tuple[Database, bool]:
    """The database at ``path`` (created if need be) with its schema current, and whether it
    was opened read-only (a file, or a directory, this process may not write)."""
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
    return db, read_only


def memory_database() -> Database:
    """A throwaway in-memory database with the current schema."""
    db = Database(sqlite3.connect(":memory:", check_same_thread=False))
    _configure(db)
    migrations.apply(db)
    return db


def identity(path: Path) -> Identity | None:
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
