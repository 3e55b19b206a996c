"""Keyword trends: a keyword's articles per day, the keywords on the rise, the new ones.

Everything is measured against the corpus's own calendar, not the wall clock:
"the last seven days" ends at the newest date any article has, so an archive
of old briefings has trends too. (An article dated in the future, a typo or a
hostile file, does not move that end: dates after tomorrow are passed over
while older ones exist.)

The per-day counts come from the store's calendar (:mod:`briefing.store.calendar`),
kept by triggers, so a keyword's series is one short index range whatever the
size of the store. Functions take a :class:`~briefing.store.Store` and return
plain dataclasses from :mod:`briefing.models`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from briefing.models import KeywordSeries, NewKeyword, RisingKeyword
from briefing.store import Store

SPARK_BLOCKS = " ▁▂▃▄▅▆▇█"  # index 0 (a space) is a day with no article
SPARK_ASCII = " .:-=+*#@"  # the same levels for the Linux console's font, which lacks the blocks
MAX_SERIES_DAYS = 3660  # ten years: the longest series a caller can ask for


def corpus_end(store: Store) -> dt.date | None:
    """The newest date of any article, not later than tomorrow while earlier dates exist."""
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    day = store.calendar.last_day(not_after=tomorrow) or store.calendar.last_day()
    return _parse_day(day) if day else None


def corpus_start(store: Store) -> dt.date | None:
    """The oldest date of any article."""
    day = store.calendar.first_day()
    return _parse_day(day) if day else None


def keyword_series(store: Store, keyword: int, days: int | None = 90) -> KeywordSeries | None:
    """Articles per day with keyword id ``keyword`` over the last ``days`` days of the corpus.

    ``days=None`` covers the corpus from its oldest date (at most
    :data:`MAX_SERIES_DAYS`); the series never starts before that date, whatever
    ``days`` asks for. Days without an article count 0; undated articles are not
    counted. None when there is no such keyword; empty counts when no article has
    a date.
    """
    names = store.keywords.names([keyword])
    if keyword not in names:
        return None
    key, display = names[keyword]
    end = corpus_end(store)
    if end is None:
        return KeywordSeries(key, display, "", "", ())
    first = corpus_start(store) or end
    if days is None or (end - first).days + 1 < days:
        days = (end - first).days + 1
    # Not before the year 1, which a (hostile) article dated 0001-01-01 would reach.
    days = max(1, min(days, MAX_SERIES_DAYS, (end - dt.date.min).days + 1))
    start = end - dt.timedelta(days=days - 1)
    counts = [0] * days
    for day, n in store.calendar.keyword_days(keyword, start.isoformat(), end.isoformat()):
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
    store: Store,
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
    end = corpus_end(store)
    if end is None or days < 1:
        return []
    baseline_days = baseline_days if baseline_days is not None else max(28, 4 * days)
    try:
        split = end - dt.timedelta(days=days)  # recent: after split; before: split and earlier
        start = split - dt.timedelta(days=baseline_days)
    except OverflowError:  # a corpus ending in the first weeks of the year 1
        return []
    first = corpus_start(store) or end
    # Days of the earlier period the corpus covers: (start, split], from its first date on.
    covered = max(0, (split - first).days + 1) if first > start else (split - start).days
    rows = store.calendar.keyword_counts(start, split, end)
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
    names = store.keywords.names([s[3] for s in best])
    return [
        RisingKeyword(*names[keyword], recent, before, round(score, 3))
        for score, recent, before, keyword in best
    ]


def new_keywords_since(store: Store, after_article_id: int, limit: int = 50) -> list[NewKeyword]:
    """Keywords all of whose articles were ingested after article ``after_article_id``.

    Ids grow with ingest order, so this is "keywords that first appeared since
    the reader last looked" when the reader remembered the newest article id
    (``store.articles.newest_id()``). (An old article re-ingested with new text
    keeps its id, so its new keywords do not count.)
    """
    return store.calendar.new_keywords(after_article_id, limit)


def _parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
