"""Alert rules: only the events a batch added or changed are tested, with the dashboard's filter meaning."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store.alerts import AlertBook, AlertHit, AlertRule
from store.event_store import EventStore
from store.index.event_words import index_tokens, searchable_text
from store.model.changes import Changes
from store.model.textfold import fold
from store.query import filter_eval
from store.query.filter_eval import CandidateMatcher, matching_docnos
from store.query.filter_syntax import parse_filter
from tests.conftest import REPO, WriteEvent, event
from tests.unit.corpus import EVENTS, HADJIEV

NOON = datetime(2024, 1, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path, write_event: WriteEvent) -> EventStore:
    for rel, raw in EVENTS.items():
        write_event(rel, raw)
    loaded = EventStore(tmp_path / "events")
    loaded.load()
    return loaded


def book(*rules: tuple[str, str]) -> AlertBook:
    return AlertBook(AlertRule(name, text) for name, text in rules)


def fired(hits: list[AlertHit]) -> list[tuple[str, str, str]]:
    return sorted((hit.rule.name, hit.event_id, hit.change) for hit in hits)


def test_a_new_matching_event_fires_and_unchanged_matching_events_do_not(
    store: EventStore, write_event: WriteEvent
) -> None:
    alerts = book(("afghanistan", "topic:afghanistan"), ("calls", "kind:call"))
    assert store.query("topic:afghanistan").ids  # the corpus already has matching events...
    path = write_event("2024/new.json", event(id="new-2024", title="Talks on Kabul", topics=["Afghanistan"]))
    hits = alerts.check(store, store.upsert(path), now=NOON)
    assert fired(hits) == [("afghanistan", "new-2024", "new")]  # ...but only the new one fires
    (hit,) = hits
    assert (hit.title, hit.date, hit.when) == ("Talks on Kabul", "2023-05-04", NOON)
    assert hit.rule == AlertRule("afghanistan", "topic:afghanistan")
    assert alerts.history() == hits


def test_a_changed_event_fires_when_it_matches_now(store: EventStore, write_event: WriteEvent) -> None:
    alerts = book(("trade", "#trade -kind:call"), ("galuzin", "p:galuzin"))
    changed = dict(EVENTS["2023/bilateral.json"], title="Galuzin and Hadjiev meet again")
    hits = alerts.check(store, store.upsert(write_event("2023/bilateral.json", changed)), now=NOON)
    assert fired(hits) == [("galuzin", "bilateral-2023", "changed"), ("trade", "bilateral-2023", "changed")]
    no_longer = dict(changed, topics=["culture"], participants=[HADJIEV])
    hits = alerts.check(store, store.upsert(write_event("2023/bilateral.json", no_longer)), now=NOON)
    assert hits == []


def test_removed_events_and_empty_batches_never_fire(store: EventStore, tmp_path: Path) -> None:
    alerts = book(("everything", ""))
    changes = store.remove("2023/bilateral.json")
    assert changes.removed == {"bilateral-2023"}
    assert alerts.check(store, changes) == []
    assert alerts.check(store, Changes()) == []


def test_an_empty_rule_matches_every_new_event_and_the_history_is_bounded(
    store: EventStore, write_event: WriteEvent
) -> None:
    alerts = AlertBook([AlertRule("all", "")], history_size=3)
    for number in range(5):
        path = write_event(f"new/{number}.json", event(id=f"n{number}"))
        alerts.check(store, store.upsert(path))
    assert [hit.event_id for hit in alerts.history()] == ["n4", "n3", "n2"]
    assert alerts.alerted_ids() == {"n2", "n3", "n4"}
    alerts.clear_history()
    assert alerts.history() == []


def test_participants_match_any_spelling_the_dashboard_knows(
    store: EventStore, write_event: WriteEvent
) -> None:
    # The corpus spells him Hajiyev in 2021 and Hadjiev since: the rule names one, the new file the other.
    alerts = AlertBook([AlertRule.unnamed("p:hajiyev")])
    path = write_event("2024/visit.json", event(id="visit-2024", participants=[HADJIEV]))
    assert fired(alerts.check(store, store.upsert(path))) == [("p:hajiyev", "visit-2024", "new")]


def test_bad_rules_are_reported_once_and_skipped(store: EventStore, write_event: WriteEvent) -> None:
    alerts = book(
        ("broken", '"unterminated'), ("good", "kind:call"), ("good", "kind:visit"), ("odd", "kind:x")
    )
    assert len(alerts.problems) == 3
    assert alerts.problems[0].startswith("alert 'broken' is skipped: bad filter '\"unterminated': ")
    assert "defined twice" in alerts.problems[1]
    assert "'odd'" in alerts.problems[2]
    assert all("\n" not in problem for problem in alerts.problems)
    assert alerts.rules == [AlertRule("good", "kind:call")]
    path = write_event("2024/call.json", event(id="call-2024", kind="call"))
    assert fired(alerts.check(store, store.upsert(path))) == [("good", "call-2024", "new")]
    assert len(alerts.problems) == 3  # reported once, not again per batch
    assert alerts.add(AlertRule("late", "from:2023-02-30")) is not None
    assert alerts.remove("good") and not alerts.remove("good")


def test_the_check_never_evaluates_a_rule_over_the_whole_index(
    store: EventStore, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    def whole_index(*args: object) -> None:
        raise AssertionError("a rule was evaluated against the whole corpus")

    for name in ("term_docnos", "matching_docnos", "term_mask", "matching_mask"):
        monkeypatch.setattr(filter_eval, name, whole_index, raising=False)
    for name in ("docnos_with_word", "all_docnos", "word_mask", "date_mask", "table_mask"):
        monkeypatch.setattr(type(store.index), name, whole_index, raising=False)
    alerts = book(
        ("words", "afghan kabul -kind:call"), ("phrase", '"separate talks"'), ("place", "place:kabul")
    )
    path = write_event(
        "2024/kabul.json",
        event(id="k", title="Separate talks on Afghanistan", location={"city": "Kabul", "country": "AF"}),
    )
    assert fired(alerts.check(store, store.upsert(path))) == [
        ("phrase", "k", "new"),
        ("place", "k", "new"),
        ("words", "k", "new"),
    ]


QUERIES = [
    "",
    "galu",
    "galu hadj",
    "-afghanistan",
    '"regional security"',
    '"security regional"',
    "participant:hajiyev",
    "p:tokayev -kind:summit",
    "country:TM",
    "c:kz -c:ru",
    "topic:security",
    "#regional-security",
    "t:trade",
    "kind:consultation",
    'org:"central asia"',
    "org:un",
    "place:ashgabat",
    "place:uz",
    "source:nca",
    "source:constructed",
    "from:2023",
    "to:2022-06",
    "from:2022-06 to:2023-05 -kind:call",
    "+ -+",
]


def test_the_candidate_matcher_agrees_with_the_index(store: EventStore, tmp_path: Path) -> None:
    shutil.copytree(REPO / "tests" / "app" / "corpus", tmp_path / "events" / "tui")
    store.reconcile()
    index = store.index
    everything = index.all_docnos()
    vocabulary = sorted(
        {word for docno in everything for word in index_tokens(fold(searchable_text(index.event(docno))))}
    )
    randomly = random.Random(6)
    samples = [
        " ".join(word[: randomly.randint(1, len(word))] for word in randomly.sample(vocabulary, 2))
        for _ in range(60)
    ]
    samples += [f"-{word[:3]}" for word in randomly.sample(vocabulary, 20)]
    for day in {index.event(docno).sort_date for docno in everything}:  # bounds on the day itself
        samples += [f"from:{day}", f"to:{day}", f"-from:{day}"]
    for docno in sorted(everything):  # phrases that occur, and the same words reversed
        words = fold(index.event(docno).title).split()[:3]
        samples += [f'"{" ".join(words)}"', f'"{" ".join(reversed(words))}"']
    matcher = CandidateMatcher(index, everything)
    for text in QUERIES + samples:
        query = parse_filter(text)
        expected = matching_docnos(index, query)
        assert matcher.matching(query) == (everything if expected is None else expected), text
    assert len(everything) > 15
