"""Read and star marks: nothing is marked by starting, and a busy database loses nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.config import Config
from briefing.store import Store, connection
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane

LOOKED_AT = 1.6  # seconds: longer than an article must stay on screen to count as read


def stored(db: Path, article_id: int) -> Any:
    with Store.open(db) as store:
        return store.articles.get(article_id)


@pytest.fixture
def write_lock(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    """Another program (an ingest) holding the store's write lock, and the reader's
    connections giving up waiting for it after 0.2 s instead of 10."""
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(sample_db, isolation_level=None)
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.slow
@pytest.mark.parametrize("preview", ["open", "follow"])
async def test_the_article_shown_at_start_stays_unread_when_nothing_is_pressed(
    sample_db: Path,
    preview: str,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    screen_text: Callable[..., str],
) -> None:
    config = Config(mark_read="select", preview=preview)
    async with running(sample_db, size=(120, 30), config=config) as (app, pilot):  # reader shown
        shown = app.query_one(ReaderPane).article
        assert shown is not None and not shown.read
        await pilot.pause(LOOKED_AT)
        await settle(pilot)
        assert "unread" in screen_text(app)  # the reader's meta line
        assert not stored(sample_db, shown.id).read


@pytest.mark.slow
async def test_a_reload_does_not_undo_marking_an_article_unread(
    sample_db: Path, running: Callable[..., Any], settle: Callable[..., Awaitable[None]]
) -> None:
    follow = Config(mark_read="select", preview="follow")
    async with running(sample_db, size=(120, 30), config=follow) as (app, pilot):  # reader shown
        await pilot.press("j")  # the person moves to it and stays: read
        await pilot.pause(LOOKED_AT)
        await settle(pilot)
        reader = app.query_one(ReaderPane)
        assert reader.article is not None and reader.article.read
        await pilot.press("r")  # marked unread again
        await settle(pilot)
        await pilot.press("R")  # a reload keeps the cursor on it
        await pilot.pause(LOOKED_AT)
        await settle(pilot)
        assert app.query_one(ArticleList).current.id == reader.article.id
        assert not reader.article.read
        assert not stored(sample_db, reader.article.id).read


@pytest.mark.slow
async def test_a_mark_under_a_long_write_lock_is_shown_kept_and_saved_later(
    sample_db: Path,
    write_lock: sqlite3.Connection,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    screen_text: Callable[..., str],
) -> None:
    never = Config(mark_read="never")
    async with running(sample_db, size=(120, 30), config=never) as (app, pilot):  # reader shown
        article = app.query_one(ArticleList).current
        write_lock.execute("BEGIN IMMEDIATE")
        await pilot.press("s", "s", "s")  # toggled thrice: starred in the end
        await pilot.pause(0.8)
        await settle(pilot)
        assert app.is_running
        text = screen_text(app)
        assert "database is busy" in text and "starred" in text
        assert app.query_one(ArticleList).current.starred
        write_lock.execute("COMMIT")  # the ingest is done
        for _ in range(40):
            await pilot.pause(0.25)
            if stored(sample_db, article.id).starred:
                break
        assert stored(sample_db, article.id).starred
        await pilot.pause(0.5)
        await settle(pilot)
        assert "The database is free again" in screen_text(app)


@pytest.mark.slow
async def test_quitting_while_the_lock_is_still_held_says_what_was_not_saved(
    sample_db: Path,
    write_lock: sqlite3.Connection,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
) -> None:
    never = Config(mark_read="never")
    async with running(sample_db, size=(120, 30), config=never) as (app, pilot):  # reader shown
        article = app.query_one(ArticleList).current
        write_lock.execute("BEGIN IMMEDIATE")
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 1
    assert app.database_error is not None
    assert app.database_error.startswith("1 read mark not saved")
    write_lock.execute("ROLLBACK")
    assert not stored(sample_db, article.id).read
