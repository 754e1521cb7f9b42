"""Turn one raw JSON object into an `Event`, or say in one line why it cannot be one.

This is the only place that knows the rules of the event format (the README's table and
`store/model/event.schema.json`): required fields, types, allowed kinds, real dates, ISO country codes. It also
normalises as it goes (sanitised text, slugged tags, upper-case codes), because checking and cleaning visit
the same values and the load of 100,000 files cannot afford two passes.

Leniencies, chosen so that collectors need not be pedantic: a participant or document may be a plain string
(its name or title); `related` items may be bare ids; `source.published` may be a timestamp, of which the
date is kept; `kind` is case-insensitive.

Speed (a cold load validates every event; this took 45 µs an event, now about 22): the common, well-typed
case takes the short branch of each check; printable text skips the sanitiser (`_clean`); an error's
location (`participants[3].aliases[0]`) is built only when there is an error (see `_FieldError` and
`_each`); the pure functions of small, much-repeated strings (country codes, tags, names and roles, dates
in `store.model.dates`) are memoised in bounded dicts; the dataclasses are built by position.
"""

from __future__ import annotations

from collections.abc import Callable
from sys import intern
from typing import Any, NoReturn, TypeVar

from store.memo import Memo
from store.model.countries import COUNTRY_CODES
from store.model.dates import BadDate, first_day, is_date
from store.model.event import KINDS, Document, Event, Link, Participant
from store.model.sanitize import sanitize_line, sanitize_text
from store.model.slug import slugify

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
_KIND_BY_NAME = {kind: intern(kind) for kind in KINDS}
"""The kinds as written in lower case, the common spelling: one lookup instead of lower() and intern()."""

_T = TypeVar("_T")


class InvalidEvent(ValueError):
    """The object breaks the format; the message names the field and is shown to the user as is."""


class _FieldError(Exception):
    """A broken field, located relative to the object being read (`name`, `aliases[0]`, or "" for the object
    itself). Each enclosing array adds its `key[index]` on the way out (`_each`), so that no location string
    is built for the millions of fields that are fine; `validate_event` turns it into an InvalidEvent."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(where, reason)
        self.where = where
        self.reason = reason

    def under(self, prefix: str) -> _FieldError:
        return _FieldError(f"{prefix}.{self.where}" if self.where else prefix, self.reason)

    def message(self) -> str:
        return f"{self.where}: {self.reason}"


_MEMO_LIMIT = 1 << 14
"""Entries a memo holds before it starts over: far more than the distinct codes and tags of a real corpus,
and a bound on what hostile files with endless variants can make it hold."""


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


def _wrong_type(value: Any, kind: type, where: str) -> NoReturn:
    expected = {str: "a string", list: "an array", dict: "an object", bool: "true or false"}[kind]
    raise _FieldError(where, f"expected {expected}, got {_type_name(value)}")


def _expect(value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        _wrong_type(value, kind, where)
    return value


def _each(values: list[Any], key: str, parse: Callable[[Any], _T]) -> list[_T]:
    """`parse` of every item. When one fails, the items are parsed again one by one to find which (parsing is
    a pure function of the item), so the index enters the error's location only then, never on success."""
    try:
        return list(map(parse, values))
    except _FieldError:
        for index, value in enumerate(values):
            try:
                parse(value)
            except _FieldError as error:
                raise error.under(f"{key}[{index}]") from None
        raise


def _line(value: Any, where: str) -> str:
    """One-line text, trimmed and sanitised; None is "". The hottest function of a load (about 20 calls an
    event): a printable string returns at once, without the sanitiser's call (see `_clean`)."""
    if type(value) is str:
        return value.strip() if value.isprintable() else sanitize_line(value)
    if value is None:
        return ""
    return sanitize_line(_expect(value, str, where))


