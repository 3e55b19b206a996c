"""Trends in the reader: rising and new keywords (t), and a filtered keyword's sparkline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from briefing.models import ArticleFilter
from briefing.store import Store
from briefing.tui.query import KeywordFilter, ListQuery
from briefing.tui.screens.trends import TrendsScreen
from briefing.tui.state_file import ReaderState, StateFile


async def test_trends_show_rising_and_new_keywords_and_filter_by_one(
    sample_db: Path,
    tmp_path: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
    add_strike_articles: Callable[..., set[int]],
) -> None:
    with Store.open(sample_db) as store:
        last_visit = store.articles.newest_id()
    StateFile(str(sample_db)).save(ReaderState(seen_up_to=last_visit))
    strike_ids = add_strike_articles(sample_db, tmp_path / "news")

    async with running(sample_db, size=(160, 48)) as (app, pilot):
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TrendsScreen)
        text = screen_text(app)
        assert "Rising in the last 7 days" in text
        rising = [k.display for k, _ in app.screen.rising]
        new = [k.display for k in app.screen.new or []]
        assert any("Lisbon" in d or "dockworkers" in d.lower() for d in rising), rising
        assert any("Lisbon" in d or "dockworkers" in d.lower() for d in new), new
        assert rising[0] in text and new[0] in text
        assert "4 vs 0" in text  # four articles in the last days, none before

        await pilot.press("enter")  # the first rising keyword becomes a filter
        await settle(pilot)
        assert not isinstance(app.screen, TrendsScreen)
        assert set(listed_ids(app)) == strike_ids
        text = screen_text(app)
        assert "4 articles, " in text  # the sidebar's sparkline of the filtered keyword
        assert "█" in text


@pytest.mark.slow
async def test_first_visit_says_so_and_the_next_visit_remembers(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db) as (app, pilot):
        await pilot.press("t")
        await settle(pilot)
        assert "This is your first visit" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
    saved = StateFile(str(sample_db)).load()
    with Store.open(sample_db) as store:
        assert saved.seen_up_to == store.articles.newest_id()
    async with running(sample_db) as (app, pilot):
        await pilot.press("t")
        await settle(pilot)
        assert "No new keywords since your last visit." in screen_text(app)


async def test_a_folded_sidebar_shows_the_trend_when_opened(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    with Store.open(sample_db) as store:
        key = store.keywords.top(1, ArticleFilter())[0]
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        assert not app.query_one("KeywordSidebar").display  # folded at 80 columns
        app.list_query = ListQuery(keywords=(KeywordFilter(key.key, key.display),))
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        assert f"{key.article_count} articles, " in screen_text(app)
