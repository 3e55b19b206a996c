"""Plain records passed between the store, the CLI and the reader.

Frozen dataclasses, so a worker thread can hand them to the UI without the UI
ever holding a database row or connection.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a list shows. Keywords combine with AND."""

    keywords: tuple[str, ...] = ()  # normalised keyword keys
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    unread_only: bool = False
    starred_only: bool = False


@dataclass(frozen=True)
class ArticleSummary:
    """One row of an article list."""

    id: int
    title: str
    date: str | None
    source: str | None
    word_count: int
    read: bool
    starred: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ArticleKeyword:
    """A keyword of one article, with its YAKE score and rank in that article."""

    key: str
    display: str
    score: float
    rank: int
    article_count: int


@dataclass(frozen=True)
class Article(ArticleSummary):
    """An article with everything the reader shows."""

    body: str = ""
    path: str = ""
    tags: tuple[str, ...] = ()
    keywords: tuple[ArticleKeyword, ...] = field(default=())


@dataclass(frozen=True)
class SearchHit:
    """A full-text match: the article and a snippet with the matched terms marked.

    The snippet marks matches with :data:`MATCH_START` and :data:`MATCH_END`,
    control characters that ingest strips from article text, so they cannot
    be forged by an article.
    """

    article: ArticleSummary
    snippet: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        plain = self.snippet.replace(MATCH_START, "").replace(MATCH_END, "")
        return {**self.article.to_dict(), "snippet": plain, "score": self.score}


@dataclass(frozen=True)
class KeywordCount:
    """A keyword with the number of articles (in the current selection) that have it."""

    key: str
    display: str
    article_count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


MATCH_START = "\x02"
MATCH_END = "\x03"
