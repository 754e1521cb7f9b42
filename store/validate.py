"""Turn one raw JSON object into an `Event`, or say in one line why it cannot be one.

This is the only place that knows the rules of the event format (the README's table and
`store/event.schema.json`): required fields, types, allowed kinds, real dates, ISO country codes. It also
normalises as it goes (sanitised text, slugged tags, upper-case codes), because checking and cleaning visit
the same values and the load of 100,000 files cannot afford two passes.

Leniencies, chosen so that collectors need not be pedantic: a participant or document may be a plain string
(its name or title); `related` items may be bare ids; `source.published` may be a timestamp, of which the
date is kept; `kind` is case-insensitive.
"""

from __future__ import annotations

from sys import intern
from typing import Any

from store.countries import COUNTRY_CODES
from store.dates import BadDate, first_day, is_date
from store.event import KINDS, Document, Event, Link, Participant
from store.sanitize import sanitize_line, sanitize_text
from store.slug import slugify

# Values that repeat across thousands of events (roles, places, tags, organisations, country codes, kinds)
# are interned: one string object each instead of one per event, which saves memory at 100,000 events
# and makes the index's dictionary lookups compare by identity.
KNOWN_FIELDS = frozenset(
    (
        "id title date kind end_date location countries participants topics agenda organizations documents "
        "related series source summary text"
    ).split()
)
_KINDS = frozenset(KINDS)


class InvalidEvent(ValueError):
    """The object breaks the format; the message names the field and is shown to the user as is."""


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
    }.get(type(value), type(value).__name__)


