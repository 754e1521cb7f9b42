"""The filter's fields, once: one entry per field says everything the program knows about it.

An entry holds the field's name and aliases, how a typed value becomes canonical, which of the index's
tables it reads and how it answers there (a mask over every event), how it tests one event (what alerts
use), how costly it is (what the query plan orders terms by) and its line of help. The parser
(`store.query.filter_syntax`), the evaluators (`store.query.filter_eval`), the help screen and the filter bar all read
`FILTER_FIELDS`; adding a field is adding one entry here (and its tests).

The two answers of an entry must agree: `index_mask(index, value)` is exactly the live events for which
`event_test(one, value)` holds. Keyed fields get both from one pair (`field`, the index's field, and
`event_keys`, the same keys read from one event, which must be what `store.index.protocol.field_keys_of`
defines) and one `accepts` test of a key, so they cannot drift; the tests check the rest on random corpora.

This module never parses filter text (that is `store.query.filter_syntax`) and never combines terms (that is
`store.query.filter_eval`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from store.entities.people import Person, PersonKey
from store.index.aggregates import resolved_persons
from store.index.event_words import index_tokens, searchable_text
from store.index.protocol import Field, IndexReader
from store.model.countries import COUNTRY_CODES, code_for
from store.model.dates import BadDate, first_day, last_day
from store.model.event import KINDS, Event
from store.model.slug import slugify
from store.model.textfold import fold, folded_words


class BadValue(ValueError):
    """A value a field cannot take; its text is the one-line message the filter error shows."""


def words_prefix_match(words: Iterable[str], candidate: str) -> bool:
    """Every word starts some word of the candidate (both folded)."""
    parts = folded_words(candidate)
    return all(any(part.startswith(word) for part in parts) for word in words)


class OneEvent:
    """One live event as the single-event tests see it: its words and persons, found once and kept."""

    def __init__(self, index: IndexReader, docno: int) -> None:
        self.index = index
        self.docno = docno
        self.event: Event = index.event(docno)
        self._tokens: set[str] | None = None
        self._persons: list[Person] | None = None

    @property
    def folded_text(self) -> str:
        return fold(searchable_text(self.event))

    @property
    def tokens(self) -> set[str]:
        """The distinct folded words of the event's searchable text (what the word postings hold)."""
        if self._tokens is None:
            self._tokens = index_tokens(self.folded_text)
        return self._tokens

    @property
    def persons(self) -> list[Person]:
        """The persons (`store.entities.people`) of the event's participants, as the index knows them now."""
        if self._persons is None:
            people = self.index.people
            found = (people.persons.get(people.key_of(p)) for p in self.event.participants)
            self._persons = [person for person in found if person is not None]
        return self._persons


# -- persons by the words of their spellings ---------------------------------------------------------------


def person_matches(person: Person, words: Iterable[str]) -> bool:
    """Every word starts a word of one of the person's spellings (name or alias, folded)."""
    words = tuple(words)
    return any(
        all(any(part.startswith(word) for part in folded_words(spelling)) for word in words)
        for spelling in person.spellings
    )


def person_vocabulary(index: IndexReader) -> tuple[list[str], list[Person]]:
    """Every folded word of every spelling of every person, sorted, beside its person: a prefix is then
    one range (bisect) instead of a walk over every person and spelling (~10 ms at 3,000 persons)."""

    def build() -> tuple[list[str], list[Person]]:
        entries = [
            (word, position, person)
            for position, person in enumerate(index.people.persons.values())
            for spelling in person.spellings
            for word in folded_words(spelling)
        ]
        entries.sort(key=lambda entry: (entry[0], entry[1]))
        return [word for word, _, _ in entries], [person for _, _, person in entries]

    vocabulary: tuple[list[str], list[Person]] = index.derive("person vocabulary", build)
    return vocabulary


def persons_with_words(index: IndexReader, words: tuple[str, ...]) -> list[Person]:
    """The persons of whom some spelling (any alias) has words starting with each of the folded words.

    The one question the filter asks of `store.entities.people`: `p:hadj` and the plain word `hadj` both find Vepa
    Hajiyev, whose files spell him Hadjiev too."""
    if not words:
        return []
    vocabulary, owners = person_vocabulary(index)
    start = bisect.bisect_left(vocabulary, words[0])
    end = bisect.bisect_left(vocabulary, words[0] + "\U0010ffff", start)
    candidates = {id(person): person for person in owners[start:end]}
    return [person for person in candidates.values() if person_matches(person, words)]


def resolved_persons_with_words(index: IndexReader, words: tuple[str, ...]) -> set[PersonKey]:
    """The resolved persons (`store.entities.person_resolution`) any of whose mentions `persons_with_words`
    finds: `p:"Hosni Mubarak"` is the man, with the events that name him Mubarak alone."""
    resolution = index.resolution
    found: set[PersonKey] = set()
    for person in persons_with_words(index, words):
        found.update(resolution.persons_of_group(person.key))
    return found


