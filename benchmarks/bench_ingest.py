"""Ingest throughput against YAKE alone on the same texts, both using every core."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from yake import KeywordExtractor

from benchmarks.corpus import write_files
from benchmarks.report import CACHE, Figure, Report


@functools.cache
def _extractor() -> KeywordExtractor:
    return KeywordExtractor(lan="en", top=10)


def _yake_file(path: str) -> int:
    """What a YAKE-only pipeline does per file: read, drop the header, extract the top 10."""
    text = Path(path).read_text(encoding="utf-8")
    text = re.sub(r"\A\s*date\s+\S+\s*", "", text)
    return len(_extractor().extract_keywords(text))


def yake_alone(paths: list[Path]) -> float:
    """Seconds for YAKE alone over the files with one process per core."""
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(_yake_file, [str(p) for p in paths], chunksize=8))
    return time.perf_counter() - started


def briefing_ingest(folder: Path, db: Path) -> float:
    """Seconds for the real `briefing ingest` command, start to exit."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "ingest", "--db", str(db), str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"ingest failed: {result.stderr[-2000:]}")
    return elapsed


def run(report: Report, count: int = 2000) -> None:
    folder = CACHE / f"files-{count}"
    paths = write_files(count, folder)
    yake_seconds = yake_alone(paths)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ingest.db"
        first = briefing_ingest(folder, db)
        again = briefing_ingest(folder, db)
    yake_rate, ingest_rate = count / yake_seconds, count / first
    report.add(
        Figure(
            f"ingest {count} files (articles/s)",
            f"{ingest_rate:.1f}/s ({first:.1f} s)",
            f"YAKE alone {yake_rate:.1f}/s ({yake_seconds:.1f} s)",
            f"{ingest_rate / yake_rate:.2f}",
            ">= 0.85",
            ingest_rate / yake_rate >= 0.85,
        )
    )
    report.add(
        Figure(
            "re-ingest unchanged",
            f"{again:.2f} s",
            f"first ingest {first:.1f} s",
            f"{again / first:.3f}",
            "< 0.05",
            again / first < 0.05,
        )
    )
