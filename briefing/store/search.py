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
from briefing.scripts import has_cjk
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
    if has_cjk(query):
        return cjk_search(db, query, selection, limit, snippets)
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


# -- Chinese and Japanese: substrings, from the trigram index of mostly-CJK articles -----


def cjk_terms(query: str) -> list[str]:
    """The words of a query with CJK in it: each must occur in the article. FTS5's
    operators mean nothing inside CJK text, so quotes are dropped and AND ignored."""
    words = [w.strip('"') for w in query.split()]
    return [w for w in words if w and w not in {"AND", "OR", "NOT"}]


def cjk_search_sql(query: str, selection: Selection, limit: int) -> tuple[str, list[Any]]:
    """Every term of 3 characters or more is looked up in the trigram index (and ranked
    by bm25); a shorter one ("樓價", "日銀") is too short for a trigram and is matched
    with LIKE over the CJK articles alone, a small part of most stores."""
    terms = cjk_terms(query)
    if all(len(t) >= 3 for t in terms):
        where = "articles_cjk MATCH ?"
        params: list[Any] = [" ".join('"' + t.replace('"', '""') + '"' for t in terms)]
        score = "bm25(articles_cjk, 4.0, 1.0)"
    else:
        where = " AND ".join(
            "(articles_cjk.title LIKE ? ESCAPE '\\' OR articles_cjk.body LIKE ? ESCAPE '\\')"
            for _ in terms
        )
        params = [p for t in terms for p in (_like(t), _like(t))]
        score = "-rowid"
    condition, filter_params = selection.predicate()
    sql = (
        f"WITH hits AS MATERIALIZED (SELECT rowid AS id, {score} AS score FROM articles_cjk "
        f"WHERE {where}) "
        f"SELECT {SUMMARY_COLUMNS}, hits.score FROM hits JOIN articles a ON a.id = hits.id "
        f"LEFT JOIN article_state s ON s.article_id = a.id WHERE {condition} "
        "ORDER BY hits.score LIMIT ?"
    )
    return sql, [*params, *filter_params, limit]


def _like(term: str) -> str:
    return "%" + re.sub(r"([%_\\])", r"\\\1", term) + "%"


def cjk_search(
    db: Connection, query: str, selection: Selection, limit: int, snippets: bool
) -> list[SearchHit]:
    """Articles with every term of the query in them, found inside runs of CJK text too;
    then those the main index finds (an English article quoting a CJK word)."""
    terms = cjk_terms(query)
    if not terms:
        raise QueryError(f"bad search query {query!r}: no words to search for")
    sql, args = cjk_search_sql(query, selection, limit)
    rows = db.execute(sql, args).fetchall()
    if len(rows) < limit:
        seen = {row[0] for row in rows}
        try:
            more_sql, more_args = search_sql(query, selection, limit)
            rows += [r for r in db.execute(more_sql, more_args).fetchall() if r[0] not in seen]
        except sqlite3.OperationalError:
            pass  # not a query the main index can read: the CJK hits are the answer
        rows = rows[:limit]
    found = dict.fromkeys((row[0] for row in rows), "")
    if snippets and rows:
        found.update(_cjk_snippets(db, terms, list(found)))
    return [
        SearchHit(summary(row), " ".join(found[row[0]].split()), row[SUMMARY_WIDTH]) for row in rows
    ]


def _cjk_snippets(db: Connection, terms: list[str], article_ids: list[int]) -> dict[int, str]:
    """Some 40 characters around the first match of a term, the terms marked."""
    marks = ", ".join("?" for _ in article_ids)
    rows = db.execute(
        f"SELECT id, body FROM articles WHERE id IN ({marks}) AND length(body) <= ?",
        [*article_ids, SNIPPET_MAX_CHARS],
    ).fetchall()
    out: dict[int, str] = {}
    for article_id, body in rows:
        lowered = body.lower()
        at = min((i for t in terms if (i := lowered.find(t.lower())) >= 0), default=-1)
        if at < 0:
            continue
        start, end = max(0, at - 20), min(len(body), at + 40)
        text = body[start:end]
        for term in sorted(terms, key=len, reverse=True):
            text = re.sub(re.escape(term), lambda m: MATCH_START + m.group(0) + MATCH_END, text)
        out[article_id] = ("…" if start else "") + text + ("…" if end < len(body) else "")
    return out


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