def persons_mask(index: IndexReader, words: tuple[str, ...]) -> np.ndarray:
    """The live events of the persons `resolved_persons_with_words` finds, as a mask over docnos."""
    tables = index.people_tables
    if tables is not None:
        return tables.persons_mask(words, index.live_mask())
    mask = index.empty_mask()
    table = resolved_persons(index)
    for key in resolved_persons_with_words(index, words):
        docnos = table.get(key)
        if docnos:
            mask[np.frombuffer(docnos, dtype=np.uint32)] = True
    return mask & index.live_mask()


def persons_test(one: OneEvent, words: tuple[str, ...]) -> bool:
    found = resolved_persons_with_words(one.index, words)
    keys = [person.key for person in one.persons]  # as the index keys them now (after alias joins)
    return bool(found) and not found.isdisjoint(one.index.resolution.persons_of(keys, one.docno))


# -- the entries -------------------------------------------------------------------------------------------

Normalise = Callable[[str], str]
IndexMask = Callable[[IndexReader, str], np.ndarray]
EventTest = Callable[[OneEvent, str], bool]


@dataclass(frozen=True, slots=True)
class FilterField:
    name: str
    """The canonical name, as `format_filter` writes it."""
    aliases: tuple[str, ...]
    """Other names the parser accepts before the colon (lower-case; `#` is the topic's own sign)."""
    example: str
    meaning: str
    """The help line: what one types, and which events it matches (README, help screen)."""
    normalise: Normalise
    """A typed value (spaces made one, never empty) → its canonical form; `BadValue` when it has none."""
    reads: str
    """Which of the index's keys the field reads (said in words, for the reader)."""
    index_mask: IndexMask
    """The live events the canonical value matches, as a mask over docnos."""
    event_test: EventTest
    """Whether the canonical value matches one event: exactly the events of `index_mask`."""
    cost: int
    """How costly and how broad its answer is, relative to the others: cheap, narrowing terms go first."""
    free_text: bool = False
    """Values match by folded word prefixes, so `p:"vepa  hadjiev"` and `p:Vepa Hadjiev` are one term."""


def _keyed(
    field: Field,
    event_keys: Callable[[Event], Iterable[str]],
    accepts: Callable[[str, str], bool] | None = None,
) -> tuple[IndexMask, EventTest]:
    """A field read from one of the index's tables, as both answers: the value is one key of the table
    (`accepts` None), or every key that `accepts(value, key)`."""
    if accepts is None:

        def index_mask(index: IndexReader, value: str) -> np.ndarray:
            return index.keys_mask(field, [value])

        def event_test(one: OneEvent, value: str) -> bool:
            return value in set(event_keys(one.event)) - {""}

    else:

        def index_mask(index: IndexReader, value: str) -> np.ndarray:
            return index.keys_mask(field, [key for key in index.field_keys(field) if accepts(value, key)])

        def event_test(one: OneEvent, value: str) -> bool:
            return any(key and accepts(value, key) for key in event_keys(one.event))

    return index_mask, event_test


def _free_text(field: Field, event_keys: Callable[[Event], Iterable[str]]) -> tuple[IndexMask, EventTest]:
    return _keyed(field, event_keys, lambda value, key: words_prefix_match(folded_words(value), key))


def _place() -> tuple[IndexMask, EventTest]:
    """A place by the words of its name as written, or by any name of the places the value is in the
    gazetteer (`store.entities.place_resolution`): place:Kiev finds the events in Kyiv, place:Bombay those
    in Mumbai."""
    written_mask, written_test = _free_text("places", lambda event: (event.city, event.country))

    def index_mask(index: IndexReader, value: str) -> np.ndarray:
        mask = written_mask(index, value)
        named = index.place_resolution.places_named(value)
        if named:
            resolve = index.place_resolution.place_of_location
            keys = [key for key in index.field_keys("locations") if resolve(key).key in named]
            mask |= index.keys_mask("locations", keys)
        return mask

    def event_test(one: OneEvent, value: str) -> bool:
        if written_test(one, value):
            return True
        event = one.event
        if not event.city:
            return False
        place = one.index.place_resolution.place_of(event.city, event.country)
        return place.key in one.index.place_resolution.places_named(value)

    return index_mask, event_test


def _needs_a_word(field: str) -> Normalise:
    def normalise(value: str) -> str:
        if not folded_words(value):
            raise BadValue(f"no letters or digits in {field}:{value}")
        return value

    return normalise


def _topic(value: str) -> str:
    slug = slugify(value)
    if not slug:
        raise BadValue(f"no letters or digits in topic:{value}")
    return slug


def _topic_accepts(value: str, tag: str) -> bool:
    return tag == value or tag.startswith(value) or f"-{value}" in tag


def _country(value: str) -> str:
    code = value.upper() if value.upper() in COUNTRY_CODES else code_for(value)
    if code is None:
        raise BadValue(f"unknown country {value!r}")
    return code


def event_countries(event: Event) -> set[str]:
    """The countries an event involves: its list, its place's and its participants' (as the index keeps)."""
    return {event.country, *event.countries, *(participant.country for participant in event.participants)}


def _kind(value: str) -> str:
    kind = fold(value)
    if kind not in KINDS:
        raise BadValue(f"unknown kind {value!r} (known: {', '.join(KINDS)})")
    return kind


