"""A store in a shared directory stays writable by the group that shares it.

The README's shared setup is a set-group-id directory owned by a group of
readers. SQLite creates a database file with mode 0644 less the umask, never
group-writable, and gives its ``-wal`` and ``-shm`` files exactly the
database file's mode, whoever creates them and whatever their umask. So a
reader who happens to create them leaves files the next ingest cannot write
("attempt to write a readonly database"). briefing therefore creates the
database file itself, with the mode the umask allows (0660 under umask 007)
and, in a group-writable set-group-id directory, group read and write
whatever the umask; SQLite then gives the companion files the same mode. A
store this user owns there that lost the group's write bit (made by an older
version) gets it back, with its companion files, when opened for writing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

COMPANIONS = ("-wal", "-shm", "-journal")


def shares_with_group(directory: Path) -> bool:
    """Whether ``directory`` is shared with its group: set-group-id (files made in it
    belong to its group) and writable by that group."""
    try:
        mode = directory.stat().st_mode
    except OSError:
        return False
    return bool(mode & stat.S_ISGID and mode & stat.S_IWGRP)


def create_database_file(path: Path) -> None:
    """Create the empty database file with the mode the umask allows, group-writable in a
    shared directory; SQLite then opens it as a new database."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError:
        return  # another command created it meanwhile: fine
    try:
        if shares_with_group(path.absolute().parent):
            os.fchmod(fd, (os.fstat(fd).st_mode & 0o777) | 0o060)
    finally:
        os.close(fd)


def keep_shared(path: Path) -> None:
    """Give the group back write access to the store and its companion files that this
    user owns, in a shared directory (a file someone else owns is theirs to mend)."""
    if not shares_with_group(path.absolute().parent):
        return
    for name in ("", *COMPANIONS):
        candidate = Path(f"{path}{name}")
        try:
            info = candidate.stat()
            if info.st_uid == os.geteuid() and (info.st_mode & 0o060) != 0o060:
                os.chmod(candidate, stat.S_IMODE(info.st_mode) | 0o060)
        except OSError:
            continue  # gone meanwhile, or not ours to change
