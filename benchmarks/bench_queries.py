"""The reader's queries at scale, timed in-process: search, keyword filter, sidebar keywords.

Each figure is the median over several queries and repetitions of exactly the
store calls the reader makes: ``search`` (up to 500 ranked ids, no snippets),
``date_groups`` plus the first page of ``list_articles`` for a keyword filter,
and ``top_keywords`` of the current selection for the sidebar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.report import Figure, Report, median, ms
from briefing.insight import trends
from briefing.insight.related import related
from briefing.models import ArticleFilter
from briefing.store import Store

QUERIES = [
    "ceasefire",
    '"white house"',
    "inflation europe",
    "oil OR gas",
    "sanction*",
    "vaccine NOT covid",
    '"interest rates" bank',
    "semiconductor",
]


def timed(call: Callable[[], Any], repeat: int = 5) -> list[float]:
    call()  # warm the page cache: the reader runs on a warm database too
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def measure(db: Path) -> dict[str, float]:
    with Store.open(db) as store:
        top = store.keywords.top(60)
        # A frequent, a middling and a rare keyword, as a reader would pick them.
        picks = [top[0].key, top[len(top) // 2].key, top[-1].key]
        search = [
            t
            for q in QUERIES
            for t in timed(lambda q=q: store.articles.search(q, None, 500, False))
        ]
        first_screen = []
        sidebar = []
        for key in picks:
            article_filter = ArticleFilter(keywords=(key,))

            def keyword_first_screen(article_filter: ArticleFilter = article_filter) -> None:
                store.articles.date_groups(article_filter)
                store.articles.newest_first(article_filter, 100, 0)

            first_screen += timed(keyword_first_screen)
            sidebar += timed(lambda f=article_filter: store.keywords.top(25, f))
        sidebar += timed(lambda: store.keywords.top(25, ArticleFilter()))
        sidebar += timed(lambda: store.keywords.top(25, ArticleFilter(unread_only=True)))
    return {
        "search": median(search),
        "keyword_first_screen": median(first_screen),
        "sidebar": median(sidebar),
    }


def add_timings(
    report: Report,
    label: str,
    result: dict[str, float],
    *rows: tuple[str, str, float],
) -> None:
    """One figure per (name, key in ``result``, target in seconds): a median against its
    absolute target, which has no same-run baseline."""
    for name, key, target in rows:
        report.add(
            Figure(
                f"{name}, {label}",
                ms(result[key]),
                "",
                "",
                f"< {target * 1000:.0f} ms",
                result[key] < target,
            )
        )


def run(report: Report, db: Path, label: str, figures: dict[str, float] | None = None) -> None:
    add_timings(
        report,
        label,
        figures or measure(db),
        ("full-text search, median", "search", 0.030),
        ("keyword filter, first screen, median", "keyword_first_screen", 0.010),
        ("sidebar top keywords of the selection, median", "sidebar", 0.030),
    )
    run_trends(report, db, label)  # keyword trends, below
    run_related(report, db, label)  # related briefings and stories, below


# -- keyword trends: the reader's trends view and the sidebar's sparkline ---------------------

# "New since your last visit" in the benchmark: the last thousand articles ingested.
NEW_SINCE_ARTICLES = 1000


def measure_trends(db: Path) -> dict[str, float]:
    """The trend calls as the reader makes them: a frequent keyword's whole-corpus series
    drawn as a sparkline, the rising keywords of the last week, the new keywords."""
    with Store.open(db) as store:
        frequent = store.keywords.find_id(store.keywords.top(1)[0].key)
        assert frequent is not None
        after = store.articles.newest_id() - NEW_SINCE_ARTICLES

        def series_line() -> None:
            series = trends.keyword_series(store, frequent, None)
            assert series is not None
            trends.sparkline(series.counts, 30)

        return {
            "keyword_series": median(timed(series_line)),
            "rising_keywords": median(timed(lambda: trends.rising_keywords(store, 7, 20))),
            "new_keywords_since": median(
                timed(lambda: trends.new_keywords_since(store, after, 50))
            ),
        }


def run_trends(report: Report, db: Path, label: str) -> None:
    add_timings(
        report,
        label,
        measure_trends(db),
        ("keyword trend sparkline (frequent keyword, all days), median", "keyword_series", 0.030),
        ("rising keywords of the last 7 days, median", "rising_keywords", 0.030),
        (
            f"new keywords in the last {NEW_SINCE_ARTICLES} articles, median",
            "new_keywords_since",
            0.030,
        ),
    )


# -- related briefings and stories (briefing.insight) ----------------------------------------

# Articles whose related articles are timed, spread evenly over the store.
RELATED_SAMPLE = 60


def measure_related(db: Path) -> dict[str, float]:
    """``related`` (the five closest) for articles spread over the store, each timed warm,
    and the first page of ``briefing stories``."""
    with Store.open(db) as store:
        newest = store.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        sample = range(1, newest + 1, max(1, newest // RELATED_SAMPLE))
        times = [
            t
            for article_id in sample
            for t in timed(lambda a=article_id: related(store, a, 5), repeat=3)
        ]
        return {
            "related": median(times),
            "stories": median(timed(lambda: store.stories.newest_first(None, 20))),
        }


def run_related(report: Report, db: Path, label: str) -> None:
    add_timings(
        report,
        label,
        measure_related(db),
        (f"related articles (5 closest), median of {RELATED_SAMPLE}", "related", 0.030),
        ("stories, first 20 with their keywords, median", "stories", 0.030),
    )
