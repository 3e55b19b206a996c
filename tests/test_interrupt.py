"""Ctrl-C in the middle of a real ingest: exit 130, nothing half-written, the rerun finishes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.mark.slow
def test_sigint_during_ingest(
    tmp_path: Path, write: Callable[[Path, str | bytes], Path], repo: Path
) -> None:
    folder = tmp_path / "in"
    samples = sorted((repo / "sample_data").glob("*.txt"))
    count = 0
    for copy in range(8):
        for sample in samples:
            write(folder / f"{copy}-{sample.name}", sample.read_text() + f"\n\nCopy {copy}.")
            count += 1
    db = tmp_path / "b.db"
    command = [sys.executable, "-m", "briefing", "ingest", "--db", str(db), str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until the first batch has committed
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    if conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 0:
                        break
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_keywords k WHERE k.article_id = a.id)"
        ).fetchone()[0]
        fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert 0 < stored < count and orphans == 0 and fts == stored
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{count - stored} added, 0 updated, {stored} unchanged" in rerun.stdout
