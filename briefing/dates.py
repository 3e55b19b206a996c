"""Dates the user types: an ISO date (2026-11-01) or an age back from now (36h, 7d, 2w);
and the UTC time stamps the store records (ingested, updated, saved).

A saved view keeps an age as typed ("7d"), so "the last week" still means the
last week when the view is opened a month later; it becomes a date only when used.
"""

from __future__ import annotations

import datetime as dt
import re

_AGE = re.compile(r"(\d{1,7})\s*([hdw])", re.IGNORECASE)


def is_age(text: str) -> bool:
    return _AGE.fullmatch(text.strip()) is not None


def check_date_or_age(text: str) -> str:
    """The text, normalised ("7D" -> "7d", dates as ISO); ValueError says what is wrong."""
    text = text.strip()
    age = _AGE.fullmatch(text)
    if age:
        resolve_date_or_age(text)  # an age reaching before the year 1 is refused now
        return f"{int(age.group(1))}{age.group(2).lower()}"
    return resolve_date_or_age(text)


def resolve_date_or_age(text: str) -> str:
    """The ISO date meant by a date or an age (counted back from now)."""
    text = text.strip()
    age = _AGE.fullmatch(text)
    if age:
        amount, unit = int(age.group(1)), age.group(2).lower()
        hours = amount * {"h": 1, "d": 24, "w": 168}[unit]
        try:
            return (dt.datetime.now() - dt.timedelta(hours=hours)).date().isoformat()
        except OverflowError:
            raise ValueError(f"{text!r} reaches back before the year 1") from None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD) or an age (36h, 7d, 2w)") from None


def utc_now() -> str:
    """Now, as the store records it: ISO 8601 in UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
