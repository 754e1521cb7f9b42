"""What an index engine must answer and accept: the seam between the store and whatever keeps the index.

Everything outside `store.index` asks its questions through `IndexReader` and writes through
`IndexWriter`, never through an engine's own tables, so that the in-memory engine of today
(`store.index.search_index`), a persistent local one (tantivy or SQLite FTS5, issue #17) and a shared
PostgreSQL one can stand in for one another. As Harlequin's adapter classes do for databases, the contract
is written here, in words, once, and `tests/index_contract/` holds every engine to it: an engine is right
when it answers exactly as the plain definitions below, evaluated event by event, do.

The reader is cut into small capabilities, one per kind of question, so that each can be read, tested and
implemented on its own (a PostgreSQL engine answers `WordReader` with a GIN index and `CountReader` with a
GROUP BY; the in-memory one with postings and `bincount`):

- `DocumentReader`: document numbers, the live set, one event;
- `WordReader`: folded words, whole or as prefixes;
- `PhraseReader`: words in sequence;
- `FieldReader`: the keys of the fields (`FIELDS`) and their documents;
- `DateReader`: date ranges and days;
- `OrderReader`: the display orders of `SORT_KEYS`;
- `CountReader`: the aggregates the side panes and the timeline show;
- `PeopleReader`: the persons as the files name them (resolution is a layer beside them), and links;
- `Memo`: answers derived once per state of the index.

Engine-neutral types only. A *document number* (docno) is an int ≥ 0 that an engine gives each event it
indexes; a changed event gets a new one and numbers are never reused, so a docno names one immutable
version of one event (what lets a phrase verdict or an answer's mask stay true for good). Sets of documents
are numpy arrays: a *mask* is a boolean array indexed by docno, as long as `empty_mask()` at the moment it
was made (later masks may be longer: docnos only grow); a *docno array* is sorted ascending, int64. numpy
stays because it is the fastest way we have found to combine tens of thousands of documents per keystroke;
none of these types says anything about how an engine stores them.

Words are folded (`store.model.textfold.fold`) and cut as `store.index.event_words.index_tokens` cuts them;
an event's words are `indexed_words(event)`. A reader answers about live events only (removed ones and
replaced versions are never in an answer), except `event_id`, which keeps naming the docnos of answers
already given.

Writing: one writer at a time (the store's lock for the in-memory engine, a file lock for a persistent one)
adds and removes events between commits; `commit()` makes the batch visible to readers opened afterwards
and says what it did (`store.model.changes.Changes`). Any number of readers, in any number of processes,
may be open at once: a reader answers from the state of one commit. The in-memory engine is its own reader
and writer, so its readers see writes at once; the store's lock keeps them from seeing half a batch.

This module never imports an engine, holds no data and never touches a file.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar, get_args, runtime_checkable

import numpy as np

from store.entities.people import People, PersonKey
from store.entities.person_resolution import PersonResolution
from store.entities.place_resolution import PlaceResolution, location_key
from store.model.changes import Changes
from store.model.dates import day_number as day_number  # the protocol's days as YYYYMMDD (re-exported)
from store.model.event import Event
from store.model.textfold import fold

Mask = np.ndarray
"""bool per docno (see the module docstring)."""
Docnos = np.ndarray
"""Sorted ascending, int64."""

Field = Literal[
    "countries",
    "topics",
    "kinds",
    "organizations",
    "places",
    "locations",
    "sources",
    "records",
    "rounds",
    "series",
    "documents",
    "people",
]
FIELDS: tuple[Field, ...] = get_args(Field)
"""The keyed fields; `field_keys_of` says which keys of each one event holds."""


def field_keys_of(field: Field, event: Event, people: People | None = None) -> set[Any]:
    """The plain definition of the keys an event holds in a field (empty keys never count). `people`
    (needed for the `people` field only) turns a participant into its person's key."""
    if field == "countries":
        keys: set[Any] = {event.country, *event.countries, *(p.country for p in event.participants)}
    elif field == "topics":
        keys = set(event.topics)
    elif field == "kinds":
        keys = {event.kind}
    elif field == "organizations":
        keys = set(event.organizations)
    elif field == "places":
        keys = {event.city, event.country}
    elif field == "locations":  # the city as written with its country: what the place resolution reads
        keys = {location_key(event.city, event.country)} if event.city else set()
    elif field == "sources":
        keys = {event.source_name}
    elif field == "records":  # the one record (a travel log's page) an event was read from
        keys = {event.source_url}
    elif field == "rounds":
        keys = {round_key(event)}
    elif field == "series":
        keys = {event.series}
    elif field == "documents":
        keys = {fold(document.title) for document in event.documents}
    elif field == "people":
        if people is None:
            raise ValueError("the people field needs the people to name persons")
        return set(people.keys_of(event))
    else:
        raise ValueError(f"no field {field!r}")
    keys.discard("")
    return keys


