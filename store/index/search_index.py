"""The in-memory index that answers filters, orders results and counts aggregates.

Each indexed event gets a document number (`docno`); numbers only grow, and a changed event gets a new one,
so the word postings (`store.index.word_postings`) only ever grow at the end and stay sorted. Numbers of removed
events are simply no longer alive: queries intersect with the live set and the postings are compacted when
the dead outnumber a quarter of the entries. Field values (countries, topics, kinds, organisations, places,
sources, people) are few per event and kept exactly: each value's documents are an `array('I')` kept
sorted (4 bytes a document; sets cost ~75 MB more at 100,000 events), appended to when an event is added
and bisected into when it is removed.

Words are folded (`store.model.textfold`), so matching ignores case and diacritics, and kept as UTF-8 bytes, the
form `store.index.event_words` finds them in fastest (UTF-8 sorts as code points do, so the words starting with a
prefix are still one range of the sorted vocabulary).
"""

from __future__ import annotations

import bisect
from array import array
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from store.entities.people import People, PersonKey, new_docnos, remove_docno
from store.entities.person_resolution import PersonResolution
from store.entities.place_resolution import PlaceResolution, location_key
from store.index import aggregates
from store.index.event_words import Phrase, indexed_words
from store.index.protocol import SORT_KEYS, Docnos, Field, Mask, PersonCount, day_number, round_key
from store.index.word_postings import WordPostings
from store.memo import Memo
from store.model.changes import Changes
from store.model.event import Event
from store.model.textfold import fold


@dataclass(slots=True)
class Indexed:
    """What the index remembers of one live event."""

    event: Event
    persons: tuple[PersonKey, ...]
    """Its participants' own keys (`People.own_key`), each once; `People.root` files them now."""


__all__ = ["KEPT_PHRASES", "Indexed", "SearchIndex", "day_number"]

KEPT_PHRASES = 8


