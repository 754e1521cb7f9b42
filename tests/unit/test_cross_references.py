"""Cross-references: every kind of tie is found, each weighed by how rare it is."""

from __future__ import annotations

import pytest

from bench.generate import generate
from store.entities.cross_references import related_events
from store.event_store import EventStore
from tests.conftest import FIXTURES


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


def test_the_compared_corpora_hold_every_kind_of_tie(generated: EventStore) -> None:
    reasons = " ".join(
        reason
        for store in (generated, _fixtures())
        for event_id in store.index.docno_of
        for relation in related_events(store.index, event_id)
        for reason in relation.reasons
    )
    kinds = ("explicit link", "same series", "another round", "shared participant", "both with")
    for kind in (*kinds, "both refer", "same format", "shared organizations"):
        assert kind in reasons, kind


def test_an_unknown_id_raises(generated: EventStore) -> None:
    with pytest.raises(KeyError):
        related_events(generated.index, "no-such-event")
