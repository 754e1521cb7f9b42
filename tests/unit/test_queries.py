"""The filter language over a real store, the aggregates and the cross-references."""

from __future__ import annotations

import pytest

from store.event_store import EventStore
from store.query.filter_syntax import FilterError
from tests.conftest import WriteEvent, event
from tests.unit.corpus import EVENTS, write_corpus


@pytest.fixture
def store(write_event: WriteEvent) -> EventStore:
    result = EventStore(write_corpus(write_event))
    result.load()
    return result


def ids(store: EventStore, text: str) -> list[str]:
    return store.query(text).ids


def test_empty_filter_lists_everything_newest_first(store: EventStore) -> None:
    assert ids(store, "") == [
        "cons-2023",
        "bilateral-2023",
        "signing-2022",
        "cons-2021",
        "call-2020",
        "summit-2019",
    ]


def test_words_match_as_prefixes_ignoring_case_and_diacritics(store: EventStore) -> None:
    assert ids(store, "galu") == ["cons-2023", "bilateral-2023", "cons-2021"]
    # `hadj` starts Hadjiev, a spelling of the person whom cons-2021 names Vepa Hajiyev: his events too
    assert ids(store, "GALUZIN hadj") == ["cons-2023", "bilateral-2023", "cons-2021"]
    assert ids(store, "GALUZIN hadjiev") == ["cons-2023", "bilateral-2023", "cons-2021"]
    # call-2020 spells him Tokaev: one person, so the word finds both
    assert ids(store, "tokáyev") == ["call-2020", "summit-2019"]
    assert ids(store, '"tokáyev"') == ["summit-2019"]  # a phrase is the text's own words only
    assert ids(store, "afghanistan -kind:call") == ["cons-2023", "summit-2019"]


def test_phrases_match_words_in_sequence(store: EventStore) -> None:
    assert ids(store, '"separate meeting"') == ["bilateral-2023"]
    assert ids(store, '"meeting separate"') == []


def test_negation_excludes(store: EventStore) -> None:
    assert ids(store, "-afghanistan") == ["bilateral-2023", "signing-2022", "cons-2021"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('participant:"Vepa Hadjiev"', ["cons-2023", "bilateral-2023", "cons-2021"]),
        ("p:hajiyev", ["cons-2023", "bilateral-2023", "cons-2021"]),
        ("participant:токаев", ["call-2020", "summit-2019"]),
        ("country:kz", ["call-2020", "summit-2019"]),
        ("c:TM kind:consultation", ["cons-2023", "cons-2021"]),
        ("topic:regional-security", ["cons-2023", "cons-2021"]),
        ("#security", ["cons-2023", "cons-2021"]),
        ("t:afghan", ["cons-2023", "call-2020", "summit-2019"]),
        ('org:"central asia"', ["cons-2023", "summit-2019"]),
        ("place:ashgabat", ["cons-2023", "bilateral-2023"]),
        ("source:nca", ["cons-2023", "bilateral-2023"]),
        ("from:2022 to:2022", ["signing-2022"]),
        ("from:2021-11 to:2022-06", ["signing-2022", "cons-2021"]),
        ("to:2019", ["summit-2019"]),
    ],
)
def test_field_filters(store: EventStore, text: str, expected: list[str]) -> None:
    assert ids(store, text) == expected


@pytest.mark.parametrize(
    "text", ['"unterminated', "from:2023-02-30", "kind:party", "foo:bar", "participant:"]
)
def test_a_malformed_filter_raises_a_filter_error(store: EventStore, text: str) -> None:
    with pytest.raises(FilterError):
        store.query(text)


def test_participants_merge_spelling_variants_and_aliases(store: EventStore) -> None:
    people = {person.name: person for person in store.participants()}
    assert people["Vepa Hadjiev"].events == 3
    assert "Vepa Hajiyev" in people["Vepa Hadjiev"].aliases
    tokayev = [p for p in people.values() if "Kassym-Jomart Tokayev" in (p.name, *p.aliases)]
    assert len(tokayev) == 1 and tokayev[0].events == 2
    assert "Касым-Жомарт Токаев" in (tokayev[0].name, *tokayev[0].aliases)


