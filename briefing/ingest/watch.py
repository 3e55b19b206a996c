"""Ingest briefing files as they land in watched directories (``briefing watch``).

A cron job ingests every few minutes; a watcher ingests within a second of a
file landing. The operating system reports file events (inotify on Linux,
through watchfiles) and they are gathered into batches: a batch is handed over
once no watched file has changed for :data:`QUIET_MS`, so a file being copied
in keeps its batch open (up to :data:`MAX_BATCH_MS`). Each batch goes through
the same :func:`briefing.ingest.files.ingest` as ``briefing ingest``: a file caught
half-written is stored or skipped as broken like any other, and when it is
finished its next event updates it.

On start the watched directories are ingested once, after the watcher is
already listening, so files that landed while no watcher ran are stored and
none that land during that first pass is missed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType

from watchfiles import Change, DefaultFilter, watch

from briefing.ingest.files import IngestOptions, IngestReport, ingest
from briefing.ingest.parse import BRIEFING_SUFFIXES
from briefing.ingest.paths import display_path, path_key
from briefing.store import Store
from briefing.store.errors import is_busy

QUIET_MS = 500  # a batch is handed over once nothing changed for this long
MAX_BATCH_MS = 5_000  # ... or after this long, however busy the directory
WAKE_MS = 1_000  # an idle watcher looks up this often (the first time: the catch-up pass)
BUSY_RETRY_FIRST_S = 2.0  # a batch the database was too busy for is tried again after this,
BUSY_RETRY_MAX_S = 60.0  # doubled each time, up to this


class Stopped(BaseException):
    """SIGTERM arrived in the middle of a batch; the batch in flight was rolled back.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` on
    the way (ingest turns a parser's exceptions into a skipped file) swallows it.
    """


class StopSignal:
    """SIGTERM (a service manager stopping us) ends the watcher cleanly.

    Between batches it just sets :attr:`event`, which watchfiles checks while it
    waits. In the middle of a batch it also raises :class:`Stopped`, unwinding
    the ingest as Ctrl-C does (committed articles are kept, the open transaction
    is rolled back), so a big batch never makes the service manager wait.
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        self.busy = False
        self._previous: signal.Handlers | int | None = None

    def __enter__(self) -> StopSignal:
        previous = signal.signal(signal.SIGTERM, self._on_signal)
        self._previous = previous if isinstance(previous, int) else signal.SIG_DFL
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        signal.signal(signal.SIGTERM, self._previous or signal.SIG_DFL)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.event.set()
        if self.busy:
            raise Stopped


@dataclass
class Batch:
    """What one batch of file events did: the ingest report, and the files that went away."""

    report: IngestReport
    deleted: list[str] = field(default_factory=list)  # display paths
    catch_up: bool = False  # the first pass over the whole directories

    @property
    def report_is_empty(self) -> bool:
        """Nothing was ingested (the batch only saw files deleted)."""
        report = self.report
        return not (
            report.stored
            or report.unchanged
            or report.skipped
            or report.duplicates
            or report.warnings
        )


class BriefingFileFilter(DefaultFilter):
    """Events worth an ingest: briefing files, and directories moved in whole.

    Names starting with a dot are skipped below each watched directory, as
    ``briefing ingest`` skips them (editors' swap and temporary files), along
    with what watchfiles' default filter ignores (``.git``, ``*.swp``, ``*~``).
    """

    def __init__(self, roots: list[Path]) -> None:
        super().__init__()
        self.roots = [str(root) for root in roots]

    def __call__(self, change: Change, path: str) -> bool:
        if not super().__call__(change, path) or self._hidden(path):
            return False
        if Path(path).suffix.lower() in BRIEFING_SUFFIXES:
            return True
        return change != Change.deleted and os.path.isdir(path)

    def _hidden(self, path: str) -> bool:
        for root in self.roots:
            if path.startswith(root + os.sep):
                return any(part.startswith(".") for part in path[len(root) :].split(os.sep))
        return False


def watch_and_ingest(
    store: Store,
    roots: list[Path],
    options: IngestOptions,
    stop: StopSignal,
    notice: Callable[[str], None] = lambda _message: None,
) -> Iterator[Batch]:
    """Ingest ``roots`` once, then every batch of changes under them, until ``stop``.

    Yields one :class:`Batch` per ingest. Ctrl-C raises KeyboardInterrupt out of
    here; SIGTERM ends the iteration (or raises :class:`Stopped` mid-batch).
    ``notice`` hears, in words, that the database was busy and when the batch is
    tried again.
    """
    roots = [root.absolute() for root in roots]
    events = watch(
        *roots,
        watch_filter=BriefingFileFilter(roots),
        debounce=MAX_BATCH_MS,
        step=QUIET_MS,
        stop_event=stop.event,
        rust_timeout=WAKE_MS,
        yield_on_timeout=True,
        ignore_permission_denied=True,
    )
    caught_up = False
    for changes in events:
        if stop.event.is_set():
            return
        if not caught_up:  # the first wake-up: the watcher is listening now
            caught_up = True
            yield Batch(_ingest(store, list(roots), roots, options, stop, notice), catch_up=True)
        if not changes:
            continue
        present, deleted = _sort_changes(changes)
        report = (
            _ingest(store, present, roots, options, stop, notice) if present else IngestReport()
        )
        # Only what was stored is worth a word: an editor's temporary file comes and goes.
        stored = [path for path in deleted if store.files.knows(path_key(path))]
        yield Batch(report, [display_path(path) for path in stored])


def _sort_changes(changes: set[tuple[Change, str]]) -> tuple[list[Path], list[Path]]:
    """Paths to ingest (they exist now) and briefing files deleted (gone now)."""
    present: list[Path] = []
    deleted: list[Path] = []
    for path in sorted({path for _, path in changes}):
        if os.path.lexists(path):
            present.append(Path(path))
        elif (Change.deleted, path) in changes:
            deleted.append(Path(path))
        # else: created and removed within the batch (a temporary file): nothing to say
    return present, deleted


def _ingest(
    store: Store,
    paths: list[Path],
    roots: list[Path],
    options: IngestOptions,
    stop: StopSignal,
    notice: Callable[[str], None],
) -> IngestReport:
    """Ingest what changed, reading nothing outside the watched folders: a file event
    names a path inside them, but a link there may point anywhere.

    Another program holding the write lock past SQLite's busy timeout (a cron ingest
    of a big folder) is no reason to stop watching: the batch waits and is tried
    again, from the start, which stores nothing twice. SIGTERM ends the wait."""
    wait = BUSY_RETRY_FIRST_S
    while True:
        stop.busy = True
        try:
            if stop.event.is_set():
                raise Stopped
            return ingest(store, paths, options, roots=roots)
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
        finally:
            stop.busy = False
        notice(f"database busy (another program is writing it); trying again in {wait:g} s")
        if stop.event.wait(wait):
            raise Stopped
        wait = min(wait * 2, BUSY_RETRY_MAX_S)
