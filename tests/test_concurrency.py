"""One ingest writing while four readers read: three CLI loops and the reader app.

For a bounded time an ingest keeps adding articles while `briefing search`,
`briefing list` and `briefing keywords` run back to back and the full-screen
reader (in a real pseudo-terminal) is moved about and refreshed. No reader may
see "database is locked" or any traceback, every command must succeed, and the
open reader must show the new articles after its refresh key.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import write_files
from briefing.ingest.files import IngestOptions, ingest
from briefing.paths import sample_data_dir
from briefing.store import Store

BASE = 40  # articles in the database before the readers start
ROUND = 40  # files each ingest of the writer adds
ROUNDS = 6
DURATION = 8.0  # seconds the writer keeps starting ingests
BAD = re.compile(r"locked|busy|Traceback|Error", re.IGNORECASE)  # for stderr, which stays empty
SCREEN_BAD = re.compile(r"database is locked|Traceback|Error:")  # articles may say "locked"


def briefing(*args: str) -> list[str]:
    return [sys.executable, "-m", "briefing", *args]


@pytest.mark.slow
def test_ingest_while_four_readers_read(tmp_path: Path, pty: Callable[..., Any]) -> None:
    pool = tmp_path / "pool"
    files = write_files(BASE + ROUND * ROUNDS, pool)
    folders = []
    for number in range(ROUNDS + 1):
        folder = tmp_path / f"round{number}"
        folder.mkdir()
        start = 0 if number == 0 else BASE + ROUND * (number - 1)
        end = BASE if number == 0 else start + ROUND
        for path in files[start:end]:
            path.rename(folder / path.name)
        folders.append(folder)
    db = tmp_path / "b.db"
    with Store.open(db) as store:
        assert ingest(store, [folders[0]], IngestOptions(jobs=1)).added == BASE

    stop = threading.Event()
    failures: list[str] = []
    calls = {"search": 0, "list": 0, "keywords": 0}
    ingested = [BASE]

    def writer() -> None:
        started = time.monotonic()
        for folder in folders[1:]:
            if time.monotonic() - started > DURATION:
                break
            done = subprocess.run(
                briefing("ingest", "--db", str(db), str(folder)),
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            if done.returncode != 0 or BAD.search(done.stderr):
                failures.append(f"ingest: exit {done.returncode}: {done.stderr}")
                return
            ingested[0] += int(done.stdout.split()[0])

    def reader(name: str, args: list[str]) -> None:
        while not stop.is_set():
            done = subprocess.run(
                briefing(*args, "--db", str(db)),
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            calls[name] += 1
            if done.returncode != 0 or BAD.search(done.stderr) or "Traceback" in done.stdout:
                failures.append(f"{name}: exit {done.returncode}: {done.stderr}")
                return

    readers = [
        threading.Thread(target=reader, args=("search", ["search", "markets OR oil", "-n", "5"])),
        threading.Thread(target=reader, args=("list", ["list", "-n", "30"])),
        threading.Thread(target=reader, args=("keywords", ["keywords", "-n", "10"])),
    ]
    with pty(briefing("read", "--db", str(db)), columns=120, rows=30) as terminal:
        terminal.wait_for(lambda screen: f"{BASE} articles" in screen, timeout=60)
        write = threading.Thread(target=writer)
        write.start()
        for thread in readers:
            thread.start()
        # The reader is used meanwhile: moved about and refreshed while the ingest writes.
        keys = ["j", "j", "R", "k", "j", "R"]
        turn = 0
        while write.is_alive():
            terminal.send(keys[turn % len(keys)])
            turn += 1
            terminal.pump(0.3)
            assert terminal.process.poll() is None, terminal.text()
            assert not SCREEN_BAD.search(terminal.text()), terminal.text()
        write.join()
        stop.set()
        for thread in readers:
            thread.join(timeout=60)
        assert not failures, failures
        assert ingested[0] > BASE, "the writer added nothing"

        terminal.send("R")
        terminal.wait_for(lambda screen: f"{ingested[0]} articles" in screen, timeout=30)
        assert not SCREEN_BAD.search(terminal.text()), terminal.text()
        assert terminal.process.poll() is None
        terminal.send("q")
        assert terminal.wait_exit(timeout=30) == 0
    assert all(count >= 2 for count in calls.values()), calls
    with Store.open(db) as store:
        assert store.articles.count() == ingested[0]


@pytest.mark.slow
def test_commands_opening_a_new_database_at_once(tmp_path: Path) -> None:
    """The first commands on a new database race to build its schema: one builds it,
    the others wait for it (before the fix: "database is locked", "table days already
    exists"). Ingests may create a database anywhere; any command creates the default
    one, with the sample briefings, on its first run."""
    folder = tmp_path / "in"
    write_files(12, folder)
    for attempt in range(2):
        db = tmp_path / f"new{attempt}.db"
        data = tmp_path / f"data{attempt}"
        env = {**os.environ, "XDG_DATA_HOME": str(data)}
        commands = [
            briefing("ingest", "--db", str(db), "-j", "1", str(folder)),
            briefing("ingest", "--db", str(db), "-j", "1", str(folder)),
            briefing("list"),
            briefing("search", "oil"),
            briefing("stats"),
        ]
        processes = [
            subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for c in commands
        ]
        for command, process in zip(commands, processes, strict=True):
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, (command, err)
            assert not BAD.search(err), (command, err)
        with Store.open(db) as store:
            assert store.articles.count() == 12
        with Store.open(data / "briefing" / "briefing.db") as store:
            assert store.articles.count() == len(list(sample_data_dir().glob("*.*")))
