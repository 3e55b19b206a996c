"""Resizing the reader, as tmux splits and SSH clients do, and what a crash leaves behind."""

from __future__ import annotations

import itertools
import sys
import termios
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Size
from textual.pilot import Pilot

from briefing.tui.widgets.related_list import RelatedList

# Either side of the width where the sidebar folds, and down to a tiny window.
SIZES = [(60, 20), (120, 40), (80, 24), (109, 30), (110, 30), (200, 60), (40, 12), (20, 8)]

CRASH_ON_STAR = (
    "import sys, briefing.tui.app as a\n"
    "a.BriefingApp.action_toggle_star = lambda self: 1 / 0\n"
    "from briefing.cli import main\n"
    "sys.argv = ['briefing', *sys.argv[1:]]\n"
    "main()\n"
)


async def related_shown(
    app: Any, pilot: Pilot[None], settle: Callable[..., Awaitable[None]]
) -> None:
    """Wait until the open article's related briefings are listed (the list that crashed)."""
    for _ in range(50):
        await settle(pilot)
        if app.query_one(RelatedList).option_count:
            return
        await pilot.pause(0.1)
    raise AssertionError("no related briefings were shown")


@pytest.mark.parametrize("start,end", [((120, 40), (60, 20)), ((60, 20), (120, 40))])
async def test_resizing_with_related_articles_shown_never_crashes(
    sample_db: Path,
    start: tuple[int, int],
    end: tuple[int, int],
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
) -> None:
    async with running(sample_db, size=start) as (app, pilot):
        await related_shown(app, pilot, settle)
        for size in (end, start, end):
            await pilot.resize_terminal(*size)
            await settle(pilot)
        assert app.return_code is None  # run_test re-raises a crash on exit as well


@pytest.mark.slow
async def test_every_resize_between_many_sizes_keeps_the_reader_running(
    sample_db: Path,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    screen_text: Callable[..., str],
) -> None:
    async with running(sample_db, size=SIZES[0]) as (app, pilot):
        await related_shown(app, pilot, settle)
        pairs = itertools.permutations(SIZES[:5], 2)  # every way between two of them
        sequence = [*SIZES[1:], *reversed(SIZES), *itertools.chain.from_iterable(pairs)]
        for columns, rows in sequence:
            await pilot.resize_terminal(columns, rows)
            await pilot.pause()  # no settle: the layouts in between are the point
        await settle(pilot)
        assert app.return_code is None
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "briefing" in screen_text(app)


async def test_option_lists_measure_zero_width_as_zero_height(
    sample_db: Path, running: Callable[..., Any], settle: Callable[..., Awaitable[None]]
) -> None:
    async with running(sample_db, size=(120, 40)) as (app, pilot):
        await related_shown(app, pilot, settle)
        related = app.query_one(RelatedList)
        assert related.get_content_height(Size(0, 10), Size(120, 40), 0) == 0
        assert related.get_content_height(Size(3, 10), Size(120, 40), 3) >= 1


@pytest.mark.slow
def test_growing_and_shrinking_the_window_keeps_the_reader_running(
    sample_db: Path, pty: Callable[..., Any]
) -> None:
    argv = [sys.executable, "-m", "briefing", "read", "--db", str(sample_db)]
    # COLUMNS is exported, as some shells do; SIGWINCH goes to a terminal's session.
    terminal = pty(argv, columns=60, rows=20, controlling=True)
    terminal.wait_for("articles", timeout=30)  # the status line: the list is loaded
    terminal.settle(1.0)  # the open article (stacked behind the list), its related briefings
    for columns, rows in ((120, 40), (60, 20), (120, 40), (20, 8), (200, 60)):
        terminal.resize(columns, rows)
        terminal.settle(0.5)
    assert terminal.process.poll() is None, terminal.text()
    assert "Top keywords" in terminal.text()  # it saw 200 columns: the sidebar is back
    terminal.send("q")
    assert terminal.wait_exit() == 0
    assert "Traceback" not in terminal.text()


@pytest.mark.slow
def test_a_crash_exits_non_zero_and_leaves_the_terminal_as_it_found_it(
    sample_db: Path, pty: Callable[..., Any]
) -> None:
    argv = [sys.executable, "-c", CRASH_ON_STAR, "read", "--db", str(sample_db)]
    terminal = pty(argv, columns=100, rows=30)
    before = termios.tcgetattr(terminal.fd)
    terminal.wait_for("words", timeout=30)
    terminal.settle(0.5)
    terminal.send("s")  # ZeroDivisionError in an action
    status = terminal.wait_exit(timeout=20)
    output = bytes(terminal.output)
    assert status == 1
    assert "ZeroDivisionError" in terminal.text()
    # Left the alternate screen after last entering it; the cursor shown; no mouse reports.
    assert output.rfind(b"\x1b[?1049l") > output.rfind(b"\x1b[?1049h")
    assert output.rfind(b"\x1b[?25h") > output.rfind(b"\x1b[?25l")
    assert output.rfind(b"\x1b[?1000l") > output.rfind(b"\x1b[?1000h")
    after = termios.tcgetattr(terminal.fd)  # Linux: master and slave share one termios
    echo = termios.ICANON | termios.ECHO
    assert after[3] & echo == before[3] & echo


@pytest.mark.slow
async def test_resizing_across_110_columns_switches_layout_and_keeps_article_and_cursor(
    sample_db: Path,
    running: Callable[..., Any],
    settle: Callable[..., Awaitable[None]],
    screen_text: Callable[..., str],
    in_front: Callable[[Any], bool],
) -> None:
    from briefing.tui.widgets.article_list import ArticleList
    from briefing.tui.widgets.reader_pane import ReaderPane
    from briefing.tui.widgets.sidebar import KeywordSidebar

    async with running(sample_db, size=(160, 48)) as (app, pilot):
        article_list, reader = app.query_one(ArticleList), app.query_one(ReaderPane)
        sidebar = app.query_one(KeywordSidebar)
        await pilot.press("j", "j", "enter")  # read the third article, side by side
        await settle(pilot)
        opened = app.article
        assert opened is not None and in_front(article_list) and in_front(reader)
        for size in ((109, 30), (110, 30), (80, 24), (200, 60), (40, 12), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert app.article == opened and article_list.cursor == 2, size
            assert in_front(reader) and app.focused is reader, size  # still reading it
            stacked = size[0] < 110
            assert in_front(article_list) is not stacked, size
        assert opened.title[:30] in screen_text(app)
        await pilot.press("escape")  # back to the list, at 80x24: the same row
        await settle(pilot)
        assert in_front(article_list) and article_list.cursor == 2 and not reader.display
        await pilot.press("j", "K")  # the keywords in front; then room for panes again
        await settle(pilot)
        assert in_front(sidebar) and not in_front(article_list)
        for size in ((160, 48), (80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            focused = app.focused
            assert focused is not None and all(n.display for n in focused.ancestors_with_self)
            assert article_list.cursor == 3, size
        assert in_front(article_list) and in_front(reader) and app.article == opened