def _clean(text: str) -> str:
    """`sanitize_line(text)`, sooner when the text is printable: every character the sanitiser replaces
    (controls, tabs, newlines, bidi marks, line separators, surrogates) is unprintable, so printable text,
    accents and all, needs only the strip. (`sanitize_line`'s own shortcut is for ASCII only, and most
    titles and names carry a dash or an accent.)"""
    return text.strip() if text.isprintable() else sanitize_line(text)


def _paragraphs(value: Any, where: str) -> str:
    """`sanitize_text` of a summary or text, skipping the sanitiser for printable text as `_clean` does."""
    text = value if type(value) is str else _expect(value, str, where)
    return text.strip() if text.isprintable() else sanitize_text(text)


def _text(value: Any) -> str:
    """An array item that must be a string (an alias, an agenda point, an organisation)."""
    if type(value) is not str:
        _expect(value, str, "")
    return _clean(value)


_LABELS: Memo[str, str] = Memo(_MEMO_LIMIT)
"""Names, roles, places and organisations as written → cleaned and interned: most recur in many events."""


def _label(value: Any, where: str) -> str:
    """`intern(_line(value, where))`, memoised for strings."""
    if type(value) is str:
        label = _LABELS.get(value)
        if label is None:
            label = _LABELS.remember(value, intern(_clean(value)))
        return label
    return intern(_line(value, where))


_CODES: Memo[str, str] = Memo(_MEMO_LIMIT)
"""Country values as written ('tm', 'TM', ' RU') → their interned upper-case codes."""


def _country(value: Any, where: str = "") -> str:
    if type(value) is str:
        code = _CODES.get(value)
        if code is not None:
            return code
    if value is None or value == "":
        return ""
    code = (
        value.upper()
        if type(value) is str and len(value) == 2
        else _expect(value, str, where).strip().upper()
    )
    if code not in COUNTRY_CODES:
        raise _FieldError(where, f"{sanitize_line(str(value))!r} is not an ISO 3166-1 alpha-2 country code")
    return _CODES.remember(value, intern(code))


def _date(value: Any, where: str) -> str:
    text = (value if type(value) is str else _expect(value, str, where)).strip()
    if not is_date(text):
        raise _FieldError(where, f"{sanitize_line(text)!r} is not a real date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return text


def _kind(value: Any) -> str:
    text = _line(value, "kind") or "other"
    kind = _KIND_BY_NAME.get(text)
    if kind is None:
        kind = intern(text.lower())
        if kind not in _KINDS:
            raise _FieldError("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    return kind


def _items(raw: dict[str, Any], key: str, parse: Callable[[Any], _T]) -> list[_T]:
    """`parse` of each item of the array `raw[key]`; an absent or null array has none."""
    values = raw.get(key)
    if values is None:
        return []
    return _each(_expect(values, list, key), key, parse)


def _strings(raw: dict[str, Any], key: str) -> list[str]:
    return [text for text in _items(raw, key, _text) if text]


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items)) if len(items) > 1 else tuple(items)


_SLUGS: Memo[str, str] = Memo(_MEMO_LIMIT)
"""Tags as written → their interned slugs: a corpus has a few hundred tags, each written thousands of times."""


def _topic(value: Any) -> str:
    if type(value) is str:
        slug = _SLUGS.get(value)
        if slug is None:
            slug = _SLUGS.remember(value, intern(slugify(_clean(value))))
        return slug
    return intern(slugify(_text(value)))


def _aliases(value: Any, name: str) -> tuple[str, ...]:
    """A participant's other spellings. Most participants have none, so absence returns before any work."""
    if not value:
        return ()
    texts = _each(_expect(value, list, "aliases"), "aliases", _text)
    return _unique([text for text in texts if text and text != name])


def _participant(item: Any) -> Participant:
    if isinstance(item, str):
        item = {"name": item}
    elif not isinstance(item, dict):
        _wrong_type(item, dict, "")
    name = _label(item.get("name"), "name")
    if not name:
        raise _FieldError("name", "required")
    head = item.get("delegation_head")
    if head is None:
        head = False
    elif type(head) is not bool:
        _wrong_type(head, bool, "delegation_head")
    aliases = _aliases(item.get("aliases"), name)
    role = _label(item.get("role"), "role")
    country = _country(item.get("country"), "country")
    organization = _label(item.get("organization"), "organization")
    return shared_participant(Participant(name, role, country, organization, head, aliases))  # by position


