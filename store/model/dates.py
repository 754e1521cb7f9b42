"""Dates as analysts write them: a year, a month, or a day.

A record of a visit "in June 2022" is as valid as one dated to the day, so the format accepts `YYYY`,
`YYYY-MM` and `YYYY-MM-DD`. Partial dates display as written and sort as their first day; a filter bound
`to:2023-02` reaches the last day of the month.
"""

from __future__ import annotations

import calendar
import re

from store.memo import Memo

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class BadDate(ValueError):
    """A string that is not a real `YYYY[-MM[-DD]]` date."""


def _parts(text: str) -> tuple[int, int | None, int | None]:
    match = _DATE.fullmatch(text)
    if not match:
        raise BadDate(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise BadDate(f"{text!r} has no month {month}")
    if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise BadDate(f"{text!r} is not a day of the calendar")
    if year < 1:
        raise BadDate(f"{text!r} has no year 0")
    return year, month, day


_FIRST_DAYS_LIMIT = 1 << 16
"""Entries `_FIRST_DAYS` holds before it starts over: about 180 years of days."""

_FIRST_DAYS: Memo[str, str] = Memo(_FIRST_DAYS_LIMIT)
"""Valid dates already seen → their first days. A load checks and sorts every event by date, and a corpus
has a few thousand distinct dates, so most calls are one lookup instead of a regex, `int`s and the calendar;
the shared first-day strings also spare one copy per event."""


def first_day(text: str) -> str:
    """The ISO day a (possibly partial) date starts on: '2022-06' → '2022-06-01'. Raises BadDate."""
    known = _FIRST_DAYS.get(text) if type(text) is str else None
    if known is not None:
        return known
    year, month, day = _parts(text)
    first = f"{year:04d}-{month or 1:02d}-{day or 1:02d}"
    return _FIRST_DAYS.remember(text, first)


def last_day(text: str) -> str:
    """The ISO day a (possibly partial) date ends on: '2023-02' → '2023-02-28'. Raises BadDate."""
    year, month, day = _parts(text)
    if month is None:
        return f"{year:04d}-12-31"
    if day is None:
        day = calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-{day:02d}"


def day_number(day: str) -> int:
    """An ISO day as the number YYYYMMDD: ordered as the days are, 4 bytes in an array instead of 40."""
    return int(day[:4]) * 10000 + int(day[5:7]) * 100 + int(day[8:10])


def is_date(text: str) -> bool:
    if type(text) is str and text in _FIRST_DAYS:
        return True
    try:
        first_day(text)
    except BadDate:
        return False
    return True
