"""Articles of any size show their start at once; the links dialog and the search box
stay bounded whatever an article or a paste holds."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from briefing.tui.screens.links import LinksScreen
from briefing.tui.widgets.markdown_body import MarkdownBody
from briefing.tui.widgets.reader_pane import MAX_BLOCKS, ReaderPane


async def body_shown(app: Any, pilot: Any, settle: Callable[..., Awaitable[None]]) -> None:
    for _ in range(100):
        await settle(pilot)
        body = app.query_one(MarkdownBody)
        if body.visible and body.blocks:
            return
        await pilot.pause(0.05)
    raise AssertionError("the body never showed")


@pytest.mark.slow
@pytest.mark.parametrize("lines", [20_000, 100_000])
async def test_an_article_of_many_short_headings_shows_its_start_at_once(
    sample_db: Path,
    lines: int,
    add_article: Callable[..., int],
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    screen_text: Callable[..., str],
) -> None:
    body = "\n".join(f"# Part {number}" for number in range(lines))
    article_id = add_article(sample_db, "2099-01-01", ["parts"], title="Many parts", body=body)
    started = time.perf_counter()
    async with running(sample_db, size=(120, 30)) as (app, pilot):  # the reader beside the list
        await body_shown(app, pilot, settle)
        elapsed = time.perf_counter() - started
        assert "Part 0" in screen_text(app)
        # What keeps it quick: the body mounted is capped, whatever the article's size.
        # and the note after them: a rule and a line.
        assert len(app.query_one(MarkdownBody).blocks) <= MAX_BLOCKS + 2
        # A bound only against a hang (it was a minute at 20,000 lines, never at 100,000);
        # a loaded machine must not fail it, benchmarks measure the speed.
        assert elapsed < 30, elapsed
        reader = app.query_one(ReaderPane)
        reader.focus()
        await pilot.press("G")
        await settle(pilot)
        text = screen_text(app)
        assert f"briefing show {article_id}" in text and "more characters" in text


async def test_the_links_dialog_finds_autolinks_and_bare_addresses(
    sample_db: Path,
    add_article: Callable[..., int],
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
) -> None:
    body = (
        "See <https://example.org/auto> and [the report](https://example.org/r), "
        "or https://example.org/bare for more."
    )
    add_article(sample_db, "2099-01-01", ["links"], title="Links", body=body)
    async with running(sample_db) as (app, pilot):
        await body_shown(app, pilot, settle)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LinksScreen)
        addresses = [address for _, address in app.screen.links]
        assert addresses == [
            "https://example.org/auto",
            "https://example.org/r",
            "https://example.org/bare",
        ]


@pytest.mark.slow
async def test_the_links_dialog_of_a_hostile_body_opens_without_blocking_keys(
    sample_db: Path,
    add_article: Callable[..., int],
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
) -> None:
    body = "[" * 400_000 + " https://example.org/x " + "[](" * 100_000
    add_article(sample_db, "2099-01-01", ["links"], title="Brackets", body=body)
    async with running(sample_db) as (app, pilot):
        await body_shown(app, pilot, settle)
        started = time.perf_counter()
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LinksScreen)
        assert time.perf_counter() - started < 5
        assert len(app.screen.links) <= 1000


async def test_a_paste_without_bracketed_paste_fills_the_search_box_to_its_limit(
    sample_db: Path,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    burst: Callable[..., None],
) -> None:
    async with running(sample_db) as (app, pilot):
        await pilot.press("slash")
        await settle(pilot)
        burst(app, ["a", "b", "c", "d"] * 400)  # what a terminal sends for a pasted text
        await settle(pilot)
        assert len(app.query_one("#search-input", Input).value) == 1000
