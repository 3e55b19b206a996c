"""Trends: the keywords rising in the last days, and those new since the last visit.

The app computes both in a worker (see :mod:`briefing.insight.trends`) and hands them
over; choosing a keyword (Enter) returns its key, and the app filters by it.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from briefing.insight.trends import (
    keyword_series,
    new_keywords_since,
    rising_keywords,
    sparkline,
)
from briefing.models import NewKeyword, RisingKeyword
from briefing.sanitize import terminal_line
from briefing.store import Store
from briefing.tui.widgets.option_list import SafeOptionList

RISING_LIMIT = 15
SPARK_DAYS = 35  # the recent week and the four before it, one mark a day
SPARK_WIDTH = 14


def trends_report(
    store: Store, days: int, previous_visit: int | None, ascii: bool
) -> tuple[list[tuple[RisingKeyword, str]], list[NewKeyword] | None]:
    """What :class:`TrendsScreen` shows. Runs on the store thread."""
    rising = []
    for keyword in rising_keywords(store, days=days, limit=RISING_LIMIT):
        number = store.keywords.find_id(keyword.key)
        series = keyword_series(store, number, SPARK_DAYS) if number is not None else None
        spark = sparkline(series.counts, SPARK_WIDTH, ascii=ascii) if series else ""
        rising.append((keyword, spark.rjust(SPARK_WIDTH)))
    new = new_keywords_since(store, previous_visit) if previous_visit is not None else None
    return rising, new


def keyword_trend(store: Store, key: str, width: int, ascii: bool) -> Content | None:
    """A keyword's articles per day over the corpus, as a sparkline and its extent.
    Runs on the store thread."""
    number = store.keywords.find_id(key)
    series = keyword_series(store, number, None) if number is not None else None
    if series is None or not series.counts:
        return None
    spark = sparkline(series.counts, width, ascii=ascii)
    return Content.assemble(
        (spark, "bold"),
        (f"\n{series.total} articles, {series.start} - {series.end}", "dim"),
    )


class TrendsScreen(ModalScreen[str | None]):
    """Rising and new keywords; Enter filters the list by one, Escape closes."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="trends.close")]
    AUTO_FOCUS = "OptionList"  # not the scrolling box around the lists

    def __init__(
        self,
        days: int,
        rising: Sequence[tuple[RisingKeyword, str]],
        new: Sequence[NewKeyword] | None,
    ) -> None:
        """``rising`` pairs each keyword with its sparkline; ``new`` is None on a first visit."""
        super().__init__()
        self.days = days
        self.rising = rising
        self.new = new

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="trends-box", classes="modal-box"):
            yield Static(Content("Trends: Enter filters by a keyword").stylize("bold"))
            yield Label(
                f"Rising in the last {self.days} days (articles then vs before)",
                classes="sidebar-heading",
            )
            if self.rising:
                yield SafeOptionList(
                    *(
                        Option(
                            Content.assemble(
                                (f"{spark} ", "dim"),
                                terminal_line(k.display),
                                (f"  {k.recent} vs {k.before}", "dim"),
                            ),
                            id=f"k:{k.key}",
                        )
                        for k, spark in self.rising
                    ),
                    id="rising",
                )
            else:
                yield Static(Content("Nothing stands out in the last days.").stylize("dim"))
            yield Label("New since your last visit", classes="sidebar-heading")
            if self.new:
                yield SafeOptionList(
                    *(
                        Option(
                            Content.assemble(
                                terminal_line(k.display), (f"  {k.article_count}", "dim")
                            ),
                            id=f"k:{k.key}",
                        )
                        for k in self.new
                    ),
                    id="new",
                )
            else:
                message = (
                    "This is your first visit: next time, keywords new since now show here."
                    if self.new is None
                    else "No new keywords since your last visit."
                )
                yield Static(Content(message).stylize("dim"))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((event.option.id or "k:")[2:] or None)
