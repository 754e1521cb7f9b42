"""Dates as press releases write them, found in prose: "On 4 May 2023", "May 4, 2023", "6-7 May 2024",
"the 3rd of April 2024",
"in June 2022", "on 12 March" (no year), "2023-05-05".

Every date found keeps its place in the text, so the draft can tell the event's date from a document's or
the publication's by where it stands. A date without a year is resolved only against a reference date the
caller trusts (the publication date), to the latest such day not after it; without one it is dropped, never
guessed. Month names must be capitalised, so the verb "may" is never a month.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from store.model.dates import BadDate, first_day

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",),
            ("June", "Jun"), ("July", "Jul"), ("August", "Aug"), ("September", "Sept", "Sep"),
            ("October", "Oct"), ("November", "Nov"), ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DASH = r"\s*[-–—]\s*"

_PATTERNS = {
    "day_range": rf"(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>\d{{4}})",
    "from_to": rf"from\s+(?P<fd1>{_DAY})\s+to\s+(?P<fd2>{_DAY})\s+(?P<fm>{_MONTH}),?\s+(?P<fy>\d{{4}})",
    "month_range": rf"(?P<rd1>{_DAY})\s+(?P<rm1>{_MONTH}){_DASH}(?P<rd2>{_DAY})\s+(?P<rm2>{_MONTH}),?\s+(?P<ry>\d{{4}})",
    "us_range": rf"(?P<um>{_MONTH})\s+(?P<ud1>{_DAY}){_DASH}(?P<ud2>{_DAY}),\s*(?P<uy>\d{{4}})",
    "day_month_year": rf"(?P<dd>{_DAY})\s+(?:of\s+)?(?P<dm>{_MONTH}),?\s+(?P<dy>\d{{4}})",
    "us_day": rf"(?P<sm>{_MONTH})\s+(?P<sd>{_DAY}),\s*(?P<sy>\d{{4}})",
    "iso": r"(?P<iso>\d{4}-\d{2}-\d{2})",
    "dotted": r"(?P<td>\d{1,2})\.(?P<tm>\d{1,2})\.(?P<ty>\d{4})",
    "month_year": rf"(?P<mm>{_MONTH})\s+(?P<my>\d{{4}})",
    "day_range_month": rf"(?P<xd1>{_DAY}){_DASH}(?P<xd2>{_DAY})\s+(?P<xm>{_MONTH})(?![\w.])",
    "day_month": rf"(?P<nd>{_DAY})\s+(?P<nm>{_MONTH})(?![\w.])",
    "us_month_day": rf"(?P<qm>{_MONTH})\s+(?P<qd>{_DAY})(?!\w|,\s*\d)",
}
_DATE = re.compile(
    "|".join(f"(?P<k_{name}>(?<![\\w-]){pattern}(?![\\w-]))" for name, pattern in _PATTERNS.items())
)


@dataclass(frozen=True)
class FoundDate:
    """A date in the text: `start` (and `end` for a range) as YYYY[-MM[-DD]], and where it was written."""

    start: str
    end: str
    text_start: int
    text_end: int
    written: str


def _day(value: str) -> int:
    return int(re.match(r"\d+", value).group())  # type: ignore[union-attr]


def _iso(year: int | str, month: int | str, day: int | str | None = None) -> str | None:
    month_number = (
        _MONTHS[month.rstrip(".")] if isinstance(month, str) and not month.isdigit() else int(month)
    )
    text = f"{int(year):04d}-{month_number:02d}" + (f"-{_day(str(day)):02d}" if day is not None else "")
    try:
        first_day(text)
    except BadDate:
        return None
    return text


def _without_year(month: str, day: str, reference: str | None) -> str | None:
    """The latest `day month` not after `reference` (YYYY-MM-DD), or None without a reference."""
    if not reference or len(reference) < 10:
        return None
    year = int(reference[:4])
    candidate = _iso(year, month, day)
    if candidate and candidate > reference:
        candidate = _iso(year - 1, month, day)
    return candidate


def _resolve(match: re.Match[str], reference: str | None) -> tuple[str | None, str | None]:
    group = match.group
    kind = (match.lastgroup or "").removeprefix("k_")
    if kind == "day_range":
        return _iso(group("y"), group("m"), group("d1")), _iso(group("y"), group("m"), group("d2"))
    if kind == "from_to":
        return _iso(group("fy"), group("fm"), group("fd1")), _iso(group("fy"), group("fm"), group("fd2"))
    if kind == "month_range":
        return _iso(group("ry"), group("rm1"), group("rd1")), _iso(group("ry"), group("rm2"), group("rd2"))
    if kind == "us_range":
        return _iso(group("uy"), group("um"), group("ud1")), _iso(group("uy"), group("um"), group("ud2"))
    if kind == "day_month_year":
        return _iso(group("dy"), group("dm"), group("dd")), None
    if kind == "us_day":
        return _iso(group("sy"), group("sm"), group("sd")), None
    if kind == "iso":
        return _iso(*group("iso").split("-")), None
    if kind == "dotted":
        return _iso(group("ty"), group("tm"), group("td")), None
    if kind == "month_year":
        return _iso(group("my"), group("mm")), None
    if kind == "day_range_month":  # "On 3-4 April": both days in the year of the reference
        first = _without_year(group("xm"), group("xd1"), reference)
        last = _iso(first[:4], group("xm"), group("xd2")) if first else None
        return first, last
    if kind == "day_month":
        return _without_year(group("nm"), group("nd"), reference), None
    return _without_year(group("qm"), group("qd"), reference), None


def dates_in(text: str, *, reference: str | None = None) -> list[FoundDate]:
    """Every real date written in `text`, in order; `reference` (YYYY-MM-DD) resolves dates without a year."""
    found = []
    for match in _DATE.finditer(text):
        start, end = _resolve(match, reference)
        if start is None or (end is not None and end < start):
            continue
        found.append(FoundDate(start, end or "", match.start(), match.end(), match.group()))
    return found


_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WEEKDAY_OF = dict(zip(_WEEKDAYS.lower().split("|"), (MO, TU, WE, TH, FR, SA, SU), strict=True))
_RELATIVE = re.compile(
    rf"\b(?:(?:[Tt]he )?day before yesterday|[Yy]esterday|(?:[Ee]arlier )?[Tt]oday|[Tt]onight|"
    rf"[Tt]his (?:morning|afternoon|evening)|(?:[Oo]n |[Ll]ast )?(?:{_WEEKDAYS}))\b"
)
"""Days a release names by where they stand from its own day: "yesterday", "on Tuesday", "last Friday"."""


@dataclass(frozen=True)
class RelativeDay:
    """A day written relative to the release ("yesterday"), resolved, and where it was written."""

    day: str
    text_start: int


def relative_days(text: str, release_day: str) -> list[RelativeDay]:
    """Every relative day of `text` resolved against `release_day` (YYYY-MM-DD).

    A weekday is the latest such day not after the release ("on Tuesday" in a release of Tuesday is that day),
    by `dateutil`'s calendar arithmetic; "last Friday" is the latest Friday before it.
    """
    found = []
    for match in _RELATIVE.finditer(text):
        day = _resolve_relative(match.group(), release_day)
        if day:
            found.append(RelativeDay(day, match.start()))
    return found


def _resolve_relative(written: str, release_day: str) -> str | None:
    base = datetime.date.fromisoformat(release_day)
    phrase = re.sub(r"^(?:earlier|the|on)\s+", "", written.lower())
    if phrase in {"today", "tonight", "this morning", "this afternoon", "this evening"}:
        return base.isoformat()
    if phrase in {"yesterday", "day before yesterday"}:
        return (base - datetime.timedelta(days=1 if phrase == "yesterday" else 2)).isoformat()
    last = phrase.startswith("last ")
    weekday = _WEEKDAY_OF[phrase.split()[-1]]
    # relativedelta: the latest such weekday on or before the day ("last Friday" is before it)
    day = base - datetime.timedelta(days=1 if last else 0) + relativedelta(weekday=weekday(-1))
    return day.isoformat()
