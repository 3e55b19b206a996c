"""Run the benchmarks, print every figure with its same-run baseline, append to RESULTS.md.

    python -m benchmarks.run --scale 100000            # everything
    python -m benchmarks.run --scale 10000 --only queries,reader

Stores of generated articles are built once and cached in benchmarks/.cache/.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks import bench_ingest, bench_queries, bench_reader, bench_ssh, bench_startup
from benchmarks.corpus import build_store
from benchmarks.report import CACHE, Figure, Report, command_line
from briefing.store import Store

SECTIONS = ("ingest", "startup", "reader", "queries", "ssh", "curve")


def store_of(count: int) -> str:
    path = CACHE / f"store-{count}.db"
    if count == 0:
        CACHE.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        Store.open(path).close()
        return str(path)
    started = time.perf_counter()
    build_store(count, path)
    if time.perf_counter() - started > 1:
        print(f"(built a store of {count} articles in {time.perf_counter() - started:.0f} s)")
    return str(path)


def samples_store() -> Path:
    """The bundled sample briefings (36), ingested once: what a first run shows."""
    path = CACHE / "samples.db"
    if not path.exists():
        from briefing.ingest.files import ingest
        from briefing.paths import sample_data_dir

        CACHE.mkdir(parents=True, exist_ok=True)
        with Store.open(path) as store:
            ingest(store, [sample_data_dir()])
    return path


def label(count: int) -> str:
    return f"{count // 1000}k articles" if count >= 1000 else f"{count} articles"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100_000, help="articles in the big store")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated: {', '.join(SECTIONS)}"
    )
    parser.add_argument("--ingest-files", type=int, default=2000)
    parser.add_argument(
        "--ingest-rounds", type=int, default=3, help="YAKE-alone/ingest pairs, median reported"
    )
    parser.add_argument("--ssh-articles", type=int, default=10_000)
    parser.add_argument(
        "--startup-before",
        type=Path,
        help="startup: also time the reader from this copy of an older briefing (the "
        "directory holding its briefing/ package), turn about with this one",
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    sections = set(args.only.split(","))
    report = Report()
    if "ingest" in sections:
        bench_ingest.run(report, args.ingest_files, args.ingest_rounds)
    if "startup" in sections:
        big = Path(store_of(args.scale))
        stores = {"36 sample articles": samples_store(), label(args.scale): big}
        bench_startup.run(report, stores, args.startup_before)
    if sections & {"reader", "queries", "curve"}:
        big = Path(store_of(args.scale))
        small, empty = Path(store_of(100)), Path(store_of(0))
        if "reader" in sections:
            bench_reader.run(report, small, big, empty, label(args.scale))
        if "queries" in sections:
            bench_queries.run(report, big, label(args.scale))
        if "curve" in sections:
            for count in (1000, 10_000, 100_000):
                if count > args.scale:
                    break
                path = Path(store_of(count))
                start, memory = bench_reader.first_screen(path, repeat=1)
                keys = bench_reader.key_presses(path, presses=60)
                queries = bench_queries.measure(path)
                print(
                    f"curve {label(count)}: first screen {start * 1000:.0f} ms, "
                    f"memory {memory / 1024:.0f} MiB, down median "
                    f"{keys['down_median'] * 1000:.1f} ms, search "
                    f"{queries['search'] * 1000:.1f} ms, keyword "
                    f"{queries['keyword_first_screen'] * 1000:.1f} ms, sidebar "
                    f"{queries['sidebar'] * 1000:.1f} ms"
                )
                report.add(
                    Figure(
                        f"curve at {label(count)}",
                        f"start {start * 1000:.0f} ms, {memory / 1024:.0f} MiB, "
                        f"down {keys['down_median'] * 1000:.1f} ms, "
                        f"search {queries['search'] * 1000:.1f} ms, "
                        f"keyword {queries['keyword_first_screen'] * 1000:.1f} ms, "
                        f"sidebar {queries['sidebar'] * 1000:.1f} ms",
                    )
                )
    if "ssh" in sections:
        bench_ssh.run(report, Path(store_of(args.ssh_articles)), args.ssh_articles)
    print()
    print(report.table())
    if not args.no_record:
        report.append_to_results(command_line())
        print("\nappended to benchmarks/RESULTS.md")


if __name__ == "__main__":
    main()
