"""Reading the store: the article lists, counts, keywords and search the CLI and reader need.

Every query here is written for the index that serves it (see
:mod:`briefing.selection`), and the counts the reader asks for on every key
press come from tables kept by triggers (see ``m002`` in :mod:`briefing.schema`)
rather than from counting. :class:`Store` adds opening, writing and state.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from briefing.keywords import keyword_key
from briefing.models import (
    MATCH_END,
    MATCH_START,
    Article,
    ArticleFilter,
    ArticleKeyword,
    ArticleSummary,
    KeywordCount,
    SearchHit,
)
from briefing.sanitize import is_utf8
from briefing.selection import FROM_ARTICLES, Selection

_SUMMARY_COLUMNS = """
    a.id, a.title, a.date, a.source, a.word_count,
    coalesce(s.read, 0) AS read, coalesce(s.starred, 0) AS starred,
    coalesce((SELECT size FROM stories st WHERE st.id = a.story_id), 0) AS story_size,
    a.story_id
"""
_SUMMARY_WIDTH = 9  # columns of _SUMMARY_COLUMNS: what a query selects after them starts here
QUERY_MAX = 1000  # characters in a full-text query
SNIPPET_MAX_CHARS = 50_000  # articles longer than this are listed without a snippet


class StoreError(Exception):
    """The database cannot be used; the message says why."""


class QueryError(StoreError):
    """A full-text query SQLite could not parse; the message says what is wrong."""


class Reading:
    """The read side of :class:`briefing.store.Store`."""

    db: Database

    def select(self, article_filter: ArticleFilter | None = None) -> Selection:
        """The filter with its keywords resolved to ids (any spelling of a keyword works)."""
        article_filter = article_filter or ArticleFilter()
        found: list[tuple[int, int]] = []
        for key in article_filter.keywords:
            row = self.db.execute(
                "SELECT article_count, id FROM keywords WHERE key IN (?, ?) "
                "ORDER BY article_count DESC LIMIT 1",
                lookup_keys(key),
            ).fetchone()
            if row is None:
                return Selection(article_filter, impossible=True)
            found.append((int(row[0]), int(row[1])))
        # The rarest keyword drives the query; the others are checked per article.
        return Selection(article_filter, tuple(i for _, i in sorted(found)))

    def article_count(self, article_filter: ArticleFilter | None = None) -> int:
        selection = self.select(article_filter)
        if selection.everything:
            return int(self.db.execute("SELECT coalesce(sum(n), 0) FROM days").fetchone()[0])
        if selection.single_keyword is not None:
            row = self.db.execute(
                "SELECT article_count FROM keywords WHERE id = ?", [selection.single_keyword]
            ).fetchone()
            return int(row[0])
        base = self._unread_base(selection)
        if base is not None:
            read = sum(n for _, n in self._read_days(base))
            return self.article_count(base.article_filter) - read
        source, params = selection.source()
        return int(self.db.execute(f"SELECT count(*) {source}", params).fetchone()[0])

    # "Unread only" over everything or one keyword: the kept counts of the whole,
    # less those of the read articles, when fewer are read than unread.

    def _unread_base(self, selection: Selection) -> Selection | None:
        """The selection without "unread only", if subtracting the read part is cheaper."""
        article_filter = selection.article_filter
        base_filter = dataclasses.replace(article_filter, unread_only=False)
        if not article_filter.unread_only or selection.impossible:
            return None
        base = Selection(base_filter, selection.keyword_ids)
        if not (base.everything or base.single_keyword is not None):
            return None
        read = self.db.execute("SELECT count(*) FROM article_state WHERE read = 1").fetchone()[0]
        total = self.db.execute("SELECT coalesce(sum(n), 0) FROM days").fetchone()[0]
        return base if read * 2 <= total else None

    def _read_join(self, base: Selection) -> tuple[str, list[Any]]:
        """Tables holding the read articles of ``base``, found from the (few) read marks;
        the caller adds ``WHERE s.read = 1``."""
        if base.single_keyword is None:
            return "article_state s JOIN articles a ON a.id = s.article_id", []
        return (
            "article_state s JOIN article_keywords ak0 ON ak0.article_id = s.article_id "
            "AND ak0.keyword_id = ? JOIN articles a ON a.id = s.article_id",
            [base.single_keyword],
        )

    def _read_days(self, base: Selection) -> list[tuple[str, int]]:
        tables, params = self._read_join(base)
        rows = self.db.execute(
            f"SELECT coalesce(a.date, ''), count(*) FROM {tables} WHERE s.read = 1 GROUP BY 1",
            params,
        )
        return [(row[0], int(row[1])) for row in rows]

    def list_articles(
        self,
        article_filter: ArticleFilter | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[ArticleSummary]:
        """Articles newest first (undated last), narrowed by the filter."""
        selection = self.select(article_filter)
        source, params = selection.source()
        sql = (
            f"SELECT {_SUMMARY_COLUMNS} {source} ORDER BY {selection.newest_first} LIMIT ? OFFSET ?"
        )
        rows = self.db.execute(sql, [*params, limit, offset]).fetchall()
        return [_summary(row) for row in rows]

    def date_groups(
        self, article_filter: ArticleFilter | None = None
    ) -> list[tuple[str | None, int]]:
        """(date, number of articles) newest first, undated last: the list's headings.

        With no filter, or one keyword alone, these come from counts kept by
        triggers; otherwise they are counted.
        """
        selection = self.select(article_filter)
        base = self._unread_base(selection)
        if base is not None:
            read = dict(self._read_days(base))
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

    def article_position(
        self, article_id: int, article_filter: ArticleFilter | None = None
    ) -> int | None:
        """Where an article stands in :meth:`list_articles` order, or None if filtered out."""
        row = self.db.execute("SELECT date FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return None
        selection = self.select(article_filter)
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

    def article(self, article_id: int) -> Article | None:
        """One article with its body and keywords, or None."""
        row = self.db.execute(
            f"SELECT {_SUMMARY_COLUMNS}, a.body, a.path, a.tags "
            f"FROM {FROM_ARTICLES} WHERE a.id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            return None
        summary = _summary(row)
        return Article(
            **summary.to_dict(),
            body=row[_SUMMARY_WIDTH],
            path=row[_SUMMARY_WIDTH + 1],
            tags=tuple(json.loads(row[_SUMMARY_WIDTH + 2] or "[]")),
            keywords=tuple(self.article_keywords(article_id)),
        )

    def article_keywords(self, article_id: int) -> list[ArticleKeyword]:
        rows = self.db.execute(
            "SELECT k.key, k.display, ak.score, ak.rank, k.article_count "
            "FROM article_keywords ak JOIN keywords k ON k.id = ak.keyword_id "
            "WHERE ak.article_id = ? ORDER BY ak.rank",
            [article_id],
        ).fetchall()
        return [ArticleKeyword(*row) for row in rows]

    def top_keywords(
        self, limit: int = 20, article_filter: ArticleFilter | None = None
    ) -> list[KeywordCount]:
        """Keywords with the most articles, in the whole store or in a selection."""
        selection = self.select(article_filter)
        base = self._unread_base(selection)
        if base is not None:
            return self._top_keywords_unread(base, limit)
        if selection.everything:
            rows = self.db.execute(
                "SELECT key, display, article_count FROM keywords "
                "WHERE article_count > 0 ORDER BY article_count DESC, key LIMIT ?",
                [limit],
            ).fetchall()
        elif selection.single_keyword is not None:
            # Kept by triggers: how many of this keyword's articles have each other one.
            keyword_id = selection.single_keyword
            rows = self.db.execute(
                "SELECT * FROM (SELECT key, display, article_count FROM keywords WHERE id = ? "
                "UNION ALL SELECT * FROM (SELECT k.key, k.display, p.n FROM keyword_pairs p "
                "JOIN keywords k ON k.id = p.other_id WHERE p.keyword_id = ? AND p.n > 0 "
                "ORDER BY p.n DESC, k.key LIMIT ?)) ORDER BY 3 DESC, 1 LIMIT ?",
                [keyword_id, keyword_id, limit, limit],
            ).fetchall()
        else:
            source, params = selection.source()
            rows = self.db.execute(
                "SELECT k.key, k.display, count(*) AS n FROM article_keywords ak "
                "JOIN keywords k ON k.id = ak.keyword_id "
                f"WHERE ak.article_id IN (SELECT {selection.id_column} {source}) "
                "GROUP BY ak.keyword_id ORDER BY n DESC, k.key LIMIT ?",
                [*params, limit],
            ).fetchall()
        return [KeywordCount(*row) for row in rows]

    def _top_keywords_unread(self, base: Selection, limit: int) -> list[KeywordCount]:
        """Top keywords of the unread part of ``base``: its kept counts less the read ones.

        Walks the base's keywords from the most articles down and stops once no
        keyword further down can beat the current tenth (or limit-th) best.
        """
        tables, params = self._read_join(base)
        read = dict(
            self.db.execute(
                f"SELECT ak.keyword_id, count(*) FROM {tables} "
                "JOIN article_keywords ak ON ak.article_id = s.article_id "
                "WHERE s.read = 1 GROUP BY 1",
                params,
            ).fetchall()
        )
        if base.single_keyword is None:
            rows = self.db.execute(
                "SELECT id, key, display, article_count FROM keywords WHERE article_count > 0 "
                "ORDER BY article_count DESC, key"
            )
        else:
            rows = self.db.execute(
                "SELECT * FROM (SELECT id, key, display, article_count FROM keywords WHERE id = ? "
                "UNION ALL SELECT k.id, k.key, k.display, p.n FROM keyword_pairs p "
                "JOIN keywords k ON k.id = p.other_id WHERE p.keyword_id = ? AND p.n > 0) "
                "ORDER BY 4 DESC, 2",
                [base.single_keyword, base.single_keyword],
            )
        best: list[KeywordCount] = []
        for keyword_id, key, display, count in rows:
            if len(best) >= limit and count < best[-1].article_count:
                break
            unread = count - read.get(keyword_id, 0)
            if unread > 0:
                best.append(KeywordCount(key, display, unread))
                best.sort(key=lambda k: (-k.article_count, k.key))
                del best[limit:]
        return best

    def top_keywords_among(self, article_ids: Sequence[int], limit: int = 20) -> list[KeywordCount]:
        """Top keywords of a given set of articles (search results), with their counts there."""
        if not article_ids:
            return []
        marks = ", ".join("?" for _ in article_ids)
        rows = self.db.execute(
            "SELECT k.key, k.display, count(*) AS n FROM article_keywords ak "
            f"JOIN keywords k ON k.id = ak.keyword_id WHERE ak.article_id IN ({marks}) "
            "GROUP BY ak.keyword_id ORDER BY n DESC, k.key LIMIT ?",
            [*article_ids, limit],
        ).fetchall()
        return [KeywordCount(*row) for row in rows]

    def keyword(self, key_or_phrase: str) -> KeywordCount | None:
        """A keyword by its key or any spelling of it ("U.S.", "us", "US", "Sanctions")."""
        row = self.db.execute(
            "SELECT key, display, article_count FROM keywords WHERE key IN (?, ?) "
            "ORDER BY article_count DESC LIMIT 1",
            lookup_keys(key_or_phrase),
        ).fetchone()
        return KeywordCount(*row) if row else None

    def search(
        self,
        query: str,
        article_filter: ArticleFilter | None = None,
        limit: int = 20,
        snippets: bool = True,
    ) -> list[SearchHit]:
        """Full-text search, best match first (bm25, title weighted above body).

        The query is FTS5 syntax ("white house" AND gaza, rafah OR gaza, gaza*);
        a query SQLite cannot parse raises :class:`QueryError`.
        """
        if not query.strip():
            raise QueryError("empty search query")
        if "\x00" in query:
            raise QueryError("search query contains a NUL character")
        if not is_utf8(query):
            raise QueryError("search query is not valid UTF-8 text")
        if len(query) > QUERY_MAX:
            # FTS5's time grows with the square of the number of terms: 20,000 words
            # would hold the database for minutes.
            raise QueryError(f"search query too long ({len(query)} characters, limit {QUERY_MAX})")
        selection = self.select(article_filter)
        if selection.everything:
            # Rank inside the index and join only the best few: bm25 runs once per
            # match, but article rows are read for the hits shown, not every match.
            sql = (
                "WITH hits AS (SELECT rowid AS id, bm25(articles_fts, 4.0, 1.0) AS score "
                "FROM articles_fts WHERE articles_fts MATCH ? ORDER BY score LIMIT ?) "
                f"SELECT {_SUMMARY_COLUMNS}, hits.score FROM hits "
                "JOIN articles a ON a.id = hits.id "
                "LEFT JOIN article_state s ON s.article_id = a.id ORDER BY hits.score"
            )
            args: list[Any] = [query, limit]
        else:
            # Each match is checked against the filter by primary key, best first; a
            # filter as a subquery would be evaluated over the whole selection.
            condition, params = selection.predicate()
            sql = (
                "WITH hits AS MATERIALIZED (SELECT rowid AS id, "
                "bm25(articles_fts, 4.0, 1.0) AS score FROM articles_fts "
                "WHERE articles_fts MATCH ?) "
                f"SELECT {_SUMMARY_COLUMNS}, hits.score FROM hits "
                "JOIN articles a ON a.id = hits.id "
                f"LEFT JOIN article_state s ON s.article_id = a.id WHERE {condition} "
                "ORDER BY hits.score LIMIT ?"
            )
            args = [query, *params, limit]
        try:
            rows = self.db.execute(sql, args).fetchall()
            found = {row[0]: "" for row in rows}
            if snippets and rows:
                # FTS5's snippet() takes time with the square of the matches in a text:
                # minutes on a 20 MB article. Very long articles get no snippet.
                small = [
                    r[0]
                    for r in self.db.execute(
                        f"SELECT id FROM articles WHERE id IN ({', '.join('?' for _ in rows)}) "
                        "AND length(body) <= ?",
                        [*found, SNIPPET_MAX_CHARS],
                    ).fetchall()
                ]
                marks = ", ".join("?" for _ in small)
                found.update(
                    self.db.execute(
                        f"SELECT rowid, snippet(articles_fts, -1, '{MATCH_START}', "
                        f"'{MATCH_END}', '…', 16) FROM articles_fts "
                        f"WHERE articles_fts MATCH ? AND rowid IN ({marks})",
                        [query, *small],
                    ).fetchall()
                )
        except sqlite3.OperationalError as error:
            raise _query_error(query, error) from error
        return [
            SearchHit(_summary(row), " ".join(found[row[0]].split()), row[_SUMMARY_WIDTH])
            for row in rows
        ]


def lookup_keys(text: str) -> list[str]:
    """Keys a person may mean by what they typed: as typed, and all lower case
    ("Sanctions" at the start of a query still finds "sanction")."""
    if not is_utf8(text):
        text = text.encode("utf-8", "replace").decode("utf-8")
    return [keyword_key(text), keyword_key(text.lower())]


def _summary(row: Sequence[Any]) -> ArticleSummary:
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


def _query_error(query: str, error: sqlite3.OperationalError) -> Exception:
    """What FTS5 says about a query it cannot run, as a message for a person.

    Any error from the MATCH is the query's fault (FTS5 has many: "syntax
    error near", "no such column", "expected integer" in NEAR), except the
    database being busy or broken, which is passed on as it is.
    """
    message = str(error)
    if re.search(r"locked|busy|disk|corrupt|readonly|no such table", message):
        return error
    detail = message.removeprefix("fts5: ")
    # FTS5 names the token it choked on; at the end of the query that token is "".
    detail = detail.replace('syntax error near ""', "the query ends too soon")
    if detail.startswith("unknown special query"):  # a leading '*'
        detail = "'*' must follow a word (prefix*)"
    hint = 'put words with punctuation in double quotes, e.g. "F-35"'
    return QueryError(f"bad search query {query!r}: {detail} ({hint})")
