"""Ingest briefing files into the store: discover, skip the unchanged, parse, extract, save.

The costly part is YAKE, so parsing and keyword extraction run in worker
processes (threads would share one GIL and gain nothing), while this process
does the cheap work: walking directories, noticing unchanged files from their
size and mtime (or, failing that, their hash), and writing to SQLite. Articles
are committed in small batches, each article with its keywords and index row in
the same transaction, so killing an ingest loses at most the batch in flight
and the next run picks up where it stopped.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import itertools
import os
import signal
import stat
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing.ingest.discover import Boundary, Refused, discover
from briefing.ingest.limits import DEFAULT_MAX_BYTES
from briefing.ingest.parse import (
    Rejected,
    human_size,
    keyword_text,
    parse_briefing,
)
from briefing.ingest.paths import display_path, path_key
from briefing.insight.keywords import KeywordError, extract_keywords, prepare_keywords
from briefing.insight.stories import place_article
from briefing.models import FileRecord, Keyword, ParsedArticle
from briefing.store import Store

BATCH_SIZE = 32
CHUNK_SIZE = 4  # files sent to a worker at once
PR_SET_PDEATHSIG = 1  # prctl option (Linux): a signal for us when our parent dies
# Below this many files to parse, starting worker processes costs more than it saves.
MIN_FILES_FOR_POOL = 8
WORKER_GC_THRESHOLD = 50_000  # allocations between collections in a worker (see _start_worker)


@dataclass(frozen=True)
class IngestOptions:
    language: str = "en"
    max_bytes: int = DEFAULT_MAX_BYTES
    jobs: int = 0  # 0: one worker per core


@dataclass
class IngestReport:
    """What an ingest did, file by file where it matters."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, first path)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, warning)

    @property
    def stored(self) -> int:
        return self.added + self.updated

    def to_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": [{"path": p, "same_as": s} for p, s in self.duplicates],
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "warnings": [{"path": p, "warning": w} for p, w in self.warnings],
        }


@dataclass(frozen=True)
class _Job:
    path: str
    data: bytes
    content_hash: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class _Result:
    job: _Job
    parsed: ParsedArticle | None
    keywords: list[Keyword]
    reason: str | None  # why the file was skipped
    warnings: list[str]


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _process(job: _Job, options: IngestOptions) -> _Result:
    """Parse and extract keywords; runs in a worker process.

    Whatever goes wrong with one file becomes that file's one-line reason:
    one bad file must never stop the rest of an ingest.
    """
    data = job.data
    job = replace(job, data=b"")  # the result goes back without the file's bytes
    try:
        parsed = parse_briefing(data, Path(job.path), options.max_bytes)
    except Rejected as rejected:
        return _Result(job, None, [], rejected.reason, [])
    except Exception as error:
        return _Result(job, None, [], f"could not be parsed ({type(error).__name__}: {error})", [])
    warnings = list(parsed.warnings)
    try:
        keywords = extract_keywords(keyword_text(parsed), options.language)
    except KeywordError as error:
        keywords = []
        warnings.append(f"no keywords: {error}")
    return _Result(job, parsed.for_storage(), keywords, None, warnings)


def _start_worker(parent_pid: int, language: str) -> None:
    """Worker initializer: load YAKE, and exit when the ingest that started us is gone.

    Each worker imports YAKE itself, in parallel with the others and with the
    parent reading the next files, rather than the parent importing it before
    forking while both cores wait.

    YAKE builds tens of thousands of small linked objects per article, and with
    Python's default thresholds the collector runs every 700 allocations,
    walking what the worker inherited from us besides. Freezing the inherited
    objects and collecting the youngest generation every 50,000 allocations
    cut the workers' CPU time by 6-9% in the ingest benchmark; the garbage
    waiting in between is a few megabytes.
    """
    _watch_parent(parent_pid)
    prepare_keywords(language)
    tune_worker_gc()


def tune_worker_gc() -> None:
    """The collector set for YAKE's many small objects (see :func:`_start_worker`);
    the ingest benchmark gives its YAKE-alone workers the same, for comparison."""
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, 50, 100)


def _watch_parent(parent_pid: int) -> None:
    """Exit when the ingest that started us is gone (kill -9).

    On Linux the kernel kills the worker the moment its parent dies, so an orphan
    does not finish its files on cores the next ingest needs; elsewhere (and as a
    fallback) a thread checks the parent a few times a second.
    """
    _die_with_parent()
    if os.getppid() != parent_pid:  # the parent died before we asked
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watching thread still ends the worker


class _Progress:
    """Counts files as they are dealt with, whichever way."""

    def __init__(self, total: int, callback: Callable[[int, int], None] | None) -> None:
        self.total = total
        self.done = 0
        self.callback = callback
        if callback:
            callback(0, total)

    def advance(self) -> None:
        self.done += 1
        if self.callback:
            self.callback(self.done, self.total)


def ingest(
    store: Store,
    paths: Iterable[Path],
    options: IngestOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    roots: Iterable[Path] | None = None,
) -> IngestReport:
    """Ingest files and directories into the store and report what happened.

    ``progress(done, total)`` is called as files are dealt with. Files are read
    and handed to workers a few at a time, so memory does not grow with the
    size of the directory. Nothing outside ``roots`` (by default the paths
    given) is read, through a link or otherwise (see :mod:`briefing.ingest.discover`).
    """
    options = options or IngestOptions()
    report = IngestReport()
    paths = list(paths)
    boundary = Boundary(paths if roots is None else roots)
    found = discover(paths, report.skipped, boundary)
    files = list({path_key(path): path for path in found}.values())
    counter = _Progress(len(files), progress)
    jobs = _jobs(files, store, options, report, counter, boundary)
    head = list(itertools.islice(jobs, MIN_FILES_FOR_POOL))
    cores = os.cpu_count() or 1
    workers = min(options.jobs or cores, cores)  # more would only cost memory
    if len(head) < MIN_FILES_FOR_POOL or workers == 1:
        results: Iterator[_Result] = (_process(job, options) for job in itertools.chain(head, jobs))
    else:
        results = _run_pool(itertools.chain(head, jobs), options, workers)
    _consume(store, results, report, counter)
    return report


