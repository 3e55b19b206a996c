"""Related briefings in the reader: shown under the article, Enter opens, Backspace returns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from briefing.config import Config
from briefing.insight.related import related
from briefing.store import Store
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane
from briefing.tui.widgets.related_list import RelatedList

FOLLOW = Config(preview="follow")  # the reader shows the row under the cursor as it moves


@pytest.mark.slow
async def test_related_articles_open_and_backspace_goes_back(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    panes = Config(layout="panes")  # the list and the reader side by side at 100 columns
    async with running(sample_db, size=(100, 30), config=panes) as (app, pilot):
        first = app.article
        assert first is not None
        with Store.open(sample_db) as store:
            expected = related(store, first.id, 5)
        assert len(expected) == 5
        related_list = app.query_one(RelatedList)
        assert related_list.option_count == 5
        await pilot.press("tab", "G")  # into the reader, to the end of the article
        await settle(pilot)
        text = screen_text(app)
        assert "Related briefings" in text
        assert expected[0].article.title[:30] in text
        assert "shares: " + expected[0].shared_keywords[0] in text

        await pilot.press("tab")  # the related list comes after the article
        await settle(pilot)
        assert app.focused is related_list
        await pilot.press("down", "enter")  # open the second closest
        await settle(pilot)
        second = expected[1].article
        assert app.article is not None and app.article.id == second.id
        assert isinstance(app.focused, ReaderPane)
        assert second.title[:30] in screen_text(app)

        # Follow one more link, then walk back twice like a browser.
        third = app.query_one(RelatedList)
        assert third.option_count > 0
        third.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.history == [first.id, second.id]
        await pilot.press("backspace")
        await settle(pilot)
        assert app.article is not None and app.article.id == second.id
        await pilot.press("backspace")
        await settle(pilot)
        assert app.article is not None and app.article.id == first.id
        assert first.title[:30] in screen_text(app)
        await pilot.press("backspace")  # the trail walked back: then the list
        await settle(pilot)
        assert isinstance(app.focused, ArticleList)
        assert app.article is not None and app.article.id == first.id


async def test_moving_in_the_list_starts_a_new_trail(
    sample_db: Path, settle: Callable[..., Awaitable[None]], running: Callable[..., Any]
) -> None:
    # No mark on resting: its timer could fire while the reader closes, a race of its own.
    config = Config(preview="follow", mark_read="never")
    async with running(sample_db, config=config) as (app, pilot):
        query = app.list_query
        app.query_one(RelatedList).focus()
        await pilot.press("enter")
        await settle(pilot)
        followed = app.article
        await pilot.press("escape", "escape")  # back to the first article, then the list
        await settle(pilot)
        assert isinstance(app.focused, ArticleList)
        await pilot.press("j")
        await settle(pilot)
        moved_to = app.article
        assert moved_to is not None and followed is not None and moved_to.id != followed.id
        app.query_one(ReaderPane).focus()
        await pilot.press("backspace")  # no trail to walk back: to the list, same article
        await settle(pilot)
        assert isinstance(app.focused, ArticleList)
        assert app.article is not None and app.article.id == moved_to.id
        assert app.list_query == query


async def test_star_and_h_act_on_the_related_article_on_screen(
    sample_db: Path, settle: Callable[..., Awaitable[None]], running: Callable[..., Any]
) -> None:
    async with running(sample_db) as (app, pilot):
        in_list = app.query_one(ArticleList).current
        assert in_list is not None
        app.query_one(RelatedList).focus()
        await pilot.press("enter")
        await settle(pilot)
        shown = app.article
        assert shown is not None and shown.id != in_list.id
        await pilot.press("s")
        await settle(pilot)
        with Store.open(sample_db) as store:
            assert store.articles.get(shown.id).starred  # type: ignore[union-attr]
            assert not store.articles.get(in_list.id).starred  # type: ignore[union-attr]
        await pilot.press("h")  # highlighting redraws the body: the related list stays
        await settle(pilot)
        assert app.query_one(RelatedList).visible
        assert app.query_one(RelatedList).option_count == 5
