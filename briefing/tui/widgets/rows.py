"""Rows of the article list: date headings between articles, computed, never stored.

A list of 100,000 articles must not become 100,000 objects. The layout keeps
only the number of articles on each date, and maps a screen row to "heading
of group g" or "article number i" with a binary search, both ways. The same
dates can be laid out without headings (each row then carries its date), which
is what a narrow terminal shows: there most dates have one article, and a
heading above each would take half the screen.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cached_property


def local_today() -> dt.date:
    """Today's date, which the headings count from (a test fixes it for its screenshots)."""
    return dt.date.today()


@dataclass(frozen=True)
class Heading:
    label: str


def date_label(date: str | None, today: dt.date) -> str:
    """Today, Yesterday, a weekday and date this year, or a full date."""
    if date is None:
        return "Undated"
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return date
    if day == today:
        return "Today"
    if day == today - dt.timedelta(days=1):
        return "Yesterday"
    if day.year == today.year:
        return f"{day:%A} {day.day} {day:%B}"
    return f"{day.day} {day:%B %Y}"


class RowLayout:
    """Rows for ``groups`` of (date, count); without headings, rows are articles."""

    def __init__(
        self,
        groups: list[tuple[str | None, int]],
        headings: bool = True,
        today: dt.date | None = None,
    ) -> None:
        self.headings = headings
        self.ranked = False  # search results: no dates to lay out, never headings
        self.today = today or local_today()
        self.groups = groups
        self.dates = [date for date, _ in groups]
        self.first_article: list[int] = []  # article index of each group's first article
        self.heading_row: list[int] = []  # row of each group's heading
        articles = 0
        for group, (_, count) in enumerate(groups):
            self.first_article.append(articles)
            self.heading_row.append(articles + group)
            articles += count
        self.article_count = articles
        self.row_count = articles + (len(groups) if headings else 0)

    @classmethod
    def flat(cls, count: int) -> RowLayout:
        """One row per article, no headings (search results, ranked)."""
        layout = cls([(None, count)] if count else [], headings=False)
        layout.ranked = True
        return layout

    def with_headings(self, headings: bool) -> RowLayout:
        """The same articles with date headings or without (a ranked list has none)."""
        if headings == self.headings or self.ranked:
            return self
        return RowLayout(self.groups, headings=headings, today=self.today)

    @cached_property  # asked for every row drawn
    def short_dates(self) -> bool:
        """Can rows show "Nov 24" rather than 2026-11-24? Under headings, which give the
        year, or when every date is in this year; a ranked list may span any years."""
        if self.headings:
            return True
        if self.ranked:
            return False
        year = str(self.today.year)
        return all(date is None or date.startswith(year) for date in self.dates)

    def item(self, row: int) -> Heading | int:
        """What a row shows: a heading, or the index of an article."""
        if not self.headings:
            return row
        group = bisect.bisect_right(self.heading_row, row) - 1
        if self.heading_row[group] == row:
            return Heading(date_label(self.dates[group], self.today))
        return self.first_article[group] + row - self.heading_row[group] - 1

    def row_of(self, index: int) -> int:
        """The row of article number ``index``."""
        if not self.headings:
            return index
        group = bisect.bisect_right(self.first_article, index) - 1
        return index + group + 1

    def has_heading_above(self, index: int) -> bool:
        """Is article ``index`` the first under its heading (so the heading should show too)?"""
        if not self.headings:
            return False
        group = bisect.bisect_right(self.first_article, index) - 1
        return self.first_article[group] == index
