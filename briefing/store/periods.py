"""The articles of a period, by arrival or by their own dates, with their keywords.

Article ids grow with ingest order, so the first article that arrived in a
period is found by a binary search over ids (each probe one primary-key
lookup) instead of reading ``ingested_at`` from every row, which would read
the whole table: it is stored after the body. Grouping and excerpts are
:mod:`briefing.insight.digest`'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from sqlite3 import Connection
from typing import Any, Literal

By = Literal["ingested", "date"]
# (id, title, date, source, ingested_at, start of body, story id)
PeriodRow = tuple[int, str, str | None, str | None, str, str, int | None]
# article id -> [(key, display, rank)], best first
Links = dict[int, list[tuple[str, str, int]]]


class Periods:
    """``store.periods``: the articles of a period, for the digest."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def articles(
        self, by: By, start: str, keyword_ids: Sequence[int], body_chars: int
    ) -> tuple[list[PeriodRow], Links]:
        """The period's articles (all of the keywords given), newest first, with each one's
        keywords. ``start`` is an ISO date (``by="date"``) or a UTC time stamp as
        ``ingested_at`` holds them; a body is read up to ``body_chars`` characters."""
        where, params = self._period(by, start)
        for number, keyword in enumerate(keyword_ids):
            where += (
                f" AND EXISTS (SELECT 1 FROM article_keywords f{number} "
                f"WHERE f{number}.article_id = a.id AND f{number}.keyword_id = ?)"
            )
            params.append(keyword)
        rows = self.db.execute(
            "SELECT a.id, a.title, a.date, a.source, a.ingested_at, "
            f"substr(a.body, 1, {int(body_chars)}), a.story_id FROM articles a WHERE {where} "
            "ORDER BY a.date IS NULL, a.date DESC, a.id DESC",
            params,
        ).fetchall()
        if not rows:
            return [], {}
        links: Links = defaultdict(list)
        for article_id, key, display, rank in self.db.execute(
            "SELECT ak.article_id, k.key, k.display, ak.rank FROM article_keywords ak "
            "JOIN keywords k ON k.id = ak.keyword_id "
            f"WHERE ak.article_id IN (SELECT a.id FROM articles a WHERE {where}) "
            "ORDER BY ak.article_id, ak.rank",
            params,
        ):
            links[article_id].append((key, display, rank))
        return rows, links

    def _period(self, by: By, start: str) -> tuple[str, list[Any]]:
        """A condition on ``articles a`` for the period, with an index or id range to drive it."""
        if by == "date":
            return "a.date >= ?", [start]
        return "a.id >= ? AND a.ingested_at >= ?", [self._first_arrival(start), start]

    def _first_arrival(self, stamp: str) -> int:
        """The smallest id that may have arrived at ``stamp`` or later (ids follow ingest
        order). The caller still checks ``ingested_at``, so an article is never shown for
        a period it did not arrive in."""
        first, last = self.db.execute("SELECT min(id), max(id) FROM articles").fetchone()
        if first is None:
            return 0
        low, high = int(first), int(last) + 1
        while low < high:
            middle = (low + high) // 2
            row = self.db.execute(
                "SELECT id, ingested_at FROM articles WHERE id >= ? ORDER BY id LIMIT 1", [middle]
            ).fetchone()
            if row is None or row[1] >= stamp:  # (None: deleted meanwhile by another process)
                high = middle
            else:
                low = int(row[0]) + 1
        return int(low)