def _expect(value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        expected = {str: "a string", list: "an array", dict: "an object", bool: "true or false"}[kind]
        raise InvalidEvent(f"{where}: expected {expected}, got {_type_name(value)}")
    return value


def _line(raw: dict[str, Any], key: str, where: str = "") -> str:
    # The hottest function of a load (about 20 calls an event): plain ASCII skips the sanitiser's call.
    value = raw.get(key)
    if value is None:
        return ""
    if type(value) is str:
        return value.strip() if value.isascii() and value.isprintable() else sanitize_line(value)
    return sanitize_line(_expect(value, str, where + key))


def _country(value: Any, where: str) -> str:
    if value is None or value == "":
        return ""
    code = (
        value.upper()
        if type(value) is str and len(value) == 2
        else _expect(value, str, where).strip().upper()
    )
    if code not in COUNTRY_CODES:
        raise InvalidEvent(
            f"{where}: {sanitize_line(str(value))!r} is not an ISO 3166-1 alpha-2 country code"
        )
    return intern(code)


def _date(value: Any, where: str) -> str:
    text = _expect(value, str, where).strip()
    if not is_date(text):
        raise InvalidEvent(
            f"{where}: {sanitize_line(text)!r} is not a real date (YYYY, YYYY-MM or YYYY-MM-DD)"
        )
    return text


def _list(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key)
    if value is None:
        return []
    return _expect(value, list, key)


def _strings(raw: dict[str, Any], key: str) -> list[str]:
    items = []
    for index, item in enumerate(_list(raw, key)):
        text = sanitize_line(_expect(item, str, f"{key}[{index}]"))
        if text:
            items.append(text)
    return items


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _participant(item: Any, where: str) -> Participant:
    if isinstance(item, str):
        item = {"name": item}
    _expect(item, dict, where)
    name = intern(_line(item, "name", where + "."))
    if not name:
        raise InvalidEvent(f"{where}.name: required")
    head = item.get("delegation_head", False)
    if head is None:
        head = False
    _expect(head, bool, where + ".delegation_head")
    aliases = []
    for index, alias in enumerate(_expect(item.get("aliases") or [], list, where + ".aliases")):
        text = sanitize_line(_expect(alias, str, f"{where}.aliases[{index}]"))
        if text and text != name:
            aliases.append(text)
    return Participant(
        name=name,
        role=intern(_line(item, "role", where + ".")),
        country=_country(item.get("country"), where + ".country"),
        organization=intern(_line(item, "organization", where + ".")),
        delegation_head=head,
        aliases=_unique(aliases),
    )


def _document(item: Any, where: str) -> Document:
    if isinstance(item, str):
        item = {"title": item}
    _expect(item, dict, where)
    title = _line(item, "title", where + ".")
    if not title:
        raise InvalidEvent(f"{where}.title: required")
    date = _date(item["date"], where + ".date") if item.get("date") else ""
    return Document(title=title, date=date, id=_line(item, "id", where + "."))


def _link(item: Any, where: str) -> Link:
    if isinstance(item, str):
        item = {"id": item}
    _expect(item, dict, where)
    target = _line(item, "id", where + ".")
    if not target:
        raise InvalidEvent(f"{where}.id: required")
    return Link(id=target, relation=_line(item, "relation", where + "."))


def _published(value: Any) -> str:
    if value is None or value == "":
        return ""
    text = _expect(value, str, "source.published").strip()
    for candidate in (text, text[:10]):
        if is_date(candidate):
            return candidate
    raise InvalidEvent(f"source.published: {sanitize_line(text)!r} is not a date")


def _sanitize_extra(value: Any) -> Any:
    if isinstance(value, str):
        return sanitize_text(value)
    if isinstance(value, list):
        return [_sanitize_extra(item) for item in value]
    if isinstance(value, dict):
        return {sanitize_line(str(key)): _sanitize_extra(item) for key, item in value.items()}
    return value


def validate_event(raw: Any, *, fallback_id: str, path: str = "") -> Event:
    """The normalised event for one raw JSON value. Raises InvalidEvent with a one-line reason."""
    if not isinstance(raw, dict):
        raise InvalidEvent(f"expected an event object, got {_type_name(raw)}")
    title = _line(raw, "title")
    if not title:
        raise InvalidEvent("title: required" if raw.get("title") is None else "title: empty")
    if raw.get("date") is None:
        raise InvalidEvent("date: required")
    date = _date(raw["date"], "date")
    try:
        sort_date = first_day(date)
    except BadDate as error:  # pragma: no cover - _date already checked it
        raise InvalidEvent(f"date: {error}") from None
    end_date = _date(raw["end_date"], "end_date") if raw.get("end_date") else ""
    if end_date and first_day(end_date) < sort_date:
        raise InvalidEvent(f"end_date: {end_date} is before date {date}")
    kind = intern((_line(raw, "kind") or "other").lower())
    if kind not in _KINDS:
        raise InvalidEvent(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    location = raw.get("location") or {}
    _expect(location, dict, "location")
    source = raw.get("source") or {}
    _expect(source, dict, "source")
    event_id = _line(raw, "id") or fallback_id
    return Event(
        id=event_id,
        title=title,
        date=date,
        sort_date=sort_date,
        path=path or fallback_id,
        kind=kind,
        end_date=end_date,
        city=intern(_line(location, "city", "location.")),
        country=_country(location.get("country"), "location.country"),
        countries=_unique(
            [_country(code, f"countries[{index}]") for index, code in enumerate(_list(raw, "countries"))]
        ),
        participants=tuple(
            _participant(item, f"participants[{index}]")
            for index, item in enumerate(_list(raw, "participants"))
        ),
        topics=_unique([intern(slug) for slug in map(slugify, _strings(raw, "topics")) if slug]),
        agenda=tuple(_strings(raw, "agenda")),
        organizations=_unique(list(map(intern, _strings(raw, "organizations")))),
        documents=tuple(
            _document(item, f"documents[{index}]") for index, item in enumerate(_list(raw, "documents"))
        ),
        related=tuple(_link(item, f"related[{index}]") for index, item in enumerate(_list(raw, "related"))),
        series=intern(_line(raw, "series")),
        source_name=intern(_line(source, "name", "source.")),
        source_url=_line(source, "url", "source."),
        source_published=_published(source.get("published")),
        summary=sanitize_text(_expect(raw.get("summary") or "", str, "summary")),
        text=sanitize_text(_expect(raw.get("text") or "", str, "text")),
        extra={
            sanitize_line(str(key)): _sanitize_extra(value)
            for key, value in raw.items()
            if key not in KNOWN_FIELDS
        },
    )
