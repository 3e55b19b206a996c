"""Every key counts, in every pane: bursts of keys, j/k everywhere, half pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from briefing.tui.screens.help import HelpScreen
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane
from briefing.tui.widgets.related_list import RelatedList


async def open_in_reader(
    app: Any, pilot: Pilot[None], settle: Callable[..., Awaitable[None]]
) -> ReaderPane:
    """Enter on the list: the article opens in the reader, which gets the keys."""
    await pilot.press("enter")
    for _ in range(50):
        await settle(pilot)
        reader = app.query_one(ReaderPane)
        if app.query_one(RelatedList).option_count and reader.max_scroll_y > 0:
            break
        await pilot.pause(0.1)
    assert app.focused is reader
    return reader


@pytest.mark.parametrize("key", ["j", "down"])
async def test_ten_keys_in_one_write_scroll_the_reader_ten_lines(
    sample_db: Path,
    key: str,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    burst: Callable[..., None],
) -> None:
    async with running(sample_db, size=(100, 30)) as (app, pilot):
        reader = await open_in_reader(app, pilot, settle)
        assert reader.max_scroll_y > 20 and reader.scroll_y == 0
        burst(app, [key] * 10)
        await settle(pilot)
        assert reader.scroll_y == 10
        burst(app, ["k"] * 4)
        await settle(pilot)
        assert reader.scroll_y == 6


async def test_pages_and_half_pages_in_one_write_all_count(
    sample_db: Path,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    burst: Callable[..., None],
) -> None:
    async with running(sample_db, size=(100, 24)) as (app, pilot):
        reader = await open_in_reader(app, pilot, settle)
        page = reader.scrollable_content_region.height
        assert reader.max_scroll_y >= 2 * page
        burst(app, ["space", "space"])
        await settle(pilot)
        assert reader.scroll_y == 2 * page
        burst(app, ["ctrl+u", "ctrl+u"])  # two half pages up
        await settle(pilot)
        assert reader.scroll_y == 2 * page - 2 * (page // 2)
        burst(app, ["ctrl+d"])
        await settle(pilot)
        assert reader.scroll_y == 2 * page - page // 2


async def test_a_burst_moves_the_list_cursor_once_per_key(
    sample_db: Path,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    burst: Callable[..., None],
) -> None:
    async with running(sample_db) as (app, pilot):
        article_list = app.query_one(ArticleList)
        burst(app, ["j"] * 10 + ["k"] * 3)
        await settle(pilot)
        assert article_list.cursor == 7


@pytest.mark.slow
async def test_j_and_k_move_in_related_briefings_and_the_sidebar(
    sample_db: Path,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    burst: Callable[..., None],
) -> None:
    async with running(sample_db, size=(160, 48)) as (app, pilot):
        await open_in_reader(app, pilot, settle)
        for selector in ("#related", "#article-keywords", "#top-keywords"):
            option_list = app.query_one(selector, OptionList)
            option_list.focus()
            option_list.highlighted = 0
            await settle(pilot)
            await pilot.press("j", "j")
            await settle(pilot)
            assert option_list.highlighted == 2, selector
            await pilot.press("k")
            await settle(pilot)
            assert option_list.highlighted == 1, selector
            burst(app, ["j"] * 3)
            await settle(pilot)
            assert option_list.highlighted == 4, selector


async def test_the_help_screen_scrolls_once_per_key_in_a_burst(
    sample_db: Path,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    burst: Callable[..., None],
) -> None:
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        burst(app, ["j"] * 5)
        await settle(pilot)
        assert app.screen.query_one("#help-box").scroll_y == 5
