"""Markdown in the reader shows all of an article: a code line wider than the reader says
so and scrolls into view with the arrow keys; a table keeps its columns' alignment."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from briefing.tui.app import BODY_DELAY
from briefing.tui.screens.help import HelpScreen
from briefing.tui.widgets.reader_pane import ReaderPane

LONG_LINE = "call(" + ", ".join(f"argument_{n}" for n in range(12)) + ", LAST_ARGUMENT)"
BODY = f"""Before the code.

```
{LONG_LINE}
short()
```

| Country | Barrels | Note |
|:--------|--------:|:----:|
| Saudi Arabia | 9,000,000 | mid |
| UAE | 3,000 | x |

After the table.
"""


def reader_lines(app: Any) -> list[str]:
    """The reader pane's part of each screen line, as a person sees it."""
    reader = app.query_one(ReaderPane).region
    return [
        strip.text[reader.x : reader.right]
        for strip in app.screen._compositor.render_strips()[reader.y : reader.bottom]
    ]


@pytest.mark.slow
async def test_a_code_line_wider_than_the_reader_is_marked_and_scrolls_into_view(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    add_article: Callable[..., int],
) -> None:
    add_article(sample_db, "2099-01-01", ["code"], title="Code", body=BODY)
    async with running(sample_db, size=(120, 30)) as (app, pilot):
        await pilot.pause(BODY_DELAY + 0.1)
        await settle(pilot)
        (cut,) = [line for line in reader_lines(app) if "call(argument_0" in line]
        assert "LAST_ARGUMENT" not in cut
        assert cut.rstrip().endswith("→"), cut  # the line goes on
        assert not any("short()" in line and "→" in line for line in reader_lines(app))
        await pilot.press("tab")  # into the reader
        for _ in range(12):
            await pilot.press("right")
        await settle(pilot)
        (scrolled,) = [line for line in reader_lines(app) if "argument_1" in line]
        assert "LAST_ARGUMENT)" in scrolled and "→" not in scrolled, scrolled
        assert "←" in scrolled  # and it started further left
        for _ in range(12):
            await pilot.press("left")
        await settle(pilot)
        assert any("call(argument_0" in line for line in reader_lines(app))
        await pilot.press("question_mark")  # the help says so
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_lines = app.screen.text.plain.splitlines()
        assert any("right" in line and "Code blocks right" in line for line in help_lines)


async def test_table_columns_keep_their_alignment(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    add_article: Callable[..., int],
) -> None:
    add_article(sample_db, "2099-01-01", ["tables"], title="Table", body=BODY)
    async with running(sample_db, size=(120, 30)) as (app, pilot):
        await pilot.pause(BODY_DELAY + 0.1)
        await settle(pilot)
        lines = reader_lines(app)
        big = next(line for line in lines if "9,000,000" in line)
        small = next(line for line in lines if "3,000 " in line)
        assert big.index("9,000,000") + len("9,000,000") == small.index("3,000") + len("3,000")
        # Centred: "x" sits in the middle of the column "mid" fills.
        assert small.index("x") == big.index("mid") + 1
        assert big.index("Saudi") == small.index("UAE")  # left, as before
