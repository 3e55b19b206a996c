"""The footer says what the keys do where the focus is, in the same frame as the pane
the focus went to: a footer a frame late is a flicker, and one more write over SSH."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from textual.screen import Screen

from briefing.store import Store


def frames_of(app: Any) -> list[str]:
    """What each of the app's frames from now on writes (a headless app writes none)."""
    frames: list[str] = []
    display = app._display

    def record(screen: Screen[object], renderable: RenderableType | None) -> None:
        render = getattr(renderable, "render_segments", None)
        if render is not None:
            frames.append(render(app.console))
        display(screen, renderable)

    app._display = record
    return frames


def rows_written(frame: str) -> set[int]:
    return {int(row) for row in re.findall(r"\x1b\[(\d+);\d+H", frame)}


async def test_enter_draws_the_article_and_its_keys_in_one_frame(
    sample_db: Path, settle: Callable[..., Awaitable[None]], running: Callable[..., Any]
) -> None:
    with Store.open(sample_db) as store:
        title = store.articles.newest_first(limit=1)[0].title
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        frames = frames_of(app)
        await pilot.press("enter")  # stacked: the article in front, and q says Back
        await settle(pilot)
        first = next(frame for frame in frames if title[:30] in frame)
        assert 24 in rows_written(first), "the footer came in a later frame"
        assert "Back" in first
        frames.clear()
        await pilot.press("escape")
        await settle(pilot)
        first = next(frame for frame in frames if 2 in rows_written(frame))
        assert 24 in rows_written(first) and "Quit" in first


async def test_the_footer_follows_the_layout_when_the_terminal_is_resized(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    screen_text: Callable[..., str],
) -> None:
    """The footer shows q as Back in a stacked reader only (side by side q goes back to
    where the person came from, a key the footer does not list): after a resize across
    the width where the layout changes, with the reader open, it follows."""
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        await pilot.press("enter")
        await settle(pilot)
        assert "q Back" in screen_text(app).splitlines()[-1]
        await pilot.resize_terminal(130, 30)
        await settle(pilot)
        assert "q Back" not in screen_text(app).splitlines()[-1]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "q Back" in screen_text(app).splitlines()[-1]
