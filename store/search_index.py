"""The in-memory index that answers filters, orders results and counts aggregates.

Each indexed event gets a document number (`docno`); numbers only grow, and a changed event gets a new one,
so the word postings are append-only arrays of 4-byte numbers that stay sorted (compact in memory and in the
cache, where lists of ints would cost 36 bytes an entry once unpickled). Numbers of removed
events are simply no longer alive: queries intersect with the live set and the postings are compacted when
the dead outnumber a quarter of the entries. Field values (countries, topics, kinds, organisations, places,
sources, people) are few per event and kept as sets, so they can be added and removed exactly.

Words are folded (`store.textfold`), so matching ignores case and diacritics, and kept as UTF-8 bytes, the
form `store.event_words` finds them in fastest; a sorted vocabulary answers prefix queries (`galu` →
galuzin) with two bisections (UTF-8 sorts as code points do, so a prefix is still a contiguous range).
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np

from store.event import Event
from store.event_words import indexed_words
from store.people import People, PersonKey
from store.textfold import fold


def _new_postings() -> array[int]:
    return array("I")


_append = array.append
"""Unbound, so that postings are filled by `map` in C rather than by a Python loop: at 100,000 events
and ~170 words each, a Python-level loop alone costs seconds."""


_BEYOND_UTF8 = b"\xff"
"""Sorts after every continuation of a UTF-8 prefix (the byte 0xFF never occurs in UTF-8)."""


@dataclass(slots=True)
class Indexed:
    """What the index remembers of one live event."""

    event: Event
    persons: tuple[PersonKey, ...]
    order_key: tuple[str, str]


class SearchIndex:
    def __init__(self) -> None:
        self.live: dict[int, Indexed] = {}
        self.docno_of: dict[str, int] = {}
        self._next_docno = 0
        self.words: defaultdict[bytes, array[int]] = defaultdict(_new_postings)
        self._prefix_base: PrefixPostings | None = None
        self._delta_tokens: set[bytes] = set()
        """Tokens given postings since the prefix base was built (their new postings are not in it)."""
        self._vocabulary: list[bytes] = []
        self._vocabulary_dirty = True
        """Sorted once, on the first prefix query after a bulk load; kept sorted by insertion after that."""
        self._dead_postings = 0
        self._postings = 0
        self.countries: dict[str, set[int]] = {}
        self.topics: dict[str, set[int]] = {}
        self.kinds: dict[str, set[int]] = {}
        self.organizations: dict[str, set[int]] = {}
        self.places: dict[str, set[int]] = {}
        self.sources: dict[str, set[int]] = {}
        self.series: dict[str, set[int]] = {}
        self.documents: dict[str, set[int]] = {}
        self.linked_from: dict[str, set[str]] = {}
        """Target id → ids of events whose `related` names it (targets may not exist yet)."""
        self.people = People()
        self._order: list[tuple[str, str, int]] = []
        """(sort date, id, docno) ascending: newest first is this list reversed."""
        self._order_dirty = False
        """During a bulk load entries are appended and sorted once, on the first question."""
        self._bulk_loading = False
        """Set by `bulk_loading()`: append out-of-order entries too (a load goes newest first, and inserting
        each older event at the front of the list would cost O(n²): 1.5 s at 100,000 events)."""
        self._generation = 0
        self._derived: dict[Any, Any] = {}
        """Arrays derived from the tables (live mask, date order, per-key docno arrays), valid for one
        generation: any add or remove starts a new one and they are rebuilt on demand."""
        self.id_of: dict[int, str] = {}
        """Docno → event id, kept after removal so that a query's answer stays readable as a snapshot."""

    def __len__(self) -> int:
        return len(self.live)

    # -- updates -------------------------------------------------------------------------------------------

    def add(self, event: Event) -> int:
        docno = self._next_docno
        self._next_docno += 1
        self._generation += 1
        self.docno_of[event.id] = docno
        self.id_of[docno] = event.id
        persons = self.people.add(docno, event)
        order_key = (event.sort_date, event.id)
        self.live[docno] = Indexed(event, persons, order_key)
        tokens = indexed_words(event)
        if not self._vocabulary_dirty:
            for token in tokens - self.words.keys():
                bisect.insort(self._vocabulary, token)
        deque(map(_append, map(self.words.__getitem__, tokens), repeat(docno)), maxlen=0)
        if self._prefix_base is not None:
            self._delta_tokens |= tokens
        self._postings += len(tokens)
        for table, keys in self._field_keys(event):
            for key in keys:
                if key:
                    table.setdefault(key, set()).add(docno)
        for link in event.related:
            self.linked_from.setdefault(link.id, set()).add(event.id)
        entry = (event.sort_date, event.id, docno)
        if self._order_dirty or self._bulk_loading or not self._order or entry > self._order[-1]:
            self._order.append(entry)
            self._order_dirty = bool(self._order_dirty or len(self._order) > 1 and entry < self._order[-2])
        else:
            bisect.insort(self._order, entry)
        return docno

    @contextmanager
    def bulk_loading(self) -> Iterator[None]:
        self._bulk_loading = True
        try:
            yield
        finally:
            self._bulk_loading = False

    def remove(self, event_id: str) -> None:
        docno = self.docno_of.pop(event_id, None)
        if docno is None:
            return
        indexed = self.live.pop(docno)
        self._generation += 1
        event = indexed.event
        self.people.remove(docno, event)
        for table, keys in self._field_keys(event):
            for key in keys:
                docs = table.get(key)
                if docs is not None:
                    docs.discard(docno)
                    if not docs:
                        del table[key]
        for link in event.related:
            sources = self.linked_from.get(link.id)
            if sources is not None:
                sources.discard(event.id)
                if not sources:
                    del self.linked_from[link.id]
        entry = (event.sort_date, event.id, docno)
        self._sorted_order()
        position = bisect.bisect_left(self._order, entry)
        if position < len(self._order) and self._order[position] == entry:
            del self._order[position]
        self._dead_postings += len(indexed_words(event))
        if self._dead_postings * 4 > self._postings > 10_000:
            self._compact()

    def _field_keys(self, event: Event) -> Iterable[tuple[dict[str, set[int]], Iterable[str]]]:
        countries = set(event.countries)
        countries.add(event.country)
        countries.update(p.country for p in event.participants)
        yield self.countries, countries
        yield self.topics, event.topics
        yield self.kinds, (event.kind,)
        yield self.organizations, event.organizations
        yield self.places, (event.city, event.country)
        yield self.sources, (event.source_name,)
        yield self.series, (event.series,)
        yield self.documents, (fold(document.title) for document in event.documents)

    def _compact(self) -> None:
        live = self.live
        compacted: defaultdict[bytes, array[int]] = defaultdict(_new_postings)
        for token, postings in self.words.items():
            kept = array("I", [docno for docno in postings if docno in live])
            if kept:
                compacted[token] = kept
        self.words = compacted
        self._prefix_base = None
        self._delta_tokens = set()
        self.id_of = {docno: event_id for docno, event_id in self.id_of.items() if docno in live}
        self._postings = sum(map(len, compacted.values()))
        self._dead_postings = 0
        self._vocabulary_dirty = True

    # -- questions -----------------------------------------------------------------------------------------

    def event(self, docno: int) -> Event:
        return self.live[docno].event

    def all_docnos(self) -> set[int]:
        return set(self.live)

    def docnos_with_word(self, word: str, *, prefix: bool) -> set[int]:
        """Live documents containing the folded word (or a word starting with it)."""
        key = word.encode("utf-8", "surrogatepass")
        if not prefix:
            postings = self.words.get(key)
            return set(postings) & self.live.keys() if postings else set()
        vocabulary = self._sorted_vocabulary()
        start = bisect.bisect_left(vocabulary, key)
        end = bisect.bisect_left(vocabulary, key + _BEYOND_UTF8, start)
        found: set[int] = set()
        for token in vocabulary[start:end]:
            found.update(self.words[token])
        return found & self.live.keys()

    def _sorted_vocabulary(self) -> list[bytes]:
        if self._vocabulary_dirty:
            self._vocabulary = sorted(self.words)
            self._vocabulary_dirty = False
        return self._vocabulary

    def _sorted_order(self) -> list[tuple[str, str, int]]:
        if self._order_dirty:
            self._order.sort()
            self._order_dirty = False
        return self._order

    def docnos_between(self, first: str, last: str) -> set[int]:
        """Events whose sort date lies in [first, last] (ISO days; either may be '')."""
        order = self._sorted_order()
        start = bisect.bisect_left(order, (first,)) if first else 0
        end = bisect.bisect_right(order, (last, "\U0010ffff")) if last else len(order)
        return {entry[2] for entry in order[start:end]}

    def docnos_on(self, day: str) -> list[int]:
        """Events dated exactly `day` (YYYY-MM-DD), from the date order rather than a table of its own."""
        order = self._sorted_order()
        start = bisect.bisect_left(order, (day,))
        end = bisect.bisect_left(order, (day + "\uffff",), start)
        return [entry[2] for entry in order[start:end] if len(self.live[entry[2]].event.date) == 10]

    def newest_first(self, docnos: set[int] | None = None) -> list[int]:
        """Docnos ordered newest first (ties by id, descending); all live ones when docnos is None."""
        order = self._sorted_order()
        if docnos is None:
            return [entry[2] for entry in reversed(order)]
        if len(docnos) * 8 < len(order):
            live = self.live
            return sorted(docnos, key=lambda docno: live[docno].order_key, reverse=True)
        return [entry[2] for entry in reversed(order) if entry[2] in docnos]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_derived"] = {}  # derived arrays are rebuilt on demand, never cached on disk
        state["_prefix_base"] = None
        state["_delta_tokens"] = set()
        return state

    # -- masks: whole-corpus answers as numpy arrays -------------------------------------------------------
    #
    # A filter over 100,000 events combines sets of tens of thousands of documents per keystroke; as Python
    # sets that costs hundreds of milliseconds, as boolean masks (one byte per docno) a few. Postings stay
    # `array`s (append-friendly, compact) and are viewed, not copied, with `np.frombuffer`.

    def derive(self, key: Any, build: Any) -> Any:
        """`build()`, computed once per generation of the index."""
        if self._derived.get("generation") != self._generation:
            self._derived = {"generation": self._generation}
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    def empty_mask(self) -> np.ndarray:
        return np.zeros(self._next_docno, dtype=bool)

    def mask_of(self, docnos: set[int] | list[int]) -> np.ndarray:
        mask = self.empty_mask()
        if docnos:
            mask[np.fromiter(docnos, dtype=np.int64, count=len(docnos))] = True
        return mask

    def live_mask(self) -> np.ndarray:
        return self.derive("live", lambda: self.mask_of(list(self.live)))

    def word_mask(self, word: str, *, prefix: bool) -> np.ndarray:
        """Live documents containing the folded word (or, with prefix, a word starting with it)."""
        mask = self.empty_mask()
        words = self.words
        key = word.encode("utf-8", "surrogatepass")
        if prefix:
            base = self._prefix_postings()
            mask[base.docnos_with_prefix(key)] = True
            for token in self._delta_tokens:
                if token.startswith(key):
                    mask[np.frombuffer(words[token], dtype=np.uint32)[base.lengths.get(token, 0) :]] = True
        elif key in words:
            mask[np.frombuffer(words[key], dtype=np.uint32)] = True
        mask &= self.live_mask()
        return mask

    def prepare(self) -> None:
        """Build what the first query would otherwise build (after a bulk load, off the interface's path)."""
        self._prefix_postings()
        self.date_order()
        self.live_mask()

    def _prefix_postings(self) -> PrefixPostings:
        if self._prefix_base is None or len(self._delta_tokens) > PrefixPostings.MOST_DELTA_TOKENS:
            self._prefix_base = PrefixPostings(self._sorted_vocabulary(), self.words)
            self._delta_tokens = set()
        return self._prefix_base

    def table_mask(self, table: dict[str, set[int]], keys: Iterable[str]) -> np.ndarray:
        mask = self.empty_mask()
        for key in keys:
            docnos = table.get(key)
            if docnos:
                mask |= self.key_mask(table, key)
        return mask

    def key_array(self, table: dict[Any, set[int]], key: Any, cache_key: Any = None) -> np.ndarray:
        """The docnos of one table entry as an array (cached for the generation)."""

        def build() -> np.ndarray:
            docnos = table.get(key, set())
            return np.fromiter(docnos, dtype=np.int64, count=len(docnos))

        return self.derive(cache_key or (id(table), key), build)

    def key_mask(self, table: dict[str, set[int]], key: str) -> np.ndarray:
        mask = self.empty_mask()
        mask[self.key_array(table, key)] = True
        return mask

    def date_order(self) -> tuple[np.ndarray, np.ndarray]:
        """Docnos in ascending date order, and their sort dates, for range searches."""

        def build() -> tuple[np.ndarray, np.ndarray]:
            order = self._sorted_order()
            docnos = np.fromiter((entry[2] for entry in order), dtype=np.int64, count=len(order))
            dates = np.array([entry[0] for entry in order], dtype="U10")
            return docnos, dates

        return self.derive("date order", build)

    def date_mask(self, first: str, last: str) -> np.ndarray:
        """Events whose sort date lies in [first, last] (ISO days; either may be '')."""
        docnos, dates = self.date_order()
        start = int(np.searchsorted(dates, first, side="left")) if first else 0
        end = int(np.searchsorted(dates, last, side="right")) if last else len(dates)
        mask = self.empty_mask()
        mask[docnos[start:end]] = True
        return mask

    def ordered(self, sort: str, key: Any, descending: bool) -> np.ndarray:
        """Every live docno in display order for a column (date is the index's own order)."""
        if sort == "date":
            ascending = self.date_order()[0]
        else:

            def build() -> np.ndarray:
                live = self.live
                docnos = sorted(live, key=lambda docno: key(live[docno].event))
                return np.array(docnos, dtype=np.int64)

            ascending = self.derive(("order", sort), build)
        return ascending[::-1] if descending else ascending


