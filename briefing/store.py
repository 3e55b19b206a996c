"""The SQLite store: articles, keywords, full-text index and the reader's state.

One file, in WAL mode so that a reader and an ingest can share it, with a busy
timeout so that a writer waits instead of failing. Every query the CLI and the
reader need lives here, so neither ever writes SQL, and neither imports the
other.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from briefing.keywords import Keyword, keyword_key
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
from briefing.parse import ParsedArticle
from briefing.schema import known_migration_names, migrations

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The database cannot be used; the message says why."""


class QueryError(StoreError):
    """A full-text query SQLite could not parse; the message says what is wrong."""


@dataclass(frozen=True)
class FileRecord:
    """What the store knows of an ingested file, to tell whether it changed."""

    id: int
    content_hash: str
    size: int | None
    mtime_ns: int | None


_SUMMARY_COLUMNS = """
    a.id, a.title, a.date, a.source, a.word_count,
    coalesce(s.read, 0) AS read, coalesce(s.starred, 0) AS starred
"""
_FROM_ARTICLES = "articles a LEFT JOIN article_state s ON s.article_id = a.id"
_NEWEST_FIRST = "a.date DESC, a.id DESC"


class Store:
    """A briefing database. Open with :meth:`open`; one instance per thread."""

    def __init__(self, db: Database, path: Path | None) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating if needed) and bring the schema up to date."""
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path} is a directory, not a database file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # One connection may serve a worker thread (the reader runs every
            # query on one thread of its own); calls are never concurrent.
            db = Database(sqlite3.connect(path, check_same_thread=False))
            _configure(db)
            _migrate(db, path)
        except (sqlite3.DatabaseError, OSError) as error:
            raise StoreError(f"cannot open database {path}: {error}") from error
        return cls(db, path)

    @classmethod
    def memory(cls) -> Store:
        """A throwaway in-memory store, for tests and experiments."""
        db = Database(sqlite3.connect(":memory:", check_same_thread=False))
        _configure(db)
        migrations.apply(db)
        return cls(db, None)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all."""
        with self.db.atomic():
            yield

    # -- reading --------------------------------------------------------------------------

    def article_count(self, article_filter: ArticleFilter | None = None) -> int:
        where, params = _where(article_filter or ArticleFilter())
        sql = f"SELECT count(*) FROM {_FROM_ARTICLES} {where}"
        return int(self.db.execute(sql, params).fetchone()[0])

    def list_articles(
        self,
        article_filter: ArticleFilter | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[ArticleSummary]:
        """Articles newest first (undated last), narrowed by the filter."""
        where, params = _where(article_filter or ArticleFilter())
        sql = (
            f"SELECT {_SUMMARY_COLUMNS} FROM {_FROM_ARTICLES} {where} "
            f"ORDER BY {_NEWEST_FIRST} LIMIT ? OFFSET ?"
        )
        rows = self.db.execute(sql, [*params, limit, offset]).fetchall()
        return [_summary(row) for row in rows]

    def date_groups(
        self, article_filter: ArticleFilter | None = None
    ) -> list[tuple[str | None, int]]:
        """(date, number of articles) newest first, undated last: the list's headings."""
        where, params = _where(article_filter or ArticleFilter())
        rows = self.db.execute(
            f"SELECT a.date, count(*) FROM {_FROM_ARTICLES} {where} "
            "GROUP BY a.date ORDER BY a.date DESC",
            params,
        ).fetchall()
        return [(row[0], int(row[1])) for row in rows]

    def article_position(
        self, article_id: int, article_filter: ArticleFilter | None = None
    ) -> int | None:
        """Where an article stands in :meth:`list_articles` order, or None if filtered out."""
        row = self.db.execute("SELECT date FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return None
        where, params = _where(article_filter or ArticleFilter())
        if (
            self.db.execute(
                f"SELECT 1 FROM {_FROM_ARTICLES} {where} {'AND' if where else 'WHERE'} a.id = ?",
                [*params, article_id],
            ).fetchone()
            is None
        ):
            return None
        date = row[0]
        # Rows before it: newer dates, or the same date with a larger id; undated sort last.
        if date is None:
            before = "(a.date IS NOT NULL OR a.id > ?)"
            before_params: list[Any] = [article_id]
        else:
            before = "(a.date > ? OR (a.date = ? AND a.id > ?))"
            before_params = [date, date, article_id]
        sql = (
            f"SELECT count(*) FROM {_FROM_ARTICLES} {where} {'AND' if where else 'WHERE'} {before}"
        )
        return int(self.db.execute(sql, [*params, *before_params]).fetchone()[0])

    def summaries(self, article_ids: Sequence[int]) -> list[ArticleSummary]:
        """Summaries of the given articles, in the given order (missing ones left out)."""
        if not article_ids:
            return []
        marks = ", ".join("?" for _ in article_ids)
        rows = self.db.execute(
            f"SELECT {_SUMMARY_COLUMNS} FROM {_FROM_ARTICLES} WHERE a.id IN ({marks})",
            list(article_ids),
        ).fetchall()
        by_id = {row[0]: _summary(row) for row in rows}
        return [by_id[i] for i in article_ids if i in by_id]

    def article(self, article_id: int) -> Article | None:
        """One article with its body and keywords, or None."""
        row = self.db.execute(
            f"SELECT {_SUMMARY_COLUMNS}, a.body, a.path, a.tags "
            f"FROM {_FROM_ARTICLES} WHERE a.id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            return None
        summary = _summary(row)
        return Article(
            **summary.to_dict(),
            body=row[7],
            path=row[8],
            tags=tuple(json.loads(row[9] or "[]")),
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
        article_filter = article_filter or ArticleFilter()
        if article_filter == ArticleFilter():
            rows = self.db.execute(
                "SELECT key, display, article_count FROM keywords "
                "WHERE article_count > 0 ORDER BY article_count DESC, key LIMIT ?",
                [limit],
            ).fetchall()
        else:
            where, params = _where(article_filter)
            rows = self.db.execute(
                "SELECT k.key, k.display, count(*) AS n FROM article_keywords ak "
                "JOIN keywords k ON k.id = ak.keyword_id "
                f"WHERE ak.article_id IN (SELECT a.id FROM {_FROM_ARTICLES} {where}) "
                "GROUP BY ak.keyword_id ORDER BY n DESC, k.key LIMIT ?",
                [*params, limit],
            ).fetchall()
        return [KeywordCount(*row) for row in rows]

    def keyword(self, key_or_phrase: str) -> KeywordCount | None:
        """A keyword by its key or any spelling of it ("U.S.", "us", "US", "Sanctions")."""
        row = self.db.execute(
            "SELECT key, display, article_count FROM keywords WHERE key IN (?, ?) "
            "ORDER BY article_count DESC LIMIT 1",
            _lookup_keys(key_or_phrase),
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
        if not _is_utf8(query):
            raise QueryError("search query is not valid UTF-8 text")
        where, params = _where(article_filter or ArticleFilter())
        where = where.replace("WHERE", "AND", 1)
        snippet = (
            f"snippet(articles_fts, -1, '{MATCH_START}', '{MATCH_END}', '…', 16)"
            if snippets
            else "''"
        )
        sql = (
            f"SELECT {_SUMMARY_COLUMNS}, {snippet} AS snippet, "
            "bm25(articles_fts, 4.0, 1.0) AS score "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "LEFT JOIN article_state s ON s.article_id = a.id "
            f"WHERE articles_fts MATCH ? {where} ORDER BY score LIMIT ?"
        )
        try:
            rows = self.db.execute(sql, [query, *params, limit]).fetchall()
        except sqlite3.OperationalError as error:
            raise _query_error(query, error) from error
        return [SearchHit(_summary(row), " ".join(row[7].split()), row[8]) for row in rows]

    def stats(self) -> dict[str, Any]:
        """Counts and extents, for ``briefing stats``."""
        one = self.db.execute(
            "SELECT count(*), min(date), max(date), coalesce(sum(word_count), 0), "
            "count(*) - count(date) FROM articles"
        ).fetchone()
        state = self.db.execute(
            "SELECT coalesce(sum(read), 0), coalesce(sum(starred), 0) FROM article_state"
        ).fetchone()
        keyword_count = self.db.execute(
            "SELECT count(*) FROM keywords WHERE article_count > 0"
        ).fetchone()[0]
        return {
            "database": str(self.path) if self.path else ":memory:",
            "articles": one[0],
            "undated": one[4],
            "oldest": one[1],
            "newest": one[2],
            "words": one[3],
            "keywords": keyword_count,
            "read": state[0],
            "unread": one[0] - state[0],
            "starred": state[1],
            "size_bytes": self._size_on_disk(),
        }

    def _size_on_disk(self) -> int:
        """The database file with its write-ahead log, which holds recent writes."""
        if self.path is None:
            return 0
        files = (self.path, self.path.with_name(self.path.name + "-wal"))
        return sum(f.stat().st_size for f in files if f.exists())

    # -- the reader's state ---------------------------------------------------------------

    def set_read(self, article_id: int, read: bool = True) -> None:
        self._set_state(article_id, "read", read)

    def set_starred(self, article_id: int, starred: bool = True) -> None:
        self._set_state(article_id, "starred", starred)

    def _set_state(self, article_id: int, column: str, value: bool) -> None:
        now = _now() if value else None
        with self.db.atomic():
            self.db.execute(
                f"INSERT INTO article_state (article_id, {column}, {column}_at) VALUES (?, ?, ?) "
                f"ON CONFLICT(article_id) DO UPDATE SET {column} = excluded.{column}, "
                f"{column}_at = excluded.{column}_at",
                [article_id, int(value), now],
            )

    # -- writing, for ingest --------------------------------------------------------------

    def file_records(self) -> dict[str, FileRecord]:
        """Every ingested file by path, loaded in one query for a fast unchanged check."""
        rows = self.db.execute(
            "SELECT path, id, content_hash, file_size, file_mtime_ns FROM articles"
        )
        return {row[0]: FileRecord(*row[1:]) for row in rows}

    def path_for_hash(self, content_hash: str) -> str | None:
        row = self.db.execute(
            "SELECT path FROM articles WHERE content_hash = ? LIMIT 1", [content_hash]
        ).fetchone()
        return row[0] if row else None

    def touch_file(self, article_id: int, size: int, mtime_ns: int) -> None:
        """Remember a file's new mtime when its content did not change."""
        self.db.execute(
            "UPDATE articles SET file_size = ?, file_mtime_ns = ? WHERE id = ?",
            [size, mtime_ns, article_id],
        )

    def save_article(
        self,
        *,
        path: str,
        content_hash: str,
        size: int,
        mtime_ns: int,
        parsed: ParsedArticle,
        keywords: Sequence[Keyword],
    ) -> tuple[int, bool]:
        """Insert or update the article from ``path`` with its keywords.

        Returns ``(id, created)``. An updated article keeps its id, so its
        read and starred state survive. Call inside :meth:`transaction`.
        """
        now = _now()
        values = {
            "content_hash": content_hash,
            "file_size": size,
            "file_mtime_ns": mtime_ns,
            "title": parsed.title,
            "date": parsed.date,
            "source": parsed.source,
            "body": parsed.body,
            "tags": json.dumps(parsed.tags, ensure_ascii=False),
            "format": parsed.format,
            "word_count": parsed.word_count,
            "updated_at": now,
        }
        existing = self.db.execute("SELECT id FROM articles WHERE path = ?", [path]).fetchone()
        if existing:
            article_id = int(existing[0])
            assignments = ", ".join(f"{column} = ?" for column in values)
            self.db.execute(
                f"UPDATE articles SET {assignments} WHERE id = ?", [*values.values(), article_id]
            )
            self.db.execute("DELETE FROM article_keywords WHERE article_id = ?", [article_id])
        else:
            columns = ["path", "ingested_at", *values]
            cursor = self.db.execute(
                f"INSERT INTO articles ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                [path, now, *values.values()],
            )
            article_id = int(cursor.lastrowid or 0)
        self._link_keywords(article_id, parsed.date, keywords)
        return article_id, existing is None

    def _link_keywords(
        self, article_id: int, date: str | None, keywords: Iterable[Keyword]
    ) -> None:
        for keyword in keywords:
            self.db.execute(
                "INSERT INTO keywords (key, display, article_count) VALUES (?, ?, 0) "
                "ON CONFLICT(key) DO NOTHING",
                [keyword.key, keyword.display],
            )
            self.db.execute(
                "INSERT OR IGNORE INTO article_keywords "
                "(article_id, keyword_id, score, rank, article_date) "
                "SELECT ?, id, ?, ?, ? FROM keywords WHERE key = ?",
                [article_id, keyword.score, keyword.rank, date, keyword.key],
            )

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )


def _configure(db: Database) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if db.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")


def _migrate(db: Database, path: Path) -> None:
    applied = {m.name for m in migrations.applied(db)}
    unknown = applied - known_migration_names()
    if unknown:
        raise StoreError(
            f"{path} was written by a newer version of briefing "
            f"(schema steps {', '.join(sorted(unknown))}); upgrade briefing to open it"
        )
    migrations.apply(db)


def _where(article_filter: ArticleFilter) -> tuple[str, list[Any]]:
    """SQL conditions for a filter over ``articles a`` joined with ``article_state s``."""
    clauses: list[str] = []
    params: list[Any] = []
    for key in article_filter.keywords:
        clauses.append(
            "a.id IN (SELECT ak.article_id FROM article_keywords ak "
            "JOIN keywords k ON k.id = ak.keyword_id WHERE k.key IN (?, ?))"
        )
        params.extend(_lookup_keys(key))
    if article_filter.since:
        clauses.append("a.date >= ?")
        params.append(article_filter.since)
    if article_filter.until:
        clauses.append("a.date <= ?")
        params.append(article_filter.until)
    if article_filter.unread_only:
        clauses.append("coalesce(s.read, 0) = 0")
    if article_filter.starred_only:
        clauses.append("coalesce(s.starred, 0) = 1")
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _lookup_keys(text: str) -> list[str]:
    """Keys a person may mean by what they typed: as typed, and all lower case
    ("Sanctions" at the start of a query still finds "sanction")."""
    if not _is_utf8(text):
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
    hint = 'put words with punctuation in double quotes, e.g. "F-35"'
    return QueryError(f"bad search query {query!r}: {detail} ({hint})")


def _is_utf8(text: str) -> bool:
    """False for strings holding lone surrogates (undecodable bytes from argv)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
