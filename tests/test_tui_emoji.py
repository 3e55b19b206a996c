"""Emoji sequences whose width terminals disagree on (joined by ZWJ, flags, VS16, skin
tones) must not push the reader's borders aside: every line the reader draws has to be
as wide by every terminal's measure as Textual laid it out."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import get_character_cell_size
from wcwidth import wcwidth

from briefing.sanitize import for_terminal
from briefing.store import Store
from briefing.tui.app import BODY_DELAY

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # man ZWJ woman ZWJ ...
FLAG = "\U0001f1fa\U0001f1e6"  # regional indicators U, A
RAINBOW = "\U0001f3f3\ufe0f\u200d\U0001f308"
HEART = "\u2764\ufe0f"  # a text-default heart made emoji by VS16
THUMB = "\U0001f44d\U0001f3fd"  # with a skin tone
KEYCAP = "1\ufe0f\u20e3"
SEQUENCES = {
    "family": FAMILY,
    "flag": FLAG,
    "rainbow": RAINBOW,
    "heart": HEART,
    "thumb": THUMB,
    "keycap": KEYCAP,
}


def per_code_point(text: str) -> int:
    """The width a terminal that does not join clusters gives ``text`` (xterm, the Linux
    console, screen, pyte) by Rich's table and wcwidth's: -1 when the two disagree."""
    rich = sum(get_character_cell_size(character) for character in text)
    wc = sum(max(0, wcwidth(character)) for character in text)
    return rich if rich == wc else -1


@pytest.mark.parametrize("sequence", SEQUENCES.values(), ids=SEQUENCES.keys())
async def test_every_line_is_as_wide_in_every_terminal(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    add_article: Callable[..., int],
    sequence: str,
) -> None:
    add_article(
        sample_db,
        "2099-12-01",
        [f"{sequence} keyword", "plain keyword"],
        title=f"{sequence}{sequence} Title with {sequence} inside",
        body=f"{sequence} {sequence} {sequence} body text.\n\nPlain words.",
    )
    async with running(sample_db, size=(120, 30)) as (app, pilot):
        await pilot.pause(BODY_DELAY + 0.1)
        await settle(pilot)
        assert app.article is not None and sequence in app.article.title  # stored whole
        lines = app.screen._compositor.render_strips()
        widths = {y: per_code_point(strip.text) for y, strip in enumerate(lines)}
        assert all(width == 120 for width in widths.values()), {
            y: (width, lines[y].text) for y, width in widths.items() if width != 120
        }
        assert for_terminal(sequence) in "".join(strip.text for strip in lines)


def test_the_sidebar_border_stays_in_its_column_on_a_terminal(
    sample_db: Path, pty: Callable[..., Any], add_article: Callable[..., int]
) -> None:
    """What pyte (per code point, as xterm) shows: the sidebar's border in one column."""
    add_article(
        sample_db,
        "2099-12-01",
        [f"{FAMILY} families", f"{FLAG} flags"],
        title=f"{FAMILY} Families {FLAG} and {HEART}",
        body=f"{FAMILY} body {THUMB} text {RAINBOW}.",
    )
    with Store.open(sample_db) as store:
        assert store.articles.newest_first(limit=1)[0].title.startswith(FAMILY)
    argv = [sys.executable, "-m", "briefing", "read", "--db", str(sample_db)]
    with pty(argv, 120, 30) as terminal:
        terminal.wait_for("Quit", timeout=60)
        terminal.wait_for("families")
        terminal.settle(0.5)
        buffer = terminal.screen.buffer
        rows = range(1, 29)  # between the status line and the footer
        columns = {y: [x for x in range(120) if buffer[y][x].data == "▏"] for y in rows}
        assert len({tuple(found) for found in columns.values()}) == 1, (columns, terminal.text())
