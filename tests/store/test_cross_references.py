"""Cross-references, vectorised, give exactly what the event-by-event reference gives, for every event."""

from __future__ import annotations

import pytest

from bench.generate import generate
from store import cross_references
from store.cross_references import related_events
from store.event_store import EventStore
from tests.conftest import FIXTURES
from tests.store.reference_cross_references import reference_related_events


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> EventStore:
    """A corpus with popular people, recurring consultations, shared documents and formats."""
    root = tmp_path_factory.mktemp("corpus")
    generate(root, 1500, seed=5, per_dir=500)
    store = EventStore(root)
    store.load()
    return store


def _fixtures() -> EventStore:
    store = EventStore(FIXTURES / "events")
    store.load()
    return store


@pytest.mark.parametrize("most", [cross_references.MOST_RELATED, 3])
def test_every_event_relates_as_the_reference_says(
    generated: EventStore, most: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cross_references, "MOST_RELATED", most)  # a small cut falls inside ties more often
    import tests.store.reference_cross_references as reference

    monkeypatch.setattr(reference, "MOST_RELATED", most)
    for store in (generated, _fixtures()):
        index = store.index
        compared = 0
        for event_id in sorted(index.docno_of):
            assert related_events(index, event_id) == reference_related_events(index, event_id), event_id
            compared += 1
        assert compared


def test_the_compared_corpora_hold_every_kind_of_tie(generated: EventStore) -> None:
    reasons = " ".join(
        reason
        for store in (generated, _fixtures())
        for event_id in store.index.docno_of
        for relation in related_events(store.index, event_id)
        for reason in relation.reasons
    )
    kinds = ("explicit link", "same series", "another round", "same day and place", "shared participant")
    for kind in (*kinds, "both refer", "same format", "shared organizations"):
        assert kind in reasons, kind


def test_an_unknown_id_raises(generated: EventStore) -> None:
    with pytest.raises(KeyError):
        related_events(generated.index, "no-such-event")
