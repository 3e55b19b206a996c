"""What an :class:`~briefing.models.ArticleFilter` selects, as SQL and as words, in one place.

Each part of a filter (a keyword, a date bound, unread, starred, a story) is
one :class:`Condition` holding both its SQL and the words a person reads, so
the status line, a saved view's description and the query can never drift
apart (datasette's filters do the same with ``where_clause``/``human_clause``).

The SQL is driven by the index that serves it best. With a keyword, the query
walks that keyword's links in the index ``(keyword_id, article_date DESC,
article_id DESC)``, which is already in newest-first order, so the first page
of 60,000 articles costs as much as the first page of 60. Further keywords are
checked per article by primary key. Without one, it walks ``articles`` by
``(date DESC, id DESC)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from sqlite3 import Connection
from typing import Any

from briefing.keys import lookup_keys
from briefing.models import ArticleFilter
from briefing.sanitize import clean_line
from briefing.store.summaries import FROM_ARTICLES


@dataclass(frozen=True)
class Condition:
    """One part of a filter: its SQL over an article ``a`` (state ``s``), empty when it
    needs none here, and its words, empty when a person need not be told."""

    sql: str
    params: list[Any] = field(default_factory=list)
    words: str = ""


def describe_filter(article_filter: ArticleFilter) -> list[str]:
    """The filter in words, one phrase per condition ("keyword opec", "since 2026-11-01")."""
    conditions = _conditions(article_filter, (), "a.date", collapsed_by=())
    return [c.words for c in conditions if c.words]


def select(db: Connection, article_filter: ArticleFilter | None = None) -> Selection:
    """The filter with its keywords resolved to ids (any spelling of a keyword works)."""
    article_filter = article_filter or ArticleFilter()
    found: list[tuple[int, int]] = []
    for key in article_filter.keywords:
        row = db.execute(
            "SELECT article_count, id FROM keywords WHERE key IN (?, ?) "
            "ORDER BY article_count DESC LIMIT 1",
            lookup_keys(key),
        ).fetchone()
        if row is None:
            return Selection(article_filter, impossible=True)
        found.append((int(row[0]), int(row[1])))
    # The rarest keyword drives the query; the others are checked per article.
    return Selection(article_filter, tuple(i for _, i in sorted(found)))


@dataclass(frozen=True)
class Selection:
    """A filter ready to run: its keywords as ids, rarest first."""

    article_filter: ArticleFilter
    keyword_ids: tuple[int, ...] = ()
    impossible: bool = False  # a keyword no article has: nothing is selected

    @property
    def everything(self) -> bool:
        return self.article_filter == ArticleFilter()

    @property
    def single_keyword(self) -> int | None:
        """The keyword id when the filter is exactly one keyword and nothing else."""
        only = ArticleFilter(keywords=self.article_filter.keywords)
        if len(self.keyword_ids) == 1 and self.article_filter == only:
            return self.keyword_ids[0]
        return None

    @property
    def date_column(self) -> str:
        return "ak0.article_date" if self.keyword_ids else "a.date"

    @property
    def id_column(self) -> str:
        return "ak0.article_id" if self.keyword_ids else "a.id"

    @property
    def newest_first(self) -> str:
        return f"{self.date_column} DESC, {self.id_column} DESC"

    def source(self) -> tuple[str, list[Any]]:
        """``FROM ... WHERE ...`` (the WHERE always present) and its parameters."""
        if not self.keyword_ids:
            where, params = self._where(self.keyword_ids, "a.date")
            return f"FROM {FROM_ARTICLES} WHERE {where}", params
        tables = (
            "article_keywords ak0 JOIN articles a ON a.id = ak0.article_id "
            "LEFT JOIN article_state s ON s.article_id = a.id"
        )
        where, params = self._where(self.keyword_ids[1:], self.date_column, first=1)
        return f"FROM {tables} WHERE ak0.keyword_id = ? AND {where}", [
            self.keyword_ids[0],
            *params,
        ]

    def predicate(self) -> tuple[str, list[Any]]:
        """The filter as a condition on one article row ``a`` (with its state ``s``),
        for checking candidates that come from elsewhere, such as search hits."""
        return self._where(self.keyword_ids, "a.date")

    def _where(
        self, keyword_ids: tuple[int, ...], date_column: str, first: int = 0
    ) -> tuple[str, list[Any]]:
        conditions = _conditions(
            self.article_filter, keyword_ids, date_column, first, collapsed_by=self.keyword_ids
        )
        if self.impossible:
            conditions.append(Condition("0"))
        return _joined(conditions)


def _joined(conditions: list[Condition]) -> tuple[str, list[Any]]:
    """The conditions' SQL joined with AND ("1" for none), and their parameters."""
    with_sql = [c for c in conditions if c.sql]
    return " AND ".join(c.sql for c in with_sql) or "1", [p for c in with_sql for p in c.params]


def _conditions(
    article_filter: ArticleFilter,
    keyword_ids: tuple[int, ...],
    date_column: str,
    first: int = 0,
    article: str = "a",
    state: str = "s",
    collapsed_by: tuple[int, ...] | None = None,
) -> list[Condition]:
    """Every condition of the filter on an article ``a`` and its state ``s`` (or the
    aliases given), numbering keyword joins from ``first``.

    Keywords are named in words from the filter, and checked in SQL by the ids
    given: the caller leaves out the one that drives the query. A story shows
    collapsed (``stories_collapsed``) when no newer member of it passes the same
    filter, checked with the ``collapsed_by`` keyword ids (None: not checked).
    """
    f = article_filter
    conditions = [Condition("", words=f"keyword {clean_line(k)}") for k in f.keywords]
    conditions += [
        Condition(
            f"EXISTS (SELECT 1 FROM article_keywords ak{number} "
            f"WHERE ak{number}.article_id = {article}.id AND ak{number}.keyword_id = ?)",
            [keyword_id],
        )
        for number, keyword_id in enumerate(keyword_ids, start=first)
    ]
    if f.since:
        conditions.append(Condition(f"{date_column} >= ?", [f.since], f"since {f.since}"))
    if f.until:
        conditions.append(Condition(f"{date_column} <= ?", [f.until], f"until {f.until}"))
    if f.unread_only:
        conditions.append(Condition(f"coalesce({state}.read, 0) = 0", [], "unread only"))
    if f.starred_only:
        conditions.append(Condition(f"coalesce({state}.starred, 0) = 1", [], "starred only"))
    if f.story is not None:
        conditions.append(Condition(f"{article}.story_id = ?", [f.story], "one story"))
    if f.stories_collapsed and collapsed_by is not None:
        newer, params = _joined(_conditions(f, collapsed_by, "b.date", 50, article="b", state="sb"))
        conditions.append(
            Condition(
                f"({article}.story_id IS NULL OR NOT EXISTS (SELECT 1 FROM articles b "
                "LEFT JOIN article_state sb ON sb.article_id = b.id "
                f"WHERE b.story_id = {article}.story_id AND (coalesce(b.date, ''), b.id) > "
                f"(coalesce({article}.date, ''), {article}.id) AND {newer}))",
                params,
                "stories collapsed",
            )
        )
    return conditions
