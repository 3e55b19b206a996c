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
from briefing.ingest.files import tune_worker_gc


@functools.cache
def _extractor() -> KeywordExtractor:
    return KeywordExtractor(lan="en", top=10)


def _yake_file(path: str) -> int:
    """What a YAKE-only pipeline does per file: read, drop the header, extract the top 10."""
    text = Path(path).read_text(encoding="utf-8")
    text = re.sub(r"\A\s*date\s+\S+\s*", "", text)
    return len(_extractor().extract_keywords(text))


def yake_alone(paths: list[Path], tuned_gc: bool = False) -> float:
    """Seconds for YAKE alone over the files with one process per core; with
    ``tuned_gc`` its workers' collector set as briefing's workers set theirs."""
    started = time.perf_counter()
    initializer = tune_worker_gc if tuned_gc else None
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, initializer=initializer) as pool:
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


def run(report: Report, count: int = 2000, rounds: int = 3) -> None:
    """YAKE alone and the real ingest, taken turn about ``rounds`` times.

    The machine's other tenants move either figure by 10% or more from one
    minute to the next, so one pair can land anywhere; each round's ratio is
    of two runs a few seconds apart, and the median round is reported with
    the spread beside it.
    """
    folder = CACHE / f"files-{count}"
    paths = write_files(count, folder)
    pairs: list[tuple[float, float]] = []  # (YAKE alone s, ingest s), one per round
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(rounds):
            db = Path(tmp) / f"ingest-{round_}.db"
            pairs.append((yake_alone(paths), briefing_ingest(folder, db)))
        again = briefing_ingest(folder, db)
    tuned = yake_alone(paths, tuned_gc=True)
    pairs.sort(key=lambda pair: pair[0] / pair[1])
    ratios = [yake / first for yake, first in pairs]
    median = ratios[len(ratios) // 2]
    yake_seconds, first = pairs[len(pairs) // 2]
    yake_rate, ingest_rate = count / yake_seconds, count / first
    spread = f", rounds {' '.join(f'{r:.2f}' for r in ratios)}" if rounds > 1 else ""
    report.add(
        Figure(
            f"ingest {count} files (articles/s)",
            f"{ingest_rate:.1f}/s ({first:.1f} s)",
            f"YAKE alone {yake_rate:.1f}/s ({yake_seconds:.1f} s)",
            f"{median:.2f} (median{spread})",
            ">= 0.85",
            median >= 0.85,
        )
    )
    # Part of the margin is the workers' GC setting (briefing.ingest.files._start_worker):
    # the same ratio against YAKE alone given that setting too, for information.
    report.add(
        Figure(
            "ingest against YAKE alone with briefing's worker GC setting",
            f"{ingest_rate:.1f}/s",
            f"YAKE alone, tuned GC {count / tuned:.1f}/s ({tuned:.1f} s)",
            f"{tuned / first:.2f}",
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
