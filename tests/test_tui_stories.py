"""Stories in the reader: S collapses each story to its newest article, e expands one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from briefing.config import Config
from briefing.models import ArticleFilter
from briefing.store import Store


async def test_stories_collapse_expand_and_come_back(
    sample_db: Path,
    tmp_path: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
    add_strike_articles: Callable[..., set[int]],
) -> None:
    strike_ids = add_strike_articles(sample_db, tmp_path / "news")
    with Store.open(sample_db) as store:
        # Every story but its newest article folds away (the samples have stories too).
        folded = store.db.execute("SELECT sum(size - 1) FROM stories").fetchone()[0]
        strike = store.db.execute(
            "SELECT size FROM stories WHERE newest_article_id = ?", [max(strike_ids)]
        ).fetchall()
    assert strike == [(4,)]  # the four strike reports, one story

    async with running(sample_db, size=(100, 30), config=Config(mark_read="never")) as (
        app,
        pilot,
    ):
        everything = listed_ids(app)
        assert strike_ids <= set(everything)
        await pilot.press("S")
        await settle(pilot)
        collapsed = listed_ids(app)
        assert len(collapsed) == len(everything) - folded
        assert max(strike_ids) in collapsed and not (strike_ids - {max(strike_ids)}) & set(
            collapsed
        )
        text = screen_text(app)
        assert "stories collapsed" in text
        assert " +3" in text  # the story's row says how many more it holds

        await pilot.press("g")  # the newest article is the story's
        await settle(pilot)
        assert app.article is not None and app.article.id == max(strike_ids)
        await pilot.press("e")
        await settle(pilot)
        assert listed_ids(app) == sorted(strike_ids, reverse=True)
        assert "story: " in screen_text(app)

        await pilot.press("backspace")
        await settle(pilot)
        assert listed_ids(app) == collapsed
        assert app.article is not None and app.article.id == max(strike_ids)

        await pilot.press("S")
        await settle(pilot)
        assert listed_ids(app) == everything
        assert " +3" not in screen_text(app)


async def test_e_on_an_article_that_stands_alone_says_so(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
    screen_text: Callable[..., str],
) -> None:
    async with running(sample_db) as (app, pilot):
        before, query = listed_ids(app), app.list_query
        await pilot.press("e")
        await settle(pilot)
        assert listed_ids(app) == before and app.list_query == query
        assert "not part of a story" in screen_text(app)


def test_collapsed_stories_show_their_newest_article_that_the_filter_selects(
    sample_db: Path, tmp_path: Path, add_strike_articles: Callable[..., set[int]]
) -> None:
    strike_ids = sorted(add_strike_articles(sample_db, tmp_path / "news"))
    with Store.open(sample_db) as store:
        store.marks.set_starred(strike_ids[0])  # the oldest of the story
        store.marks.set_read(strike_ids[-1])  # its newest
        starred = ArticleFilter(starred_only=True, stories_collapsed=True)
        assert [a.id for a in store.articles.newest_first(starred)] == [strike_ids[0]]
        unread = ArticleFilter(unread_only=True, stories_collapsed=True)
        unread_ids = {a.id for a in store.articles.newest_first(unread, limit=100)}
        assert strike_ids[-2] in unread_ids and not {strike_ids[-1], strike_ids[0]} & unread_ids
        assert store.articles.date_groups(starred) == [("2026-11-21", 1)]
