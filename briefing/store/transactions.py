"""Write transactions that take the write lock first, so a busy store is waited for, not failed on.

Connections run in autocommit mode (``isolation_level=None``): every statement
outside :func:`writing` is its own transaction, and a read never holds a lock
between statements. :func:`writing` begins ``IMMEDIATE``: the write lock is
taken at the start, where SQLite's busy timeout applies. A deferred
transaction that reads and then writes would instead be refused at once
("database is locked") when another process wrote in between, whatever the
timeout. Nested, it becomes a savepoint, so a part can roll back alone.

The reader's own marks and views are the exception (``immediate=False``): on a
connection with a personal state database attached, ``BEGIN IMMEDIATE`` would
take the write lock of the shared store too and hold up its ingest. Those
transactions begin deferred and their first statement is a write, which takes
the lock of the database it writes only, waiting for it as ``IMMEDIATE`` does.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from sqlite3 import Connection

_savepoints = itertools.count()


@contextmanager
def writing(db: Connection, immediate: bool = True) -> Iterator[None]:
    """Everything inside commits together or not at all. With ``immediate=False`` the
    caller's first statement must be a write (see above)."""
    if db.in_transaction:
        name = f"briefing_{next(_savepoints)}"
        db.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if _open(db):  # an error may have ended the whole transaction
                db.execute(f"ROLLBACK TO SAVEPOINT {name}")
                db.execute(f"RELEASE SAVEPOINT {name}")
            raise
        db.execute(f"RELEASE SAVEPOINT {name}")
        return
    db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield
    except BaseException:
        if _open(db):
            db.execute("ROLLBACK")
        raise
    try:
        db.execute("COMMIT")
    except BaseException:
        if _open(db):
            db.execute("ROLLBACK")
        raise


def _open(db: Connection) -> bool:
    """Whether a transaction is open now (a function: the statements between change it)."""
    return db.in_transaction
