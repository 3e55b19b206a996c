"""A store in a shared directory stays writable by the group that shares it.

The README's shared setup is a set-group-id directory owned by a group of
readers. SQLite creates a database file with mode 0644 whatever the umask
says, and creates its ``-wal`` and ``-shm`` files with the database file's
mode; a reader with umask 022 who happens to create them leaves files the
next ingest cannot write ("attempt to write a readonly database"). So in a
set-group-id directory the database is created group-writable, and a store
this user owns there is made group-writable again (with its companion files)
each time it is opened for writing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

COMPANIONS = ("-wal", "-shm", "-journal")


def shares_with_group(directory: Path) -> bool:
    """Whether files made in ``directory`` belong to its group (the set-group-id bit)."""
    try:
        return bool(directory.stat().st_mode & stat.S_ISGID)
    except OSError:
        return False


def share_with_group(path: Path) -> None:
    """Create the empty database file group-readable and -writable, if its directory is a
    shared (set-group-id) one; elsewhere leave the creation to SQLite."""
    if not shares_with_group(path.absolute().parent):
        return
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o660)
    try:
        os.fchmod(fd, 0o660)  # the umask must not take the group's write away
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