def _date(field: str, bound: Callable[[str], str]) -> Normalise:
    def normalise(value: str) -> str:
        try:
            return bound(value)
        except BadDate:
            raise BadValue(f"bad date in {field}:{value}") from None

    return normalise


FILTER_FIELDS: tuple[FilterField, ...] = (
    FilterField(
        "participant",
        ("p",),
        'participant:"Vepa Hadjiev"  p:hajiyev',
        "a participant whose name (any spelling or alias of the person) has words starting so",
        _needs_a_word("participant"),
        "the persons of store.entities.person_resolution (every spelling of each)",
        lambda index, value: persons_mask(index, folded_words(value)),
        lambda one, value: persons_test(one, folded_words(value)),
        cost=3,
        free_text=True,
    ),
    FilterField(
        "country",
        ("c",),
        "country:TM  c:kz  c:turkmenistan",
        "involve the country (in countries, the location or a participant's country)",
        _country,
        "index.countries",
        *_keyed("countries", event_countries),
        cost=1,
    ),
    FilterField(
        "topic",
        ("t",),
        "topic:regional-security  t:security  #security",
        "have a tag equal to, starting with, or ending a part with the value",
        _topic,
        "index.topics",
        *_keyed("topics", lambda event: event.topics, _topic_accepts),
        cost=2,
    ),
    FilterField(
        "kind",
        (),
        "kind:consultation",
        f"are of that kind ({', '.join(KINDS)})",
        _kind,
        "index.kinds",
        *_keyed("kinds", lambda event: (event.kind,)),
        cost=1,
    ),
    FilterField(
        "org",
        (),
        'org:"central asia"',
        "name an organisation whose words start so",
        _needs_a_word("org"),
        "index.organizations",
        *_free_text("organizations", lambda event: event.organizations),
        cost=2,
        free_text=True,
    ),
    FilterField(
        "place",
        (),
        "place:ashgabat",
        "took place in that city (in any of its names: Kiev finds Kyiv) or country",
        _needs_a_word("place"),
        "index.places, index.locations through the place resolution",
        *_place(),
        cost=2,
        free_text=True,
    ),
    FilterField(
        "source",
        (),
        "source:nca",
        "come from that source",
        _needs_a_word("source"),
        "index.sources",
        *_free_text("sources", lambda event: (event.source_name,)),
        cost=2,
        free_text=True,
    ),
    FilterField(
        "series",
        (),
        'series:"tm-ru consultations"',
        "belong to a series (rounds of the same talks) whose words start so",
        _needs_a_word("series"),
        "index.series",
        *_free_text("series", lambda event: (event.series,)),
        cost=2,
        free_text=True,
    ),
    FilterField(
        "document",
        ("doc",),
        'doc:"strategic partnership"',
        "refer to a document (a treaty, a declaration) whose title has words starting so",
        _needs_a_word("document"),
        "index.documents",
        *_free_text("documents", lambda event: (document.title for document in event.documents)),
        cost=2,
        free_text=True,
    ),
    FilterField(
        "from",
        (),
        "from:2022",
        "start on or after the first day of that year, month or day",
        _date("from", first_day),
        "the index's date order",
        lambda index, value: index.date_mask(value, ""),
        lambda one, value: one.event.sort_date >= value,
        cost=1,
    ),
    FilterField(
        "to",
        (),
        "to:2023-02",
        "start on or before the last day of that year, month or day",
        _date("to", last_day),
        "the index's date order",
        lambda index, value: index.date_mask("", value),
        lambda one, value: one.event.sort_date <= value,
        cost=1,
    ),
)
"""Every field, in the order help and error messages list them."""

FIELD_BY_NAME: dict[str, FilterField] = {field.name: field for field in FILTER_FIELDS}
FIELD_ALIASES: dict[str, str] = {
    alias: field.name for field in FILTER_FIELDS for alias in (field.name, *field.aliases)
}
"""What may stand before a colon (lower-case; field names ignore case) → the canonical field name."""

FIELDS: tuple[str, ...] = tuple(FIELD_BY_NAME)
"""The canonical field names."""


def known_fields() -> str:
    """The fields as an error message lists them: `participant (p), country (c), topic (t, #), …`."""
    shown = []
    for field in FILTER_FIELDS:
        others = [*field.aliases, *(["#"] if field.name == "topic" else [])]
        shown.append(f"{field.name} ({', '.join(others)})" if others else field.name)
    return ", ".join(shown)


_LAST_WORD = re.compile(r"(?:^|[\s(-])([A-Za-z]{2,})$")


def field_completion(text: str) -> str | None:
    """The filter completed with a field name, when its last word is the start of exactly one (`par` →
    `participant:`), as the filter bar suggests it; else None. Case as typed is kept."""
    match = _LAST_WORD.search(text)
    if match is None:
        return None
    typed = match.group(1)
    names = [field.name for field in FILTER_FIELDS if field.name.startswith(typed.lower())]
    if len(names) != 1 or names[0] == typed.lower():
        return None
    return text + names[0][len(typed) :] + ":"
