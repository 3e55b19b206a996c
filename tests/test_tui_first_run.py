"""The first run's hint (the sample briefings, and how to add one's own) shows in the
reader, where a person looks, once; not on the terminal after the reader has closed."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.terminal import visible_text


@pytest.mark.slow
def test_the_first_run_hint_shows_in_the_reader_once(pty: Callable[..., Any]) -> None:
    argv = [sys.executable, "-m", "briefing", "read"]  # the default database: new
    with pty(argv, 120, 30) as terminal:
        terminal.wait_for("Quit", timeout=120)
        # The notice wraps (the path is long): its words, not its lines, are looked for.
        terminal.wait_for(lambda text: "First run:" in text and "ingest" in text)
        terminal.settle(0.3)
        start = len(terminal.output)
        terminal.send("q")
        assert terminal.wait_exit() == 0
        assert "First run" not in visible_text(bytes(terminal.output[start:]))
    with pty(argv, 120, 30) as terminal:  # the next start: the samples are known
        terminal.wait_for("Quit", timeout=60)
        terminal.settle(1.0)
        assert "First run" not in terminal.written_text()
        terminal.send("q")
        assert terminal.wait_exit() == 0


async def test_notices_handed_to_the_reader_show_in_it_as_text(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    screen_text: Callable[..., str],
) -> None:
    from briefing.config import Config
    from briefing.store import Store
    from briefing.tui.app import BriefingApp

    with Store.open(sample_db) as store:
        app = BriefingApp(store, Config())
        app.startup_notices = ("First run: created /tmp/[bold]x[/bold].db \x1b[2J",)
        async with app.run_test(size=(120, 30), notifications=True) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "First run: created /tmp/[bold]x[/bold].db" in text, text
            assert "\x1b" not in text
