"""Dates as press releases write them, found in prose: "On 4 May 2023", "May 4, 2023", "6-7 May 2024",
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
    "day_month_year": rf"(?P<dd>{_DAY})\s+(?P<dm>{_MONTH}),?\s+(?P<dy>\d{{4}})",
    "us_day": rf"(?P<sm>{_MONTH})\s+(?P<sd>{_DAY}),\s*(?P<sy>\d{{4}})",
    "iso": r"(?P<iso>\d{4}-\d{2}-\d{2})",
    "dotted": r"(?P<td>\d{1,2})\.(?P<tm>\d{1,2})\.(?P<ty>\d{4})",
    "month_year": rf"(?P<mm>{_MONTH})\s+(?P<my>\d{{4}})",
    "day_month": rf"(?P<nd>{_DAY})\s+(?P<nm>{_MONTH})(?![\w.])",
    "us_month_day": rf"(?P<qm>{_MONTH})\s+(?P<qd>{_DAY})(?![\w,]|,\s*\d)",
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


def day_before(iso_day: str) -> str:
    """The day before a YYYY-MM-DD day ("yesterday" in a release dated `iso_day`)."""
    return (datetime.date.fromisoformat(iso_day) - datetime.timedelta(days=1)).isoformat()