def _one_of(memo: Memo[_T, _T], value: _T) -> _T:
    """The one object standing for every value equal to this one that `memo` has seen lately."""
    shared = memo.get(value)
    return memo.remember(value, value) if shared is None else shared


def shared_participant(participant: Participant) -> Participant:
    """See `_PARTICIPANTS`."""
    return _one_of(_PARTICIPANTS, participant)


def share_values(event: Event) -> None:
    """Make an event read by a load worker share its repeated values with the others.

    Validation interns these (see `_LABELS`), but a worker's interned strings arrive as new objects, one
    per chunk: at 100,000 events that is ~25 MB of copies of the same names, codes, dates and tags.
    """
    event.participants = tuple(map(shared_participant, event.participants))
    event.kind, event.city, event.country = intern(event.kind), intern(event.city), intern(event.country)
    event.date, event.sort_date = intern(event.date), intern(event.sort_date)
    event.series, event.source_name = intern(event.series), intern(event.source_name)
    event.source_published = intern(event.source_published)
    event.countries = shared_tuple(tuple(map(intern, event.countries)))
    event.topics = tuple(map(intern, event.topics))
    event.organizations = shared_tuple(tuple(map(intern, event.organizations)))
    if not event.extra:
        event.extra = NO_EXTRA


_MOST_SHARED = 1 << 17
"""Each sharing memo starts over at this size, so that a stream of unique values cannot grow it without bound."""

_TUPLES: Memo[tuple[str, ...], tuple[str, ...]] = Memo(_MOST_SHARED)
"""Tuples of codes or names seen lately → one object for all equal ones: the countries of 100,000 events are
~36,000 distinct tuples and their organisations ~5,000 (8 MB saved)."""


def shared_tuple(values: tuple[str, ...]) -> tuple[str, ...]:
    """See `_TUPLES`."""
    return _one_of(_TUPLES, values) if values else ()


_PARTICIPANTS: Memo[Participant, Participant] = Memo(_MOST_SHARED)
"""Every distinct participant seen lately, so that equal ones across events are one object: the same people
recur in the same roles, and at 100,000 events sharing them saves ~30 MB. Events read by a load worker
(`store.files.parallel_load`) are shared again on arrival, since each worker has its own table."""


def _document(item: Any) -> Document:
    if isinstance(item, str):
        item = {"title": item}
    _expect(item, dict, "")
    title = _line(item.get("title"), "title")
    if not title:
        raise _FieldError("title", "required")
    date = _date(item["date"], "date") if item.get("date") else ""
    return Document(title, date, _line(item.get("id"), "id"))


def _link(item: Any) -> Link:
    if isinstance(item, str):
        item = {"id": item}
    _expect(item, dict, "")
    target = _line(item.get("id"), "id")
    if not target:
        raise _FieldError("id", "required")
    return Link(target, _line(item.get("relation"), "relation"))


def _published(value: Any) -> str:
    if value is None or value == "":
        return ""
    text = _expect(value, str, "source.published").strip()
    for candidate in (text, text[:10]):
        if is_date(candidate):
            return candidate
    raise _FieldError("source.published", f"{sanitize_line(text)!r} is not a date")


MAX_NESTING = 200
"""Levels of arrays and objects an event may nest, the event itself being the first. JSON writers stop
somewhere (orjson at 254 levels, an export adds one for its array): a deeper event loaded fine, then made
every JSON export of its folder fail, so it is refused at load instead, with a problem naming its file."""


