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
        top = store.top_keywords(60)
        # A frequent, a middling and a rare keyword, as a reader would pick them.
        picks = [top[0].key, top[len(top) // 2].key, top[-1].key]
        search = [t for q in QUERIES for t in timed(lambda q=q: store.search(q, None, 500, False))]
        first_screen = []
        sidebar = []
        for key in picks:
            article_filter = ArticleFilter(keywords=(key,))

            def keyword_first_screen(article_filter: ArticleFilter = article_filter) -> None:
                store.date_groups(article_filter)
                store.list_articles(article_filter, 100, 0)

            first_screen += timed(keyword_first_screen)
            sidebar += timed(lambda f=article_filter: store.top_keywords(25, f))
        sidebar += timed(lambda: store.top_keywords(25, ArticleFilter()))
        sidebar += timed(lambda: store.top_keywords(25, ArticleFilter(unread_only=True)))
    return {
        "search": median(search),
        "keyword_first_screen": median(first_screen),
        "sidebar": median(sidebar),
    }


def run(report: Report, db: Path, label: str, figures: dict[str, float] | None = None) -> None:
    result = figures or measure(db)
    for name, key, target in (
        ("full-text search, median", "search", 0.030),
        ("keyword filter, first screen, median", "keyword_first_screen", 0.010),
        ("sidebar top keywords of the selection, median", "sidebar", 0.030),
    ):
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
