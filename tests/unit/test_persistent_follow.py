"""A persistent reader that follows a writer's commits (`PersistentIndex.refresh`) answers exactly as a reader
opened fresh on the same commit, and gets there by applying what each commit changed, not by building the
people, the links and the date order again."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.index.persistent.engine import PersistentEngine, PersistentIndex, PersistentIndexWriter
from store.index.protocol import FIELDS, SORT_KEYS, PersonCount
from store.model.validate import validate_event
from tests.index_contract import naive
from tests.unit.test_filter_plan import CORPORA

IDS = [f"e{number}" for number in range(8)]
"""A small pool, so that ids come back after their removal and related ids name events that come and go."""

RELATED = st.lists(st.sampled_from([*IDS, "elsewhere"]), max_size=3)

PUT_OR_REMOVE = st.tuples(
    st.sampled_from(IDS),
    st.one_of(st.none(), st.tuples(CORPORA.map(lambda raws: raws[0]), RELATED)),
)
"""One step of a batch: the id's event put (added, or changed when live) with its related ids, or removed."""

BATCHES = st.lists(st.lists(PUT_OR_REMOVE, min_size=1, max_size=4), min_size=1, max_size=6)


def _apply(writer: PersistentIndexWriter, live: set[str], batch: list[tuple[str, Any]]) -> None:
    for event_id, put in batch:
        if event_id in live:
            writer.remove(event_id)
            live.discard(event_id)
        if put is not None:
            raw, related = put
            writer.add(validate_event({**raw, "id": event_id, "related": related}, fallback_id=event_id))
            live.add(event_id)
    writer.commit()


def _people(cards: list[PersonCount]) -> tuple[list[tuple[int, str]], list[PersonCount]]:
    """The ranking (events, then name) in order, and every card: persons tied on both may come in any order
    (the resolution's table is a dict filled as persons change), as they may in the in-memory engine."""
    return [(card.events, card.name) for card in cards], sorted(cards, key=repr)


def _answers(reader: PersistentIndex, masks: list[np.ndarray]) -> dict[str, Any]:
    live = np.flatnonzero(reader.live_mask()).tolist()
    found: dict[str, Any] = {
        "participants": _people(reader.participant_counts()),
        "people": set(reader.field_keys("people")),
        "persons": {docno: reader.persons_of(docno) for docno in live},
        "links": {event_id: set(reader.links_to(event_id)) for event_id in [*IDS, "elsewhere"]},
        "orders": {sort: reader.ordered(sort, False).tolist() for sort in SORT_KEYS},
        "ids": reader.event_ids(),
        "days": reader.sorted_days().tolist(),
    }
    for number, mask in enumerate(masks):
        found[f"participants over {number}"] = _people(reader.participant_counts(mask))
        for field in FIELDS:
            found[f"{field} over {number}"] = reader.key_counts(field, mask)
    for field in FIELDS:
        found[field] = reader.key_counts(field)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=BATCHES, data=st.data())
def test_a_reader_that_follows_answers_as_one_opened_fresh(
    batches: list[list[tuple[str, Any]]], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory(prefix="follow-") as folder:
        engine = PersistentEngine(Path(folder))
        writer = engine.open_writer()
        follower = engine.open_reader()
        follower.participant_counts()  # the people built before the first commit: from then on, followed
        live: set[str] = set()
        try:
            for batch in batches:
                _apply(writer, live, batch)
                follower.refresh()
                fresh = PersistentIndex(folder)
                try:
                    docnos = sorted(np.flatnonzero(fresh.live_mask()).tolist())
                    counted = data.draw(st.lists(st.sampled_from(docnos), unique=True)) if docnos else []
                    masks = [naive.mask_of(fresh, counted), fresh.live_mask().copy()]
                    assert _answers(follower, masks) == _answers(fresh, masks)
                finally:
                    fresh.close()
        finally:
            follower.close()
            engine.close()


HADJIEV = {"name": "Vepa Hadjiev", "country": "TM"}


def _raw(title: str, *participants: dict[str, Any], day: str = "2023-05-04") -> dict[str, Any]:
    return {"title": title, "date": day, "participants": list(participants)}


def test_a_commit_is_applied_to_what_the_reader_built(tmp_path: Path) -> None:
    engine = PersistentEngine(tmp_path)
    writer = engine.open_writer()
    writer.add(validate_event(_raw("Talks", HADJIEV, day="2023-05-04"), fallback_id="a"))
    writer.add(validate_event(_raw("Visit", HADJIEV, day="2021-01-02"), fallback_id="b"))
    writer.commit()
    reader = engine.open_reader()
    reader.participant_counts()
    facts, people, order = reader._facts, reader.people, reader.ordered("date", False)
    writer.remove("a")
    writer.add(validate_event(_raw("Talks, revised", HADJIEV, day="2022-03-04"), fallback_id="a"))
    writer.add(validate_event(_raw("Call", {"name": "Mikhail Galuzin", "country": "RU"}), fallback_id="c"))
    writer.commit()
    assert reader.refresh()
    assert reader._facts is facts and reader.people is people, "the people were built again"
    assert reader._reader._date_order is not None, "the date order was thrown away"
    assert reader.ordered("date", False).tolist() == [order[0], 2, 3]
    assert [(card.name, card.events) for card in reader.participant_counts()] == [
        ("Vepa Hadjiev", 2),
        ("Mikhail Galuzin", 1),
    ]
    reader.close()
    engine.close()


def test_removing_an_alias_join_is_followed_exactly(tmp_path: Path) -> None:
    """An alias link goes with the event that declared it (`store.entities.people` counts them), so a
    reader follows the removal without building the people again and answers as a reader opened fresh."""
    engine = PersistentEngine(tmp_path)
    writer = engine.open_writer()
    writer.add(validate_event(_raw("Talks", {"name": "Vepa Hajiyev", "country": "TM"}), fallback_id="a"))
    joined = {**HADJIEV, "aliases": ["Vepa Hajiyev", "V. Gadzhiev"]}
    writer.add(validate_event(_raw("Visit", joined), fallback_id="b"))
    writer.commit()
    reader = engine.open_reader()
    assert len(reader.participant_counts()) == 1
    facts = reader._facts
    writer.remove("b")
    writer.commit()
    assert reader.refresh()
    assert reader._facts is facts
    assert [(card.name, card.aliases) for card in reader.participant_counts()] == [("Vepa Hajiyev", ())]
    fresh = PersistentIndex(tmp_path)
    assert reader.participant_counts() == fresh.participant_counts()
    assert set(reader.field_keys("people")) == set(fresh.field_keys("people"))
    fresh.close()
    reader.close()
    engine.close()
