"""A running reader learns of articles ingested meanwhile, without moving the cursor."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from briefing.config import Config
from briefing.ingest.files import ingest
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList

PATIENCE = 20.0  # seconds before waiting for the notice gives up

ARRIVALS = {
    "grain.txt": "date 2026-11-25 Grain barges queued at the Danube locks after the river rose.",
    "ferry.txt": "date 2026-11-25 Ferry crews to Corsica ended their strike on Tuesday night.",
    "salt.md": "# Salt marsh flooding closes the Camargue road\n\nThe road stays shut.",
}


async def wait_for_text(
    pilot: Pilot[None], app: BriefingApp, text: str, screen_text: Callable[..., str]
) -> str:
    deadline = time.monotonic() + PATIENCE
    while text not in (screen := screen_text(app)):
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} not shown after {PATIENCE:.0f} s:\n{screen}")
        await pilot.pause(0.1)
    return screen


def ingest_elsewhere(db: Path, folder: Path) -> int:
    """What `briefing watch` does in another process: its own connection, its own commit."""
    with Store.open(db) as store:
        report = ingest(store, [folder])
    return report.added


async def test_new_articles_are_announced_and_shown_on_r(
    sample_db: Path,
    tmp_path: Path,
    write: Callable[[Path, str | bytes], Path],
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
) -> None:
    folder = tmp_path / "incoming"
    for name, text in ARRIVALS.items():
        write(folder / name, text)
    store = Store.open(sample_db)
    app = BriefingApp(store, Config(preview="follow"))
    app.arrivals.interval = 0.2  # look often, so the test does not wait 2 s a time
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j")
        await settle(pilot)
        article_list = app.query_one(ArticleList)
        assert app.article is not None
        reading, cursor = app.article.id, article_list.cursor
        assert "new (R)" not in screen_text(app)

        added = await asyncio.to_thread(ingest_elsewhere, sample_db, folder)
        assert added == 3
        screen = await wait_for_text(pilot, app, "3 new articles — R to show", screen_text)
        status = screen.splitlines()[0]
        assert "3 new (R)" in status
        # Nothing moved: the same article under the cursor, in the list and the reader.
        assert app.article.id == reading and article_list.cursor == cursor
        assert "Grain barges" not in screen

        await pilot.press("R")
        await settle(pilot)
        screen = screen_text(app)
        assert "new (R)" not in screen.splitlines()[0]
        assert app.article.id == reading  # still the article being read
        current = article_list.current
        assert current is not None and current.id == reading
        assert "Grain barges queued" in screen  # the newest dates: at the top of the list
        count = article_list.article_count
        assert f"{count} articles" in screen.splitlines()[0]
    store.close()


async def test_more_arrivals_add_to_the_count(
    sample_db: Path,
    tmp_path: Path,
    write: Callable[[Path, str | bytes], Path],
    settle: Callable[..., Awaitable[None]],
    screen_text: Callable[..., str],
) -> None:
    store = Store.open(sample_db)
    app = BriefingApp(store, Config())
    app.arrivals.interval = 0.2
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        for number, (name, text) in enumerate(ARRIVALS.items(), start=1):
            write(tmp_path / f"batch{number}" / name, text)
            await asyncio.to_thread(ingest_elsewhere, sample_db, tmp_path / f"batch{number}")
            await wait_for_text(pilot, app, f"{number} new (R)", screen_text)
        # The status line and the notice are drawn by different messages: wait for both.
        assert "3 new articles — R to show" in await wait_for_text(
            pilot, app, "3 new articles — R to show", screen_text
        )
        await settle(pilot)
    store.close()
