"""Stories: articles about the same event, from several sources and days, grouped at ingest.

When an article is saved, the articles dated within :data:`WINDOW_DAYS` of it
that share a keyword with it are its candidates. Each is scored by the cosine
of the two articles' keyword vectors, each keyword weighted by its rarity and
its YAKE strength (see :mod:`briefing.related`), so the score is on a fixed
0-1 scale: 1 for the same keywords in the same order of importance, 0 for none
shared. The best candidates that reach :data:`THRESHOLD` are tried in turn: one
that stands alone starts a new story with the article; one in a story lets the
article join that story if the article is also close to the story as a whole
(the cosine with the sum of its members' unit vectors reaches the threshold)
and the story still spans at most :data:`MAX_STORY_DAYS` with it. Undated
articles have no place in time and never join a story.

Why the last two rules: joining on one close member alone lets a story drift,
each new article close to the last one but not to the first. On the first
benchmark corpus (100,000 generated articles, each a random mix of a few of 170
recurring names, much more alike than real news), pairs alone chained 78,052
articles into one story spanning three years; with both rules they formed 8,948
stories, 9 articles for the median one and 80 for the largest, each within a
week. On the topical corpus that replaced it (events of 1-14 days), 8,429
stories with a median of 3, about 97% of each story's articles from one event.
Real coverage of one event lasts days; a running story (a war, a two-week
summit) becomes one story per week.

A story is ``articles.story_id`` on its members plus a row in ``stories``
holding its size, newest article (by date, then id, like the article list) and
first and last dates, so the list can show a story collapsed without counting.
Those are recomputed from the members whenever one joins or leaves, and a
story left with one article dissolves (that article's ``story_id`` goes back to
NULL). An article saved again (its keywords or date may have changed) is
placed afresh, compared with its story's other members: it stays if it still
fits, and otherwise leaves for another story or none. The members that joined
through it stay.

The threshold, measured (``python -m benchmarks.stories_eval``). The sample
briefings (32, six topics, one article per event) plus the seed hold no two
articles on one event, so ``benchmarks/stories/`` adds four second-source
reports of sample events, each dated a day after its original. Over the 666
pairs of those 37 articles:

* same event, other source and day: 0.467 (OPEC cut), 0.455 (H5N1 in Dutch
  herds), 0.277 (COP31 opening), 0.182 (U.N. ceasefire vote, whose two reports
  share three of their ten keywords: YAKE tagged one "Security Council
  resolution" and "United Nations", the other "council", "security" and "U.N.");
* other pairs dated within 3 days of each other (60, the ones that could join):
  at most 0.191 (the E.U. carbon tax and Europe's winter gas stores, both about
  the European Commission), then 0.164, 0.123, all others below 0.071;
* same topic, weeks apart (follow-ups of one running story, which the window
  keeps apart): up to 0.300 (the Kessari ceasefire vote and the aid corridor
  seven weeks later), 0.259 (COP31 preparations and opening); same-topic pairs
  score 0.035 on average against 0.009 for pairs of different topics, and the
  best pair of different topics scores 0.246 (U.S. chip controls and the
  E.U.-China talks): topic alone does not make a story, the event does.

:data:`THRESHOLD` = 0.25 lies above every unrelated pair in the window (the
highest is 0.191, a margin of 30%) and below three of the four same-event
pairs; the fourth is lost to its keywords rather than to the threshold, since
no threshold catches it without letting in the 0.191 pair. The cosine does not
grow with the size of the store the way a raw sum of idf weights does (it is a
ratio of such sums), so the same threshold holds in a big store.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from briefing.dates import utc_now
from briefing.models import Story
from briefing.related import (
    POSTINGS_PER_KEYWORD,
    article_summaries,
    article_total,
    keyword_weights,
    rarity,
    strength,
)

THRESHOLD = 0.25
WINDOW_DAYS = 3
MAX_STORY_DAYS = 7  # from a story's first date to its last
# Candidates (by an upper bound of their score) whose keywords are read to score them.
CANDIDATES_SCORED = 32
# Candidates at or above the threshold tried in turn, best first.
CANDIDATES_TRIED = 5
# Keywords per story shown in the list.
STORY_KEYWORDS = 5

Vector = dict[int, float]  # keyword id -> weight


def similarity(one: Vector, other: Vector) -> float:
    """The cosine of two keyword vectors: 0 (nothing shared) to 1."""
    if len(other) < len(one):
        one, other = other, one
    dot = sum(weight * other[k] for k, weight in one.items() if k in other)
    return dot / (_norm(one) * _norm(other)) if dot else 0.0


def _norm(vector: Vector) -> float:
    return math.sqrt(sum(w * w for w in vector.values()))


def _unit(vector: Vector) -> Vector:
    norm = _norm(vector)
    return {k: w / norm for k, w in vector.items()} if norm else {}


def _add(total: Vector, vector: Vector) -> None:
    for k, w in vector.items():
        total[k] = total.get(k, 0.0) + w


def _within_span(first: int, last: int, day: int) -> bool:
    return max(last, day) - min(first, day) <= MAX_STORY_DAYS


# -- at ingest, one article at a time ------------------------------------------------------


def place_article(db: Database, article_id: int) -> int | None:
    """Put a just-saved (new or changed) article into a story, or none; return the story id.

    Call inside the transaction that saved the article, after its keywords.
    """
    row = db.execute("SELECT date, story_id FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return None
    date, old_story = row
    story = _choose_story(db, article_id, date)
    if story != old_story:
        db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story, article_id])
    if story is not None:
        _refresh(db, story)
    if old_story is not None and old_story != story:
        _refresh(db, old_story)
    return story


def forget_article(db: Database, article_id: int) -> None:
    """Take an article out of its story; call before deleting it."""
    row = db.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None or row[0] is None:
        return
    db.execute("UPDATE articles SET story_id = NULL WHERE id = ?", [article_id])
    _refresh(db, row[0])


def _choose_story(db: Database, article_id: int, date: str | None) -> int | None:
    """The story the article belongs in (created for it and its match if need be), or None."""
    day = _ordinal(date)
    if day is None:
        return None
    total = article_total(db)
    keywords = keyword_weights(db, article_id, total)
    mine = {k.keyword_id: k.weight for k in keywords}
    window = [dt.date.fromordinal(d).isoformat() for d in _window(day)]
    # For each candidate, the part of this article's vector that it shares. By
    # Cauchy-Schwarz the cosine is at most that part's length over the whole's, so a
    # candidate sharing only light keywords is dropped without reading its keywords.
    shared: dict[int, float] = defaultdict(float)
    for keyword in keywords:
        if keyword.article_count < 2:  # this article's alone: no candidates through it
            continue
        rows = db.execute(
            "SELECT article_id FROM article_keywords WHERE keyword_id = ? "
            "AND article_date BETWEEN ? AND ? LIMIT ?",
            [keyword.keyword_id, *window, POSTINGS_PER_KEYWORD],
        ).fetchall()
        for (candidate,) in rows:
            if candidate != article_id:
                shared[candidate] += keyword.weight * keyword.weight
    enough = (THRESHOLD * _norm(mine)) ** 2
    possible = [c for c, part in shared.items() if part >= enough]
    best = sorted(possible, key=lambda c: (-shared[c], c))[:CANDIDATES_SCORED]
    scores = sorted(
        (-similarity(mine, vector), candidate)
        for candidate, vector in _vectors(db, best, total).items()
    )
    for negative, candidate in scores[:CANDIDATES_TRIED]:
        if -negative < THRESHOLD:
            break
        story = _story_of(db, candidate)
        if story is None:
            return _new_story(db, candidate)
        if _fits(db, story, article_id, mine, day, total):
            return story
    return None


def _window(day: int) -> tuple[int, int]:
    return max(day - WINDOW_DAYS, 1), min(day + WINDOW_DAYS, dt.date.max.toordinal())


def _fits(db: Database, story: int, article_id: int, mine: Vector, day: int, total: int) -> bool:
    """Whether the article may join the story: the span stays short and the article is
    close to the story's members taken together (itself left out, if already in)."""
    members = db.execute(
        "SELECT id, date FROM articles WHERE story_id = ? AND id != ?", [story, article_id]
    ).fetchall()
    days = [d for d in (_ordinal(date) for _, date in members) if d is not None]
    if not days or not _within_span(min(days), max(days), day):
        return False
    centroid: Vector = {}
    for vector in _vectors(db, [member for member, _ in members], total).values():
        _add(centroid, _unit(vector))
    return similarity(mine, centroid) >= THRESHOLD


