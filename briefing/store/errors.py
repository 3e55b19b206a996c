"""What can go wrong with the store, as exceptions whose message a person can read."""

from __future__ import annotations

import re
import sqlite3


class StoreError(Exception):
    """The database cannot be used; the message says why."""


class QueryError(StoreError):
    """A full-text query SQLite could not parse; the message says what is wrong."""


class UnknownArticle(LookupError):
    """No article has the id asked for."""

    def __init__(self, article_id: int) -> None:
        super().__init__(f"no article with id {article_id}")
        self.article_id = article_id


def describe_error(error: sqlite3.Error) -> str:
    """SQLite's complaint about a database, in words for a person."""
    message = str(error)
    if isinstance(error, sqlite3.DatabaseError) and re.search(
        r"malformed|not a database|corrupt", message
    ):
        return f"the file is damaged or not a briefing database ({message})"
    if "readonly" in message or "read-only" in message:
        return f"the database is read-only ({message})"
    return message


def is_busy(error: BaseException) -> bool:
    """Did SQLite give up waiting for a lock another connection holds?

    That passes (another program's long write ends): callers that can wait, the
    reader and ``watch``, keep what they meant to write and try again."""
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(error, sqlite3.OperationalError) or code is None:
        return False
    return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
