"""What ingest writes: articles from files and feed entries, keyed by where they came from.

An article is stored under its path (or ``feed:`` address) with a hash of its
bytes and the file's size and mtime, so the next ingest tells an unchanged
file at the cost of a ``stat``. Saved again, an article keeps its id, so its
read and starred marks survive.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from sqlite3 import Connection

from briefing.dates import utc_now
from briefing.models import FileRecord, Keyword, ParsedArticle
from briefing.scripts import mostly_cjk
from briefing.store.keywords import Keywords


class Files:
    """``store.files``: ingested files, and saving the article each one holds."""

    def __init__(self, db: Connection, keywords: Keywords) -> None:
        self.db = db
        self.keywords = keywords

    def records(self) -> dict[str, FileRecord]:
        """Every ingested file by path, loaded in one query for a fast unchanged check."""
        rows = self.db.execute(
            "SELECT path, id, content_hash, file_size, file_mtime_ns FROM articles"
        )
        return {row[0]: FileRecord(*row[1:]) for row in rows}

    def knows(self, path: str) -> bool:
        """Whether an article was stored from ``path``."""
        row = self.db.execute("SELECT 1 FROM articles WHERE path = ?", [path]).fetchone()
        return row is not None

    def path_for_hash(self, content_hash: str) -> str | None:
        row = self.db.execute(
            "SELECT path FROM articles WHERE content_hash = ? LIMIT 1", [content_hash]
        ).fetchone()
        return row[0] if row else None

    def touch(self, article_id: int, size: int, mtime_ns: int) -> None:
        """Remember a file's new mtime when its content did not change."""
        self.db.execute(
            "UPDATE articles SET file_size = ?, file_mtime_ns = ? WHERE id = ?",
            [size, mtime_ns, article_id],
        )

    def save(
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

        Returns ``(id, created)``. An updated article keeps its id, so its read
        and starred state survive. Call inside :meth:`Store.transaction`; the
        caller then places the article in a story, in the same transaction.
        """
        now = utc_now()
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
            # Indexed by trigrams too, for searches inside words (see schema m005).
            "cjk": int(mostly_cjk(f"{parsed.title}\n{parsed.body}")),
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
        self.keywords.link(article_id, parsed.date, keywords)
        return article_id, existing is None
