"""Plain records passed between the layers: ingest, insight, the store, the CLI and the reader.

Frozen dataclasses where they cross a thread, so a worker can hand them to the
UI without the UI ever holding a database row or connection. Nothing here
knows SQL, YAKE or a screen; every layer may import this module.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ParsedArticle:
    """An article as read from a file or a feed entry, before keywords and storage."""

    title: str
    body: str  # Markdown
    date: str | None  # ISO date, or None when undated
    source: str | None = None
    tags: list[str] = field(default_factory=list)
    format: str = "text"  # "reference", "markdown" or "text"
    warnings: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    word_count: int = -1  # counted from the paragraphs unless given

    def __post_init__(self) -> None:
        if self.word_count < 0:
            self.word_count = sum(len(p.split()) for p in self.paragraphs)

    def for_storage(self) -> ParsedArticle:
        """Without the plain-text copies keywords were made from: what the store needs,
        and half the bytes to send back from a worker process."""
        return dataclasses.replace(self, headings=[], paragraphs=[])


@dataclass(frozen=True)
class Keyword:
    """One keyword of one article, as extracted (see :mod:`briefing.insight.keywords`)."""

    key: str  # normalised, shared across articles (:func:`briefing.keys.keyword_key`)
    display: str  # as written in the article
    score: float  # YAKE's score: lower is more important
    rank: int  # 1 for the best keyword of the article


@dataclass(frozen=True)
class FileRecord:
    """What the store knows of an ingested file, to tell whether it changed."""

    id: int
    content_hash: str
    size: int | None
    mtime_ns: int | None


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a list shows. Keywords combine with AND."""

    keywords: tuple[str, ...] = ()  # normalised keyword keys
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    unread_only: bool = False
    starred_only: bool = False
    story: int | None = None  # only the articles of this story
    stories_collapsed: bool = False  # a story shows as its newest article alone


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
    story_size: int = 0  # articles in its story; 0 when it stands alone
    story_id: int | None = None

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


@dataclass(frozen=True)
class RelatedArticle:
    """An article close to another one, with the keywords they share, best first."""

    article: ArticleSummary
    score: float  # the sum of the shared keywords' weights; only the order means much
    shared_keywords: tuple[str, ...]  # display text

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.article.to_dict(),
            "score": self.score,
            "shared_keywords": list(self.shared_keywords),
        }


@dataclass(frozen=True)
class Story:
    """Articles about one event, grouped at ingest (see :mod:`briefing.insight.stories`)."""

    id: int
    size: int
    first_date: str | None
    last_date: str | None
    newest: ArticleSummary
    keywords: tuple[str, ...]  # display text of keywords its articles share, most shared first
    article_ids: tuple[int, ...]  # newest first

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "size": self.size,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "newest_article": self.newest.to_dict(),
            "keywords": list(self.keywords),
            "article_ids": list(self.article_ids),
        }


MATCH_START = "\x02"
MATCH_END = "\x03"


# -- keyword trends and the digest (briefing.insight) ----------------------------------------


@dataclass(frozen=True)
class KeywordSeries:
    """Articles per day for one keyword, one count per calendar day from ``start`` to ``end``."""

    key: str
    display: str
    start: str  # ISO date of counts[0]
    end: str  # ISO date of counts[-1]
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "counts": list(self.counts)}


@dataclass(frozen=True)
class RisingKeyword:
    """A keyword more frequent in the recent days than in the days before.

    ``score`` is the smoothed ratio of the recent daily rate to the earlier one:
    1.0 means as frequent as before, 3.0 three times as frequent.
    """

    key: str
    display: str
    recent: int  # articles in the recent days
    before: int  # articles in the days before
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class NewKeyword:
    """A keyword none of whose articles was ingested before a given point."""

    key: str
    display: str
    article_count: int
    first_article_id: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DigestArticle:
    """One briefing of a digest: cleaned one-line title and a plain-text excerpt."""

    id: int
    title: str
    date: str | None
    source: str | None
    ingested_at: str
    excerpt: str
    keywords: tuple[str, ...]  # display forms, best first


@dataclass(frozen=True)
class DigestGroup:
    """The articles of one story in a digest, or one standalone article (``story_id`` None)."""

    story_id: int | None
    title: str
    story_size: int  # articles of the story in the whole store (1 for a standalone article)
    keywords: tuple[KeywordCount, ...]  # counts among this group's articles
    articles: tuple[DigestArticle, ...]


@dataclass(frozen=True)
class Digest:
    """The briefings of a period, grouped by story, biggest group first."""

    since: str  # ISO date or date-time (UTC) the period starts at
    until: str  # the same, for when the digest was made
    by: str  # "ingested" (when articles arrived) or "date" (the articles' own dates)
    keyword_filter: tuple[str, ...]
    keywords: tuple[KeywordCount, ...]  # top keywords of the whole period
    groups: tuple[DigestGroup, ...]

    @property
    def article_count(self) -> int:
        return sum(len(group.articles) for group in self.groups)
