"""The store's calendar: articles per day, for a keyword and in all, and what is new since an id.

The per-day counts come from ``days`` and ``keyword_days``, kept by triggers
(``m002`` in :mod:`briefing.store.schema`), so a keyword's series is one short
index range whatever the size of the store. The arithmetic of trends is in
:mod:`briefing.insight.trends`.
"""

from __future__ import annotations

import datetime as dt
from sqlite3 import Connection

from briefing.models import NewKeyword


class Calendar:
    """``store.calendar``: dates the corpus spans, counts per day, keywords new since an id."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def last_day(self, not_after: str | None = None) -> str | None:
        """The newest date any article has (not after ``not_after`` if given)."""
        if not_after is None:
            row = self.db.execute(
                "SELECT day FROM days WHERE n > 0 AND day != '' ORDER BY day DESC LIMIT 1"
            ).fetchone()
        else:
            row = self.db.execute(
                "SELECT day FROM days WHERE n > 0 AND day != '' AND day <= ? "
                "ORDER BY day DESC LIMIT 1",
                [not_after],
            ).fetchone()
        return row[0] if row else None

    def first_day(self) -> str | None:
        """The oldest date of any article."""
        row = self.db.execute(
            "SELECT day FROM days WHERE n > 0 AND day != '' ORDER BY day LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def keyword_days(self, keyword_id: int, first: str, last: str) -> list[tuple[str, int]]:
        """(day, articles) with the keyword, from ``first`` to ``last``."""
        return self.db.execute(
            "SELECT day, n FROM keyword_days WHERE keyword_id = ? AND day >= ? AND day <= ?",
            [keyword_id, first, last],
        ).fetchall()

    def keyword_counts(
        self, start: dt.date, split: dt.date, end: dt.date
    ) -> list[tuple[int, int, int]]:
        """(keyword id, articles after ``split``, articles up to it) over the dates after
        ``start`` up to ``end``.

        Walks the period's articles by date (``idx_articles_newest``), their
        keywords by primary key: the cost follows the articles in the period,
        not the store.
        """
        return self.db.execute(
            "SELECT ak.keyword_id, sum(a.date > :split), sum(a.date <= :split) "
            "FROM articles a "
            "JOIN article_keywords ak ON ak.article_id = a.id "
            "WHERE a.date > :start AND a.date <= :end GROUP BY ak.keyword_id",
            {"split": split.isoformat(), "start": start.isoformat(), "end": end.isoformat()},
        ).fetchall()

    def new_keywords(self, after_article_id: int, limit: int = 50) -> list[NewKeyword]:
        """Keywords all of whose articles were ingested after article ``after_article_id``.

        Walks the links of the new articles by primary key, then checks each of
        their keywords for an older article through its own index, so the cost
        follows what is new, not the store. Most articles first.
        """
        # "+keyword_id" keeps SQLite from grouping by walking the whole keyword index in
        # order: the new links are found by primary key (article_id > after) and sorted.
        rows = self.db.execute(
            "SELECT k.key, k.display, n.count, n.first_id FROM "
            "(SELECT keyword_id, count(*) AS count, min(article_id) AS first_id "
            " FROM article_keywords WHERE article_id > :after GROUP BY +keyword_id) n "
            "JOIN keywords k ON k.id = n.keyword_id "
            "WHERE NOT EXISTS (SELECT 1 FROM article_keywords old "
            " WHERE old.keyword_id = n.keyword_id AND old.article_id <= :after) "
            "ORDER BY n.count DESC, n.first_id, k.key LIMIT :limit",
            {"after": after_article_id, "limit": limit},
        )
        return [NewKeyword(*row) for row in rows.fetchall()]
