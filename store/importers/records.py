"""The fields of one XML record of the Office of the Historian, read strictly.

Both collections (travels, visits) are flat records of short text fields. This module reads a field as one
line of text, a date as an ISO day, and a country element as an ISO code, and raises `RecordProblem` with a
one-line reason when a record cannot make a valid event, so the importer can report it and go on.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from store.importers.record_text import country_code_leniently
from store.model.countries import code_for, name_for
from store.model.dates import BadDate, first_day

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,80}")
_PARENTHESISED = re.compile(r"^(?P<outside>[^()]*)\((?P<inside>[^()]*)\)\s*$")


class RecordProblem(ValueError):
    """Why a record cannot be converted, in one line."""


def field_text(record: ElementTree.Element, tag: str) -> str:
    """The text of child `tag` on one line (runs of whitespace and no-break spaces become one space)."""
    child = record.find(tag)
    if child is None:
        return ""
    return " ".join("".join(child.itertext()).replace("\xa0", " ").split())


def required_text(record: ElementTree.Element, tag: str) -> str:
    """Like `field_text`, but an empty or missing field is a RecordProblem."""
    text = field_text(record, tag)
    if not text:
        raise RecordProblem(f"no <{tag}>")
    return text


def record_id(record: ElementTree.Element) -> str:
    """The record's id, checked to be safe inside a file name."""
    identifier = required_text(record, "id")
    if not _SAFE_ID.fullmatch(identifier):
        raise RecordProblem(f"id {identifier!r} is not letters, digits, '-' or '_'")
    return identifier


def iso_day(record: ElementTree.Element, tag: str) -> str:
    """The date in child `tag` as YYYY-MM-DD, checked against the calendar."""
    text = required_text(record, tag)
    if not _ISO_DAY.fullmatch(text):
        raise RecordProblem(f"<{tag}> {text!r} is not YYYY-MM-DD")
    try:
        first_day(text)
    except BadDate as error:
        raise RecordProblem(f"<{tag}> {error}") from None
    return text


def date_range(record: ElementTree.Element) -> tuple[str, str]:
    """(start, end) from `<start-date>` and `<end-date>`; an end before the start is a RecordProblem."""
    start, end = iso_day(record, "start-date"), iso_day(record, "end-date")
    if end < start:
        raise RecordProblem(f"ends ({end}) before it starts ({start})")
    return start, end


def country_of(record: ElementTree.Element, tag: str, warnings: list[str] | None = None) -> tuple[str, str]:
    """(ISO code, name for display) of a country element such as `<country id="korea-south">Korea</country>`.

    The code comes from the text, else from the `id` slug, else from either side of a parenthesis
    ("Serbia-Montenegro (Kosovo)" has id "kosovo"; "Burma (Myanmar)"). The display name is the text as written
    unless it is an inverted catalogue form ("China, People’s Republic of"), which reads badly in a title.
    A name the table does not hold is tried as a historic name or a close spelling; when `warnings` is
    given, a name that still fits nothing gives code '' and a warning line instead of a RecordProblem, so
    the record is kept.
    """
    element = record.find(tag)
    text = field_text(record, tag)
    if element is None or not text:
        raise RecordProblem(f"no <{tag}>")
    candidates = [text, (element.get("id") or "").replace("-", " ")]
    parenthesised = _PARENTHESISED.match(text)
    if parenthesised:
        candidates += [parenthesised["outside"], parenthesised["inside"]]
    for candidate in candidates:
        code = code_for(candidate) if candidate.strip() else None
        if code:
            return code, (name_for(code) if "," in text else text)
    for candidate in candidates:
        lenient, known = country_code_leniently(candidate) if candidate.strip() else (None, False)
        if lenient or known:
            if warnings is not None and not lenient:
                warnings.append(
                    f"<{tag}> {text!r} is a former state with no country code: country left unset"
                )
            elif warnings is not None:
                warnings.append(f"<{tag}> {text!r} read as {lenient} ({name_for(lenient or '')})")
            return lenient or "", text
    if warnings is None:
        raise RecordProblem(f"<{tag}> {text!r} is not a country we know")
    warnings.append(f"<{tag}> {text!r} is not a country we know: country left unset")
    return "", text


def unique(values: list[str]) -> list[str]:
    """`values` without repeats, in first-seen order."""
    return list(dict.fromkeys(value for value in values if value))
