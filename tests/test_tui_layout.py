"""The reader's two layouts: panes side by side with room, stacked one at a time below 110
columns (or as the config's ``layout`` says), as a person sees them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from briefing.config import Config
from briefing.models import ArticleFilter
from briefing.store import Store
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane
from briefing.tui.widgets.rows import date_label
from briefing.tui.widgets.sidebar import KeywordSidebar


def newest_titles(db: Path, count: int) -> list[str]:
    with Store.open(db) as store:
        return [a.title for a in store.articles.newest_first(ArticleFilter(), limit=count)]


def headings_on(text: str, db: Path) -> list[str]:
    """The lines of the screen that start with a date heading of the list."""
    with Store.open(db) as store:
        dates = {a.date for a in store.articles.newest_first(ArticleFilter(), limit=100)}
    labels = {date_label(date, dt.date.today()) for date in dates}
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if any(line.startswith(label + " ") for label in labels)]


def on_screen(widget: Widget, in_front: Callable[[Widget], bool]) -> bool:
    """In front, and big enough to read: not a sliver."""
    region = widget.region
    return in_front(widget) and region.width >= min(20, widget.screen.size.width // 2)


async def tab_round(
    app: Any,
    pilot: Pilot[None],
    settle: Callable[..., Awaitable[None]],
    in_front: Callable[[Widget], bool],
) -> None:
    """Tab and shift+Tab a few times; every stop must be something a person can see."""
    for key in ["tab"] * 4 + ["shift+tab"] * 2:
        await pilot.press(key)
        await settle(pilot)
        assert app.focused is not None and on_screen(app.focused, in_front), (key, app.focused)


async def test_at_80x24_the_list_is_full_width_with_the_date_on_each_row(
    sample_db: Path, screen_text: Callable[..., str], running: Callable[..., Any]
) -> None:
    titles = newest_titles(sample_db, 20)
    async with running(sample_db, size=(80, 24)) as (app, _pilot):
        text = screen_text(app)
        long_titles = [title for title in titles if len(title) >= 60]
        assert long_titles
        assert any(title[:60] in text for title in long_titles)  # 60 characters of a title
        assert "Nov 24" in text  # the newest article's date, on its row
        assert headings_on(text, sample_db) == []  # no date heading above each row
        assert not app.query_one(ReaderPane).display
        assert all(len(line) <= 80 for line in text.splitlines())


async def test_panes_keep_date_headings(
    sample_db: Path, screen_text: Callable[..., str], running: Callable[..., Any]
) -> None:
    async with running(sample_db, size=(160, 48)) as (app, _pilot):
        assert headings_on(screen_text(app), sample_db)
        assert app.query_one(ReaderPane).display and app.query_one(KeywordSidebar).display


@pytest.mark.parametrize("back", ["escape", "q"])
async def test_enter_opens_the_article_full_screen_and_back_keeps_the_cursor(
    in_front: Callable[[Widget], bool],
    back: str,
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    titles = newest_titles(sample_db, 4)
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        article_list, reader = app.query_one(ArticleList), app.query_one(ReaderPane)
        await pilot.press("j", "j", "j")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.article is not None and app.article.title == titles[3]
        assert in_front(reader) and reader.region.width == 80 and not in_front(article_list)
        assert titles[3][:40] in screen_text(app)
        await pilot.press(back)
        await settle(pilot)
        assert app.is_running  # q went back to the list, it did not quit
        assert in_front(article_list) and not reader.display
        assert app.focused is article_list and article_list.cursor == 3
        assert app.article.title == titles[3]  # still open, for the next Enter
        await pilot.press("q")  # on the list, q quits
        await settle(pilot)
        assert not app.is_running


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_tab_never_lands_on_a_hidden_or_sliver_pane(
    in_front: Callable[[Widget], bool],
    size: tuple[int, int],
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db, size=size) as (app, pilot):
        await tab_round(app, pilot, settle, in_front)  # from the list
        app.query_one(ArticleList).focus()
        await pilot.press("enter")
        await settle(pilot)
        await tab_round(app, pilot, settle, in_front)  # in the open article
        await pilot.press("K")
        await settle(pilot)
        await tab_round(app, pilot, settle, in_front)  # among the keywords


async def test_K_in_a_stack_puts_the_keywords_in_front_and_back(
    in_front: Callable[[Widget], bool],
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        article_list, sidebar = app.query_one(ArticleList), app.query_one(KeywordSidebar)
        await pilot.press("j", "K")
        await settle(pilot)
        assert in_front(sidebar) and sidebar.region.width >= 70 and not in_front(article_list)
        assert "Top keywords" in screen_text(app)
        await pilot.press("K")
        await settle(pilot)
        assert in_front(article_list) and not sidebar.display and article_list.cursor == 1
        await pilot.press("K")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert in_front(article_list) and app.focused is article_list


async def test_layout_stack_stacks_a_wide_terminal_too(
    in_front: Callable[[Widget], bool],
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db, size=(160, 48), config=Config(layout="stack")) as (app, pilot):
        article_list, reader = app.query_one(ArticleList), app.query_one(ReaderPane)
        assert in_front(article_list) and article_list.region.width == 160 and not reader.display
        await pilot.press("enter")
        await settle(pilot)
        assert in_front(reader) and reader.region.width == 160 and not in_front(article_list)


async def test_an_empty_list_says_why_when_stacked(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        await pilot.press("slash", *"zyzzyva", "enter")
        await settle(pilot)
        assert "Nothing matches this search" in screen_text(app)


@pytest.mark.slow
async def test_stacked_moving_in_the_list_marks_nothing_read_until_enter(
    sample_db: Path, settle: Callable[..., Awaitable[None]], running: Callable[..., Any]
) -> None:
    """mark_read = "select" marks what stayed on screen a second; stacked, an article
    under the list's cursor is not on screen, even when the hidden reader follows it."""
    follow = Config(mark_read="select", preview="follow")
    async with running(sample_db, size=(80, 24), config=follow) as (app, pilot):
        await pilot.press("j")
        await pilot.pause(1.6)  # longer than an article must be seen to count as read
        await settle(pilot)
        current = app.query_one(ArticleList).current
        assert current is not None and not current.read
        await pilot.press("enter")
        await settle(pilot)
        assert app.article is not None and app.article.id == current.id and app.article.read


async def test_the_search_box_keeps_what_was_in_front_through_a_resize(
    in_front: Callable[[Widget], bool],
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        article_list, reader = app.query_one(ArticleList), app.query_one(ReaderPane)
        await pilot.press("slash")  # over the list
        await settle(pilot)
        for size in ((130, 30), (80, 24), (40, 12), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
        assert in_front(article_list) and not reader.display
        await pilot.press("escape", "enter", "slash")  # now over the open article
        await settle(pilot)
        for size in ((130, 30), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
        assert in_front(reader) and not in_front(article_list)


async def test_the_restored_article_is_on_screen_at_start(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    """The last session's article, far down the list: the list opens scrolled to it."""
    titles = newest_titles(sample_db, 30)
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        await pilot.press(*"j" * 28, "enter", "escape")
        await settle(pilot)
        await pilot.pause(0.8)  # the open article is remembered once the cursor rests
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        await settle(pilot)
        assert app.query_one(ArticleList).cursor == 28
        assert titles[28][:40] in screen_text(app)
