"""Stories for a whole benchmark store at once, in one pass in memory.

Ingest places each article in a story as it is saved
(:func:`briefing.insight.stories.place_article`); a store of 100,000 generated
articles built in bulk (:mod:`benchmarks.corpus`) needs the same grouping in
seconds, not the hour that placing them one by one takes. The same rules,
applied in date order; ``tests/test_stories.py`` checks the two agree.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from sqlite3 import Connection

from briefing.dates import utc_now
from briefing.insight.related import POSTINGS_PER_KEYWORD, rarity, strength
from briefing.insight.stories import (
    CANDIDATES_TRIED,
    THRESHOLD,
    WINDOW_DAYS,
    Vector,
    add_to,
    day_number,
    similarity,
    unit,
    within_span,
)


@dataclass
class _Forming:
    """A story being built by :func:`assign_all`."""

    members: list[tuple[str, int]]  # (date, article id)
    first: int  # day ordinals
    last: int
    centroid: Vector = field(default_factory=dict)


def assign_all(db: Connection) -> int:
    """Group every article of the store into stories afresh, in one pass; return how many.

    The rules of :func:`briefing.insight.stories.place_article`, applied in date order (as if the
    articles had been ingested oldest first) and in memory: each article's
    candidates are the articles already placed in the :data:`WINDOW_DAYS`
    before it (at most :data:`POSTINGS_PER_KEYWORD` per keyword, the nearest),
    all scored exactly. Only articles whose story changes are written. Call
    inside a transaction.
    """
    total = int(db.execute("SELECT coalesce(sum(n), 0) FROM days").fetchone()[0])
    units = {article_id: unit(vector) for article_id, vector in _all_vectors(db, total)}
    forming: dict[int, _Forming] = {}  # by the story's first article
    story_of: dict[int, int] = {}
    postings: dict[int, deque[tuple[int, int, float]]] = defaultdict(deque)
    dated = db.execute("SELECT id, date FROM articles WHERE date IS NOT NULL ORDER BY date, id")
    dates: dict[int, tuple[str, int]] = {}
    for article_id, date in dated:
        mine = units.get(article_id)
        day = day_number(date)
        if not mine or day is None:
            continue
        dates[article_id] = (date, day)
        cosines: dict[int, float] = defaultdict(float)
        for keyword_id, weight in mine.items():
            recent = postings[keyword_id]
            while recent and recent[0][0] < day - WINDOW_DAYS:
                recent.popleft()
            for index in range(max(0, len(recent) - POSTINGS_PER_KEYWORD), len(recent)):
                _, candidate, other = recent[index]
                cosines[candidate] += weight * other
            recent.append((day, article_id, weight))
        best = sorted(cosines, key=lambda c: (-cosines[c], c))[:CANDIDATES_TRIED]
        for candidate in best:
            if cosines[candidate] < THRESHOLD:
                break
            head = story_of.get(candidate)
            if head is None:
                other_date, other_day = dates[candidate]
                forming[candidate] = _Forming([(other_date, candidate)], other_day, other_day)
                add_to(forming[candidate].centroid, units[candidate])
                story_of[candidate] = head = candidate
            story = forming[head]
            if len(story.members) > 1 and not (
                within_span(story.first, story.last, day)
                and similarity(mine, story.centroid) >= THRESHOLD
            ):
                continue
            story.members.append((date, article_id))
            story.first, story.last = min(story.first, day), max(story.last, day)
            add_to(story.centroid, mine)
            story_of[article_id] = head
            break
    return _write_stories(db, [story.members for story in forming.values()])


def _all_vectors(db: Connection, total: int) -> Iterable[tuple[int, Vector]]:
    vectors: dict[int, Vector] = {}
    for article_id, keyword_id, score, count in db.execute(
        "SELECT ak.article_id, ak.keyword_id, ak.score, k.article_count "
        "FROM article_keywords ak JOIN keywords k ON k.id = ak.keyword_id"
    ):
        vectors.setdefault(article_id, {})[keyword_id] = rarity(total, count) * strength(score)
    return vectors.items()


def _write_stories(db: Connection, groups: list[list[tuple[str, int]]]) -> int:
    """Replace every story with these groups of (date, article id)."""
    db.execute("DELETE FROM stories")
    now = utc_now()
    story_of: dict[int, int] = {}
    for group in sorted(groups, key=min):
        newest_date, newest = max(group)
        cursor = db.execute(
            "INSERT INTO stories (size, newest_article_id, first_date, last_date, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [len(group), newest, min(group)[0], newest_date, now],
        )
        story_of.update((article_id, int(cursor.lastrowid or 0)) for _, article_id in group)
    current = db.execute("SELECT id, story_id FROM articles").fetchall()
    # Writing a row of articles also re-indexes its text (the full-text trigger fires
    # on any update), so only the rows whose story changed are written, in id order.
    changes = [
        (story_of.get(article_id), article_id)
        for article_id, story in current
        if story_of.get(article_id) != story
    ]
    db.executemany("UPDATE articles SET story_id = ? WHERE id = ?", changes)
    return len(groups)
