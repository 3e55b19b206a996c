"""Sending only the cells that change: the terminal must end up showing the same.

Frames are made the way Textual makes them (Rich styles rendered by Textual's
own Strip, placed with cursor moves), fed to one emulated terminal (pyte) as
they are and to another through :class:`ScreenDiff`; after every frame both
screens must agree in every cell's character, colours and attributes.
"""

from __future__ import annotations

import fcntl
import os
import random
import re
import select
import shutil
import struct
import sys
import termios
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyte
import pytest
from rich.cells import cell_len as rich_cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from briefing.tui.terminal.driver import FrameDiffer
from briefing.tui.terminal.screen_diff import ScreenDiff

COLUMNS, ROWS = 40, 12
CONSOLE = Console(color_system="truecolor", force_terminal=True)
STYLES = [
    None,
    Style(color="#e0e0e0", bgcolor="#1e1e1e"),
    Style(color="#e0e0e0", bgcolor="#1e1e1e", bold=True),
    Style(color="#ffcc00", bgcolor="#1e1e1e", italic=True),
    Style(color="bright_white", bgcolor="blue", reverse=True),
    Style(color="yellow", bgcolor="blue", reverse=True),
    Style(color="color(67)", bgcolor="color(233)", underline=True),
    Style(bgcolor="#1e1e1e"),
    Style(color="#e0e0e0", bgcolor="#1e1e1e", bold=True, dim=True),
    Style(color="#e0e0e0", bgcolor="#1e1e1e", dim=True, strike=True),
    Style(color="red", bold=True, underline=True),
]
WORDS = [
    "oil",
    "OPEC",
    "cut",
    "Brussels",
    " ",
    "  ",
    "…",
    "▆",
    "★",
    "石油",
    "東京",
    "café",
    "e\u0301",
]


def emulator() -> tuple[pyte.Screen, pyte.Stream]:
    screen = pyte.Screen(COLUMNS, ROWS)
    return screen, pyte.Stream(screen)


def cells(screen: pyte.Screen, columns: int = COLUMNS) -> list[list[tuple[object, ...]]]:
    """Every cell as a person sees it: a space shows its background, and its foreground
    only if reversed or with a line through it; not its weight or slant otherwise."""
    return [[seen(screen.buffer[y][x]) for x in range(columns)] for y in range(screen.lines)]


def seen(cell: pyte.screens.Char) -> tuple[object, ...]:
    if cell.data == " " and not (cell.reverse or cell.underscore or cell.strikethrough):
        return (" ", None, cell.bg)
    return tuple(cell)


def line(rng: random.Random, width: int) -> Strip:
    """A line of styled words exactly ``width`` cells wide, as a widget renders one."""
    segments: list[Segment] = []
    used = 0
    while used < width:
        word = rng.choice(WORDS)
        segment = Segment(word, rng.choice(STYLES))
        if used + segment.cell_length > width:
            segment = Segment(" " * (width - used), STYLES[1])
        segments.append(segment)
        used += segment.cell_length
    return Strip(segments, width)


def frame(rng: random.Random, overlapping: bool) -> str:
    """A Textual frame: a few regions (widgets), each rewritten line by line.

    Textual's regions in one frame do not overlap; ``overlapping`` ones may
    split a wide character drawn earlier in the same frame, which the diff
    cannot know a terminal's answer to, so it writes such frames as they are.
    """
    parts = []
    bands = sorted(rng.sample(range(1, ROWS), 2))
    for top, bottom in zip([0, *bands], [*bands, ROWS], strict=True):
        if overlapping:
            top, bottom = rng.randrange(ROWS), ROWS
        x = rng.randrange(COLUMNS - 1)
        width = rng.randint(1, COLUMNS - x)
        for y in range(top, rng.randint(top + 1, bottom)):
            parts.append(f"\x1b[{y + 1};{x + 1}H{line(rng, width).render(CONSOLE)}")
    return "\n".join(parts)


