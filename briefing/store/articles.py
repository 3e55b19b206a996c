"""The article lists, counts and pages the CLI and the reader show.

Every query is written for the index that serves it (see
:mod:`briefing.store.filters`), and the counts the reader asks for on every key
press come from tables kept by triggers (see ``m002`` in
:mod:`briefing.store.schema`) rather than from counting.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from sqlite3 import Connection
from typing import Any

from briefing.models import Article, ArticleFilter, ArticleSummary, SearchHit
from briefing.store import search as full_text
from briefing.store.errors import UnknownArticle
from briefing.store.filters import select
from briefing.store.keywords import article_keywords
from briefing.store.summaries import (
    FROM_ARTICLES,
    SUMMARY_COLUMNS,
    SUMMARY_WIDTH,
    summaries,
    summary,
)
from briefing.store.unread import read_days, unread_base


class Articles:
    """``store.articles``: lists, counts, one article, full-text search."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def newest_first(
        self, article_filter: ArticleFilter | None = None, limit: int = 50, offset: int = 0
    ) -> list[ArticleSummary]:
        """Articles newest first (undated last), narrowed by the filter."""
        selection = select(self.db, article_filter)
        source, params = selection.source()
        sql = (
            f"SELECT {SUMMARY_COLUMNS} {source} ORDER BY {selection.newest_first} LIMIT ? OFFSET ?"
        )
        rows = self.db.execute(sql, [*params, limit, offset]).fetchall()
        return [summary(row) for row in rows]

    def count(self, article_filter: ArticleFilter | None = None) -> int:
        selection = select(self.db, article_filter)
        if selection.everything:
            return self.total()
        if selection.single_keyword is not None:
            row = self.db.execute(
                "SELECT article_count FROM keywords WHERE id = ?", [selection.single_keyword]
            ).fetchone()
            return int(row[0])
        base = unread_base(self.db, selection)
        if base is not None:
            read = sum(n for _, n in read_days(self.db, base))
            return self.count(base.article_filter) - read
        source, params = selection.source()
        return int(self.db.execute(f"SELECT count(*) {source}", params).fetchone()[0])

    def total(self) -> int:
        """Articles in the store, from the per-day counts kept by triggers."""
        return int(self.db.execute("SELECT coalesce(sum(n), 0) FROM days").fetchone()[0])

    def newest_id(self) -> int:
        """The id of the last article ingested (0 for an empty store). Ids grow with
        ingest order, so this is what to remember as "seen up to here"."""
        row = self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
        return int(row[0])

    def date_groups(
        self, article_filter: ArticleFilter | None = None
    ) -> list[tuple[str | None, int]]:
        """(date, number of articles) newest first, undated last: the list's headings.

        With no filter, or one keyword alone, these come from counts kept by
        triggers; otherwise they are counted.
        """
        selection = select(self.db, article_filter)
        base = unread_base(self.db, selection)
        if base is not None:
            read = dict(read_days(self.db, base))
            whole = self.date_groups(base.article_filter)
            groups = [(day, n - read.get(day or "", 0)) for day, n in whole]
            return [(day, n) for day, n in groups if n > 0]
        if selection.everything:
            rows = self.db.execute("SELECT day, n FROM days WHERE n > 0 ORDER BY day DESC")
        elif selection.single_keyword is not None:
            rows = self.db.execute(
                "SELECT day, n FROM keyword_days WHERE keyword_id = ? AND n > 0 ORDER BY day DESC",
                [selection.single_keyword],
            )
        else:
            source, params = selection.source()
            column = selection.date_column
            rows = self.db.execute(
                f"SELECT coalesce({column}, ''), count(*) {source} "
                f"GROUP BY {column} ORDER BY {column} DESC",
                params,
            )
        return [(row[0] or None, int(row[1])) for row in rows.fetchall()]

    def position(self, article_id: int, article_filter: ArticleFilter | None = None) -> int | None:
        """Where an article stands in :meth:`newest_first` order, or None if filtered out."""
        row = self.db.execute("SELECT date FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return None
        selection = select(self.db, article_filter)
        source, params = selection.source()
        date_column, id_column = selection.date_column, selection.id_column
        member = f"SELECT 1 {source} AND {id_column} = ?"
        if self.db.execute(member, [*params, article_id]).fetchone() is None:
            return None
        date = row[0]
        # Rows before it: newer dates, or the same date with a larger id; undated sort last.
        if date is None:
            before = f"({date_column} IS NOT NULL OR {id_column} > ?)"
            before_params: list[Any] = [article_id]
        else:
            before = f"({date_column} > ? OR ({date_column} = ? AND {id_column} > ?))"
            before_params = [date, date, article_id]
        sql = f"SELECT count(*) {source} AND {before}"
        return int(self.db.execute(sql, [*params, *before_params]).fetchone()[0])

    def next_after(
        self, article_id: int, article_filter: ArticleFilter | None = None, *, older: bool = True
    ) -> ArticleSummary | None:
        """The article next to ``article_id`` in :meth:`newest_first` order (the next older
        one, or with ``older=False`` the next newer) among those the filter selects; the
        article itself need not be one of them. The reader's n and N: the next unread."""
        row = self.db.execute("SELECT date FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return None
        date = row[0]
        selection = select(self.db, article_filter)
        source, params = selection.source()
        date_column, id_column = selection.date_column, selection.id_column
        if older:
            order = selection.newest_first
            if date is None:  # undated sort last, by id
                beyond, beyond_params = f"({date_column} IS NULL AND {id_column} < ?)", [article_id]
            else:
                beyond = (
                    f"({date_column} < ? OR ({date_column} = ? AND {id_column} < ?)"
                    f" OR {date_column} IS NULL)"
                )
                beyond_params = [date, date, article_id]
        else:
            order = f"{date_column} IS NOT NULL, {date_column}, {id_column}"
            if date is None:
                beyond = f"({date_column} IS NOT NULL OR {id_column} > ?)"
                beyond_params = [article_id]
            else:
                beyond = f"({date_column} > ? OR ({date_column} = ? AND {id_column} > ?))"
                beyond_params = [date, date, article_id]
        sql = f"SELECT {SUMMARY_COLUMNS} {source} AND {beyond} ORDER BY {order} LIMIT 1"
        found = self.db.execute(sql, [*params, *beyond_params]).fetchone()
        return summary(found) if found is not None else None

    def get(self, article_id: int) -> Article | None:
        """One article with its body and keywords, or None."""
        row = self.db.execute(
            f"SELECT {SUMMARY_COLUMNS}, a.body, a.path, a.tags FROM {FROM_ARTICLES} WHERE a.id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            return None
        return Article(
            **summary(row).to_dict(),
            body=row[SUMMARY_WIDTH],
            path=row[SUMMARY_WIDTH + 1],
            tags=tuple(json.loads(row[SUMMARY_WIDTH + 2] or "[]")),
            keywords=tuple(article_keywords(self.db, article_id)),
        )

    def summaries(self, article_ids: Sequence[int]) -> dict[int, ArticleSummary]:
        """List rows of the given articles, by id (the same rows as :meth:`newest_first`'s)."""
        return summaries(self.db, article_ids)

    def date_of(self, article_id: int) -> str | None:
        """The article's date (None when undated); :class:`UnknownArticle` when there is none."""
        row = self.db.execute("SELECT date FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            raise UnknownArticle(article_id)
        return str(row[0]) if row[0] is not None else None

    def search(
        self,
        query: str,
        article_filter: ArticleFilter | None = None,
        limit: int = 20,
        snippets: bool = True,
    ) -> list[SearchHit]:
        """Full-text search, best match first (see :func:`briefing.store.search.search`)."""
        return full_text.search(self.db, query, select(self.db, article_filter), limit, snippets)
