"""A reader's own state kept in a database of their own, attached to a shared store.

When several people read one store on a server, each needs their own read and
star marks and saved views, and none of them should need write access to the
store that the ingest writes. So a reader's state can live in a small database
in their own data directory, ATTACHed to the store as ``mine``. Temporary views
named ``article_state`` and ``views`` then shadow the store's tables of those
names (SQLite looks in ``temp`` before ``main``), so every query that reads the
state is the same in both setups; writes name ``mine.`` explicitly
(:attr:`briefing.store.Store.state_schema`), which :class:`StateOwner` describes to
the parts of the store that write state.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from sqlite3 import Connection
from typing import Protocol

import platformdirs

from briefing.paths import APP_NAME

SCHEMA = "mine"


class StateOwner(Protocol):
    """Where the reader's own state is written (``main``, or :data:`SCHEMA` when attached),
    and the check that it may be: what :class:`~briefing.store.Store` offers marks and views."""

    state_schema: str

    def check_state_writable(self) -> None: ...


_TABLES = f"""
CREATE TABLE IF NOT EXISTS {SCHEMA}.article_state (
  article_id INTEGER PRIMARY KEY, read INTEGER NOT NULL DEFAULT 0,
  starred INTEGER NOT NULL DEFAULT 0, read_at TEXT, starred_at TEXT
);
CREATE INDEX IF NOT EXISTS {SCHEMA}.idx_article_state_starred
  ON article_state (starred) WHERE starred;
CREATE TABLE IF NOT EXISTS {SCHEMA}.views (
  name TEXT PRIMARY KEY, filters TEXT NOT NULL, query TEXT,
  created_at TEXT NOT NULL, updated_at TEXT
);
"""


def personal_state_path(store_path: Path) -> Path:
    """Where this user's state for ``store_path`` lives: one file per store, named
    after it and a hash of its absolute path, so two stores never share marks."""
    absolute = str(store_path.expanduser().resolve())
    digest = hashlib.sha256(absolute.encode()).hexdigest()[:12]
    data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return data_dir / "state" / f"{store_path.stem}-{digest}.db"


def belongs_to_another_user(store_path: Path) -> bool:
    """Whether the store is someone else's: a shared store on a server, which its
    readers open read-only."""
    try:
        return store_path.stat().st_uid != os.geteuid()
    except FileNotFoundError:
        return False


def wants_own_state(mode: str, store_path: Path) -> bool:
    """``own`` and ``store`` say so; ``auto`` keeps state apart when the store
    belongs to another user, which is what a shared store on a server looks like."""
    if mode == "own":
        return True
    if mode == "store":
        return False
    return belongs_to_another_user(store_path)


def attach(db: Connection, state_path: Path) -> None:
    """Attach (creating if needed) the personal state database and shadow the store's
    state tables with it for this connection."""
    state_path.parent.mkdir(parents=True, exist_ok=True)
    db.execute(f"ATTACH DATABASE ? AS {SCHEMA}", [str(state_path)])
    conn = db
    conn.execute(f"PRAGMA {SCHEMA}.journal_mode = WAL")
    # Each statement is its own transaction, and IF NOT EXISTS makes two readers
    # starting at once harmless; a transaction here would also lock the store.
    for statement in _TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"CREATE TEMP VIEW article_state AS SELECT * FROM {SCHEMA}.article_state")
    conn.execute(f"CREATE TEMP VIEW views AS SELECT * FROM {SCHEMA}.views")
