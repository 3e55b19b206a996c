"""Dates the user types: an ISO date (2026-11-01) or an age back from now (36h, 7d, 2w),
or where a digest's period starts (:func:`parse_since`); and the UTC time stamps the
store records (ingested, updated, saved).

A saved view keeps an age as typed ("7d"), so "the last week" still means the
last week when the view is opened a month later; it becomes a date only when used.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_AGE = re.compile(r"(\d{1,7})\s*([hdw])", re.IGNORECASE)
_HOURS = {"h": 1, "d": 24, "w": 168}


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
        hours = amount * _HOURS[unit]
        try:
            return (dt.datetime.now() - dt.timedelta(hours=hours)).date().isoformat()
        except OverflowError:
            raise ValueError(f"{text!r} reaches back before the year 1") from None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD) or an age (36h, 7d, 2w)") from None


# A briefing dated a little ahead is normal (time zones, embargoed copy); one dated
# years ahead is a typo or a trick, and would sit at the top of every list for good.
FUTURE_DAYS_ALLOWED = 2


def too_far_ahead(iso_date: str, today: dt.date | None = None) -> bool:
    """Whether an article's date is more than :data:`FUTURE_DAYS_ALLOWED` days after today."""
    today = today or dt.date.today()
    try:
        return dt.date.fromisoformat(iso_date) > today + dt.timedelta(days=FUTURE_DAYS_ALLOWED)
    except (ValueError, OverflowError):
        return True


def utc_now() -> str:
    """Now, as the store records it: ISO 8601 in UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SinceError(ValueError):
    """A --since value that is neither an age nor an ISO date; the message says why."""


@dataclass(frozen=True)
class Since:
    """Where a period starts: an instant (for arrival times) and a local date (for article dates).

    An age (``24h``) counts back from now; a date (``2026-11-24``) starts at
    local midnight; a date and time (``2026-11-24T08:00``) is local unless it
    names its offset.
    """

    instant: dt.datetime  # aware, UTC
    day: dt.date  # the local date of the instant (a date as given)


def parse_since(text: str, now: dt.datetime | None = None) -> Since:
    """Read ``24h``, ``7d``, ``2w``, ``2026-11-24`` or ``2026-11-24T08:00[+02:00]``."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone()
    value = text.strip()
    age = _AGE.fullmatch(value)
    try:
        if age:
            start = now - dt.timedelta(hours=int(age.group(1)) * _HOURS[age.group(2).lower()])
            return Since(start.astimezone(dt.UTC), start.date())
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            midnight = dt.datetime.combine(day, dt.time()).astimezone()
            return Since(midnight.astimezone(dt.UTC), day)
        moment = dt.datetime.fromisoformat(value)
    except OverflowError as error:
        raise SinceError(f"{text!r} reaches back before the year 1") from error
    except ValueError:
        moment = None
    if moment is None or not re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", value):
        raise SinceError(
            f"{text!r} is not an age (24h, 7d, 2w) or a date (2026-11-24, 2026-11-24T08:00)"
        )
    local = moment.astimezone()  # a naive time is taken as local
    return Since(local.astimezone(dt.UTC), local.date())
