"""Hostile article text: escape sequences and markup never reach the terminal as such."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from briefing.cli import cli
from briefing.cli import output as render
from briefing.sanitize import clean_line, clean_text
from briefing.store import Store

HOSTILE_TITLE = "Evil [bold]bold[/] [@click=app.quit]quit[/] \x1b]0;owned\x07 \x1b[2J title"
HOSTILE = (
    f"date 2025-05-05 {HOSTILE_TITLE} about the OPEC cut.\n\n"
    "Body with \x1b]52;c;ZXZpbA==\x07 clipboard, \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ "
    "and a bell \x07 and C1 \x9b2J controls. [red]Not red[/red] OPEC OPEC.\n"
)


@pytest.mark.parametrize(
    "sequence",
    [
        "\x1b[2J",
        "\x1b]52;c;aGk=\x07",
        "\x1b]0;title\x1b\\",
        "\x1b]8;;http://x\x1b\\",
        "\x07",
        "\x9b31m",
        "\x1bc",
    ],
)
def test_escape_sequences_are_removed_whole(sequence: str) -> None:
    cleaned = clean_text(f"before{sequence}after")
    assert cleaned == "beforeafter"


def test_newlines_tabs_and_unicode_survive() -> None:
    text = "Zoë\tMüller\n東京 🚀 مرحبا"
    assert clean_text(text) == text
    assert clean_line(" a \n b ") == "a b"


@pytest.fixture
def hostile_db(tmp_path: Path, write: Callable[[Path, str | bytes], Path]) -> Path:
    db = tmp_path / "h.db"
    write(tmp_path / "in" / "evil.txt", HOSTILE)
    result = CliRunner().invoke(cli, ["ingest", "--db", str(db), str(tmp_path / "in")])
    assert result.exit_code == 0, result.output
    return db


def test_hostile_article_is_stored_without_controls(hostile_db: Path) -> None:
    with Store.open(hostile_db) as store:
        (summary,) = store.articles.newest_first()
        article = store.articles.get(summary.id)
    assert article is not None
    for text in (article.title, article.body):
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text)
        assert "\x9b" not in text
    assert "[bold]bold[/]" in article.title  # markup kept literally, as text


@pytest.mark.parametrize("command", [["list"], ["show", "1"], ["search", "OPEC"], ["keywords"]])
def test_cli_output_has_no_escapes_in_a_pipe(hostile_db: Path, command: list[str]) -> None:
    result = CliRunner().invoke(cli, ["--db", str(hostile_db), *command])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_terminal_rendering_shows_markup_literally(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a (recorded) terminal, Rich styles the output but never obeys the article."""
    consoles: list[Console] = []

    def recording_console(stderr: bool = False) -> Console:
        console = Console(
            force_terminal=True, record=True, width=120, markup=False, emoji=False, highlight=False
        )
        consoles.append(console)
        return console

    monkeypatch.setattr(render, "make_console", recording_console)
    with Store.open(hostile_db) as store:
        article = store.articles.get(1)
    assert article is not None
    render.print_article(recording_console(), article, markdown=False)
    render.print_articles(recording_console(), [article])
    for console in consoles:
        text = console.export_text(styles=False)
        assert "[bold]bold[/]" in text
        raw = console.export_text(styles=True)
        assert "]52;" not in raw and "]0;" not in raw and "]8;" not in raw
        assert "\x1b[2J" not in raw


def test_json_output_is_clean(hostile_db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(hostile_db), "show", "1", "--json"])
    data = json.loads(result.stdout)
    assert "\x1b" not in data["title"] + data["body"]