def _vectors(db: Database, article_ids: Sequence[int], total: int) -> dict[int, Vector]:
    if not article_ids:
        return {}
    rows = db.execute(
        "SELECT ak.article_id, ak.keyword_id, ak.score, k.article_count "
        "FROM article_keywords ak JOIN keywords k ON k.id = ak.keyword_id "
        f"WHERE ak.article_id IN ({', '.join('?' for _ in article_ids)})",
        list(article_ids),
    ).fetchall()
    vectors: dict[int, Vector] = {}
    for article_id, keyword_id, score, count in rows:
        vectors.setdefault(article_id, {})[keyword_id] = rarity(total, count) * strength(score)
    return vectors


def _story_of(db: Database, article_id: int) -> int | None:
    row = db.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _new_story(db: Database, first_member: int) -> int:
    cursor = db.execute("INSERT INTO stories (size, updated_at) VALUES (0, ?)", [utc_now()])
    story = int(cursor.lastrowid or 0)
    db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story, first_member])
    return story


def _refresh(db: Database, story: int) -> None:
    """Recompute a story's size and extent from its members; dissolve it below two."""
    size, first, last = db.execute(
        "SELECT count(*), min(date), max(date) FROM articles WHERE story_id = ?", [story]
    ).fetchone()
    if size < 2:
        db.execute("UPDATE articles SET story_id = NULL WHERE story_id = ?", [story])
        db.execute("DELETE FROM stories WHERE id = ?", [story])
        return
    newest = db.execute(
        "SELECT id FROM articles WHERE story_id = ? ORDER BY date DESC, id DESC LIMIT 1", [story]
    ).fetchone()[0]
    db.execute(
        "UPDATE stories SET size = ?, newest_article_id = ?, first_date = ?, last_date = ?, "
        "updated_at = ? WHERE id = ?",
        [size, newest, first, last, utc_now(), story],
    )


