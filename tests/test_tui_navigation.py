"""Moving about the reader: Back returns where you came from, n and N find unread articles,
the search box remembers searches. Each test checks what the person sees and the list's
query, never how the reader keeps its trail."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from briefing.config import Config
from briefing.models import ArticleFilter
from briefing.store import Store
from briefing.tui.query import ListQuery
from briefing.tui.screens.help import HelpScreen
from briefing.tui.state_file import ReaderState, StateFile
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane
from briefing.tui.widgets.search_bar import SearchBar

# Only Enter (and n) mark an article read: nothing turns read by resting on screen while a
# loaded machine runs the test, so "unread" means what the test set up.
ON_OPEN = Config(mark_read="open")


def status(screen: str) -> str:
    return screen.splitlines()[0]


@pytest.mark.slow
async def test_escape_and_q_from_a_search_result_return_to_the_results_on_that_result(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    async with running(sample_db, config=ON_OPEN) as (app, pilot):
        await pilot.press("slash", *"oil", "enter")
        await settle(pilot)
        results = listed_ids(app)
        assert len(results) >= 3
        article_list = app.query_one(ArticleList)
        for back in ("escape", "q"):
            await pilot.press("j", "j", "enter")  # a result further down, read in the reader
            await settle(pilot)
            opened = article_list.current
            assert opened is not None and isinstance(app.focused, ReaderPane)
            assert app.article is not None and app.article.id == opened.id
            await pilot.press(back)
            await settle(pilot)
            assert app.is_running, f"{back} in the reader quit the program"
            assert isinstance(app.focused, ArticleList)
            assert listed_ids(app) == results and app.list_query.search == "oil"
            assert "search: oil" in status(screen_text(app))
            current = article_list.current
            assert current is not None and current.id == opened.id, f"{back} moved the cursor"
        await pilot.press("escape")  # in the list: out of the search, as before it
        await settle(pilot)
        assert app.list_query == ListQuery() and "search" not in status(screen_text(app))


async def test_backspace_and_escape_undo_unread_and_starred_one_step_at_a_time(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    with Store.open(sample_db) as store:
        everything = [a.id for a in store.articles.newest_first(ArticleFilter(), limit=500)]
        store.marks.set_starred(everything[3])
        store.marks.set_read(everything[4])
    async with running(sample_db, config=ON_OPEN) as (app, pilot):
        await pilot.press("j", "j")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert everything[4] not in listed_ids(app)
        await pilot.press("asterisk")
        await settle(pilot)
        assert listed_ids(app) == [everything[3]]
        assert "unread only · starred only" in status(screen_text(app))
        await pilot.press("backspace")
        await settle(pilot)
        assert app.list_query == ListQuery(unread_only=True)
        text = status(screen_text(app))
        assert "unread only" in text and "starred" not in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.list_query == ListQuery() and listed_ids(app) == everything[: len(everything)]
        assert "unread only" not in status(screen_text(app))
        current = app.query_one(ArticleList).current
        assert current is not None and current.id == everything[2]  # where the cursor was


async def test_backspace_in_the_sidebar_undoes_the_keyword_and_escape_leaves_it(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db, size=(160, 48)) as (app, pilot):
        top = app.query_one("#top-keywords")
        top.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.list_query.keywords) == 1 and "filter: " in status(screen_text(app))
        top.focus()
        await pilot.press("backspace")
        await settle(pilot)
        assert app.list_query == ListQuery() and "filter: " not in status(screen_text(app))
        assert app.focused is top  # Backspace undid; it did not move
        await pilot.press("escape")
        assert isinstance(app.focused, ArticleList)


@pytest.mark.slow
async def test_n_opens_the_next_unread_article_and_n_the_previous(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    with Store.open(sample_db) as store:
        listed = store.articles.newest_first(ArticleFilter(), limit=8)
        for article in listed[1:4]:
            store.marks.set_read(article.id)
    async with running(sample_db, config=ON_OPEN) as (app, pilot):
        article_list = app.query_one(ArticleList)
        await pilot.press("n")  # the row under the cursor is unread: it opens
        await settle(pilot)
        assert isinstance(app.focused, ReaderPane)
        assert app.article is not None and app.article.id == listed[0].id
        await pilot.press("n")  # from the reader: past the three read ones
        await settle(pilot)
        assert app.article is not None and app.article.id == listed[4].id
        assert listed[4].title[:30] in screen_text(app)
        current = article_list.current
        assert current is not None and current.id == listed[4].id  # the list follows
        await pilot.press("N")  # everything above is read now
        await settle(pilot)
        assert app.article is not None and app.article.id == listed[4].id
        assert "No unread article above" in screen_text(app)
        await pilot.press("escape", "k")  # back in the list, onto a read row
        await settle(pilot)
        await pilot.press("N")
        await settle(pilot)
        assert "No unread article above" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.article is not None and app.article.id == listed[5].id


async def test_n_while_searching_walks_the_results_in_their_order(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    with Store.open(sample_db) as store:
        results = [hit.article.id for hit in store.articles.search("oil", ArticleFilter(), 500)]
        store.marks.set_read(results[0])
        store.marks.set_read(results[1])
    async with running(sample_db, config=ON_OPEN) as (app, pilot):
        await pilot.press("slash", *"oil", "enter")
        await settle(pilot)
        assert listed_ids(app) == results
        await pilot.press("n")
        await settle(pilot)
        assert app.article is not None and app.article.id == results[2]
        current = app.query_one(ArticleList).current
        assert current is not None and current.id == results[2]


@pytest.mark.slow
async def test_up_and_down_in_the_search_box_recall_searches_across_sessions(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db) as (app, pilot):
        await pilot.press("slash")
        box = app.query_one(SearchBar).query_one(Input)  # the box is made when first opened
        await pilot.press(*"oil", "enter")
        await settle(pilot)
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"gas", "enter")
        await settle(pilot)
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"wh")
        await pilot.press("up")
        assert box.value == "gas"
        await pilot.press("up")
        assert box.value == "oil"
        await settle(pilot)
        assert "oil" in screen_text(app)
        await pilot.press("up")  # the oldest stays
        assert box.value == "oil"
        await pilot.press("down", "down")  # back to what was being typed
        assert box.value == "wh"
        await pilot.press("escape")
        await settle(pilot)
    async with running(sample_db) as (app, pilot):
        assert app.list_query == ListQuery()  # Escape left the search; that was kept too
        await pilot.press("slash", "up")
        await settle(pilot)
        box = app.query_one(SearchBar).query_one(Input)
        assert box.value == "gas" and "gas" in screen_text(app)


@pytest.mark.slow
async def test_the_last_sessions_search_comes_back_and_escape_leaves_it(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    async with running(sample_db) as (app, pilot):
        everything = listed_ids(app)
        await pilot.press("slash", *"oil", "enter")
        await settle(pilot)
        results = listed_ids(app)
    async with running(sample_db) as (app, pilot):
        assert app.list_query == ListQuery(search="oil") and listed_ids(app) == results
        assert "search: oil" in status(screen_text(app))
        await pilot.press("escape")
        await settle(pilot)
        assert app.list_query == ListQuery() and listed_ids(app) == everything


async def test_a_remembered_search_that_no_longer_runs_starts_on_the_whole_list(
    sample_db: Path,
    screen_text: Callable[..., str],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    with Store.open(sample_db) as store:
        everything = [a.id for a in store.articles.newest_first(ArticleFilter(), limit=500)]
    StateFile(str(sample_db)).save(ReaderState(query=ListQuery(search="NEAR(", unread_only=True)))
    async with running(sample_db) as (app, _pilot):
        assert app.list_query == ListQuery(unread_only=True)
        assert listed_ids(app) == everything  # nothing is read yet
        assert "bad search query" in screen_text(app)


@pytest.mark.slow
async def test_help_lists_n_and_n_and_the_search_history_keys(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db, size=(100, 30)) as (app, pilot):
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        seen: list[str] = []
        for _ in range(8):  # page through the help
            seen.extend(screen_text(app).splitlines())
            await pilot.press("space")
            await settle(pilot)
        for key, words in (
            ("n", "Open the next unread article"),
            ("N", "Open the previous unread article"),
            ("up", "Earlier search"),
            ("down", "Later search"),
            ("q", "Back to where you came from"),
        ):
            # A line of the help box (drawn over the list): "│  n    Open the next ..."
            shown = re.compile(rf"│\s+{key}\s+{words}")
            assert any(shown.search(line) for line in seen), f"{key}: {words}"
