"""Saved views in the reader: save with w, reopen from the sidebar, v, or the palette."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.config import Config
from briefing.models import ArticleFilter
from briefing.store import Store
from briefing.tui.query import KeywordFilter, ListQuery
from briefing.tui.screens.views import SaveViewScreen, ViewsScreen


def first_keyword(db: Path) -> tuple[str, str]:
    with Store.open(db) as store:
        top = store.keywords.top(3, ArticleFilter())
    return top[1].key, top[1].display


@pytest.mark.slow
async def test_save_a_filtered_search_and_reopen_it_from_the_sidebar(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    key, display = first_keyword(sample_db)
    # Marks stay put while the test moves around, so "unread" selects the same articles.
    never = Config(mark_read="never")
    async with running(sample_db, size=(160, 48), config=never) as (app, pilot):
        everything = listed_ids(app)
        app.list_query = ListQuery(keywords=(KeywordFilter(key, display),), unread_only=True)
        await settle(pilot)
        filtered = listed_ids(app)
        assert 0 < len(filtered) < len(everything)

        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, SaveViewScreen)
        assert display in screen_text(app)  # the suggested name comes from the filter
        await pilot.press("ctrl+u", *"my beat", "enter")
        await settle(pilot)
        assert "Saved view 'my beat'" in screen_text(app)

        # Clear everything, then reopen the view from the sidebar's Views section.
        app.list_query = ListQuery()
        await settle(pilot)
        assert listed_ids(app) == everything
        views = app.query_one("#views")
        assert views.display and "my beat" in screen_text(app)
        views.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert listed_ids(app) == filtered
        assert app.list_query.unread_only
        assert [keyword.key for keyword in app.list_query.keywords] == [key]
        assert f"filter: {display}" in screen_text(app)

    with Store.open(sample_db) as store:
        saved = store.views.get("my beat")
    assert saved is not None and saved.article_filter.keywords == (key,)


async def test_views_list_opens_a_search_view_and_deletes(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    with Store.open(sample_db) as store:
        hits = [h.article.id for h in store.articles.search("OPEC", limit=500)]
    result = CliRunner().invoke(
        cli, ["views", "save", "oil", "--search", "OPEC", "--db", str(sample_db)]
    )
    assert result.exit_code == 0, result.output
    async with running(sample_db) as (app, pilot):
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ViewsScreen)
        assert "search OPEC" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert listed_ids(app) == hits
        assert "search: OPEC" in screen_text(app)

        await pilot.press("v")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "Deleted view 'oil'" in screen_text(app)
        assert app.views == []
    listed = CliRunner().invoke(cli, ["views", "--json", "--db", str(sample_db)])
    assert listed.output.strip() == "[]"


@pytest.mark.slow
async def test_command_palette_lists_saved_views(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    CliRunner().invoke(
        cli, ["views", "save", "starred things", "--starred", "--db", str(sample_db)]
    )
    async with running(sample_db) as (app, pilot):
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"open view")
        for _ in range(50):  # the palette searches its providers in the background
            await pilot.pause(0.1)
            if "view: starred things" in screen_text(app):
                break
        assert "view: starred things" in screen_text(app)  # "Open" is split by highlights
        await pilot.press("enter")
        await settle(pilot)
        assert app.list_query.starred_only
        assert listed_ids(app) == []


async def test_an_empty_name_is_refused_in_the_prompt(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db) as (app, pilot):
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("ctrl+u", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SaveViewScreen)
        assert "A view needs a name." in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.views == []


async def test_view_text_is_never_markup_in_the_palette(
    sample_db: Path, screen_text: Callable[..., str], running: Callable[..., Any]
) -> None:
    result = CliRunner().invoke(
        cli, ["views", "save", "[b]bold[/i]", "--search", '"oil [/b]"', "--db", str(sample_db)]
    )
    assert result.exit_code == 0, result.output
    async with running(sample_db) as (app, pilot):
        await pilot.press("ctrl+p", *"view")
        for _ in range(50):
            await pilot.pause(0.1)
            if "[b]bold[/i]" in screen_text(app):
                break
        assert app.is_running
        assert "[b]bold[/i]" in screen_text(app)


async def test_deleting_a_view_on_a_read_only_store_warns(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    CliRunner().invoke(cli, ["views", "save", "keep", "--unread", "--db", str(sample_db)])
    async with running(sample_db) as (app, pilot):
        app.store.read_only = True  # as a store opened read-only is, with marks in it
        await pilot.press("v", "d")
        await settle(pilot)
        assert app.is_running
        assert "read-only" in screen_text(app)
        assert [view.name for view in app.views] == ["keep"]


async def test_backspace_clears_a_views_dates_and_a_week_stays_a_week(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    result = CliRunner().invoke(
        cli, ["views", "save", "week", "--since", "7d", "--db", str(sample_db)]
    )
    assert "since 7d" in result.output  # kept as an age, resolved when used
    async with running(sample_db) as (app, pilot):
        everything = listed_ids(app)
        await pilot.press("v", "enter")
        await settle(pilot)
        since = app.list_query.since
        assert since is not None and since[:2] == "20"  # a date, as of today
        assert "since 20" in screen_text(app)
        await pilot.press("backspace")
        await settle(pilot)
        assert app.list_query.since is None and listed_ids(app) == everything