# -- the whole store at once --------------------------------------------------------------


@dataclass
class _Forming:
    """A story being built by :func:`assign_all`."""

    members: list[tuple[str, int]]  # (date, article id)
    first: int  # day ordinals
    last: int
    centroid: Vector = field(default_factory=dict)


def assign_all(db: Database) -> int:
    """Group every article of the store into stories afresh, in one pass; return how many.

    The rules of :func:`place_article`, applied in date order (as if the
    articles had been ingested oldest first) and in memory: each article's
    candidates are the articles already placed in the :data:`WINDOW_DAYS`
    before it (at most :data:`POSTINGS_PER_KEYWORD` per keyword, the nearest),
    all scored exactly. Only articles whose story changes are written. Call
    inside a transaction.
    """
    total = article_total(db)
    units = {article_id: _unit(vector) for article_id, vector in _all_vectors(db, total)}
    forming: dict[int, _Forming] = {}  # by the story's first article
    story_of: dict[int, int] = {}
    postings: dict[int, deque[tuple[int, int, float]]] = defaultdict(deque)
    dated = db.execute("SELECT id, date FROM articles WHERE date IS NOT NULL ORDER BY date, id")
    dates: dict[int, tuple[str, int]] = {}
    for article_id, date in dated:
        mine = units.get(article_id)
        day = _ordinal(date)
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
                _add(forming[candidate].centroid, units[candidate])
                story_of[candidate] = head = candidate
            story = forming[head]
            if len(story.members) > 1 and not (
                _within_span(story.first, story.last, day)
                and similarity(mine, story.centroid) >= THRESHOLD
            ):
                continue
            story.members.append((date, article_id))
            story.first, story.last = min(story.first, day), max(story.last, day)
            _add(story.centroid, mine)
            story_of[article_id] = head
            break
    return _write_stories(db, [story.members for story in forming.values()])


def _all_vectors(db: Database, total: int) -> Iterable[tuple[int, Vector]]:
    vectors: dict[int, Vector] = {}
    for article_id, keyword_id, score, count in db.execute(
        "SELECT ak.article_id, ak.keyword_id, ak.score, k.article_count "
        "FROM article_keywords ak JOIN keywords k ON k.id = ak.keyword_id"
    ):
        vectors.setdefault(article_id, {})[keyword_id] = rarity(total, count) * strength(score)
    return vectors.items()


def _write_stories(db: Database, groups: list[list[tuple[str, int]]]) -> int:
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
    db.conn.executemany("UPDATE articles SET story_id = ? WHERE id = ?", changes)
    return len(groups)


def _ordinal(date: str | None) -> int | None:
    if date is None:
        return None
    try:
        return dt.date.fromisoformat(date).toordinal()
    except ValueError:
        return None


# -- reading ------------------------------------------------------------------------------


def list_stories(db: Database, since: str | None = None, limit: int = 20) -> list[Story]:
    """Stories newest first (by their last date), those reaching ``since`` or later."""
    rows = db.execute(
        "SELECT id, size, first_date, last_date, newest_article_id FROM stories "
        "WHERE size > 1 AND (? IS NULL OR last_date >= ?) "
        "ORDER BY last_date DESC, id DESC LIMIT ?",
        [since, since, limit],
    ).fetchall()
    newest = article_summaries(db, [row[4] for row in rows])
    return [
        Story(
            id=story,
            size=size,
            first_date=first,
            last_date=last,
            newest=newest[newest_id],
            keywords=tuple(story_keywords(db, story)),
            article_ids=tuple(story_articles(db, story)),
        )
        for story, size, first, last, newest_id in rows
    ]


def story_articles(db: Database, story: int) -> list[int]:
    """The story's articles, newest first."""
    rows = db.execute(
        "SELECT id FROM articles WHERE story_id = ? ORDER BY date DESC, id DESC", [story]
    ).fetchall()
    return [row[0] for row in rows]


def story_keywords(db: Database, story: int, limit: int = STORY_KEYWORDS) -> list[str]:
    """Keywords that two or more of the story's articles share, most shared first
    (ties: the better average YAKE score)."""
    rows = db.execute(
        "SELECT k.display FROM articles a JOIN article_keywords ak ON ak.article_id = a.id "
        "JOIN keywords k ON k.id = ak.keyword_id WHERE a.story_id = ? "
        "GROUP BY ak.keyword_id HAVING count(*) > 1 "
        "ORDER BY count(*) DESC, avg(ak.score), k.key LIMIT ?",
        [story, limit],
    ).fetchall()
    return [row[0] for row in rows]