def test_aggregates_follow_the_filter(store: EventStore) -> None:
    result = store.query("country:kz")
    assert [p.name for p in store.participants(result)][:1] in (
        ["Kassym-Jomart Tokayev"],
        ["Kassym-Jomart Tokaev"],
    )
    assert store.topics(result) == [("afghanistan", 2), ("trade", 1)]
    assert store.organizations(result) == [("Central Asia + Russia", 1)]
    assert dict(store.topics())["regional-security"] == 2


def test_cross_references_rank_explicit_links_first_with_reasons(store: EventStore) -> None:
    related = store.related("cons-2023")
    by_id = {relation.id: relation for relation in related}
    assert related[0].id == "bilateral-2023"
    assert "explicit link (sub-event)" in related[0].reasons
    assert any(
        reason.startswith("same day and place (Ashgabat, 2023-05-04)") for reason in related[0].reasons
    )
    assert any("another round of RU–TM consultations" in r for r in by_id["cons-2021"].reasons)
    assert any(r.startswith("shared participant: ") for r in by_id["cons-2021"].reasons)
    assert any(
        "both refer to Declaration on Deepening Strategic Partnership" in r
        for r in by_id["signing-2022"].reasons
    )
    assert any(
        r.startswith("shared organizations (Central Asia + Russia) on afghanistan")
        for r in by_id["summit-2019"].reasons
    )
    back = store.related("bilateral-2023")
    assert back[0].id == "cons-2023" and "explicit link from it (sub-event)" in back[0].reasons


def test_same_series_is_a_reason(store: EventStore, write_event: WriteEvent) -> None:
    write_event(
        "2024/next.json",
        {**EVENTS["2023/consultations.json"], "id": "cons-2024", "date": "2024-06-01", "related": []},
    )
    store.upsert("2024/next.json")
    assert (
        "same series: TM-RU security consultations"
        in {r.id: r for r in store.related("cons-2023")}["cons-2024"].reasons
    )


def test_related_of_an_unknown_id_raises_key_error(store: EventStore) -> None:
    with pytest.raises(KeyError):
        store.related("nope")


