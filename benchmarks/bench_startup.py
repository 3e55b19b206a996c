"""Start-up: the reader's first screen, the CLI in a script, opening and leaving an article.

Each figure is taken beside a baseline in the same run, turn about, and the
ratio of medians is what should hold on any machine:

* the reader (``python -m briefing read``) from launch to its first screen
  showing the newest article's title, against an empty Textual app (an ``App``
  with one ``Static``) from launch to its text, both in a 100x30 pty;
* ``briefing list -n 20``, ``briefing search`` and ``briefing --help`` in a
  pipe, against ``python -c "import click, sqlite3"``: the floor of any Python
  command line that reads SQLite;
* in the reader, Enter on a list row until the last byte of the article is
  written, and Esc back to the list until its last byte: the time a person
  waits for the screen to be still.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_reader import open_reader
from benchmarks.report import Figure, Report, median, ms
from benchmarks.terminal import KEYS, Terminal
from briefing.store import Store

COLUMNS, ROWS = 100, 30
QUIET = 0.3  # seconds without a byte: the screen is drawn

EMPTY_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Empty(App):\n"
    "    def compose(self):\n"
    "        yield Static('empty app ready')\n"
    "Empty().run()\n"
)
CLI_FLOOR = [sys.executable, "-c", "import click, sqlite3"]


def _newest_title(db: Path) -> str:
    with Store.open(db, create=False) as store:
        newest = store.articles.newest_first(limit=1)
    return newest[0].title[:24] if newest else "No articles yet"


def first_screens(db: Path, repeat: int = 5) -> tuple[float, float, float]:
    """Median seconds to the reader's first screen and to the empty app's, and the median
    of their ratios, taken turn about."""
    probe = _newest_title(db)
    reader, empty, ratios = [], [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as state:
            with open_reader(db, state) as terminal:
                reader.append(terminal.wait_for(lambda screen: probe in screen, timeout=60))
            with Terminal([sys.executable, "-c", EMPTY_APP], COLUMNS, ROWS) as terminal:
                empty.append(terminal.wait_for("empty app ready", timeout=60))
        ratios.append(reader[-1] / empty[-1])
    return median(reader), median(empty), median(ratios)


def _wall(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def command_lines(db: Path, repeat: int = 15) -> dict[str, tuple[float, float, float]]:
    """For each command: its median wall time, the floor's, and the median ratio (pairs)."""
    briefing = [sys.executable, "-m", "briefing", "--db", str(db)]
    commands = {
        "list -n 20": [*briefing, "list", "-n", "20"],
        "search": [*briefing, "search", "oil"],
        "--help": [sys.executable, "-m", "briefing", "--help"],
    }
    results = {}
    for name, argv in commands.items():
        _wall(argv), _wall(CLI_FLOOR)  # warm the page cache
        pairs = [(_wall(argv), _wall(CLI_FLOOR)) for _ in range(repeat)]
        results[name] = (
            median([a for a, _ in pairs]),
            median([b for _, b in pairs]),
            median([a / b for a, b in pairs]),
        )
    return results


def _last_byte_after(terminal: Terminal, key: str) -> float:
    """Send a key; seconds from sending it to the last byte written before a quiet spell."""
    terminal.settle(QUIET)
    sent = time.perf_counter()
    terminal.send(KEYS[key])
    terminal.settle(QUIET, timeout=30)
    return max(0.0, terminal.last_output - sent)


def open_and_leave(db: Path, articles: int = 12) -> tuple[float, float]:
    """Median seconds from Enter on a row to the article drawn, and from Esc to the list."""
    probe = _newest_title(db)
    opened, left = [], []
    with tempfile.TemporaryDirectory() as state, open_reader(db, state) as terminal:
        terminal.wait_for(lambda screen: probe in screen, timeout=60)
        for _ in range(articles):
            terminal.send(KEYS["down"])
            opened.append(_last_byte_after(terminal, "enter"))
            left.append(_last_byte_after(terminal, "escape"))
    return median(opened), median(left)


def run(report: Report, stores: dict[str, Path]) -> None:
    """The start-up figures at each size of store (36 sample articles, and the big one)."""
    for name, db in stores.items():
        reader, empty, ratio = first_screens(db)
        report.add(
            Figure(
                f"reader first screen, {name}",
                ms(reader),
                baseline=f"empty Textual app {ms(empty)}",
                ratio=f"{ratio:.2f}",
                target="<= 1.5",
                ok=ratio <= 1.5,
            )
        )
        for command, (value, floor, ratio) in command_lines(db).items():
            report.add(
                Figure(
                    f"briefing {command}, {name}",
                    ms(value),
                    baseline=f"python -c 'import click, sqlite3' {ms(floor)}",
                    ratio=f"{ratio:.2f}",
                    target="<= 2.5",
                    ok=ratio <= 2.5,
                )
            )
        enter, escape = open_and_leave(db)
        report.add(
            Figure(
                f"Enter to the article drawn, {name}",
                ms(enter),
                target="<= 80 ms",
                ok=enter <= 0.08,
            )
        )
        report.add(
            Figure(
                f"Esc back to the list, {name}", ms(escape), target="<= 40 ms", ok=escape <= 0.04
            )
        )
