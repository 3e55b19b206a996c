"""With NO_COLOR the reader has only text attributes to show where its cursors are:
every list's cursor must show whether the list has focus or not, and differently, so
a person sees both the row chosen and where the keys go."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pyte
import pytest
from rich.segment import Segment
from textual.color import Color
from textual.filter import NoColor
from textual.widgets import OptionList

from briefing.store import Store
from briefing.tui.app import BODY_DELAY
from briefing.tui.widgets.reader_pane import ReaderPane

ATTRIBUTES = ("reverse", "underscore", "bold", "italics", "blink", "strikethrough")


def row_marks(screen: pyte.Screen, y: int, columns: range) -> set[str]:
    """The attributes a terminal shows on the non-blank cells of part of a row."""
    line = screen.buffer[y]
    return {
        name
        for x in columns
        if line[x].data.strip()
        for name in ATTRIBUTES
        if getattr(line[x], name)
    }


@pytest.mark.slow
def test_the_list_cursor_shows_on_the_terminal_with_focus_and_without(
    sample_db: Path, pty: Callable[..., Any]
) -> None:
    with Store.open(sample_db) as store:
        titles = [a.title for a in store.articles.newest_first(limit=2)]
    argv = [sys.executable, "-m", "briefing", "read", "--db", str(sample_db)]
    with pty(argv, 120, 30, env={"NO_COLOR": "1"}) as terminal:
        terminal.wait_for("Quit", timeout=60)
        terminal.settle(0.5)
        lines = terminal.text().splitlines()
        cursor, other = (
            next(y for y, line in enumerate(lines) if title[:12] in line) for title in titles
        )
        in_list = range(0, 40)
        focused = row_marks(terminal.screen, cursor, in_list)
        assert focused - row_marks(terminal.screen, other, in_list), terminal.text()
        terminal.send("\t")  # the keys go to the reader now
        terminal.settle(0.5)
        blurred = row_marks(terminal.screen, cursor, in_list)
        assert blurred - row_marks(terminal.screen, other, in_list), "no cursor without focus"
        assert blurred != focused, "the list looks focused when it is not"


def marks(segments: list[Segment]) -> set[str]:
    """The text attributes left on a line once Textual has taken its colours away."""
    shown = NoColor().apply(list(segments), Color(0, 0, 0))
    return {
        name
        for segment in shown
        if segment.text.strip() and segment.style is not None
        for name in ("reverse", "underline", "bold", "italic", "blink", "strike")
        if getattr(segment.style, name)
    }


def shown(options: OptionList, index: int) -> set[str]:
    """The marks on the first line of one option, as drawn."""
    first_line = next(y for y, (option, _) in enumerate(options._lines) if option == index)
    return marks(list(options.render_line(first_line - int(options.scroll_y))))


@pytest.mark.slow
async def test_every_option_list_shows_its_highlight_with_focus_and_without(
    sample_db: Path, settle: Callable[..., Awaitable[None]], running: Callable[..., Any]
) -> None:
    async with running(sample_db, size=(120, 30)) as (app, pilot):
        await pilot.pause(BODY_DELAY + 0.1)
        await settle(pilot)
        for selector in ("#top-keywords", "#article-keywords", "#related"):
            options = app.query_one(selector, OptionList)
            options.highlighted = 1
            await settle(pilot)
            assert app.focused is not options
            blurred = shown(options, 1) - shown(options, 2)
            assert blurred, f"{selector}: no highlight without focus"
            options.focus()
            await settle(pilot)
            focused = shown(options, 1) - shown(options, 2)
            assert focused and focused != blurred, selector
            app.query_one(ReaderPane).focus()
            await settle(pilot)