def test_prefix_queries_see_events_added_and_removed_after_the_prefix_index_was_built(
    store: EventStore, write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.index.word_postings import WordPostings

    store.index.prepare()  # freezes the postings loaded so far into the block
    assert ids(store, "galu") == ["cons-2023", "bilateral-2023", "cons-2021"]  # builds the prefix index
    write_event("2024/new.json", {"id": "new", "title": "Galubtsov visits Galuzin", "date": "2024-01-01"})
    store.upsert("2024/new.json")
    assert ids(store, "galub") == ["new"]
    assert ids(store, "galu") == ["new", "cons-2023", "bilateral-2023", "cons-2021"]
    write_event("2024/new.json", {"id": "new", "title": "Renamed", "date": "2024-01-01"})
    store.upsert("2024/new.json")
    assert ids(store, "galub") == []
    monkeypatch.setattr(WordPostings, "MOST_RECENT_WORDS", 0)
    assert ids(store, "galu") == ["cons-2023", "bilateral-2023", "cons-2021"]  # after a freeze
    assert not store.index.words.recent


def test_meetings_of_the_same_format_are_related_without_a_shared_topic(
    store: EventStore, write_event: WriteEvent
) -> None:
    write_event(
        "2015/c5.json",
        {"id": "c5-2015", "title": "C5+1 ministerial", "date": "2015-11-01", "organizations": ["C5+1"]},
    )
    write_event(
        "2023/c5.json",
        {"id": "c5-2023", "title": "C5+1 summit", "date": "2023-09-19", "organizations": ["C5+1"]},
    )
    store.reconcile()
    assert any(
        r.startswith("same format: C5+1")
        for r in {r.id: r for r in store.related("c5-2023")}["c5-2015"].reasons
    )


@pytest.mark.parametrize("text", ["", "c:TM", "afghanistan", "-kind:call"])
def test_aggregates_count_alike_for_small_and_large_answers(
    store: EventStore, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    from store.index import aggregates

    result = store.query(text)
    small = (store.participants(result), store.topics(result), store.organizations(result))
    monkeypatch.setattr(aggregates, "SMALL_ANSWER", 0)  # the per-key path for large answers
    assert (store.participants(result), store.topics(result), store.organizations(result)) == small


@pytest.fixture
def phrase_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the events whose text a phrase is looked for in, as it happens."""
    from store.index.event_words import Phrase

    checked: list[str] = []
    original = Phrase.found_in_event

    def spy(phrase, event):  # type: ignore[no-untyped-def]
        checked.append(event.id)
        return original(phrase, event)

    monkeypatch.setattr(Phrase, "found_in_event", spy)
    return checked


def test_a_phrase_is_checked_only_in_the_events_the_other_terms_leave(
    store: EventStore, phrase_checks: list[str]
) -> None:
    phrase, narrowed_text = '"regional security"', '"regional security" from:2022'
    everywhere, narrowed = ids(store, phrase), ids(store, narrowed_text)
    recent = set(ids(store, "from:2022"))
    assert set(everywhere) - recent and narrowed  # the narrowing matters, and leaves something
    checked = phrase_checks
    checked.clear()
    store.index._phrases.clear()  # forget the verdicts found above, so that these filters must check
    assert ids(store, narrowed_text) == narrowed == [i for i in everywhere if i in recent]
    assert checked and set(checked) <= recent
    checked.clear()
    assert ids(store, '"regional security" -from:2022') == [i for i in everywhere if i not in recent]
    assert not set(checked) & recent


def test_a_phrase_checks_each_event_once_across_filters_and_changes(
    store: EventStore, phrase_checks: list[str], write_event: WriteEvent
) -> None:
    checked = phrase_checks
    everywhere = ids(store, '"regional security"')
    assert checked and everywhere
    checked.clear()
    assert ids(store, '"regional security" from:2022') == [
        i for i in everywhere if i in ids(store, "from:2022")
    ]
    assert ids(store, '"regional security"') == everywhere
    assert not checked  # the verdicts of the first filter answered both
    path = write_event(
        "new/late.json", event(id="late", title="Talks on regional security", date="2030-01-01")
    )
    store.upsert(path)
    assert ids(store, '"regional security"') == ["late", *everywhere]
    assert checked == ["late"]  # only the new event was read
    checked.clear()
    store.upsert(
        write_event("new/late.json", event(id="late", title="Talks on regional trade", date="2030-01-01"))
    )
    assert ids(store, '"regional security"') == everywhere  # a changed event is a new document: checked again


def test_phrases_are_looked_for_without_holding_the_lock(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watcher and the panes need the lock while a phrase of common words reads thousands of texts."""
    from store.index.event_words import Phrase

    held: list[bool] = []
    original = Phrase.found_in_event

    def spy(phrase, event):  # type: ignore[no-untyped-def]
        held.append(store.lock._is_owned())  # type: ignore[attr-defined]
        return original(phrase, event)

    monkeypatch.setattr(Phrase, "found_in_event", spy)
    pending = store.unchecked_phrase_texts('"regional security"')
    assert pending > 0 and store.unchecked_phrase_texts('"unterminated') == 0
    answer = ids(store, '"regional security"')
    assert answer and len(held) == pending and not any(held)
    assert store.unchecked_phrase_texts('"regional security"') == 0
    assert store.unchecked_phrase_texts('"regional security" hadj') == 0