def _sanitize_extra(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return sanitize_text(value)
    if isinstance(value, list | dict) and depth > MAX_NESTING:
        raise _FieldError("", f"nested deeper than {MAX_NESTING} levels (the most an export writes)")
    if isinstance(value, list):
        return [_sanitize_extra(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {sanitize_line(str(key)): _sanitize_extra(item, depth + 1) for key, item in value.items()}
    return value


NO_EXTRA: dict[str, Any] = {}
"""The `extra` of every event without unknown fields: one dict, never changed, instead of 97,000 empty ones
(6 MB at 100,000 events)."""


def _extra(raw: dict[str, Any]) -> dict[str, Any]:
    """The fields the format does not know; most events have none, which one set comparison tells."""
    if raw.keys() <= KNOWN_FIELDS:
        return NO_EXTRA
    try:
        return {
            sanitize_line(str(key)): _sanitize_extra(value, 2)
            for key, value in raw.items()
            if key not in KNOWN_FIELDS
        }
    except _FieldError:
        for key, value in raw.items():  # again, to name the field (only when one is too deep)
            if key not in KNOWN_FIELDS:
                try:
                    _sanitize_extra(value, 2)
                except _FieldError as error:
                    raise error.under(sanitize_line(str(key))) from None
        raise


def validate_event(raw: Any, *, fallback_id: str, path: str = "") -> Event:
    """The normalised event for one raw JSON value. Raises InvalidEvent with a one-line reason."""
    if not isinstance(raw, dict):
        raise InvalidEvent(f"expected an event object, got {_type_name(raw)}")
    try:
        return _event(raw, fallback_id, path)
    except _FieldError as error:
        raise InvalidEvent(error.message()) from None


def _event(raw: dict[str, Any], fallback_id: str, path: str) -> Event:
    """`validate_event` past the type check. The fields are checked in a fixed order, which decides which
    error an event with several gets."""
    title = _line(raw.get("title"), "title")
    if not title:
        raise _FieldError("title", "required" if raw.get("title") is None else "empty")
    if raw.get("date") is None:
        raise _FieldError("date", "required")
    date = _date(raw["date"], "date")
    try:
        sort_date = first_day(date)
    except BadDate as error:  # pragma: no cover - _date already checked it
        raise _FieldError("date", str(error)) from None
    end_date = _date(raw["end_date"], "end_date") if raw.get("end_date") else ""
    if end_date and first_day(end_date) < sort_date:
        raise _FieldError("end_date", f"{end_date} is before date {date}")
    kind = _kind(raw.get("kind"))
    location = raw.get("location") or {}
    _expect(location, dict, "location")
    source = raw.get("source") or {}
    _expect(source, dict, "source")
    event_id = _line(raw.get("id"), "id") or fallback_id
    # By position, in the order of Event's fields: a call by keyword costs a dataclass four times as much
    # (2.7 µs for Event). tests/unit/test_validate_speedups.py checks the order.
    return Event(
        event_id,  # id
        title,  # title
        date,  # date
        sort_date,  # sort_date
        path or fallback_id,  # path
        kind,  # kind
        end_date,  # end_date
        _label(location.get("city"), "location.city"),  # city
        _country(location.get("country"), "location.country"),  # country
        shared_tuple(_unique(_items(raw, "countries", _country))),  # countries
        tuple(_items(raw, "participants", _participant)),  # participants
        _unique([slug for slug in _items(raw, "topics", _topic) if slug]),  # topics
        tuple(_strings(raw, "agenda")),  # agenda
        shared_tuple(_unique(list(map(intern, _strings(raw, "organizations"))))),  # organizations
        tuple(_items(raw, "documents", _document)),  # documents
        tuple(_items(raw, "related", _link)),  # related
        _label(raw.get("series"), "series"),  # series
        _label(source.get("name"), "source.name"),  # source_name
        _line(source.get("url"), "source.url"),  # source_url
        _published(source.get("published")),  # source_published
        _paragraphs(raw.get("summary") or "", "summary"),  # summary
        _paragraphs(raw.get("text") or "", "text"),  # text
        _extra(raw),  # extra
    )