def round_key(event: Event) -> str:
    """The series a consultation is a round of even when no file names one: consultations between the same
    countries (two or more), as their codes sorted ('' for any other event)."""
    if event.kind != "consultation" or len(event.countries) < 2:
        return ""
    return "\x1f".join(sorted(set(event.countries)))


SORT_KEYS: dict[str, Callable[[Event], Any]] = {
    "date": lambda event: (event.sort_date, event.id),
    "kind": lambda event: (event.kind, event.sort_date),
    "title": lambda event: (event.title.casefold(), event.sort_date),
    "place": lambda event: (event.place.casefold(), event.sort_date),
    "countries": lambda event: (event.countries, event.sort_date),
    "participants": lambda event: (len(event.participants), event.sort_date),
    "arrival": lambda event: event.id,  # unused: arrival is docno order (see `OrderReader.ordered`)
}
"""The orders the meetings can be sorted by; date (newest first) is the default and the fastest; arrival
(newest first) puts what reached the store last on top, for a monitor's eye. Each key is the plain
definition of its order (ties: by docno, ascending), except arrival, which is the order of docnos."""


@dataclass(frozen=True, slots=True)
class PersonCount:
    """One person as the participants pane shows them, with their events over an answer."""

    name: str
    aliases: tuple[str, ...]
    countries: tuple[str, ...]
    roles: tuple[str, ...]
    events: int
    spellings: tuple[tuple[str, int], ...] = ()
    """Every spelling with the number of events using it, most used first."""
    first: str = ""
    last: str = ""
    """The person's first and last event dates (ISO days), over all events."""
    merges: tuple[str, ...] = ()
    """Why each spelling group was merged into this person."""
    ambiguous: bool = False
    """A surname-only mention that fits several persons and was left apart."""

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "alias_counts": dict(self.spellings),
            "countries": list(self.countries),
            "roles": list(self.roles),
            "events": self.events,
            "first": self.first,
            "last": self.last,
            "merges": list(self.merges),
            "ambiguous": self.ambiguous,
        }

    @property
    def span(self) -> str:
        """'1989–2009', or one year, or ''."""
        first, last = self.first[:4], self.last[:4]
        return first if first == last else f"{first}–{last}"


# -- the reader, capability by capability ------------------------------------------------------------------


@runtime_checkable
class DocumentReader(Protocol):
    """Document numbers and events: what every other answer is expressed in."""

    def __len__(self) -> int:
        """How many events are live."""
        ...

    def empty_mask(self) -> Mask:
        """A mask with no document, as long as the masks this reader makes now."""
        ...

    def live_mask(self) -> Mask:
        """The live documents (read-only: copy it to change it)."""
        ...

    def docno(self, event_id: str) -> int | None:
        """The live document of an event id, or None."""
        ...

    def event_id(self, docno: int) -> str:
        """The event id of a document, also after the event left or changed, for as long as an answer
        made before may name it (KeyError for a docno never given)."""
        ...

    def ids_of(self, docnos: Docnos) -> list[str]:
        """`event_id` of each document, in the given order (one call for a page of rows)."""
        ...

    def event(self, docno: int) -> Event:
        """The event of a live document (KeyError otherwise)."""
        ...

    def event_by_id(self, event_id: str) -> Event | None:
        """The live event with this id, or None. Engines make it cheap and safe to call without the
        store's lock (painting a row must never wait for a writer)."""
        ...

    def event_ids(self) -> list[str]:
        """Every live event id, in docno order."""
        ...


@runtime_checkable
class WordReader(Protocol):
    """Free-text words: the postings of folded words, whole or as prefixes."""

    def word_mask(self, word: str, *, prefix: bool) -> Mask:
        """The live events holding the folded word among their words; with `prefix`, holding a word that
        starts with it (`galu` → galuzin). Plain definition: `word in indexed_words(event)`, or
        `any(w.startswith(word) for w in indexed_words(event))` (on UTF-8 bytes)."""
        ...


