"""``briefing watch`` run as a person runs it: a process left running while files land.

Every wait is bounded: a watcher that never ingests fails the test after
:data:`PATIENCE` seconds with what it printed, and never hangs the suite.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefing.cli import cli

PATIENCE = 20.0  # seconds before a wait gives up and fails
SUMMARY = re.compile(r"^\d+ added, \d+ updated, \d+ unchanged, \d+ duplicates, \d+ skipped$")

BEFORE = "date 2025-03-01 Fishing crews in Bergen stayed ashore as the winter storm passed."
ARRIVAL = "date 2025-03-02 Grain barges queued at the Danube locks after the river rose."
DRAFT = "date 2025-03-02 Hidden editor drafts are never ingested by the watcher."
# The partial file is cut inside the "é" of "café": half a UTF-8 character.
PARTIAL_HEAD = (
    "date 2025-03-03 Harbour café owners in Marseille protested the new port fees".encode()
)
PARTIAL_CUT = PARTIAL_HEAD.index("é".encode()) + 1
PARTIAL_TAIL = "\n\nThe council promised an answer by Friday, the last line of the file."


@dataclass
class Watcher:
    process: subprocess.Popen[str]
    out: Path
    err: Path

    def stdout(self) -> str:
        return self.out.read_text()

    def stderr(self) -> str:
        return self.err.read_text()

    def wait_for(self, what: str, check: Callable[[], bool]) -> None:
        deadline = time.monotonic() + PATIENCE
        while not check():
            if self.process.poll() is not None:
                pytest.fail(f"watch exited ({self.process.returncode}) before {what}:\n{self}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} after {PATIENCE:.0f} s:\n{self}")
            time.sleep(0.1)

    def stop(self, signum: int) -> int:
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            pytest.fail(f"watch did not stop on signal {signum}:\n{self}")

    def __str__(self) -> str:
        return f"--- stdout\n{self.stdout()}--- stderr\n{self.stderr()}"


@contextmanager
def watching(db: Path, folder: Path, tmp_path: Path) -> Iterator[Watcher]:
    tmp_path.mkdir(exist_ok=True)
    out, err = tmp_path / "watch.out", tmp_path / "watch.err"
    with out.open("w") as out_file, err.open("w") as err_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "watch", "--db", str(db), str(folder)],
            stdout=out_file,
            stderr=err_file,
            text=True,
        )
    watcher = Watcher(process, out, err)
    try:
        watcher.wait_for("'Watching' line", lambda: "Watching" in watcher.stderr())
        yield watcher
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=PATIENCE)


def listed(db: Path) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["list", "--db", str(db), "--json", "--limit", "500"])
    assert result.exit_code == 0, result.output
    articles: list[dict[str, Any]] = json.loads(result.stdout)
    return articles


def titles(db: Path) -> list[str]:
    return [article["title"] for article in listed(db)]


def listed_starting(db: Path, start: str) -> bool:
    return any(title.startswith(start) for title in titles(db))


def body_of(db: Path, start: str) -> str:
    (article,) = [a for a in listed(db) if a["title"].startswith(start)]
    result = CliRunner().invoke(cli, ["show", "--db", str(db), "--json", str(article["id"])])
    assert result.exit_code == 0, result.output
    body: str = json.loads(result.stdout)["body"]
    return body


@pytest.mark.slow
def test_watch_ingests_files_as_they_land_and_stops_cleanly_on_sigterm(
    tmp_path: Path, write: Callable[[Path, str | bytes], Path]
) -> None:
    folder = tmp_path / "incoming"
    db = tmp_path / "briefing.db"
    write(folder / "before.txt", BEFORE)  # there before the watcher starts
    with watching(db, folder, tmp_path) as watcher:
        assert listed_starting(db, "Fishing crews in Bergen")  # the catch-up pass
        write(folder / ".draft.md", DRAFT)
        write(folder / "arrival.txt", ARRIVAL)
        write(folder / "sub" / "broken.txt", b"\x00\x01binary scan\x00")
        write(folder / "partial.txt", PARTIAL_HEAD[:PARTIAL_CUT])
        watcher.wait_for("arrival listed", lambda: listed_starting(db, "Grain barges queued"))
        watcher.wait_for(
            "report of the broken file",
            lambda: bool(re.search(r"skipped: .*broken\.txt: binary file", watcher.stderr())),
        )
        watcher.wait_for(
            "report of the half-written file",
            lambda: bool(re.search(r"skipped: .*partial\.txt: not UTF-8", watcher.stderr())),
        )
        assert not listed_starting(db, "Harbour café")
        # The writer finishes the file: the watcher stores all of it.
        with (folder / "partial.txt").open("ab") as file:
            file.write(PARTIAL_HEAD[PARTIAL_CUT:] + PARTIAL_TAIL.encode())
        watcher.wait_for("finished file listed", lambda: listed_starting(db, "Harbour café"))
        assert "the last line of the file" in body_of(db, "Harbour café")
        # A deleted file is reported; its article stays, and the watcher carries on.
        (folder / "arrival.txt").unlink()
        watcher.wait_for("report of the deletion", lambda: "deleted: " in watcher.stderr())
        write(folder / "later.md", "# Ferry strike ends\n\nThe ferries to Corsica sail again.")
        watcher.wait_for("later file listed", lambda: listed_starting(db, "Ferry strike ends"))
        code = watcher.stop(signal.SIGTERM)
        out, err = watcher.stdout(), watcher.stderr()
    assert code == 0, err
    assert "Stopped watching." in err and "Traceback" not in err
    assert re.search(r"deleted: .*arrival\.txt \(its article stays", err)
    assert listed_starting(db, "Grain barges queued")  # kept after its file went away
    assert not listed_starting(db, "Hidden editor drafts")  # dot files are skipped
    assert sorted(titles(db)) == sorted(set(titles(db)))  # nothing stored twice
    lines = out.splitlines()
    assert lines and all(SUMMARY.match(line) for line in lines), out
    assert lines[0] == "1 added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped"


@pytest.mark.slow
def test_ctrl_c_stops_the_watcher_with_exit_130(
    tmp_path: Path, write: Callable[[Path, str | bytes], Path]
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    db = tmp_path / "briefing.db"
    with watching(db, folder, tmp_path) as watcher:
        write(folder / "arrival.txt", ARRIVAL)
        watcher.wait_for("arrival listed", lambda: listed_starting(db, "Grain barges queued"))
        code = watcher.stop(signal.SIGINT)
        err = watcher.stderr()
    assert code == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    assert "1 added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped" in watcher.stdout()


def test_watch_needs_an_existing_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["watch", "--db", str(tmp_path / "b.db"), str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


@pytest.mark.slow
def test_sigterm_in_the_middle_of_a_big_batch_keeps_what_was_committed(
    tmp_path: Path, write: Callable[[Path, str | bytes], Path], repo: Path
) -> None:
    folder = tmp_path / "incoming"
    samples = sorted((repo / "sample_data").glob("*.txt"))
    count = 0
    for copy in range(8):
        for sample in samples:
            write(folder / f"{copy}-{sample.name}", sample.read_text() + f"\n\nCopy {copy}.")
            count += 1
    db = tmp_path / "briefing.db"
    out, err = tmp_path / "watch.out", tmp_path / "watch.err"
    command = [sys.executable, "-m", "briefing", "watch", "--db", str(db), str(folder)]
    with out.open("w") as out_file, err.open("w") as err_file:
        process = subprocess.Popen(command, stdout=out_file, stderr=err_file)
    watcher = Watcher(process, out, err)
    try:
        watcher.wait_for("first batch committed", lambda: stored_count(db) > 0)
        code = watcher.stop(signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=PATIENCE)
    assert code == 0, watcher.stderr()
    assert "Traceback" not in watcher.stderr()
    stored = stored_count(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The next start picks up where this one stopped.
    with watching(db, folder, tmp_path / "again") as again:
        again.stop(signal.SIGTERM)
        first = again.stdout().splitlines()[0]
    assert (
        first == f"{count - stored} added, 0 updated, {stored} unchanged, 0 duplicates, 0 skipped"
    )


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


@pytest.mark.slow
def test_a_store_busy_past_the_timeout_delays_a_batch_and_stops_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cron ingest holding the write lock longer than SQLite waits: the watcher says
    so, waits, and stores the batch once the lock is gone, instead of exiting."""
    import threading

    from briefing.ingest.files import IngestOptions
    from briefing.ingest.watch import StopSignal, watch_and_ingest
    from briefing.store import Store, connection

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr("briefing.ingest.watch.BUSY_RETRY_FIRST_S", 0.2)
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "before.txt").write_text(BEFORE)
    db = tmp_path / "b.db"
    Store.open(db, create=True).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the other program's long write

    notices: list[str] = []
    batches: list[Any] = []
    stop = StopSignal()  # not entered: SIGTERM stays the test runner's

    def watch() -> None:
        with Store.open(db) as store:
            batches.append(
                next(watch_and_ingest(store, [folder], IngestOptions(jobs=1), stop, notices.append))
            )

    thread = threading.Thread(target=watch)
    thread.start()
    try:
        deadline = time.monotonic() + PATIENCE
        while len(notices) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(notices) >= 2, notices  # tried, waited, tried again
        assert all(re.fullmatch(r"database busy .*trying again in [\d.]+ s", n) for n in notices)
        assert thread.is_alive() and not batches
    finally:
        holder.execute("COMMIT")  # the other program is done
        thread.join(PATIENCE)
        stop.event.set()
        holder.close()
    assert not thread.is_alive()
    assert batches and batches[0].catch_up and batches[0].report.stored == 1
    with sqlite3.connect(db) as check:
        assert check.execute("select count(*) from articles").fetchone()[0] == 1