@pytest.mark.parametrize("overlapping", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_the_screen_shown_is_the_screen_textual_drew(seed: int, overlapping: bool) -> None:
    rng = random.Random(seed)
    plain, plain_stream = emulator()
    diffed, diffed_stream = emulator()
    screen = ScreenDiff()
    for number in range(60):
        update = frame(rng, overlapping)
        output = screen.feed(update, (COLUMNS, ROWS))
        if not overlapping:
            assert output != update, "a frame Textual could write was written as it is"
        plain_stream.feed(update)
        diffed_stream.feed(output)
        assert cells(diffed) == cells(plain), f"frame {number} differs"


def test_a_frame_that_changes_nothing_sends_nothing() -> None:
    screen = ScreenDiff()
    rng = random.Random(1)
    update = "".join(f"\x1b[{y + 1};1H{line(rng, COLUMNS).render(CONSOLE)}" for y in range(ROWS))
    assert screen.feed(update, (COLUMNS, ROWS))
    assert screen.feed(update, (COLUMNS, ROWS)) == ""


def test_one_changed_word_sends_only_that_word() -> None:
    screen = ScreenDiff()
    style = STYLES[1]
    before = Strip([Segment("Oil prices rise as OPEC cuts output", style)]).render(CONSOLE)
    after = Strip([Segment("Oil prices fall as OPEC cuts output", style)]).render(CONSOLE)
    screen.feed(f"\x1b[3;1H{before}", (COLUMNS, ROWS))
    output = screen.feed(f"\x1b[3;1H{after}", (COLUMNS, ROWS))
    assert "fall" in output
    assert "Oil" not in output and "OPEC" not in output
    assert len(output) < 60  # a move, one colour, the word, the cursor put back, a reset


def test_anything_it_cannot_follow_is_written_as_it_is_and_the_next_frame_in_full() -> None:
    screen = ScreenDiff()
    text = "\x1b[1;1H\x1b[1mheadline\x1b[0m"
    screen.feed(text, (COLUMNS, ROWS))
    clear = "\x1b[2J\x1b[1;1Hx"
    assert screen.feed(clear, (COLUMNS, ROWS)) == clear
    assert "headline" in screen.feed(text, (COLUMNS, ROWS))


def test_a_new_terminal_size_writes_the_next_frame_in_full() -> None:
    screen = ScreenDiff()
    text = "\x1b[1;1Hheadline"
    screen.feed(text, (COLUMNS, ROWS))
    assert screen.feed(text, (COLUMNS, ROWS)) == ""
    assert "headline" in screen.feed(text, (COLUMNS + 10, ROWS))


def test_modes_and_titles_pass_through_and_cells_stay_known() -> None:
    screen = ScreenDiff()
    screen.feed("\x1b[1;1Hheadline", (COLUMNS, ROWS))
    output = screen.feed("\x1b[?1000h\x1b]0;briefing\x07\x1b[1;1Hheadline", (COLUMNS, ROWS))
    assert output == "\x1b[?1000h\x1b]0;briefing\x07"


def linked_text(output: str) -> dict[str, str]:
    """Text written in ``output``, by the hyperlink it was written under ("" for none)."""
    texts: dict[str, str] = {}
    link = ""
    for match in re.finditer(r"\x1b\]8;([^\x1b]*)\x1b\\|\x1b\[[\d;]*[A-Za-z]|([^\x1b]+)", output):
        if match.group(2) is not None:
            texts[link] = texts.get(link, "") + match.group(2)
        elif match.group(1) is not None:
            link = "" if match.group(1) == ";" else match.group(1)
    return texts


def test_links_open_and_close_around_their_cells() -> None:
    screen = ScreenDiff()
    link = "\x1b]8;id=1;https://example.org/\x1b\\"
    output = screen.feed(f"\x1b[1;1Hsee {link}here\x1b]8;;\x1b\\ now", (COLUMNS, ROWS))
    assert linked_text(output) == {"": "see  now", "id=1;https://example.org/": "here"}
    assert output.endswith("\x1b]8;;\x1b\\") or "\x1b]8;;\x1b\\" in output  # closed
    # The same text without the link: only the four linked cells change.
    output = screen.feed("\x1b[1;1Hsee here now", (COLUMNS, ROWS))
    assert linked_text(output) == {"": "here"}


def test_a_wide_character_half_overwritten_is_written_whole() -> None:
    screen = ScreenDiff()
    screen.feed("\x1b[1;1Hab東京cd", (COLUMNS, ROWS))
    # Column 4 (the right half of 東) becomes "x": the terminal blanks 東's left half,
    # so that cell is written again too.
    output = screen.feed("\x1b[1;1Hab x京cd", (COLUMNS, ROWS))
    assert " x" in output


def test_plain_text_over_half_a_wide_character_drawn_before_is_not_trusted() -> None:
    """A frame of ASCII alone over the right half of a wide character an earlier frame
    drew: the terminal blanks the left half, so that cell is no longer known, and the
    next frame that draws the wide character writes it again."""
    screen = ScreenDiff()
    line = "\x1b[1;1Hab東京cd"
    screen.feed(line, (COLUMNS, ROWS))
    screen.feed("\x1b[1;4Hx", (COLUMNS, ROWS))  # column 4: the right half of 東
    assert "東" in screen.feed(line, (COLUMNS, ROWS))


KEYS_PRESSED = ["j", "j", "K", "?", "\x1b", "/", *"oil", "\r", "j", "S", "\t"]


def reader_screens(
    pty: Callable[..., Any], db: Path, config: Path
) -> tuple[list[list[list[tuple[object, ...]]]], int]:
    """What the reader shows after each key, and the bytes it wrote for them all."""
    argv = [sys.executable, "-m", "briefing", "read", "--db", str(db)]
    screens = []
    with pty(argv, 100, 30, env={"BRIEFING_CONFIG": str(config)}) as terminal:
        terminal.wait_for(lambda text: "Quit" in text, timeout=60)
        terminal.settle(0.5)
        start = terminal.bytes_read
        for key in KEYS_PRESSED:
            terminal.send(key)
            terminal.settle(0.8)  # quiet for long enough that every worker has drawn
            screens.append(cells(terminal.screen, 100))
        return screens, terminal.bytes_read - start


@pytest.mark.slow
def test_the_reader_looks_the_same_with_a_fraction_of_the_bytes(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pty: Callable[..., Any]
) -> None:
    monkeypatch.delenv("NO_COLOR")  # colours, as most terminals have them
    results = {}
    for output in ("full", "diff"):
        db = tmp_path / output / "briefing.db"
        db.parent.mkdir()
        shutil.copy(sample_db, db)
        config = tmp_path / output / "config.toml"
        config.write_text(f'output = "{output}"\nmark_read = "never"\n')
        results[output] = reader_screens(pty, db, config)
    (full_screens, full_bytes), (diff_screens, diff_bytes) = results["full"], results["diff"]
    for key, full, diff in zip(KEYS_PRESSED, full_screens, diff_screens, strict=True):
        changed = [
            (x, y, full[y][x], diff[y][x])
            for y in range(30)
            for x in range(100)
            if full[y][x] != diff[y][x]
        ]
        assert not changed, f"the screens differ after {key!r}: {changed[:5]}"
    assert diff_bytes < full_bytes / 3


def test_a_line_through_a_space_keeps_its_own_colour() -> None:
    screen = ScreenDiff()
    output = screen.feed("\x1b[1;1H\x1b[4;31mab\x1b[0m\x1b[4;32m cd\x1b[0m", (COLUMNS, ROWS))
    terminal, stream = emulator()
    stream.feed(output)
    assert terminal.buffer[0][2].fg == "green"


def test_a_combining_mark_after_a_wide_character_joins_it() -> None:
    screen = ScreenDiff()
    output = screen.feed("\x1b[1;1H中\u0301z", (COLUMNS, ROWS))
    assert "中\u0301z" in output


def test_the_cursor_ends_where_textual_put_it_even_hidden() -> None:
    screen = ScreenDiff()
    screen.feed("\x1b[?25l\x1b[2;1Hdefg\x1b[1;2H", (COLUMNS, ROWS))
    output = screen.feed("\x1b[2;1Hdefgz\x1b[1;2H", (COLUMNS, ROWS))
    assert output.endswith("\x1b[1;2H")  # an input method's popup follows the caret


def test_a_resize_and_back_between_two_writes_forgets_the_screen() -> None:
    """Shrunk and grown again before the next write: the size is the same, but the
    terminal dropped the cut-off cells, so after SIGWINCH the frame goes in full."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    with os.fdopen(slave, "w", encoding="utf-8") as tty:
        differ = FrameDiffer(tty.fileno())

        def sent(text: str) -> str:
            tty.write(differ.diff(text))
            tty.flush()
            return os.read(master, 4096).decode() if select.select([master], [], [], 0.5)[0] else ""

        frame = "\x1b[1;1Hheadline"
        assert "headline" in sent(frame)
        assert sent(frame) == ""  # nothing changed
        differ.resized()
        assert "headline" in sent(frame)
    os.close(master)


FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # man ZWJ woman ZWJ ...


@pytest.mark.parametrize(
    "cluster",
    [FAMILY, "\u2764\ufe0f", "\U0001f44d\U0001f3fd", "e\u0301"],
    ids=["zwj-family", "vs16-heart", "skin-tone", "combining-accent"],
)
def test_cells_after_a_grapheme_cluster_are_where_textual_put_them(cluster: str) -> None:
    """Textual lays out with Rich's grapheme-aware widths (a family is 2 cells, not 8):
    a rewrite of the cells after one is where the copy has them, so nothing is sent."""
    screen = ScreenDiff()
    screen.feed(f"\x1b[1;1H{cluster}abc\x1b[1;20H|", (COLUMNS, ROWS))
    after = 1 + rich_cell_len(cluster)
    output = screen.feed(f"\x1b[1;{after}Habc\x1b[1;20H|", (COLUMNS, ROWS))
    assert "abc" not in output and "|" not in output
