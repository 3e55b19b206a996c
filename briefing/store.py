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
from briefing.selection import FROM_ARTICLES, Selection

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
_FROM_ARTICLES = FROM_ARTICLES


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

    def select(self, article_filter: ArticleFilter | None = None) -> Selection:
        """The filter with its keywords resolved to ids (any spelling of a keyword works)."""
        article_filter = article_filter or ArticleFilter()
        ids: list[int] = []
        for key in article_filter.keywords:
            row = self.db.execute(
                "SELECT id FROM keywords WHERE key IN (?, ?) ORDER BY article_count DESC LIMIT 1",
                _lookup_keys(key),
            ).fetchone()
            if row is None:
                return Selection(article_filter, impossible=True)
            ids.append(int(row[0]))
        return Selection(article_filter, tuple(ids))

    def article_count(self, article_filter: ArticleFilter | None = None) -> int:
        selection = self.select(article_filter)
        if selection.everything:
            return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])
        if selection.single_keyword is not None:
            row = self.db.execute(
                "SELECT article_count FROM keywords WHERE id = ?", [selection.single_keyword]
            ).fetchone()
            return int(row[0])
        source, params = selection.source()
        return int(self.db.execute(f"SELECT count(*) {source}", params).fetchone()[0])

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
            f"SELECT {_SUMMARY_COLUMNS} {source} "
            f"ORDER BY {selection.newest_first} LIMIT ? OFFSET ?"
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
        if selection.everything:
            rows = self.db.execute("SELECT day, n FROM days WHERE n > 0 ORDER BY day DESC")
        elif selection.single_keyword is not None:
            rows = self.db.execute(
                "SELECT day, n FROM keyword_days WHERE keyword_id = ? AND n > 0 "
                "ORDER BY day DESC",
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
        selection = self.select(article_filter)
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
        selection = self.select(article_filter)
        source, params = selection.source()
        # Rank inside the index first and join only the best few: bm25 runs once per
        # match, but the article rows are read for the hits shown, not for every match.
        within = (
            "" if selection.everything else f"AND rowid IN (SELECT {selection.id_column} {source})"
        )
        sql = (
            "WITH hits AS (SELECT rowid AS id, bm25(articles_fts, 4.0, 1.0) AS score "
            f"FROM articles_fts WHERE articles_fts MATCH ? {within} ORDER BY score LIMIT ?) "
            f"SELECT {_SUMMARY_COLUMNS}, hits.score FROM hits "
            "JOIN articles a ON a.id = hits.id LEFT JOIN article_state s ON s.article_id = a.id "
            "ORDER BY hits.score"
        )
        try:
            rows = self.db.execute(sql, [query, *params, limit]).fetchall()
            found = {row[0]: "" for row in rows}
            if snippets and rows:
                marks = ", ".join("?" for _ in rows)
                found.update(
                    self.db.execute(
                        f"SELECT rowid, snippet(articles_fts, -1, '{MATCH_START}', "
                        f"'{MATCH_END}', '…', 16) FROM articles_fts "
                        f"WHERE articles_fts MATCH ? AND rowid IN ({marks})",
                        [query, *found],
                    ).fetchall()
                )
        except sqlite3.OperationalError as error:
            raise _query_error(query, error) from error
        return [SearchHit(_summary(row), " ".join(found[row[0]].split()), row[7]) for row in rows]

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
