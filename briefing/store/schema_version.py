"""The schema steps this version of briefing knows, checked without loading sqlite-utils.

Opening a store that is current, which is every open but the first after an
upgrade, costs one query of ``_sqlite_migrations`` against this list. Only a
store that needs a step loads :mod:`briefing.store.schema` (and sqlite-utils,
which brings numpy when it is installed): a tenth of a second that a
``briefing list`` in a shell prompt should not pay. A test checks that this
list and the migrations in :mod:`briefing.store.schema` name the same steps.
"""

from __future__ import annotations

import sqlite3

MIGRATION_SET = "briefing"
KNOWN_STEPS = (
    "m001_articles_keywords_state",
    "m002_precomputed_counts",
    "m003_stories_and_views",
    "m004_reindex_only_changed_text",
    "m005_cjk_search",
    "m006_mask_feed_secrets",
)


def applied_steps(db: sqlite3.Connection) -> list[str] | None:
    """The steps recorded in the database, in order; None when it has no record of any
    (a new database, or one that some other program made)."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if exists is None:
        return None
    rows = db.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
        [MIGRATION_SET],
    ).fetchall()
    return [row[0] for row in rows] or None


def user_tables(db: sqlite3.Connection) -> list[str]:
    """Tables in the database, but SQLite's own: any at all in a file with no briefing
    steps means another program's database."""
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]
