"""The reader in a real pseudo-terminal: start time, memory, and key press to screen.

Each measurement starts `python -m briefing read` in a pty of 100x30 with its
own empty state directory, and reads the screen through pyte: "the first
screen" is the moment the newest article's title is on it (or, for an empty
database, the empty-list message), and "a key press" lasts until the reader
pane shows the next article's title.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import Figure, Report, median, ms, p95
from benchmarks.terminal import KEYS, Terminal
from briefing.store import Store

COLUMNS, ROWS = 100, 30
READER_FROM = 44  # columns right of the article list (42% of 100, and its border)


FOLLOW = 'preview = "follow"\n'  # the config line that makes the reader follow the cursor
# At 100 columns the reader would stack its panes (one at a time, below 110): the figures
# are of the list and the reader side by side, as they were measured from the start.
PANES = 'layout = "panes"\n'


def open_reader(db: Path, state: str, config: str = "") -> Terminal:
    """The reader on ``db`` in a pty, its state in ``state`` and ``config`` as its config file."""
    config_file = Path(state) / "config.toml"
    config_file.write_text(PANES + config)
    env = {"XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state, "BRIEFING_CONFIG": str(config_file)}
    argv = [sys.executable, "-m", "briefing", "read", "--db", str(db)]
    return Terminal(argv, COLUMNS, ROWS, env=env)


def in_reader(title: str) -> object:
    probe = title[:24]
    return lambda screen: any(probe in line[READER_FROM:] for line in screen.splitlines())


def first_screen(db: Path, repeat: int = 3) -> tuple[float, int]:
    """Median seconds from launch to the first screen with articles, and peak memory (KiB)."""
    with Store.open(db) as store:
        newest = store.articles.newest_first(limit=1)
    probe = newest[0].title[:24] if newest else "No articles yet"
    times, memory = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as state, open_reader(db, state) as terminal:
            times.append(terminal.wait_for(lambda screen: probe in screen, timeout=60))
            terminal.settle(0.5)
            memory.append(terminal.peak_memory_kb())
    return median(times), int(median(memory))


def key_presses(db: Path, presses: int = 200) -> dict[str, float]:
    """Down-arrow latency (median, p95), End to the oldest article, PgDn held."""
    with Store.open(db) as store:
        order = store.articles.newest_first(limit=presses + 1)
        oldest = store.articles.newest_first(limit=1, offset=store.articles.count() - 1)[0]
    results: dict[str, float] = {}
    # The measure is a Down until the reader shows the next article: the
    # reader following the cursor (by default it keeps what Enter opened).
    with tempfile.TemporaryDirectory() as state, open_reader(db, state, FOLLOW) as terminal:
        terminal.wait_for(in_reader(order[0].title), timeout=60)
        terminal.settle(0.5)
        latencies = []
        for article in order[1 : presses + 1]:
            started = time.perf_counter()
            terminal.send(KEYS["down"])
            terminal.wait_for(in_reader(article.title), timeout=10)
            latencies.append(time.perf_counter() - started)
            terminal.settle(0.06)
        results["down_median"] = median(latencies)
        results["down_p95"] = p95(latencies)
        results["down_worst"] = max(latencies)
        terminal.send(KEYS["home"])
        terminal.wait_for(in_reader(order[0].title), timeout=30)
        terminal.settle(0.5)
        started = time.perf_counter()
        terminal.send(KEYS["end"])
        terminal.wait_for(in_reader(oldest.title), timeout=30)
        results["end"] = time.perf_counter() - started
        terminal.send(KEYS["home"])
        terminal.wait_for(in_reader(order[0].title), timeout=30)
        terminal.settle(0.5)
        # PgDn held: 20 presses at key-repeat speed (30 per second), then the time
        # from the last press until the screen stops changing.
        for _ in range(20):
            terminal.send(KEYS["pagedown"])
            terminal.pump(1 / 30)
        started = time.perf_counter()
        terminal.settle(0.3)
        results["pgdn_held"] = max(0.0, terminal.last_output - started)
    return results


def run(report: Report, small: Path, large: Path, empty: Path, label: str) -> None:
    empty_start, _ = first_screen(empty)
    large_start, large_memory = first_screen(large)
    _, small_memory = first_screen(small, repeat=1)
    report.add(
        Figure(
            f"first screen, {label}",
            ms(large_start),
            f"empty database {ms(empty_start)}",
            f"{large_start / empty_start:.2f}",
            "<= 1.25",
            large_start / empty_start <= 1.25,
        )
    )
    report.add(
        Figure(
            f"peak memory, {label}",
            f"{large_memory / 1024:.1f} MiB",
            f"100 articles {small_memory / 1024:.1f} MiB",
            f"{large_memory / small_memory:.2f}",
            "<= 1.3",
            large_memory / small_memory <= 1.3,
        )
    )
    small_keys = key_presses(small)
    large_keys = key_presses(large)
    ratio = large_keys["down_median"] / small_keys["down_median"]
    report.add(
        Figure(
            f"cursor down to next article, median, {label}",
            ms(large_keys["down_median"]),
            f"100 articles {ms(small_keys['down_median'])}",
            f"{ratio:.2f}",
            "<= 1.5",
            ratio <= 1.5,
        )
    )
    report.add(
        Figure(
            f"cursor down to next article, p95, {label}",
            ms(large_keys["down_p95"]),
            f"100 articles {ms(small_keys['down_p95'])}",
            "",
            "< 50 ms",
            large_keys["down_p95"] < 0.05,
        )
    )
    report.add(
        Figure(
            f"End to the oldest article, {label}",
            ms(large_keys["end"]),
            f"100 articles {ms(small_keys['end'])}",
            f"{large_keys['end'] / small_keys['end']:.2f}",
        )
    )
    report.add(
        Figure(
            f"PgDn held 20x, last press to screen, {label}",
            ms(large_keys["pgdn_held"]),
            f"100 articles {ms(small_keys['pgdn_held'])}",
        )
    )
