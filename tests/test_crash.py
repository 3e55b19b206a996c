"""SIGKILL in the middle of a real ingest, at 20 moments spread over the run.

After each kill the database must be whole: SQLite's integrity check passes, every
stored article has its keywords and its full-text row, the counts kept by triggers
agree with counts made from scratch, and no worker process is left behind. The
next ingest then finishes with exactly the expected number of articles.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.corpus import SEED as CORPUS_SEED
from benchmarks.corpus import article_text

FILES = 150
KILLS = 20
SEED = 5
PARAGRAPHS = 2  # of each generated briefing (~160 words): a run takes ~1 s, not ~3 s


def write_briefings(folder: Path) -> None:
    """The benchmark corpus's first FILES briefings, cut short to keep 20 runs quick."""
    folder.mkdir(parents=True)
    for index in range(FILES):
        paragraphs = article_text(index, CORPUS_SEED).split("\n\n")[:PARAGRAPHS]
        (folder / f"{index:06d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def children_of(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (the ingest's workers)."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(entry))
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan waits for init to reap it; it runs no more)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def check_whole(db: Path) -> int:
    """Assert the database is consistent; return how many articles it holds."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "days" not in tables:  # killed before the schema was complete: nothing stored
            assert (
                "articles" not in tables
                or not conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            )
            return 0
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        without_keywords = conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_keywords k WHERE k.article_id = a.id)"
        ).fetchone()[0]
        assert without_keywords == 0
        assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == stored
        missing_fts = conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM articles_fts f WHERE f.rowid = a.id)"
        ).fetchone()[0]
        assert missing_fts == 0

        def kept(sql: str) -> set[tuple[object, ...]]:
            return set(conn.execute(sql).fetchall())

        assert kept("SELECT day, n FROM days WHERE n > 0") == kept(
            "SELECT coalesce(date, ''), count(*) FROM articles GROUP BY 1"
        )
        assert kept("SELECT keyword_id, day, n FROM keyword_days WHERE n > 0") == kept(
            "SELECT keyword_id, coalesce(article_date, ''), count(*) FROM article_keywords "
            "GROUP BY 1, 2"
        )
        assert kept("SELECT id, article_count FROM keywords WHERE article_count > 0") == kept(
            "SELECT keyword_id, count(*) FROM article_keywords GROUP BY 1"
        )
        assert kept("SELECT keyword_id, other_id, n FROM keyword_pairs WHERE n > 0") == kept(
            "SELECT one.keyword_id, two.keyword_id, count(*) FROM article_keywords one "
            "JOIN article_keywords two ON two.article_id = one.article_id "
            "AND two.keyword_id != one.keyword_id GROUP BY 1, 2"
        )
        return int(stored)
    finally:
        conn.close()


def stored_count(db: Path) -> int:
    """Articles a reader sees in ``db`` now (0 while it does not exist yet)."""
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
    except sqlite3.Error:
        return 0
    try:
        return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        connection.close()


def timed_first_run(command: list[str], db: Path) -> tuple[float, tuple[float, float]]:
    """Run the ingest once to the end, watching its database: the run's length, and
    when it stored its first article and its last (seconds from the start)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = last = None
    while process.poll() is None and time.monotonic() - started < 120:
        stored = stored_count(db)
        now = time.monotonic() - started
        if stored and first is None:
            first = now
        if stored < FILES:
            last = now
        time.sleep(0.01)
    out, err = process.communicate(timeout=120)
    whole_run = time.monotonic() - started
    assert process.returncode == 0, err
    assert f"{FILES} added" in out
    first = whole_run / 2 if first is None else first
    return whole_run, (max(0.0, first - 0.05), max(first, last or whole_run))


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_committed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_briefings(folder)
    db = tmp_path / "b.db"
    command = [sys.executable, "-m", "briefing", "ingest", "--db", str(db), str(folder)]

    # Once untimed: a first run in a fresh clone also compiles briefing's bytecode, and
    # the runs it times would then be slower than the ones it kills.
    warm_up = [*command[:4], "--db", str(tmp_path / "warm.db"), str(folder)]
    subprocess.run(warm_up, capture_output=True, timeout=120, check=True)
    whole_run, writing = timed_first_run(command, db)

    rng = random.Random(SEED)
    # Kill times spread evenly over the run (one in each of KILLS / 2 slices), jittered at
    # random, and as many again over the part of the run that writes articles: on a
    # fast or a loaded machine that part is a different share of the run.
    half = KILLS // 2
    start, end = writing
    moments = [(i + rng.random()) * whole_run / half for i in range(half)]
    moments += [start + (i + rng.random()) * (end - start) / half for i in range(KILLS - half)]
    rng.shuffle(moments)
    killed_with_some_stored = 0
    for moment in moments:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        workers: set[int] = set()
        deadline = time.monotonic() + moment
        while time.monotonic() < deadline and process.poll() is None:
            workers |= children_of(process.pid)
            time.sleep(0.05)
        workers |= children_of(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

        # The workers notice their parent is gone and exit on their own.
        give_up = time.monotonic() + 3.5
        while any(running(pid) for pid in workers) and time.monotonic() < give_up:
            time.sleep(0.05)
        left = [pid for pid in workers if running(pid)]
        for pid in left:  # do not leave them to the rest of the test run
            os.kill(pid, signal.SIGKILL)
        assert not left, f"workers still running {moment:.2f}s into the run: {left}"

        stored = check_whole(db)
        assert 0 <= stored <= FILES
        killed_with_some_stored += 0 < stored < FILES

        rerun = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert rerun.returncode == 0, (moment, rerun.stderr)
        assert "Traceback" not in rerun.stderr
        assert f"{FILES - stored} added, 0 updated, {stored} unchanged" in rerun.stdout, (
            moment,
            rerun.stdout,
        )
        assert check_whole(db) == FILES
    # The kills were spread over the run: some landed while articles were being written.
    assert killed_with_some_stored >= 3, (killed_with_some_stored, whole_run, writing)
