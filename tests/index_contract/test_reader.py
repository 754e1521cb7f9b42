"""Every question of `IndexReader`, on a small corpus written here, against its plain definition
(`naive`). Runs once per engine of `ENGINE_FACTORIES`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from store.index.protocol import FIELDS, SORT_KEYS, Field, IndexReader, day_number
from tests.index_contract import naive
from tests.index_contract.conftest import EngineFactory, events_of, indexed

HADJIEV = {"name": "Vepa Hadjiev", "role": "Minister", "country": "TM"}
HAJIYEV = {"name": "Vepa Hajiyev", "role": "Acting Minister", "country": "TM"}
GALUZIN = {"name": "Mikhail Galuzin", "role": "Deputy Minister", "country": "RU"}

CORPUS: list[dict[str, Any]] = [
    {
        "id": "cons-2023",
        "title": "Consultations on regional security",
        "date": "2023-05-04",
        "kind": "consultation",
        "location": {"city": "Ashgabat", "country": "TM"},
        "countries": ["TM", "RU"],
        "series": "TM-RU consultations",
        "participants": [HADJIEV, GALUZIN],
        "topics": ["regional-security", "afghanistan"],
        "organizations": ["UN", "CIS"],
        "documents": [{"title": "Declaration on Partnership"}],
        "related": [{"id": "bilateral-2023", "relation": "sub-event"}],
        "source": {"name": "nCa"},
    },
    {
        "id": "bilateral-2023",
        "title": "Bilateral meeting: security – regional questions",
        "date": "2023-05-04",
        "kind": "meeting",
        "location": {"city": "Ashgabat", "country": "TM"},
        "participants": [HAJIYEV],
        "topics": ["regional-security"],
        "source": {"name": "MFA Russia"},
    },
    {
        "id": "call-2022",
        "title": "Telephone call on water",
        "date": "2022-06",
        "kind": "call",
        "location": {"city": "Tashkent", "country": "UZ"},
        "participants": [GALUZIN],
        "topics": ["water"],
        "organizations": ["UN"],
        "documents": [{"title": "declaration on partnership"}],
        "source": {"name": "nCa"},
    },
    {
        "id": "visit-2021",
        "title": "Visit to Almaty, Kazakhstan (Алматы)",
        "date": "2021",
        "kind": "visit",
        "location": {"city": "Almaty", "country": "KZ"},
        "series": "TM-RU consultations",
        "related": [{"id": "cons-2023"}],
        "source": {"name": "Ministère"},
    },
    {
        "id": "gone-2020",
        "title": "Regional security summit, removed",
        "date": "2020-01-01",
        "kind": "summit",
        "location": {"city": "Moscow", "country": "RU"},
        "participants": [GALUZIN],
        "source": {"name": "nCa"},
    },
]
REMOVED = ["gone-2020"]
EVENTS = events_of(CORPUS)


@pytest.fixture
def reader(engine_factory: EngineFactory) -> Any:
    with indexed(engine_factory, EVENTS, REMOVED) as opened:
        yield opened


@pytest.fixture
def live(reader: IndexReader) -> naive.Live:
    return naive.live_events(reader, EVENTS, REMOVED)


def test_it_is_a_reader(reader: IndexReader) -> None:
    assert isinstance(reader, IndexReader)


def test_documents(reader: IndexReader, live: naive.Live) -> None:
    assert len(reader) == len(live) == 4
    assert naive.docnos_of(reader.live_mask()) == set(live)
    assert not reader.empty_mask().any() and len(reader.empty_mask()) == len(reader.live_mask())
    assert naive.docnos_of(naive.mask_of(reader, [min(live), max(live)])) == {min(live), max(live)}
    assert sorted(reader.event_ids()) == sorted(event.id for event in live.values())
    assert reader.event_ids() == [live[docno].id for docno in sorted(live)]
    for docno, event in live.items():
        assert reader.event(docno) == event and reader.event_by_id(event.id) == event
        assert reader.docno(event.id) == docno and reader.event_id(docno) == event.id
    docnos = np.array(sorted(live, reverse=True), dtype=np.int64)
    assert reader.ids_of(docnos) == [live[docno].id for docno in docnos.tolist()]
    assert reader.docno("gone-2020") is None and reader.event_by_id("gone-2020") is None
    assert reader.docno("never") is None and reader.event_by_id("never") is None


@pytest.mark.parametrize(
    "word", ["regional", "security", "ashgabat", "almaty", "алматы", "ministere", "galuzin", "hadjiev"]
)
def test_whole_words(reader: IndexReader, live: naive.Live, word: str) -> None:
    assert naive.docnos_of(reader.word_mask(word, prefix=False)) == naive.word_docnos(
        live, word, prefix=False
    )


@pytest.mark.parametrize("prefix", ["reg", "s", "a", "алм", "minist", "gal", "zzz", "consultation"])
def test_prefixes(reader: IndexReader, live: naive.Live, prefix: str) -> None:
    expected = naive.word_docnos(live, prefix, prefix=True)
    assert naive.docnos_of(reader.word_mask(prefix, prefix=True)) == expected


def test_words_are_folded_and_removed_events_never_match(reader: IndexReader, live: naive.Live) -> None:
    assert {live[d].id for d in naive.docnos_of(reader.word_mask("ministere", prefix=False))} == {
        "visit-2021"
    }
    assert {live[d].id for d in naive.docnos_of(reader.word_mask("removed", prefix=False))} == set()
    assert naive.docnos_of(reader.word_mask("summit", prefix=True)) == set()


@pytest.mark.parametrize(
    "words",
    [("regional", "security"), ("security", "regional"), ("telephone", "call"), ("on", "water"), ("visit",)],
)
def test_phrases(reader: IndexReader, live: naive.Live, words: tuple[str, ...]) -> None:
    expected = naive.phrase_docnos(live, words)
    assert naive.docnos_of(reader.phrase_mask(words)) == expected
    within = naive.mask_of(reader, [min(live)])
    assert naive.docnos_of(reader.phrase_mask(words, within) & within) == expected & {min(live)}


def test_a_phrase_read_outside_the_answer_gives_the_same_answer(
    reader: IndexReader, live: naive.Live
) -> None:
    words = ("security", "regional")  # "security – regional" holds it; "regional security" does not
    todo = reader.unchecked_phrase(words)
    assert set(todo) <= set(live)
    reader.check_phrase(words, todo)
    assert reader.unchecked_phrase(words) == []
    assert {live[d].id for d in naive.docnos_of(reader.phrase_mask(words))} == {"bilateral-2023"}


@pytest.mark.parametrize("field", FIELDS)
def test_field_keys(reader: IndexReader, live: naive.Live, field: Field) -> None:
    keys = naive.field_keys(reader, live, field)
    assert set(reader.field_keys(field)) == keys
    for key in keys:
        assert reader.key_docnos(field, key).tolist() == naive.key_docnos(reader, live, field, key)
        assert reader.key_docnos(field, key).dtype == np.int64
    assert reader.key_docnos(field, "no such key").tolist() == []
    some = sorted(keys, key=repr)[::2]
    expected = {docno for key in some for docno in naive.key_docnos(reader, live, field, key)}
    assert naive.docnos_of(reader.keys_mask(field, some)) == expected
    assert naive.docnos_of(reader.keys_mask(field, [])) == set()
    for key in [*keys, "no such key"]:
        assert reader.key_count(field, key) == len(naive.key_docnos(reader, live, field, key))


def test_docnos_with_every_key(reader: IndexReader, live: naive.Live) -> None:
    for wanted in (
        [("kinds", "consultation"), ("countries", "TM"), ("countries", "RU")],
        [("organizations", "UN"), ("topics", "water")],
        [("places", "Ashgabat")],
        [("countries", "TM"), ("countries", "UZ")],
        [("series", "TM-RU consultations"), ("kinds", "nothing")],
    ):
        expected = set(live)
        for field, key in wanted:
            expected &= set(naive.key_docnos(reader, live, field, key))  # type: ignore[arg-type]
        assert reader.docnos_with_all(wanted).tolist() == sorted(expected), wanted  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "last"),
    [("", ""), ("2023-05-04", ""), ("", "2022-06-01"), ("2021-01-01", "2022-12-31"), ("2024-01-01", "")],
)
def test_date_ranges(reader: IndexReader, live: naive.Live, first: str, last: str) -> None:
    assert naive.docnos_of(reader.date_mask(first, last)) == naive.date_docnos(live, first, last)


@pytest.mark.parametrize("day", ["2023-05-04", "2022-06-01", "2021-01-01", "2020-01-01"])
def test_days(reader: IndexReader, live: naive.Live, day: str) -> None:
    assert set(reader.docnos_on(day)) == naive.on_day(live, day)
    docnos = np.array(sorted(live), dtype=np.int64)
    assert reader.day_of(docnos).tolist() == [day_number(live[d].sort_date) for d in docnos.tolist()]


@pytest.mark.parametrize("sort", sorted(SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_order(reader: IndexReader, live: naive.Live, sort: str, descending: bool) -> None:
    assert reader.ordered(sort, descending).tolist() == naive.ordered(live, sort, descending)


@pytest.mark.parametrize("field", FIELDS)
def test_key_counts(reader: IndexReader, live: naive.Live, field: Field) -> None:
    assert reader.key_counts(field) == naive.key_counts(reader, live, field, set(live))
    some = {min(live), max(live)}
    assert reader.key_counts(field, naive.mask_of(reader, some)) == naive.key_counts(
        reader, live, field, some
    )


def test_participant_counts(reader: IndexReader, live: naive.Live) -> None:
    resolution = reader.resolution
    for counted in (set(live), {reader.docno("cons-2023"), reader.docno("call-2022")}):
        mask = None if counted == set(live) else naive.mask_of(reader, {d for d in counted if d is not None})
        answer = reader.participant_counts(mask)
        events: dict[Any, int] = {}
        for docno in counted:
            assert docno is not None
            for key in resolution.persons_of(reader.persons_of(docno), docno):
                events[key] = events.get(key, 0) + 1
        assert sorted(person.events for person in answer) == sorted(events.values())
        assert [(-p.events, p.name.casefold()) for p in answer] == sorted(
            (-p.events, p.name.casefold()) for p in answer
        )
    galuzin = next(p for p in reader.participant_counts() if p.name == "Mikhail Galuzin")
    assert (galuzin.events, galuzin.first, galuzin.last) == (
        2,
        "2022-06-01",
        "2023-05-04",
    )  # the removed one left


def test_sorted_days(reader: IndexReader, live: naive.Live) -> None:
    assert reader.sorted_days().tolist() == naive.sorted_days(live, set(live))
    some = {min(live), max(live)}
    assert reader.sorted_days(naive.mask_of(reader, some)).tolist() == naive.sorted_days(live, some)
    short = naive.mask_of(reader, some)[: max(some)]  # an answer made before the last arrivals
    assert reader.sorted_days(short).tolist() == naive.sorted_days(live, some - {max(some)})


def test_people_and_links(reader: IndexReader, live: naive.Live) -> None:
    for docno, event in live.items():
        people = reader.people
        assert tuple(dict.fromkeys(map(people.root, reader.persons_of(docno)))) == people.keys_of(event)
        assert reader.persons_of(docno) == tuple(dict.fromkeys(map(people.own_key, event.participants)))
        for key in reader.persons_of(docno):
            assert docno in people.persons[people.root(key)].docnos
    for target in ("cons-2023", "bilateral-2023", "call-2022", "nobody"):
        assert set(reader.links_to(target)) == naive.links_to(live, target)


def test_memo_is_kept_for_one_generation(reader: IndexReader) -> None:
    built: list[int] = []
    first = reader.derive(("contract", 1), lambda: built.append(1) or len(built))
    assert reader.derive(("contract", 1), lambda: built.append(1) or len(built)) == first
    assert built == [1]
    assert isinstance(reader.generation, int)
