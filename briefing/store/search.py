"""Full-text search: the query checked, built apart from running it, and FTS5's errors in words.

:func:`search_sql` builds the statement (as sqlite-utils' ``search_sql()``
does beside ``search()``), so a benchmark or a test can look at the plan of the
exact query the reader runs.
"""

from __future__ import annotations

import re
import sqlite3
from sqlite3 import Connection
from typing import Any

from briefing.models import MATCH_END, MATCH_START, SearchHit
from briefing.sanitize import is_utf8
from briefing.store.errors import QueryError
from briefing.store.filters import Selection
from briefing.store.summaries import SUMMARY_COLUMNS, SUMMARY_WIDTH, summary

QUERY_MAX = 1000  # characters in a full-text query
SNIPPET_MAX_CHARS = 50_000  # articles longer than this are listed without a snippet


def check_query(query: str) -> None:
    """Raise :class:`QueryError` for a query that must not reach SQLite at all."""
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


def search_sql(query: str, selection: Selection, limit: int) -> tuple[str, list[Any]]:
    """The statement ranking the matches (bm25, title weighted above body) and its parameters."""
    if selection.everything:
        # Rank inside the index and join only the best few: bm25 runs once per
        # match, but article rows are read for the hits shown, not every match.
        sql = (
            "WITH hits AS (SELECT rowid AS id, bm25(articles_fts, 4.0, 1.0) AS score "
            "FROM articles_fts WHERE articles_fts MATCH ? ORDER BY score LIMIT ?) "
            f"SELECT {SUMMARY_COLUMNS}, hits.score FROM hits "
            "JOIN articles a ON a.id = hits.id "
            "LEFT JOIN article_state s ON s.article_id = a.id ORDER BY hits.score"
        )
        return sql, [query, limit]
    # Each match is checked against the filter by primary key, best first; a
    # filter as a subquery would be evaluated over the whole selection.
    condition, params = selection.predicate()
    sql = (
        "WITH hits AS MATERIALIZED (SELECT rowid AS id, "
        "bm25(articles_fts, 4.0, 1.0) AS score FROM articles_fts "
        "WHERE articles_fts MATCH ?) "
        f"SELECT {SUMMARY_COLUMNS}, hits.score FROM hits "
        "JOIN articles a ON a.id = hits.id "
        f"LEFT JOIN article_state s ON s.article_id = a.id WHERE {condition} "
        "ORDER BY hits.score LIMIT ?"
    )
    return sql, [query, *params, limit]


def search(
    db: Connection, query: str, selection: Selection, limit: int = 20, snippets: bool = True
) -> list[SearchHit]:
    """Full-text search, best match first.

    The query is FTS5 syntax ("white house" AND gaza, rafah OR gaza, gaza*);
    a query SQLite cannot parse raises :class:`QueryError`.
    """
    check_query(query)
    sql, args = search_sql(query, selection, limit)
    try:
        rows = db.execute(sql, args).fetchall()
        found = {row[0]: "" for row in rows}
        if snippets and rows:
            found.update(_snippets(db, query, list(found)))
    except sqlite3.OperationalError as error:
        raise _query_error(query, error) from error
    return [
        SearchHit(summary(row), " ".join(found[row[0]].split()), row[SUMMARY_WIDTH]) for row in rows
    ]


def _snippets(db: Connection, query: str, article_ids: list[int]) -> list[tuple[int, str]]:
    """The matched passage of each article, the matches between the two marker characters.

    FTS5's snippet() takes time with the square of the matches in a text:
    minutes on a 20 MB article. Very long articles get no snippet.
    """
    small = [
        r[0]
        for r in db.execute(
            f"SELECT id FROM articles WHERE id IN ({', '.join('?' for _ in article_ids)}) "
            "AND length(body) <= ?",
            [*article_ids, SNIPPET_MAX_CHARS],
        ).fetchall()
    ]
    marks = ", ".join("?" for _ in small)
    return db.execute(
        f"SELECT rowid, snippet(articles_fts, -1, '{MATCH_START}', "
        f"'{MATCH_END}', '…', 16) FROM articles_fts "
        f"WHERE articles_fts MATCH ? AND rowid IN ({marks})",
        [query, *small],
    ).fetchall()


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
