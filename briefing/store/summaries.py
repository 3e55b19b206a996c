"""The columns of a list row, and the rows themselves by id: what every list of articles shows."""

from __future__ import annotations

from collections.abc import Sequence
from sqlite3 import Connection
from typing import Any

from briefing.models import ArticleSummary

FROM_ARTICLES = "articles a LEFT JOIN article_state s ON s.article_id = a.id"
SUMMARY_COLUMNS = """
    a.id, a.title, a.date, a.source, a.word_count,
    coalesce(s.read, 0) AS read, coalesce(s.starred, 0) AS starred,
    coalesce((SELECT size FROM stories st WHERE st.id = a.story_id), 0) AS story_size,
    a.story_id
"""
SUMMARY_WIDTH = 9  # columns of SUMMARY_COLUMNS: what a query selects after them starts here


def summary(row: Sequence[Any]) -> ArticleSummary:
    """An :class:`ArticleSummary` from a row that starts with :data:`SUMMARY_COLUMNS`."""
    return ArticleSummary(
        id=row[0],
        title=row[1],
        date=row[2],
        source=row[3],
        word_count=row[4],
        read=bool(row[5]),
        starred=bool(row[6]),
        story_size=int(row[7]),
        story_id=row[8],
    )


def summaries(db: Connection, article_ids: Sequence[int]) -> dict[int, ArticleSummary]:
    """List rows of the given articles, by id."""
    if not article_ids:
        return {}
    rows = db.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM {FROM_ARTICLES} "
        f"WHERE a.id IN ({', '.join('?' for _ in article_ids)})",
        list(article_ids),
    ).fetchall()
    return {row[0]: summary(row) for row in rows}
