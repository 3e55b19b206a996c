"""Keyword trends: a keyword's articles per day, the keywords on the rise, the new ones.

Everything is measured against the corpus's own calendar, not the wall clock:
"the last seven days" ends at the newest date any article has, so an archive
of old briefings has trends too. (An article dated in the future, a typo or a
hostile file, does not move that end: dates after tomorrow are passed over
while older ones exist.)

The per-day counts come from ``keyword_days``, kept by triggers (``m002`` in
:mod:`briefing.schema`), so a keyword's series is one short index range
whatever the size of the store. Functions take a sqlite-utils ``Database`` or
anything holding one as ``.db`` (a :class:`~briefing.store.Store`) and return
plain dataclasses from :mod:`briefing.models`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Protocol

from sqlite_utils import Database

from briefing.models import KeywordSeries, NewKeyword, RisingKeyword
from briefing.reading import lookup_keys

SPARK_BLOCKS = " ▁▂▃▄▅▆▇█"  # index 0 (a space) is a day with no article
SPARK_ASCII = " .:-=+*#@"  # the same levels for the Linux console's font, which lacks the blocks
MAX_SERIES_DAYS = 3660  # ten years: the longest series a caller can ask for


class HasDatabase(Protocol):
    """A :class:`~briefing.store.Store`, or anything else that holds a database as ``.db``."""

    db: Database


Source = Database | HasDatabase


def database_of(source: Source) -> Database:
    """The database itself, given a Database or a Store."""
    return source if isinstance(source, Database) else source.db


def keyword_id(source: Source, key_or_phrase: str) -> int | None:
    """The id of a keyword by any spelling of it ("U.S.", "us"), or None if no article has it."""
    row = (
        database_of(source)
        .execute(
            "SELECT id FROM keywords WHERE key IN (?, ?) ORDER BY article_count DESC LIMIT 1",
            lookup_keys(key_or_phrase),
        )
        .fetchone()
    )
    return int(row[0]) if row else None


def newest_article_id(source: Source) -> int:
    """The id of the last article ingested (0 for an empty store).

    Ids grow with ingest order, so this is what to remember as "seen up to here"
    and hand to :func:`new_keywords_since` next time.
    """
    row = database_of(source).execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
    return int(row[0])


def corpus_end(source: Source) -> dt.date | None:
    """The newest date of any article, not later than tomorrow while earlier dates exist."""
    db = database_of(source)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    for sql, params in (
        (
            "SELECT day FROM days WHERE n > 0 AND day != '' AND day <= ? ORDER BY day DESC",
            [tomorrow],
        ),
        ("SELECT day FROM days WHERE n > 0 AND day != '' ORDER BY day DESC", []),
    ):
        row = db.execute(sql + " LIMIT 1", params).fetchone()
        if row:
            return _parse_day(row[0])
    return None


def corpus_start(source: Source) -> dt.date | None:
    """The oldest date of any article."""
    row = (
        database_of(source)
        .execute("SELECT day FROM days WHERE n > 0 AND day != '' ORDER BY day LIMIT 1")
        .fetchone()
    )
    return _parse_day(row[0]) if row else None


def keyword_series(source: Source, keyword: int, days: int | None = 90) -> KeywordSeries | None:
    """Articles per day with keyword id ``keyword`` over the last ``days`` days of the corpus.

    ``days=None`` covers the corpus from its oldest date (at most
    :data:`MAX_SERIES_DAYS`). Days without an article count 0; undated articles
    are not counted. None when there is no such keyword; empty counts when no
    article has a date.
    """
    db = database_of(source)
    row = db.execute("SELECT key, display FROM keywords WHERE id = ?", [keyword]).fetchone()
    if row is None:
        return None
    key, display = row
    end = corpus_end(db)
    if end is None:
        return KeywordSeries(key, display, "", "", ())
    if days is None:
        first = corpus_start(db) or end
        days = (end - first).days + 1
    # Not before the year 1, which a (hostile) article dated 0001-01-01 would reach.
    days = max(1, min(days, MAX_SERIES_DAYS, (end - dt.date.min).days + 1))
    start = end - dt.timedelta(days=days - 1)
    counts = [0] * days
    rows = db.execute(
        "SELECT day, n FROM keyword_days WHERE keyword_id = ? AND day >= ? AND day <= ?",
        [keyword, start.isoformat(), end.isoformat()],
    )
    for day, n in rows:
        parsed = _parse_day(day)
        if parsed is not None and n > 0:
            counts[(parsed - start).days] += int(n)
    return KeywordSeries(key, display, start.isoformat(), end.isoformat(), tuple(counts))


def sparkline(counts: Sequence[int], width: int | None = None, ascii: bool = False) -> str:
    """The counts as one line of bars, the highest count a full block.

    A day with no article is a space and any other day at least the lowest bar,
    so one article stays visible next to a hundred. Wider than ``width``, the
    days are put in ``width`` consecutive buckets of (nearly) equal length and
    each bucket shows its mean. ``ascii`` uses :data:`SPARK_ASCII`, for the
    Linux console (``TERM=linux``), whose font has no block characters.
    """
    marks = SPARK_ASCII if ascii else SPARK_BLOCKS
    values = [float(c) for c in counts]
    if width is not None and width <= 0:
        return ""
    if width is not None and len(values) > width:
        size = len(values)
        bounds = [size * i // width for i in range(width + 1)]
        values = [
            sum(values[bounds[i] : bounds[i + 1]]) / (bounds[i + 1] - bounds[i])
            for i in range(width)
        ]
    top = max(values, default=0.0)
    if top <= 0:
        return marks[0] * len(values)
    steps = len(marks) - 1
    return "".join(
        marks[0] if v <= 0 else marks[max(1, min(steps, math.ceil(v / top * steps)))]
        for v in values
    )


def rising_keywords(
    source: Source,
    days: int = 7,
    limit: int = 20,
    *,
    baseline_days: int | None = None,
    min_count: int = 3,
    prior: float = 1.0,
) -> list[RisingKeyword]:
    """Keywords more frequent in the corpus's last ``days`` days than in the days before.

    The days before are the ``baseline_days`` (default four times ``days``, at
    least 28) preceding the recent ones. A keyword's score is the ratio of its
    recent count to the count its earlier daily rate predicts, each plus
    ``prior`` articles: a keyword seen once out of nowhere scores 2, one in 5
    recent articles after 1 in the four weeks before nearly 5, and a keyword
    as frequent as ever about 1. Keywords in fewer than ``min_count`` recent
    articles are left out, so a one-off name is never "rising". Best first;
    only scores above 1.
    """
    db = database_of(source)
    end = corpus_end(db)
    if end is None or days < 1:
        return []
    baseline_days = baseline_days if baseline_days is not None else max(28, 4 * days)
    try:
        split = end - dt.timedelta(days=days)  # recent: after split; before: split and earlier
        start = split - dt.timedelta(days=baseline_days)
    except OverflowError:  # a corpus ending in the first weeks of the year 1
        return []
    first = corpus_start(db) or end
    # Days of the earlier period the corpus covers: (start, split], from its first date on.
    covered = max(0, (split - first).days + 1) if first > start else (split - start).days
    # Walk the period's articles by date (idx_articles_newest), their keywords by
    # primary key: the cost follows the articles in the period, not the store.
    rows = db.execute(
        "SELECT ak.keyword_id, sum(a.date > :split), sum(a.date <= :split) "
        "FROM articles a "
        "JOIN article_keywords ak ON ak.article_id = a.id "
        "WHERE a.date > :start AND a.date <= :end GROUP BY ak.keyword_id",
        {"split": split.isoformat(), "start": start.isoformat(), "end": end.isoformat()},
    ).fetchall()
    scored: list[tuple[float, int, int, int]] = []
    for keyword, recent, before in rows:
        if recent < min_count:
            continue
        expected = before * days / covered if covered else 0.0
        score = (recent + prior) / (expected + prior)
        if score > 1.0:
            scored.append((score, int(recent), int(before), int(keyword)))
    scored.sort(key=lambda s: (-s[0], -s[1], s[3]))
    best = scored[:limit]
    if not best:
        return []
    names: dict[int, tuple[str, str]] = {
        row[0]: (row[1], row[2])
        for row in db.execute(
            f"SELECT id, key, display FROM keywords WHERE id IN ({', '.join('?' for _ in best)})",
            [s[3] for s in best],
        )
    }
    return [
        RisingKeyword(*names[keyword], recent, before, round(score, 3))
        for score, recent, before, keyword in best
    ]


def new_keywords_since(source: Source, after_article_id: int, limit: int = 50) -> list[NewKeyword]:
    """Keywords all of whose articles were ingested after article ``after_article_id``.

    Ids grow with ingest order, so this is "keywords that first appeared since
    the reader last looked" when the reader remembered :func:`newest_article_id`.
    Walks the links of the new articles by primary key, then checks each of
    their keywords for an older article through its own index, so the cost
    follows what is new, not the store. Most articles first. (An old article
    re-ingested with new text keeps its id, so its new keywords do not count.)
    """
    # "+keyword_id" keeps SQLite from grouping by walking the whole keyword index in
    # order: the new links are found by primary key (article_id > after) and sorted.
    rows = database_of(source).execute(
        "SELECT k.key, k.display, n.count, n.first_id FROM "
        "(SELECT keyword_id, count(*) AS count, min(article_id) AS first_id "
        " FROM article_keywords WHERE article_id > :after GROUP BY +keyword_id) n "
        "JOIN keywords k ON k.id = n.keyword_id "
        "WHERE NOT EXISTS (SELECT 1 FROM article_keywords old "
        " WHERE old.keyword_id = n.keyword_id AND old.article_id <= :after) "
        "ORDER BY n.count DESC, n.first_id, k.key LIMIT :limit",
        {"after": after_article_id, "limit": limit},
    )
    return [NewKeyword(*row) for row in rows.fetchall()]


def _parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