class PrefixPostings:
    """Every posting, in vocabulary order, in one array: the words starting with a prefix are a contiguous
    range of the sorted vocabulary, so their documents are one slice (one numpy call, however short the
    prefix: `s` alone spans thousands of words). Built on the first prefix query; postings added later are
    found through the index's small set of tokens touched since, until there are enough to rebuild."""

    MOST_DELTA_TOKENS = 5_000

    def __init__(self, vocabulary: list[bytes], words: dict[bytes, array[int]]) -> None:
        self.vocabulary = list(vocabulary)
        self.lengths = {token: len(words[token]) for token in self.vocabulary}
        sizes = np.fromiter(
            (self.lengths[token] for token in self.vocabulary), dtype=np.int64, count=len(self.vocabulary)
        )
        self.offsets = np.zeros(len(self.vocabulary) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self.offsets[1:])
        parts = [np.frombuffer(words[token], dtype=np.uint32) for token in self.vocabulary]
        self.postings = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint32)

    def docnos_with_prefix(self, prefix: bytes) -> np.ndarray:
        start = bisect.bisect_left(self.vocabulary, prefix)
        end = bisect.bisect_left(self.vocabulary, prefix + _BEYOND_UTF8, start)
        return self.postings[self.offsets[start] : self.offsets[end]]