@runtime_checkable
class PhraseReader(Protocol):
    """Words in sequence: `"regional security"`.

    Plain definition: the event holds every word and `Phrase(words).found_in_event(event)`. An engine with
    word positions answers from its postings; one without them (the in-memory engine) reads the texts of
    the events holding every word, which can be thousands: it may then say which texts it still has to
    read (`unchecked_phrase`) and read them without the store's lock (`check_phrase`), since an event
    never changes under its docno. An engine that never reads texts returns [] and does nothing there."""

    def phrase_mask(self, words: tuple[str, ...], within: Mask | None = None) -> Mask:
        """The live events holding the folded words in sequence; exact inside `within` when it is given
        (outside it the answer may hold candidates not checked)."""
        ...

    def unchecked_phrase(self, words: tuple[str, ...], within: Mask | None = None) -> list[int]:
        """The documents (inside `within`) whose texts `phrase_mask` would still have to read."""
        ...

    def check_phrase(self, words: tuple[str, ...], docnos: Iterable[int]) -> None:
        """Read those texts now and remember the verdicts (safe without the store's lock)."""
        ...


@runtime_checkable
class FieldReader(Protocol):
    """The keyed fields (`FIELDS`): which live events hold which key (`field_keys_of`)."""

    def field_keys(self, field: Field) -> Collection[Any]:
        """Every key some live event holds in the field (a person's key for `people`)."""
        ...

    def key_docnos(self, field: Field, key: Any) -> Docnos:
        """The live events holding the key, as a sorted docno array (empty for an unknown key)."""
        ...

    def keys_mask(self, field: Field, keys: Iterable[Any]) -> Mask:
        """The live events holding at least one of the keys."""
        ...

    def key_count(self, field: Field, key: Any) -> int:
        """How many live events hold the key (`len(key_docnos(field, key))`, without making the array)."""
        ...

    def docnos_with_all(self, keys: Iterable[tuple[Field, Any]]) -> Docnos:
        """The live events holding every (field, key) given, as a sorted docno array: the intersection the
        cross-references ask for (a consultation between these countries, a format on this topic)."""
        ...


@runtime_checkable
class DateReader(Protocol):
    """Sort dates (`Event.sort_date`, an ISO day) as ranges and days."""

    def date_mask(self, first: str, last: str) -> Mask:
        """The live events whose sort date lies in [first, last] (ISO days; '' leaves that side open)."""
        ...

    def docnos_on(self, day: str) -> list[int]:
        """The live events dated exactly `day` (their `date` is that day, not a month or a year)."""
        ...

    def day_of(self, docnos: np.ndarray) -> np.ndarray:
        """The sort days of the given documents as numbers YYYYMMDD (`search_index.day_number`)."""
        ...


@runtime_checkable
class OrderReader(Protocol):
    """The orders of `SORT_KEYS`."""

    def ordered(self, sort: str, descending: bool) -> Docnos:
        """Every live docno ascending by `SORT_KEYS[sort]` then docno (arrival: by docno), or the reverse
        of that order when `descending`; the array is not sorted by docno, despite the `Docnos` name of the
        other answers."""
        ...


@runtime_checkable
class CountReader(Protocol):
    """The aggregates the side panes and the timeline show, over all live events (mask None) or over an
    answer's mask."""

    def key_counts(self, field: Field, mask: Mask | None = None) -> list[tuple[str, int]]:
        """(key, events holding it) for every key held by a counted event, most events first, then by key."""
        ...

    def participant_counts(self, mask: Mask | None = None) -> list[PersonCount]:
        """The resolved persons (`PeopleReader.resolution`) with their counted events, most first, then by
        name; each person's other figures (spellings, first and last day) are over all live events."""
        ...

    def sorted_days(self, mask: Mask | None = None) -> np.ndarray:
        """The sort days (YYYYMMDD) of the counted live events, ascending: what the timeline cuts into
        periods."""
        ...


