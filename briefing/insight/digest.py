"""The digest: the briefings of a period, grouped by story, with their top keywords.

``briefing digest`` runs from cron or over SSH and writes the result as
Markdown, JSON or one HTML file (see :mod:`briefing.cli.digest_formats`); this
module only decides which articles belong and how they group, and cleans their
text, so every output format shows the same thing.

The period is by arrival (``articles.ingested_at``) unless asked to use the
articles' own dates (see :mod:`briefing.store.periods` for how the first
arrival of a period is found without reading every row).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from markdown_it import MarkdownIt

from briefing.dates import Since
from briefing.models import Digest, DigestArticle, DigestGroup, KeywordCount
from briefing.sanitize import clean_line
from briefing.store import Store
from briefing.store.periods import By, Links

EXCERPT_CHARS = 400
# Only the start of a body is parsed for its first paragraph: a 20 MB article costs no more.
EXCERPT_SOURCE_CHARS = 4000
EXCERPT_BLOCKS = 6
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
GROUP_KEYWORDS = 5
DIGEST_KEYWORDS = 10
ARTICLE_KEYWORDS = 5

_markdown = MarkdownIt("commonmark")
# Blocks only: the inline parse, the costly part, is run on the first paragraph alone.
_blocks = MarkdownIt("commonmark").disable("inline")


def collect_digest(
    store: Store,
    since: Since,
    by: By = "ingested",
    keywords: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> Digest:
    """The period's articles (all of ``keywords`` if given), grouped by story.

    Groups: each story's articles in the period, and each article outside a
    story on its own; the groups with most articles first, then the newest.
    """
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    if by == "ingested":
        period = (_stamp(since.instant), _stamp(now))
    else:
        period = (since.day.isoformat(), now.astimezone().date().isoformat())
    ids = [store.keywords.find_id(k) for k in keywords]
    wanted = tuple(clean_line(k) for k in keywords)
    empty = Digest(period[0], period[1], by, wanted, (), ())
    if any(i is None for i in ids):
        return empty
    found = [i for i in ids if i is not None]
    rows, links = store.periods.articles(by, period[0], found, EXCERPT_SOURCE_CHARS)
    if not rows:
        return empty
    articles = {
        row[0]: DigestArticle(
            id=row[0],
            title=clean_line(row[1]),
            date=row[2],
            source=clean_line(row[3]) if row[3] else None,
            ingested_at=row[4],
            excerpt=excerpt(row[5]),
            keywords=tuple(
                clean_line(display) for _, display, _ in links.get(row[0], [])[:ARTICLE_KEYWORDS]
            ),
        )
        for row in rows
    }
    # A story's members share a group; an article outside any story is a group alone.
    members: dict[tuple[str, int], list[int]] = defaultdict(list)
    for row in rows:  # newest first, so each group's first member is its newest
        members[("story", row[6]) if row[6] is not None else ("article", row[0])].append(row[0])
    sizes = store.stories.sizes([number for kind, number in members if kind == "story"])
    position = {article_id: index for index, article_id in enumerate(articles)}
    groups = [
        DigestGroup(
            story_id=number if kind == "story" else None,
            title=articles[group[0]].title,
            story_size=sizes.get(number, len(group)) if kind == "story" else 1,
            keywords=tuple(_top_keywords(links, group, GROUP_KEYWORDS)),
            articles=tuple(articles[article_id] for article_id in group),
        )
        for (kind, number), group in members.items()
    ]
    groups.sort(key=lambda g: (-len(g.articles), position[g.articles[0].id]))
    return Digest(
        since=period[0],
        until=period[1],
        by=by,
        keyword_filter=wanted,
        keywords=tuple(_top_keywords(links, list(articles), DIGEST_KEYWORDS)),
        groups=tuple(groups),
    )


def excerpt(body: str, limit: int = EXCERPT_CHARS) -> str:
    """The first paragraph of a Markdown body as plain one-line text, shortened.

    Emphasis, links and code keep their words; raw HTML and images are dropped.
    Longer than ``limit``, it ends at the last full sentence past half the
    limit, or else at a word, with an ellipsis.
    """
    # Block by block (split at blank lines), so a long body is not parsed past its start.
    for chunk in _BLANK_LINE.split(body, maxsplit=EXCERPT_BLOCKS)[:EXCERPT_BLOCKS]:
        text = _first_paragraph(chunk[:EXCERPT_SOURCE_CHARS])
        if text:
            return _shorten(text, limit)
    return _shorten(clean_line(body), limit)


def _first_paragraph(markdown: str) -> str:
    for opening, inline in itertools.pairwise(_blocks.parse(markdown)):
        if opening.type != "paragraph_open":
            continue
        words: list[str] = []
        for child in _markdown.parseInline(inline.content)[0].children or []:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        text = clean_line("".join(words))
        if text:
            return text
    return ""


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    sentence = max(head.rfind(". "), head.rfind("? "), head.rfind("! "), head.rfind('." '))
    if sentence >= limit // 2:
        return head[: sentence + (2 if head[sentence : sentence + 2] == '."' else 1)]
    cut = head.rsplit(" ", 1)[0] if " " in head else text[:limit]
    return cut.rstrip(" ,;:-") + "…"


def _stamp(moment: dt.datetime) -> str:
    """The form of ``articles.ingested_at``: UTC, to the second, so strings compare as times."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _top_keywords(links: Links, article_ids: Sequence[int], limit: int) -> list[KeywordCount]:
    """The keywords most of the articles have; ties go to the better ranked."""
    counts: Counter[str] = Counter()
    ranks: Counter[str] = Counter()
    displays: dict[str, str] = {}
    for article_id in article_ids:
        for key, display, rank in links.get(article_id, []):
            counts[key] += 1
            ranks[key] += rank
            displays[key] = clean_line(display)
    best = sorted(counts, key=lambda key: (-counts[key], ranks[key], key))[:limit]
    return [KeywordCount(key, displays[key], counts[key]) for key in best]
