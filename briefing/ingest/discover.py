"""Which files an ingest reads: the folders it walks, and the links and files it refuses.

An ingest often runs as an account that can read more than the people who put
files in its incoming folder (the README's shared setup: a group-writable
folder, ingested from cron). So it reads only what lies inside the files and
folders it was given (its *roots*):

* a file or folder named on the command line is read as given, even through a
  symbolic link: the person who typed it chose it;
* under a folder, a symbolic link (to a file or a folder) is followed only when
  its target lies inside one of the roots; any other is skipped and named;
* a file is opened, then checked: the file actually open must lie inside the
  roots (a link swapped in after the walk is caught), and a file with more
  than one hard link that belongs to another user is skipped, since a hard
  link can make someone else's file appear inside a shared folder;
* folders more than :data:`MAX_DEPTH` levels down are skipped and named, and a
  folder reached twice (a link loop) is walked once.

The walk is iterative, so no depth of folders can exhaust Python's stack.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from briefing.ingest.parse import BRIEFING_SUFFIXES
from briefing.ingest.paths import display_path, path_key

MAX_DEPTH = 64  # levels of folders below a root
OUTSIDE = "symbolic link to a place outside the files and folders being ingested"
FOREIGN_HARD_LINK = "a hard link to a file of another user; copy the file instead"


class Refused(Exception):
    """A file the rules above do not let an ingest read; the message says which rule."""


class Boundary:
    """The roots of an ingest, resolved: what a link may point into."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = [os.path.realpath(root) for root in roots]

    def contains(self, path: str | Path) -> bool:
        real = os.path.realpath(path)
        return any(
            real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots
        )

    def open(self, path: Path) -> int:
        """A descriptor open for reading on ``path``, if the file that opened is inside the
        roots and is not another user's hard link; :class:`Refused` otherwise."""
        # Non-blocking: a fifo swapped in after the walk must not hang the ingest.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            opened = _opened_path(fd) or os.path.realpath(path)
            if not self.contains(opened):
                raise Refused(OUTSIDE)
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_nlink > 1 and info.st_uid != os.geteuid():
                raise Refused(FOREIGN_HARD_LINK)
        except BaseException:
            os.close(fd)
            raise
        return fd


def _opened_path(fd: int) -> str | None:
    """Where an open file really is, from the kernel (Linux), not from a path that may
    have changed since it was opened."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def discover(
    paths: Iterable[Path],
    skipped: list[tuple[str, str]],
    boundary: Boundary,
) -> Iterator[Path]:
    """Files to ingest: files given by name whatever their suffix, and briefing files
    found under folders, in order (each folder's files by name, then its folders).
    What is refused goes to ``skipped`` as (path, reason)."""
    seen: set[tuple[int, int]] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, skipped, boundary, seen)
        elif not (path.exists() or path.is_symlink()):
            skipped.append((display_path(path_key(path)), "no such file or directory"))
        elif not boundary.contains(path):
            skipped.append((display_path(path_key(path)), OUTSIDE))
        else:
            yield path  # a looping link too: reading it names the loop


def _walk(
    top: Path,
    skipped: list[tuple[str, str]],
    boundary: Boundary,
    seen: set[tuple[int, int]],
) -> Iterator[Path]:
    stack: list[tuple[str, int]] = [(str(top), 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            info = os.stat(folder)
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            skipped.append((display_path(error.filename or folder), _reason(error)))
            continue
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        folders: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if not is_folder and Path(entry.name).suffix.lower() not in BRIEFING_SUFFIXES:
                continue
            if entry.is_symlink() and not boundary.contains(entry.path):
                skipped.append((display_path(entry.path), OUTSIDE))
            elif is_folder:
                folders.append(entry.path)
            else:
                yield Path(entry.path)
        if folders and depth >= MAX_DEPTH:
            for name in folders:
                skipped.append((display_path(name), f"too deep (over {MAX_DEPTH} folders down)"))
            continue
        stack.extend((name, depth + 1) for name in reversed(folders))


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
