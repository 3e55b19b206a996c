"""Counting "unread only" as the whole less the read part, when fewer are read than unread.

The whole (every article, or one keyword's) has counts kept by triggers; the
read articles are found from the (few) read marks. Subtracting the second from
the first costs what the read marks cost, not what the selection does.
"""

from __future__ import annotations

import dataclasses
from sqlite3 import Connection
from typing import Any

from briefing.store.filters import Selection


def unread_base(db: Connection, selection: Selection) -> Selection | None:
    """The selection without "unread only", if subtracting the read part is cheaper."""
    article_filter = selection.article_filter
    if not article_filter.unread_only or selection.impossible:
        return None
    base_filter = dataclasses.replace(article_filter, unread_only=False)
    base = Selection(base_filter, selection.keyword_ids)
    if not (base.everything or base.single_keyword is not None):
        return None
    read = db.execute("SELECT count(*) FROM article_state WHERE read = 1").fetchone()[0]
    total = db.execute("SELECT coalesce(sum(n), 0) FROM days").fetchone()[0]
    return base if read * 2 <= total else None


def read_join(base: Selection) -> tuple[str, list[Any]]:
    """Tables holding the read articles of ``base``, found from the read marks;
    the caller adds ``WHERE s.read = 1``."""
    if base.single_keyword is None:
        return "article_state s JOIN articles a ON a.id = s.article_id", []
    return (
        "article_state s JOIN article_keywords ak0 ON ak0.article_id = s.article_id "
        "AND ak0.keyword_id = ? JOIN articles a ON a.id = s.article_id",
        [base.single_keyword],
    )


def read_days(db: Connection, base: Selection) -> list[tuple[str, int]]:
    """(date, read articles) of ``base``; undated as ''."""
    tables, params = read_join(base)
    rows = db.execute(
        f"SELECT coalesce(a.date, ''), count(*) FROM {tables} WHERE s.read = 1 GROUP BY 1",
        params,
    )
    return [(row[0], int(row[1])) for row in rows]