def _jobs(
    files: list[Path],
    store: Store,
    options: IngestOptions,
    report: IngestReport,
    counter: _Progress,
    boundary: Boundary,
) -> Iterator[_Job]:
    """Read each file that is new or changed; count the others off at once."""
    known = store.files.records()
    hashes_seen: dict[str, str] = {}
    for path in files:
        job = _prepare(path, known, options, report, store, boundary)
        if job is None:
            counter.advance()
            continue
        if job.path not in known:  # a new path: is it a copy of something stored?
            first = hashes_seen.get(job.content_hash) or store.files.path_for_hash(job.content_hash)
            if first:
                report.duplicates.append((display_path(job.path), display_path(first)))
                counter.advance()
                continue
        hashes_seen.setdefault(job.content_hash, job.path)
        yield job


def _prepare(
    path: Path,
    known: dict[str, FileRecord],
    options: IngestOptions,
    report: IngestReport,
    store: Store,
    boundary: Boundary,
) -> _Job | None:
    """Read a file unless it is unchanged since the last ingest or cannot be a briefing."""
    key = path_key(path)
    name = display_path(key)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            report.skipped.append((name, "not a regular file"))
            return None
        record = known.get(key)
        if record and record.size == info.st_size and record.mtime_ns == info.st_mtime_ns:
            report.unchanged += 1
            return None
        with os.fdopen(boundary.open(path), "rb") as file:
            info = os.fstat(file.fileno())  # the file read, not the one looked at before
            if not stat.S_ISREG(info.st_mode):
                report.skipped.append((name, "not a regular file"))
                return None
            data = file.read(options.max_bytes + 1)  # never more, whatever st_size said
    except Refused as refused:
        report.skipped.append((name, str(refused)))
        return None
    except OSError as error:
        report.skipped.append((name, _os_reason(error)))
        return None
    if len(data) > options.max_bytes:
        size = human_size(max(info.st_size, len(data)))
        report.skipped.append((name, f"too large ({size}, limit {human_size(options.max_bytes)})"))
        return None
    content_hash = hashlib.sha256(data).hexdigest()
    if record and record.content_hash == content_hash:
        with store.transaction():
            store.files.touch(record.id, info.st_size, info.st_mtime_ns)
        report.unchanged += 1
        return None
    return _Job(key, data, content_hash, info.st_size, info.st_mtime_ns)


def _process_chunk(jobs: list[_Job], options: IngestOptions) -> list[_Result]:
    return [_process(job, options) for job in jobs]


def _run_pool(jobs: Iterator[_Job], options: IngestOptions, workers: int) -> Iterator[_Result]:
    """Results in file order. Files go to the workers a few at a time (fewer round
    trips between processes), with a few chunks per worker in flight."""
    with ProcessPoolExecutor(
        max_workers=workers,
        initializer=_start_worker,
        initargs=(os.getpid(), options.language),
    ) as pool:
        pending: deque[Future[list[_Result]]] = deque()
        try:
            while chunk := list(itertools.islice(jobs, CHUNK_SIZE)):
                pending.append(pool.submit(_process_chunk, chunk, options))
                if len(pending) >= workers * 3:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _consume(
    store: Store, results: Iterable[_Result], report: IngestReport, counter: _Progress
) -> None:
    """Write results in batches; each batch is one transaction."""
    batch: list[_Result] = []
    for result in results:
        batch.append(result)
        if len(batch) >= BATCH_SIZE:
            _save_batch(store, batch, report)
            batch = []
        counter.advance()
    if batch:
        _save_batch(store, batch, report)


def save_article(
    store: Store,
    *,
    path: str,
    content_hash: str,
    size: int,
    mtime_ns: int,
    parsed: ParsedArticle,
    keywords: list[Keyword],
) -> tuple[int, bool]:
    """Store one article with its keywords and place it in a story, or none: the two in
    the caller's transaction, so a story never names an article that was not stored.
    Returns ``(id, created)``."""
    article_id, created = store.files.save(
        path=path,
        content_hash=content_hash,
        size=size,
        mtime_ns=mtime_ns,
        parsed=parsed,
        keywords=keywords,
    )
    place_article(store, article_id)
    return article_id, created


def _save_batch(store: Store, batch: list[_Result], report: IngestReport) -> None:
    with store.transaction():
        outcomes = []
        for result in batch:
            name = display_path(result.job.path)
            if result.parsed is None:
                outcomes.append(("skipped", name, result.reason or "unreadable"))
                continue
            _, created = save_article(
                store,
                path=result.job.path,
                content_hash=result.job.content_hash,
                size=result.job.size,
                mtime_ns=result.job.mtime_ns,
                parsed=result.parsed,
                keywords=result.keywords,
            )
            outcomes.append(("added" if created else "updated", name, ""))
            report.warnings.extend((name, warning) for warning in result.warnings)
    # Counted only once the transaction has committed.
    for outcome, name, reason in outcomes:
        if outcome == "skipped":
            report.skipped.append((name, reason))
        elif outcome == "added":
            report.added += 1
        else:
            report.updated += 1
