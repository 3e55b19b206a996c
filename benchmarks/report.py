"""Figures, their targets, and the record of each run in RESULTS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shlex
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
CACHE = Path(__file__).resolve().parent / ".cache"


@dataclass
class Figure:
    """One measured figure; ``target`` is a human-readable bound, ``ok`` whether it holds."""

    name: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    ok: bool | None = None


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        mark = {True: "ok", False: "MISSED", None: ""}[figure.ok]
        line = f"{figure.name}: {figure.value}"
        if figure.baseline:
            line += f" | baseline {figure.baseline}"
        if figure.ratio:
            line += f" | ratio {figure.ratio}"
        if figure.target:
            line += f" | target {figure.target} {mark}"
        print(line, flush=True)
        return figure

    def table(self) -> str:
        rows = [
            "| figure | value | baseline (same run) | ratio | target | holds |",
            "|---|---|---|---|---|---|",
        ]
        for f in self.figures:
            holds = {True: "yes", False: "**no**", None: ""}[f.ok]
            rows.append(
                f"| {f.name} | {f.value} | {f.baseline} | {f.ratio} | {f.target} | {holds} |"
            )
        return "\n".join(rows)

    def append_to_results(self, command: str) -> None:
        header = (
            f"\n## {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} - `{command}`\n\n"
            f"Machine: {machine()}\n\n"
        )
        with RESULTS.open("a", encoding="utf-8") as results:
            if results.tell() == 0:
                results.write("# Benchmark results\n\nAppended by `python -m benchmarks.run`.\n")
            results.write(header + self.table() + "\n")


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1_048_576:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{memory}, "
        f"Python {platform.python_version()}"
    )


def command_line() -> str:
    return "python -m benchmarks.run " + " ".join(shlex.quote(a) for a in sys.argv[1:])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
