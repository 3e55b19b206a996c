"""preview = "open": the list moves alone and the reader shows what Enter opens (as newsboat)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from briefing.config import Config
from briefing.store import Store
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane


@pytest.mark.slow
async def test_the_reader_shows_only_the_article_opened_with_enter(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    assert Config().preview == "open"  # the default: cheap keys over SSH
    async with running(sample_db, config=Config(mark_read="select")) as (app, pilot):
        article_list = app.query_one(ArticleList)
        first = article_list.current
        assert first is not None  # at start the reader shows the row under the cursor
        assert app.article is not None and app.article.id == first.id
        assert first.title[:30] in screen_text(app)

        await pilot.press("j", "j")
        await pilot.pause(1.3)  # longer than "select" waits before marking read
        await settle(pilot)
        second = article_list.current
        assert second is not None and second.id != first.id
        assert app.article.id == first.id  # moving opens nothing
        with Store.open(sample_db) as store:
            passed = store.articles.get(second.id)
            assert passed is not None and not passed.read  # and marks nothing read
        await pilot.press("enter")
        await settle(pilot)
        assert app.article is not None and app.article.id == second.id
        assert isinstance(app.focused, ReaderPane)
        assert second.title[:30] in screen_text(app)
        with Store.open(sample_db) as store:
            opened = store.articles.get(second.id)
            assert opened is not None and opened.read

        await pilot.press("escape", "j", "j")  # back to the list, and on
        await settle(pilot)
        assert article_list.current is not None and article_list.current.id != second.id
        assert app.article is not None and app.article.id == second.id  # still shown
        await pilot.press("s")  # s in the list stars the row under the cursor
        await settle(pilot)
        with Store.open(sample_db) as store:
            row = store.articles.get(article_list.current.id)
            shown = store.articles.get(second.id)
            assert row is not None and row.starred
            assert shown is not None and not shown.starred


@pytest.mark.slow
async def test_refreshing_and_filtering_keep_the_highlighted_row_not_the_opened_one(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db, config=Config(preview="open")) as (app, pilot):
        article_list = app.query_one(ArticleList)
        await pilot.press("j", "enter", "escape", "j", "j", "j")
        await settle(pilot)
        highlighted = article_list.current
        assert highlighted is not None and app.article is not None
        assert highlighted.id != app.article.id
        for key in ("R", "u"):  # the live refresh, and unread only (the row is unread)
            await pilot.press(key)
            await settle(pilot)
            assert article_list.current is not None
            assert article_list.current.id == highlighted.id, f"{key} moved the cursor"
        await pilot.press("slash", *"oil", "enter")
        await settle(pilot)
        await pilot.press("slash", "escape")  # leaving the search returns to the row
        await settle(pilot)
        assert article_list.current is not None and article_list.current.id == highlighted.id


async def test_p_switches_between_following_the_cursor_and_showing_what_enter_opened(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db) as (app, pilot):
        article_list = app.query_one(ArticleList)
        first = app.article
        assert first is not None
        await pilot.press("j")
        await settle(pilot)
        assert app.article.id == first.id

        await pilot.press("p")  # follow: the reader catches up with the cursor at once
        await settle(pilot)
        assert "The reader follows the cursor" in screen_text(app)
        row = article_list.current
        assert row is not None and app.article.id == row.id
        assert row.title[:30] in screen_text(app)
        await pilot.press("j")
        await settle(pilot)
        row = article_list.current
        assert row is not None and app.article.id == row.id

        await pilot.press("p")  # back to open: moving leaves the reader alone again
        await settle(pilot)
        assert "The reader shows what Enter opens" in screen_text(app)
        await pilot.press("j")
        await settle(pilot)
        assert article_list.current is not None and article_list.current.id != row.id
        assert app.article.id == row.id
