"""Articles with chosen dates, keywords and arrival times, for tests of trends and digests.

YAKE decides an ingested file's keywords; these tests need to decide them, so
articles are saved through the store's own ``save_article`` (the same write
ingest makes, triggers and all) with the keywords given.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from pathlib import Path

from briefing.ingest.files import save_article
from briefing.keys import keyword_key
from briefing.models import Keyword, ParsedArticle
from briefing.store import Store

_numbers = itertools.count(1)


def add_article(
    db: Path,
    date: str | None,
    keywords: Sequence[str],
    title: str | None = None,
    body: str | None = None,
    source: str | None = None,
    arrived: str | None = None,
) -> int:
    """Save one article and return its id; ``arrived`` overrides its ``ingested_at``."""
    number = next(_numbers)
    title = title or f"Article {number} about {', '.join(keywords) or 'nothing'}"
    body = body or f"{title}. It was written for a test, number {number}."
    parsed = ParsedArticle(
        title=title, body=body, date=date, source=source, format="markdown", paragraphs=[body]
    )
    ranked = [
        Keyword(keyword_key(phrase), phrase, 0.01 * rank, rank)
        for rank, phrase in enumerate(keywords, start=1)
    ]
    with Store.open(db) as store, store.transaction():
        article_id, _ = save_article(
            store,
            path=f"/test/{number:05d}.md",
            content_hash=hashlib.sha256(f"{number}{body}".encode()).hexdigest(),
            size=len(body),
            mtime_ns=0,
            parsed=parsed,
            keywords=ranked,
        )
        if arrived is not None:
            store.db.execute(
                "UPDATE articles SET ingested_at = ? WHERE id = ?", [arrived, article_id]
            )
    return article_id


def set_stories(db: Path, stories: dict[int, Sequence[int]]) -> None:
    """Replace every story with the ones given (story id -> its article ids)."""
    with Store.open(db) as store, store.transaction():
        store.db.execute("UPDATE articles SET story_id = NULL")
        store.db.execute("DELETE FROM stories")
        for story, members in stories.items():
            store.db.execute(
                "INSERT INTO stories (id, size, newest_article_id) VALUES (?, ?, ?)",
                [story, len(members), max(members)],
            )
            marks = ", ".join("?" for _ in members)
            store.db.execute(
                f"UPDATE articles SET story_id = ? WHERE id IN ({marks})", [story, *members]
            )
