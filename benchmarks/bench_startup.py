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

With ``before`` (``--startup-before DIR`` in ``benchmarks.run``: a copy of an
older ``briefing`` package's parent directory, e.g. from ``git archive``), the
reader's figures are also taken for that copy in the same run, turn about, so a
change is measured against what it replaced on the same machine at the same load.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def open_reader(db: Path, state: str, tree: Path | None = None) -> Terminal:
    """``briefing read`` on ``db`` in a pty, its state and an empty config in ``state``;
    the ``briefing`` package from ``tree`` if given, else the one installed."""
    config_file = Path(state) / "config.toml"
    config_file.write_text("")
    env = {"XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state, "BRIEFING_CONFIG": str(config_file)}
    if tree is None:
        argv = [sys.executable, "-m", "briefing"]
    else:
        code = (
            f"import sys; sys.path.insert(0, {str(tree)!r}); from briefing.cli import main; main()"
        )
        argv = [sys.executable, "-c", code]
    return Terminal([*argv, "read", "--db", str(db)], COLUMNS, ROWS, env=env)


def first_screens(
    db: Path, repeat: int = 11, before: Path | None = None
) -> dict[str, tuple[float, float]]:
    """For the reader (and the ``before`` copy): median seconds to its first screen and the
    median ratio to the empty app's, each reader taken turn about with the empty app."""
    probe = _newest_title(db)
    trees: dict[str, Path | None] = {"now": None}
    if before is not None:
        trees["before"] = before
    times: dict[str, list[float]] = {name: [] for name in trees}
    ratios: dict[str, list[float]] = {name: [] for name in trees}
    empty: list[float] = []
    for _ in range(repeat):
        for name, tree in trees.items():
            with tempfile.TemporaryDirectory() as state:
                with open_reader(db, state, tree) as terminal:
                    times[name].append(terminal.wait_for(lambda s: probe in s, timeout=60))
                with Terminal([sys.executable, "-c", EMPTY_APP], COLUMNS, ROWS) as terminal:
                    empty.append(terminal.wait_for("empty app ready", timeout=60))
            ratios[name].append(times[name][-1] / empty[-1])
    result = {name: (median(times[name]), median(ratios[name])) for name in trees}
    result["empty"] = (median(empty), 1.0)
    return result


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
    # The first byte may come after more than QUIET on a loaded machine (a lone Esc
    # used to wait 100-200 ms before it was even read): wait for it, then for quiet.
    waited = time.perf_counter()
    while terminal.last_output < sent and time.perf_counter() - waited < 10:
        terminal.pump(0.01)
    terminal.settle(QUIET, timeout=30)
    return max(0.0, terminal.last_output - sent)


def open_and_leave(db: Path, articles: int = 15, tree: Path | None = None) -> tuple[float, float]:
    """Median seconds from Enter on a row to the article drawn, and from Esc to the list."""
    probe = _newest_title(db)
    opened, left = [], []
    with tempfile.TemporaryDirectory() as state, open_reader(db, state, tree) as terminal:
        terminal.wait_for(lambda screen: probe in screen, timeout=60)
        for _ in range(articles):
            terminal.send(KEYS["down"])
            opened.append(_last_byte_after(terminal, "enter"))
            left.append(_last_byte_after(terminal, "escape"))
    return median(opened), median(left)


def run(report: Report, stores: dict[str, Path], before: Path | None = None) -> None:
    """The start-up figures at each size of store (36 sample articles, and the big one)."""
    # Stale .pyc files are compiled again on every start when PYTHONDONTWRITEBYTECODE is
    # set (51 ms for the reader's modules): compile them once, as an install does.
    for tree in (Path(__file__).parent.parent, before):
        if tree is not None:
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", str(tree / "briefing")], check=True
            )
    for name, db in stores.items():
        screens = first_screens(db, before=before)
        empty = screens.pop("empty")[0]
        for version, (reader, ratio) in screens.items():
            label = "" if version == "now" else f" ({version}: {before})"
            report.add(
                Figure(
                    f"reader first screen, {name}{label}",
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
        keys = {"now": open_and_leave(db)}
        if before is not None:
            keys["before"] = open_and_leave(db, tree=before)
        for version, (enter, escape) in keys.items():
            label = "" if version == "now" else f" ({version})"
            report.add(
                Figure(
                    f"Enter to the article drawn, median, {name}{label}",
                    ms(enter),
                    target="<= 80 ms",
                    ok=enter <= 0.08,
                )
            )
            report.add(
                Figure(
                    f"Esc back to the list, median, {name}{label}",
                    ms(escape),
                    target="<= 40 ms",
                    ok=escape <= 0.04,
                )
            )
