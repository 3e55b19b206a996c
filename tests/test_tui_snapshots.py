"""Screenshots of the reader's main screens, compared with the ones in __snapshots__.

A layout change shows up here as a picture to look at, not a count of columns:
``python -m pytest tests/test_tui_snapshots.py --snapshot-update`` draws them again,
and ``snapshot_report.html`` shows the old and the new side by side when one differs.
Everything on them is fixed: the bundled sample briefings, today's date, the path in
the status line, the dark theme and the terminal's marks.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import textual
from textual.pilot import Pilot

from briefing.config import Config
from briefing.store import Store
from briefing.tui import app as reader_app
from briefing.tui.widgets import rows

# The SVGs hold Textual's drawing of every cell: another Textual version may draw the
# same screen differently. Drawn again with --snapshot-update, and looked at, they hold.
DRAWN_WITH = "8.2.8"
TODAY = dt.date(2026, 11, 25)  # the day after the newest sample briefing

pytestmark = pytest.mark.skipif(
    textual.__version__ != DRAWN_WITH,
    reason=f"snapshots drawn with Textual {DRAWN_WITH}, not {textual.__version__}: "
    "update them with --snapshot-update and look at snapshot_report.html",
)


@pytest.fixture
def reader(
    sample_db: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Any]]:
    """``reader(config=None)``: the reader on the sample briefings, as on an xterm with
    256 colours on 2026-11-25, its database shown as ~/briefing.db."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr(reader_app, "plain_terminal", lambda: False)
    monkeypatch.setattr(rows, "local_today", lambda: TODAY)
    isolated_home.mkdir(parents=True, exist_ok=True)
    db = isolated_home / "briefing.db"
    shutil.copy(sample_db, db)
    stores: list[Store] = []

    def make(config: Config | None = None) -> Any:
        store = Store.open(db)
        stores.append(store)
        return reader_app.BriefingApp(store, config or Config(theme="textual-dark"))

    yield make
    for store in stores:
        store.close()


def keys(*pressed: str) -> Callable[[Pilot[None]], Any]:
    """Before the screenshot: let the reader load, press ``pressed``, let it settle."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()  # "Keyword highlighting on" would cover the text
        await pilot.pause()

    return run


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shot(
    snap_compare: Any,
    app: Any,
    size: tuple[int, int],
    pressed: Sequence[str] = (),
) -> bool:
    try:
        return bool(snap_compare(app, terminal_size=size, run_before=keys(*pressed)))
    finally:
        app.runner.shutdown()


def test_80x24_stacked_list(snap_compare: Any, reader: Callable[..., Any]) -> None:
    """The list full width: one article a row, its date on the row, no headings."""
    assert shot(snap_compare, reader(), (80, 24), ["j", "j", "s"])


def test_80x24_stacked_article(snap_compare: Any, reader: Callable[..., Any]) -> None:
    """Enter: the article full screen, its keywords highlighted."""
    assert shot(snap_compare, reader(), (80, 24), ["j", "j", "enter", "h"])


def test_80x24_stacked_keywords(snap_compare: Any, reader: Callable[..., Any]) -> None:
    """K: the keyword sidebar in the list's place."""
    assert shot(snap_compare, reader(), (80, 24), ["j", "K"])


@pytest.mark.slow
def test_160x48_panes(snap_compare: Any, reader: Callable[..., Any]) -> None:
    """Side by side: the list under date headings, the article, the keyword sidebar."""
    assert shot(snap_compare, reader(), (160, 48), ["j", "j", "s", "enter", "h"])
