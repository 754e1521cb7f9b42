"""Packed texts: an indexed event keeps its long texts compressed and still reads, compares and pickles
(a load worker's answer, `store.files.parallel_load`) exactly as before."""

from __future__ import annotations

import dataclasses
import pickle

from hypothesis import given
from hypothesis import strategies as st

from store.index.search_index import SearchIndex
from store.model.event import PACK_FROM, Event, EventFields


def make(summary: str, text: str) -> Event:
    return Event("e", "Talks", "2023-05-04", "2023-05-04", "e.json", summary=summary, text=text)


@given(st.text(), st.text(min_size=PACK_FROM, max_size=PACK_FROM * 4))
def test_a_packed_event_reads_and_compares_as_it_was(summary: str, text: str) -> None:
    plain, packed = make(summary, text), make(summary, text)
    packed.pack()
    assert packed.text == text and packed.summary == summary
    assert packed == plain and repr(packed) == repr(plain)
    assert dataclasses.replace(packed, title="Other").text == text


def test_indexing_packs_long_texts_and_leaves_short_ones() -> None:
    event = make("short – one", "Консультации – " * 40)
    SearchIndex().add(event)
    assert type(EventFields.text.__get__(event)) is bytes  # the raw slot
    assert EventFields.summary.__get__(event) == "short – one"
    assert event.text == "Консультации – " * 40


def test_a_load_worker_pickles_the_packed_bytes_and_unpacks_nothing() -> None:
    event = make("", "x" * 5000)
    event.pack()
    data = pickle.dumps(event)
    assert len(data) < 1000
    restored = pickle.loads(data)
    assert type(EventFields.text.__get__(restored)) is bytes and restored == event


def test_equal_participants_of_different_events_are_one_object_and_stay_equal_after_a_reset(
    monkeypatch,
) -> None:
    from store.model import validate

    def participants(raw_id: str) -> tuple[object, ...]:
        raw = {
            "id": raw_id,
            "title": "Talks",
            "date": "2023",
            "participants": [{"name": "Vepa Hadjiev", "role": "Deputy Minister", "country": "TM"}, "Ann"],
        }
        return validate.validate_event(raw, fallback_id=raw_id).participants

    first, second = participants("a"), participants("b")
    assert first == second and all(x is y for x, y in zip(first, second, strict=True))
    monkeypatch.setattr(validate._PARTICIPANTS, "limit", 1)
    third = participants("c")
    assert third == first


@given(
    st.text(min_size=0, max_size=PACK_FROM * 8),
    st.integers(min_value=1, max_value=PACK_FROM * 10),
    st.booleans(),
)
def test_a_head_is_the_first_characters_and_the_length_of_the_whole(
    text: str, limit: int, pack: bool
) -> None:
    event = make("", text)
    if pack:
        event.pack()
    assert event.text_head("text", limit) == (text[:limit], len(text))


def test_a_head_of_a_huge_packed_text_decompresses_only_the_head(monkeypatch) -> None:
    """The detail pane shows a screenful of a 10 MB summary on every cursor move: decompressing it whole
    each time was most of the cost."""
    huge = "Консультации – 🇰🇿 " * 500_000
    event = make(huge, "")
    event.pack()
    monkeypatch.setattr("store.model.event.zlib.decompress", None)  # reading whole would fail now
    head, length = event.text_head("summary", 1000)
    assert head == huge[:1000] and length == len(huge)