@runtime_checkable
class PeopleTables(Protocol):
    """The people's questions a reader asks most, answered from tables made from `people` and `resolution`
    at one state of the index and kept beside it: an engine that keeps such tables answers the dashboard's
    first panes, its related lists and a command's words without building the people (seconds at 100,000
    events). Every answer equals what the people and resolution of that state give."""

    def persons_mask(self, words: tuple[str, ...], live: Mask) -> Mask:
        """`store.query.filter_fields.persons_mask`: the live events of the resolved persons whose mentions
        have a spelling whose words start with each folded word."""
        ...

    def participant_counts(self, mask: Mask | None, live: Mask) -> list[PersonCount]:
        """`CountReader.participant_counts`, in its order (ties included)."""
        ...

    def resolved(self) -> Mapping[PersonKey, Any]:
        """`store.index.aggregates.resolved_persons`: each resolved person → its live docnos, sorted, as
        a buffer of uint32."""
        ...

    def resolved_of(self, docno: int) -> tuple[PersonKey, ...]:
        """The resolved persons of a live event's mentions, in the resolution's order."""
        ...

    def name_of(self, key: PersonKey) -> str:
        """`store.index.aggregates.person_name`: the name a resolved person's ties are written with."""
        ...

    def links_to(self, event_id: str) -> Collection[str]:
        """`PeopleReader.links_to`."""
        ...


@runtime_checkable
class PeopleReader(Protocol):
    """Persons as the files name them, the resolution layer beside them, and explicit links."""

    @property
    def people(self) -> People:
        """Every person key with its spellings, roles, countries and live events."""
        ...

    @property
    def resolution(self) -> PersonResolution:
        """Which person each mention is (`store.entities.person_resolution`), kept up to date."""
        ...

    def persons_of(self, docno: int) -> tuple[PersonKey, ...]:
        """The own keys (`People.own_key`) of a live event's participants, each once: `People.root` gives
        the group each is filed under now (alias links come and go with other events)."""
        ...

    @property
    def people_tables(self) -> PeopleTables | None:
        """The people's answers of this state from tables the engine keeps (`PeopleTables`), or None when
        it keeps none for it: the caller then asks `people` and `resolution`, which may build them."""
        ...

    @property
    def place_resolution(self) -> PlaceResolution:
        """Which place each city string of the `locations` field is (`store.entities.place_resolution`)."""
        ...

    def links_to(self, event_id: str) -> Collection[str]:
        """Ids of the live events whose `related` names this id (which may not exist yet)."""
        ...


@runtime_checkable
class Memo(Protocol):
    """Answers derived from one state of the index, built once and dropped when the index changes."""

    @property
    def generation(self) -> int:
        """A number that changes whenever what the reader answers changes."""
        ...

    def derive(self, key: Any, build: Callable[[], Any]) -> Any:
        """`build()`, computed once per generation."""
        ...


@runtime_checkable
class IndexReader(
    DocumentReader,
    WordReader,
    PhraseReader,
    FieldReader,
    DateReader,
    OrderReader,
    CountReader,
    PeopleReader,
    Memo,
    Protocol,
):
    """Every question the store, the filter, the panes and the cross-references ask of an index."""


# -- the writer ----------------------------------------------------------------------------------------------


@runtime_checkable
class IndexWriter(Protocol):
    """The one writer of an index. Adds and removes are a batch until `commit`; a persistent engine may
    buffer them, and must make a commit atomic (a crash loses the batch, never the index)."""

    def add(self, event: Event, words: bytes | None = None) -> int:
        """Index one event (its id not live) and return its new docno. `words`, when given, are
        `indexed_words(event)` space-joined, found elsewhere (a load worker)."""
        ...

    def remove(self, event_id: str) -> None:
        """Take the live event with this id out (nothing if there is none)."""
        ...

    def bulk_loading(self) -> AbstractContextManager[None]:
        """A hint that many adds follow, in any order: the engine may defer ordering work to the commit."""
        ...

    def commit(self) -> Changes:
        """Make the batch visible to new readers; what it did: ids added, changed (removed and added
        again) and removed. Never `problems_changed`: problems are the store's, not the index's."""
        ...

    def prepare(self) -> None:
        """Build ahead what the first question would otherwise build (after a bulk load)."""
        ...


@runtime_checkable
class Index(IndexReader, IndexWriter, Protocol):
    """An engine whose writer is also its reader (the in-memory one: readers see writes at once)."""


_Reader_co = TypeVar("_Reader_co", bound=IndexReader, covariant=True)


class IndexEngine(Protocol[_Reader_co]):
    """How an engine is opened: one writer, any number of readers."""

    def open_writer(self) -> IndexWriter:
        """The writer (a persistent engine takes its lock here and raises when another holds it)."""
        ...

    def open_reader(self) -> _Reader_co:
        """A reader of the last commit."""
        ...


def ranked(counts: dict[Any, int]) -> list[tuple[Any, int]]:
    """Counts most first, then by key: the order of every `key_counts` answer."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