def _grown(array: np.ndarray, docno: int) -> np.ndarray:
    """The per-docno array itself if it has a place for docno; else a copy with room to spare (doubling)."""
    if docno < len(array):
        return array
    grown = np.zeros(2 * docno + 1024, dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class SearchIndex:
    """The in-memory engine: its own `IndexReader` and `IndexWriter` (`store.index.protocol`), whose
    readers see every write at once; the store's lock keeps them from seeing half a batch."""

    def __init__(self) -> None:
        self.live: dict[int, Indexed] = {}
        self.docno_of: dict[str, int] = {}
        self._next_docno = 0
        self.words = WordPostings()
        self._dead_postings = 0
        self.countries: dict[str, array[int]] = {}
        self.topics: dict[str, array[int]] = {}
        self.kinds: dict[str, array[int]] = {}
        self.organizations: dict[str, array[int]] = {}
        self.places: dict[str, array[int]] = {}
        self.locations: dict[str, array[int]] = {}
        """Each city as written with its event's country (`location_key`) → its documents: the facts that
        the place resolution (`place_resolution`) reads."""
        self.sources: dict[str, array[int]] = {}
        self.records: dict[str, array[int]] = {}
        self.rounds: dict[str, array[int]] = {}
        self.series: dict[str, array[int]] = {}
        self.documents: dict[str, array[int]] = {}
        """The field tables: value → its live documents, sorted, each once (see `_field_keys`)."""
        self.linked_from: dict[str, set[str]] = {}
        """Target id → ids of events whose `related` names it (targets may not exist yet)."""
        self.people = People()
        self._resolution: PersonResolution | None = None
        self._place_resolution: PlaceResolution | None = None
        self._order: list[int] = []
        """Live docnos by (sort date, id, docno), ascending: newest first is this list reversed. Docnos, not
        key tuples: the keys are read from the events when compared (7 MB less at 100,000 events)."""
        self._order_dirty = False
        """During a bulk load entries are appended and sorted once, on the first question."""
        self._bulk_loading = False
        """Set by `bulk_loading()`: append out-of-order entries too (a load goes newest first, and inserting
        each older event at the front of the list would cost O(n²): 1.5 s at 100,000 events)."""
        self._generation = 0
        self._derived: Memo[Any, Any] = Memo()
        """Arrays derived from the tables (live mask, date order, per-key docno arrays), valid for one
        generation: any add or remove starts a new one and they are rebuilt on demand."""
        self.id_of: dict[int, str] = {}
        """Docno → event id, kept after removal so that a query's answer stays readable as a snapshot."""
        self._phrases: OrderedDict[tuple[str, ...], np.ndarray] = OrderedDict()
        """Phrase → its verdicts (see `phrase_verdicts`), most recently asked last; never cached on disk."""
        self._alive = np.zeros(0, dtype=bool)
        self._day = np.zeros(0, dtype=np.int32)
        """Per docno (capacity grown by doubling): alive or not, and the sort date as the number YYYYMMDD.
        Kept as events come and go, not rebuilt per change: at 1,000,000 events rebuilding them from the
        events took ~0.5 s after every arrival."""
        self._pending = Changes()
        """What the adds and removes since the last `commit` did."""

    def __len__(self) -> int:
        return len(self.live)

    # -- updates -------------------------------------------------------------------------------------------

    def add(self, event: Event, words: bytes | None = None) -> int:
        """Index one event; `words`, when given, are its indexed words space-joined (found elsewhere)."""
        docno = self._next_docno
        self._next_docno += 1
        self._generation += 1
        self.docno_of[event.id] = docno
        self.id_of[docno] = event.id
        pending = self._pending  # `Changes.merge` of one id, inline: this is the path of every load
        if event.id in pending.removed:
            pending.removed.discard(event.id)
            pending.changed.add(event.id)
        else:
            pending.added.add(event.id)
        self._alive, self._day = _grown(self._alive, docno), _grown(self._day, docno)
        self._alive[docno] = True
        self._day[docno] = day_number(event.sort_date)
        persons = self.people.add(docno, event)
        self.live[docno] = Indexed(event, persons)
        if self._resolution is not None:  # the groups it came to, and those its aliases joined or refiled
            self._resolution.touch({*persons, *self.people.keys_of(event), *self.people.take_regrouped()})
        else:
            self.people.take_regrouped()
        self.words.add(docno, indexed_words(event) if words is None else set(words.split()))
        event.pack()
        for table, keys in self._field_keys(event):
            for key in keys:
                if key:
                    docs = table.get(key)
                    if docs is None:
                        table[key] = new_docnos(docno)
                    elif docs[-1] != docno:  # once, though an event may name a key twice
                        docs.append(docno)
        for link in event.related:
            self.linked_from.setdefault(link.id, set()).add(event.id)
        order = self._order
        if self._order_dirty or self._bulk_loading or not order or self._after(docno):
            order.append(docno)
            self._order_dirty = bool(self._order_dirty or len(order) > 1 and not self._after(docno, -2))
        else:
            bisect.insort(order, docno, key=self._order_key)
        return docno

    def _order_key(self, docno: int) -> tuple[Any, ...]:
        event = self.live[docno].event
        return (event.sort_date, event.id, docno)

    def _after(self, docno: int, position: int = -1) -> bool:
        """Whether docno sorts after the entry at position in the date order."""
        return self._order_key(docno) > self._order_key(self._order[position])

    @contextmanager
    def bulk_loading(self) -> Iterator[None]:
        self._bulk_loading = True
        try:
            yield
        finally:
            self._bulk_loading = False

    def commit(self) -> Changes:
        """What the adds and removes since the last commit did (they are visible already)."""
        done, self._pending = self._pending, Changes()
        return done

    def remove(self, event_id: str) -> None:
        docno = self.docno_of.pop(event_id, None)
        if docno is None:
            return
        order = self._sorted_order()
        position = bisect.bisect_left(order, self._order_key(docno), key=self._order_key)
        if position < len(order) and order[position] == docno:
            del order[position]
        indexed = self.live.pop(docno)
        self._generation += 1
        pending = self._pending
        if event_id in pending.added:
            pending.added.discard(event_id)
        else:
            pending.changed.discard(event_id)
            pending.removed.add(event_id)
        self._alive[docno] = False
        event = indexed.event
        filed_under = self.people.remove(docno, event)
        regrouped = self.people.take_regrouped()  # groups split or refiled as its alias links went
        if self._resolution is not None:
            self._resolution.touch({*indexed.persons, *filed_under, *regrouped})
        for table, keys in self._field_keys(event):
            for key in keys:
                docs = table.get(key)
                if docs is not None and remove_docno(docs, docno) and not docs:
                    del table[key]
        for link in event.related:
            sources = self.linked_from.get(link.id)
            if sources is not None:
                sources.discard(event.id)
                if not sources:
                    del self.linked_from[link.id]
        self._dead_postings += len(indexed_words(event))
        if self._dead_postings * 4 > self.words.size > 10_000:
            self._compact()

    def _field_keys(self, event: Event) -> Iterable[tuple[dict[str, array[int]], Iterable[str]]]:
        countries = set(event.countries)
        countries.add(event.country)
        countries.update(p.country for p in event.participants)
        yield self.countries, countries
        yield self.topics, event.topics
        yield self.kinds, (event.kind,)
        yield self.organizations, event.organizations
        yield self.places, (event.city, event.country)
        yield self.locations, (location_key(event.city, event.country),) if event.city else ()
        yield self.sources, (event.source_name,)
        yield self.records, (event.source_url,)
        yield self.rounds, (round_key(event),)
        yield self.series, (event.series,)
        yield self.documents, (fold(document.title) for document in event.documents)

    def _compact(self) -> None:
        live = self.live
        self.words.freeze(self.live_mask())
        self._dead_postings = 0
        self.id_of = {docno: event_id for docno, event_id in self.id_of.items() if docno in live}

    # -- questions -----------------------------------------------------------------------------------------

    def event(self, docno: int) -> Event:
        return self.live[docno].event

    def all_docnos(self) -> set[int]:
        return set(self.live)

    def _sorted_order(self) -> list[int]:
        if self._order_dirty:
            # Three stable sorts (docno, id, date) by values already held rather than one by `_order_key`
            # tuples, which would be the peak of a cold load (9 MB at 100,000 events).
            live = self.live
            self._order.sort()
            self._order.sort(key=lambda docno: live[docno].event.id)
            self._order.sort(key=lambda docno: live[docno].event.sort_date)
            self._order_dirty = False
        return self._order

    def docnos_on(self, day: str) -> list[int]:
        """Events dated exactly `day` (YYYY-MM-DD), from the date order rather than a table of its own."""
        order = self._sorted_order()
        start = bisect.bisect_left(order, (day,), key=self._order_key)
        end = bisect.bisect_left(order, (day + "\uffff",), start, key=self._order_key)
        return [docno for docno in order[start:end] if len(self.live[docno].event.date) == 10]

    @property
    def resolution(self) -> PersonResolution:
        """Which person each mention is (`store.entities.person_resolution`): a layer over `people` (the mentions as
        written), built on first use and kept up to date as events come and go."""
        if self._resolution is None:
            self._resolution = PersonResolution(self.people, self.day_of)
            self._resolution.touch(list(self.people.persons))
        return self._resolution

    @property
    def place_resolution(self) -> PlaceResolution:
        """Which place each city string is (`store.entities.place_resolution`): a layer over `locations`."""
        if self._place_resolution is None:
            self._place_resolution = PlaceResolution()
        return self._place_resolution

    def phrase_verdicts(self, words: tuple[str, ...]) -> np.ndarray:
        """Per docno, whether the event holds the phrase: 0 not checked yet, 1 no, 2 yes (the caller fills it).

        An event's text never changes under its docno (a changed event gets a new one), so a verdict stays
        true for good: the first filter with a phrase of common words checks tens of thousands of texts
        (a second at 100,000 events), and every later keystroke with the same phrase checks only what is
        new. The last `KEPT_PHRASES` phrases are kept, a byte per docno each."""
        verdicts = self._phrases.pop(words, None)
        verdicts = _grown(np.zeros(0, dtype=np.int8) if verdicts is None else verdicts, self._next_docno)
        self._phrases[words] = verdicts
        while len(self._phrases) > KEPT_PHRASES:
            self._phrases.popitem(last=False)
        return verdicts

    # -- masks: whole-corpus answers as numpy arrays -------------------------------------------------------
    #
    # A filter over 100,000 events combines sets of tens of thousands of documents per keystroke; as Python
    # sets that costs hundreds of milliseconds, as boolean masks (one byte per docno) a few. Postings and
    # table entries stay `array`s (append-friendly, compact) and are viewed with `np.frombuffer` for the
    # moment of a question; a view kept longer would stop the array from growing (BufferError), so what is
    # cached across calls is a copy.

    def derive(self, key: Any, build: Any) -> Any:
        """`build()`, computed once per generation of the index."""
        return self._derived.derive(self._generation, key, build)

    def empty_mask(self) -> np.ndarray:
        return np.zeros(self._next_docno, dtype=bool)

    def live_mask(self) -> np.ndarray:
        """Read-only: a view of the index's own array (copy it to change it)."""
        view = self._alive[: self._next_docno]
        view.flags.writeable = False
        return view

    def word_mask(self, word: str, *, prefix: bool) -> np.ndarray:
        """Live documents containing the folded word (or, with prefix, a word starting with it)."""
        mask = self.empty_mask()
        key = word.encode("utf-8", "surrogatepass")
        if prefix:
            for docnos in self.words.docnos_with_prefix(key):
                mask[docnos] = True
        else:
            mask[self.words.docnos(key)] = True
        mask &= self.live_mask()
        return mask

    def prepare(self) -> None:
        """Build what the first query would otherwise build (after a bulk load, off the interface's path)."""
        self.words.freeze()
        self.date_order()
        self.live_mask()
        self.resolution.refresh()  # who each mention is, and which place each city string is: not on the
        self.place_resolution.warm()  # first cursor move (a second or two at 100,000 events)
        aggregates.warm(self)  # the tables every side-pane count of this generation reads

    def table_mask(self, table: dict[str, array[int]], keys: Iterable[str]) -> np.ndarray:
        mask = self.empty_mask()
        for key in keys:
            docnos = table.get(key)
            if docnos:
                mask |= self.key_mask(table, key)
        return mask

    def key_array(self, table: dict[Any, array[int]], key: Any, cache_key: Any = None) -> np.ndarray:
        """The docnos of one table entry as an array (a copy, cached for the generation)."""

        def build() -> np.ndarray:
            docnos = table.get(key)
            if docnos is None:
                return np.empty(0, dtype=np.int64)
            return np.frombuffer(docnos, dtype=np.uint32).astype(np.int64)

        return self.derive(cache_key or (id(table), key), build)

    def key_mask(self, table: dict[str, array[int]], key: str) -> np.ndarray:
        mask = self.empty_mask()
        mask[self.key_array(table, key)] = True
        return mask

    def date_order(self) -> tuple[np.ndarray, np.ndarray]:
        """Docnos in ascending date order, and their sort dates as numbers YYYYMMDD (see `day_number`)."""

        def build() -> tuple[np.ndarray, np.ndarray]:
            order = self._sorted_order()
            docnos = np.fromiter(order, dtype=np.int64, count=len(order))
            return docnos, self._day[docnos]

        return self.derive("date order", build)

    def day_of(self, docnos: np.ndarray) -> np.ndarray:
        """The sort days (numbers YYYYMMDD) of the given docnos."""
        return self._day[docnos]

    def date_mask(self, first: str, last: str) -> np.ndarray:
        """Events whose sort date lies in [first, last] (ISO days; either may be '')."""
        docnos, days = self.date_order()
        start = int(np.searchsorted(days, day_number(first), side="left")) if first else 0
        end = int(np.searchsorted(days, day_number(last), side="right")) if last else len(days)
        mask = self.empty_mask()
        mask[docnos[start:end]] = True
        return mask

    def ordered(self, sort: str, descending: bool) -> Docnos:
        """Every live docno in display order for a column (date is the index's own order)."""
        key = SORT_KEYS[sort]
        if sort == "date":
            ascending = self.date_order()[0]
        elif sort == "arrival":
            # A file that arrives or changes gets a new docno (an event never changes under one), so docno
            # order is the order in which events reached the store.
            ascending = self.derive(("order", sort), lambda: np.array(sorted(self.live), dtype=np.int64))
        else:

            def build() -> np.ndarray:
                live = self.live
                docnos = sorted(live, key=lambda docno: key(live[docno].event))
                return np.array(docnos, dtype=np.int64)

            ascending = self.derive(("order", sort), build)
        return ascending[::-1] if descending else ascending

    # -- the rest of the reader protocol (`store.index.protocol`) ------------------------------------------

    @property
    def generation(self) -> int:
        return self._generation

    def docno(self, event_id: str) -> int | None:
        return self.docno_of.get(event_id)

    def event_id(self, docno: int) -> str:
        return self.id_of[docno]

    def ids_of(self, docnos: Docnos) -> list[str]:
        id_of = self.id_of
        return [id_of[docno] for docno in docnos.tolist()]

    def event_by_id(self, event_id: str) -> Event | None:
        """Two dictionary lookups, each atomic under the GIL: without the lock, a change racing with them
        gives the old event, the new one or None, never a broken one."""
        docno = self.docno_of.get(event_id)
        indexed = self.live.get(docno) if docno is not None else None
        return indexed.event if indexed is not None else None

    def event_ids(self) -> list[str]:
        return list(self.docno_of)  # inserted as docnos are given, and an id that comes back is re-inserted

    @property
    def people_tables(self) -> None:
        return None  # the people are at hand: nothing is kept for them

    def persons_of(self, docno: int) -> tuple[PersonKey, ...]:
        return self.live[docno].persons

    def links_to(self, event_id: str) -> Collection[str]:
        return self.linked_from.get(event_id, frozenset())

    def _table(self, field: Field) -> dict[Any, array[int]]:
        """The field's table: value → its live documents, sorted (`people`: each person's documents)."""
        if field == "people":
            return self.derive(
                "people table", lambda: {key: p.docnos for key, p in self.people.persons.items()}
            )
        return self._tables[field]

    @property
    def _tables(self) -> dict[str, dict[str, array[int]]]:
        return {
            "countries": self.countries,
            "topics": self.topics,
            "kinds": self.kinds,
            "organizations": self.organizations,
            "places": self.places,
            "locations": self.locations,
            "sources": self.sources,
            "records": self.records,
            "rounds": self.rounds,
            "series": self.series,
            "documents": self.documents,
        }

    def field_keys(self, field: Field) -> Collection[Any]:
        if field == "people":
            return self.people.persons.keys()
        return self._tables[field].keys()

    def key_docnos(self, field: Field, key: Any) -> Docnos:
        found = self._key_entry(field, key)
        if not found:
            return np.empty(0, dtype=np.int64)
        return np.frombuffer(found, dtype=np.uint32).astype(np.int64)

    def keys_mask(self, field: Field, keys: Iterable[Any]) -> Mask:
        if field == "people":
            mask = self.empty_mask()
            persons = self.people.persons
            for key in keys:
                person = persons.get(key)
                if person is not None and person.docnos:
                    mask[np.frombuffer(person.docnos, dtype=np.uint32)] = True
            return mask
        return self.table_mask(self._tables[field], keys)

    def _key_entry(self, field: Field, key: Any) -> array[int] | None:
        if field == "people":
            person = self.people.persons.get(key)
            return person.docnos if person is not None else None
        return self._tables[field].get(key)

    def key_count(self, field: Field, key: Any) -> int:
        found = self._key_entry(field, key)
        return len(found) if found is not None else 0

    def docnos_with_all(self, keys: Iterable[tuple[Field, Any]]) -> Docnos:
        """Intersected on views of the entries (no copy until the answer), smallest first; the views last
        only for the call, so the entries can still grow."""
        entries = []
        for field, key in keys:
            found = self._key_entry(field, key)
            if not found:
                return np.empty(0, dtype=np.int64)
            entries.append(found)
        if not entries:
            raise ValueError("docnos_with_all needs at least one key")
        entries.sort(key=len)
        result = np.frombuffer(entries[0], dtype=np.uint32)
        for entry in entries[1:]:
            large = np.frombuffer(entry, dtype=np.uint32)
            positions = np.minimum(np.searchsorted(large, result), len(large) - 1)
            result = result[large[positions] == result]
        return result.astype(np.int64)

    def key_counts(self, field: Field, mask: Mask | None = None) -> list[tuple[str, int]]:
        return aggregates.key_counts(self, self._table(field), field, mask)

    def participant_counts(self, mask: Mask | None = None) -> list[PersonCount]:
        return aggregates.participant_counts(self, mask)

    def sorted_days(self, mask: Mask | None = None) -> np.ndarray:
        docnos, days = self.date_order()
        if mask is not None and len(docnos):
            if len(mask) <= int(docnos.max()):  # an answer made before later arrivals: they do not count
                mask = np.concatenate([mask, np.zeros(int(docnos.max()) + 1 - len(mask), dtype=bool)])
            days = days[mask[docnos]]
        return days

    def _phrase_candidates(self, words: tuple[str, ...], within: Mask | None) -> Mask:
        candidates = self.word_mask(words[0], prefix=False)
        for word in words[1:]:
            candidates &= self.word_mask(word, prefix=False)
        if within is not None:
            candidates &= within
        return candidates

    def phrase_mask(self, words: tuple[str, ...], within: Mask | None = None) -> Mask:
        """The events holding every word, then checked for the words in sequence (~20 µs a candidate, see
        `store.index.event_words.Phrase`); each verdict is kept (`phrase_verdicts`), so the next keystroke
        with the same phrase checks only new events."""
        candidates = self._phrase_candidates(words, within)
        verdicts = self.phrase_verdicts(words)[: len(candidates)]
        self._find_phrase(words, verdicts, np.flatnonzero(candidates & (verdicts == 0)).tolist())
        return candidates & (verdicts == 2)

    def unchecked_phrase(self, words: tuple[str, ...], within: Mask | None = None) -> list[int]:
        candidates = self._phrase_candidates(words, within)
        verdicts = self.phrase_verdicts(words)
        return np.flatnonzero(candidates & (verdicts[: len(candidates)] == 0)).tolist()

    def check_phrase(self, words: tuple[str, ...], docnos: Iterable[int]) -> None:
        """Without the lock: one atomic lookup of the verdicts (never `phrase_verdicts`, which reorders and
        grows them); verdicts written into an array replaced meanwhile are found again under the lock."""
        verdicts = self._phrases.get(words)
        if verdicts is not None:
            self._find_phrase(words, verdicts, [docno for docno in docnos if docno < len(verdicts)])

    def _find_phrase(self, words: tuple[str, ...], verdicts: np.ndarray, docnos: list[int]) -> None:
        """Fill in the verdicts (2: holds the phrase, 1: not) of the given docnos that are still live."""
        if not docnos:
            return
        phrase = Phrase(list(words))
        live = self.live
        for docno in docnos:
            indexed = live.get(docno)
            if indexed is not None:
                verdicts[docno] = 2 if phrase.found_in_event(indexed.event) else 1
