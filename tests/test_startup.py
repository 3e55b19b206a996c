"""What each command loads: a script's `briefing list` must not pay for YAKE, feeds or Textual.

Start-up time itself is measured by the benchmarks (``python -m benchmarks.run
--only startup``); these tests keep the imports that made it slow from coming back.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import click
import pytest

from briefing.cli import COMMANDS, cli, short_help
from briefing.models import ArticleFilter

HEAVY = ("yake", "numpy", "feedparser", "textual", "textual_serve", "markdown_it", "sqlite_utils")


def loaded_by(args: list[str], db: Path | None = None) -> set[str]:
    """The top-level modules loaded by running ``briefing ARGS`` with output to a pipe."""
    code = (
        "import sys, json\n"
        "from briefing.cli import cli\n"
        "try:\n"
        f"    cli.main({args!r}, prog_name='briefing', standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    env_args = ["--db", str(db)] if db else []
    code = code.replace(f"{args!r}", repr([*env_args, *args]))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [["list", "-n", "20"], ["search", "oil"], ["keywords"], ["show", "1"], ["stats"]],
)
def test_reading_commands_in_a_pipe_load_nothing_heavy(sample_db: Path, args: list[str]) -> None:
    loaded = loaded_by(args, sample_db)
    assert "briefing" in loaded and "click" in loaded
    assert not loaded & {*HEAVY, "rich"}, loaded & {*HEAVY, "rich"}


def test_help_loads_no_command_and_no_store() -> None:
    code = (
        "import sys\n"
        "from briefing.cli import cli\n"
        "try:\n"
        "    cli.main(['--help'], prog_name='briefing', standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('briefing.store.', 'briefing.cli.'))"
        " or m.split('.')[0] in ('rich', 'yake', 'textual', 'sqlite_utils')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = result.stdout.strip().splitlines()[-1]
    assert loaded == (
        "['briefing.cli.options', 'briefing.cli.streams', 'briefing.store.errors']"
    ), result.stdout


@pytest.mark.parametrize("width", [60, 80, 200])
def test_help_lists_every_command_as_its_own_help_does(width: int) -> None:
    ctx = click.Context(cli, terminal_width=width)
    limit = width - 6 - max(len(name) for name in COMMANDS)
    for name, (_, summary) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None
        assert short_help(summary, limit) == command.get_short_help_str(limit), name
    assert sorted(COMMANDS) == cli.list_commands(ctx)


def test_the_reader_loads_no_markdown_parser_before_its_first_screen() -> None:
    """The body's parser (markdown-it, 20 ms) comes with the first body, after the first
    screen; Textual's Markdown widget (pygments' lexers) and Footer are not used at all."""
    code = (
        "import sys\n"
        "import briefing.cli.reader, briefing.tui.app\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('markdown_it', 'pygments', 'yake', 'numpy', 'feedparser', 'sqlite_utils', 'linkify_it')"
        " or m in ('textual.widgets._markdown', 'textual.widgets._footer')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_the_reader_loads_no_dialog_or_config_parser_it_does_not_show() -> None:
    """The screens a key opens (help, links, saved views, trends) are loaded by that key,
    and an empty or missing config needs no TOML parser."""
    code = (
        "import sys\n"
        "import briefing.cli.reader, briefing.tui.app\n"
        "from briefing.config import load_config\n"
        "from pathlib import Path\n"
        "load_config(Path(sys.argv[1]))\n"
        "print(sorted(m for m in sys.modules if m.startswith('briefing.tui.screens.')"
        " and m != 'briefing.tui.screens.main' or m == 'tomllib'))\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "config.toml"
        empty.write_text("\n")
        result = subprocess.run(
            [sys.executable, "-c", code, str(empty)], capture_output=True, text=True
        )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


async def test_keys_typed_straight_after_slash_go_into_the_search_box(
    sample_db: Path, settle: Callable[..., Awaitable[None]], running: Callable[..., Any]
) -> None:
    """The first "/" of a session: "quota" typed at once is a search, not q for Quit."""
    from textual.widgets import Input

    async with running(sample_db) as (app, pilot):
        await pilot.press("slash", *"quota")
        await settle(pilot)
        assert app.is_running
        assert app.query_one("#search-input", Input).value == "quota"


async def test_the_hidden_lists_are_mounted_after_the_first_screen(sample_db: Path) -> None:
    """The keyword sidebar's lists and the related list (OptionLists, ~22 ms to mount and
    style) are not in the first frame; they come once it is painted, with what they were
    given meanwhile."""
    from textual.widgets import OptionList

    from briefing.config import Config
    from briefing.store import Store
    from briefing.tui.app import BriefingApp
    from briefing.tui.widgets.related_list import RelatedList

    at_first_screen: list[int] = []  # OptionLists mounted when the open article is drawn

    class Reader(BriefingApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            if renderable is not None and self.article is not None and not at_first_screen:
                at_first_screen.append(len(self.query(OptionList)))
            super()._display(screen, renderable)

    store = Store.open(sample_db)
    app = Reader(store, Config())
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            lists = [*app.query("#top-keywords").results(OptionList), *app.query(RelatedList)]
            if len(lists) == 2 and all(found.option_count for found in lists):
                break
        assert at_first_screen == [0]
        assert app.query_one("#top-keywords", OptionList).option_count > 0
        assert app.query_one(RelatedList).option_count > 0
    store.close()


async def test_the_first_frame_holds_the_list_and_the_open_article(sample_db: Path) -> None:
    """The list's first page and the article under the cursor are read before the first
    frame, which shows them both (not an empty list filled over the next frames)."""
    from textual.widgets import Static

    from briefing.config import Config
    from briefing.store import Store
    from briefing.tui.app import BriefingApp
    from briefing.tui.widgets.article_list import ArticleList

    first_frame: list[tuple[int | None, int | None, str]] = []  # list's, reader's, title

    class Reader(BriefingApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            if renderable is not None and not first_frame:
                current = self.query_one(ArticleList).current
                title = str(self.query_one("#reader-title", Static).content)
                first_frame.append(
                    (current and current.id, self.article and self.article.id, title)
                )
            super()._display(screen, renderable)

    store = Store.open(sample_db)
    newest = store.articles.newest_first(ArticleFilter(), 1, 0)[0]
    app = Reader(store, Config())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
    store.close()
    assert first_frame == [(newest.id, newest.id, newest.title)]


def test_the_reader_compiles_no_script_pattern_when_it_loads() -> None:
    """The CJK character classes (4-5 ms for re to compile) wait for the first text
    that needs them; the reader imports the store, which imports them."""
    code = (
        "import briefing.cli.reader, briefing.tui.app, briefing.scripts\n"
        "print(briefing.scripts._pattern.cache_info().currsize)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "0", result.stdout + result.stderr
