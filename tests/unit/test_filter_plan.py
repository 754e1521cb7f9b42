"""The filter's plan and its two answers: from the index (masks) and for one event (the field table's
test). For random corpora and random filters (words, phrases, every field, `OR`, parentheses and
exclusions) the index answers exactly what the plain one-event definition says, and alert rules fire for
exactly the changed events the dashboard's query lists."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.alerts import AlertBook, AlertRule
from store.event_store import EventStore
from store.index.search_index import SearchIndex
from store.model.validate import validate_event
from store.query.filter_eval import (
    OneEvent,
    matches_event,
    matching_docnos,
    plan_filter,
)
from store.query.filter_fields import FILTER_FIELDS, field_completion
from store.query.filter_syntax import FilterError, Group, Term, parse_filter

NAMES = ["Vepa Hadjiev", "Vepa Hajiyev", "Mikhail Galuzin", "Kassym-Jomart Tokayev", "Kassym-Jomart Tokaev"]
WORDS = ["galuzin", "hadjiev", "talks", "regional", "security", "water", "separate", "meeting", "Ashgabat"]
CITIES = ["Ashgabat", "Tashkent", "Moscow"]
COUNTRIES = ["TM", "RU", "KZ", "UZ"]
TOPICS = ["regional-security", "water", "trade"]
ORGS = ["UN", "Central Asia + Russia", "CIS"]
SOURCES = ["nCa", "MFA Russia"]
KINDS = ["consultation", "meeting", "call"]
DATES = ["2021", "2022-06", "2023-05-04", "2023-05-05"]
SERIES = ["", "TM-RU consultations", "C5+1 ministerial"]
DOCUMENTS = ["Declaration on Deepening Strategic Partnership", "Treaty of Friendship", "Water Accord"]

_PARTICIPANT = st.fixed_dictionaries(
    {"name": st.sampled_from(NAMES), "country": st.sampled_from(["TM", "RU", "KZ", ""])},
    optional={"aliases": st.lists(st.sampled_from(NAMES), max_size=1)},
)
_EVENT = st.fixed_dictionaries(
    {
        "title": st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join),
        "date": st.sampled_from(DATES),
        "kind": st.sampled_from(KINDS),
        "location": st.fixed_dictionaries(
            {"city": st.sampled_from(CITIES), "country": st.sampled_from(COUNTRIES)}
        ),
        "countries": st.lists(st.sampled_from(COUNTRIES), max_size=2),
        "participants": st.lists(_PARTICIPANT, max_size=3),
        "topics": st.lists(st.sampled_from(TOPICS), max_size=2),
        "organizations": st.lists(st.sampled_from(ORGS), max_size=2),
        "source": st.fixed_dictionaries({"name": st.sampled_from(SOURCES)}),
        "series": st.sampled_from(SERIES),
        "documents": st.lists(st.sampled_from(DOCUMENTS).map(lambda title: {"title": title}), max_size=2),
    }
)
CORPORA = st.lists(_EVENT, min_size=1, max_size=12)


def _prefix(word: str) -> st.SearchStrategy[str]:
    return st.integers(1, len(word)).map(lambda length: word[:length])


_NAME_WORDS = sorted({part for name in NAMES for part in name.replace("-", " ").split()})
_VALUE = {
    "participant": st.sampled_from(_NAME_WORDS).flatmap(_prefix),
    "country": st.sampled_from(COUNTRIES),
    "topic": st.sampled_from(["security", "regional", "water", "trade", "reg"]),
    "kind": st.sampled_from(KINDS),
    "org": st.sampled_from(["un", '"central asia"', "cis", "russia"]),
    "place": st.sampled_from(["ashgabat", "tash", "TM", "ru"]),
    "source": st.sampled_from(["nca", "mfa"]),
    "series": st.sampled_from(["tm", '"tm-ru consult"', "c5", "ministerial"]),
    "document": st.sampled_from(["treaty", '"strategic partner"', "water", "decl"]),
    "from": st.sampled_from(["2022", "2023-05", "2023-05-05"]),
    "to": st.sampled_from(["2021", "2022-06", "2023-05-04"]),
}
"""A value for each field of the table: adding a field without one here fails `test_every_field_...`."""

_ATOM = st.one_of(
    st.sampled_from(WORDS + _NAME_WORDS).flatmap(_prefix),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(lambda words: f'"{" ".join(words)}"'),
    st.sampled_from(sorted(_VALUE)).flatmap(lambda name: _VALUE[name].map(lambda value: f"{name}:{value}")),
)


def _joined(parts: list[str], use_or: bool) -> str:
    return (" OR " if use_or else " ").join(parts)


_NODE = st.recursive(
    st.tuples(st.booleans(), _ATOM).map(lambda pair: ("-" if pair[0] else "") + pair[1]),
    lambda inner: st.tuples(st.booleans(), st.lists(inner, min_size=1, max_size=3), st.booleans()).map(
        lambda triple: ("-" if triple[0] else "") + "(" + _joined(triple[1], triple[2]) + ")"
    ),
    max_leaves=6,
)
FILTERS = st.tuples(st.lists(_NODE, min_size=1, max_size=3), st.booleans()).map(lambda pair: _joined(*pair))


def index_of(raws: list[dict[str, Any]], removed: int = 0) -> SearchIndex:
    index = SearchIndex()
    for number, raw in enumerate(raws):
        index.add(validate_event(raw, fallback_id=f"e{number}"))
    for number in range(min(removed, len(raws) - 1)):  # dead docnos must never match
        index.remove(f"e{number}")
    return index


def test_every_field_of_the_table_is_generated_here() -> None:
    assert set(_VALUE) == {field.name for field in FILTER_FIELDS}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CORPORA, st.integers(0, 3), st.lists(FILTERS, min_size=1, max_size=4))
def test_the_index_answers_what_the_one_event_test_says(
    raws: list[dict[str, Any]], removed: int, filters: list[str]
) -> None:
    index = index_of(raws, removed)
    for text in filters:
        plan = plan_filter(text)
        found = matching_docnos(index, plan)
        expected = {docno for docno in index.live if matches_event(OneEvent(index, docno), plan)}
        assert (set(index.live) if found is None else found) == expected, text


def test_hadj_finds_the_person_under_every_spelling() -> None:
    index = index_of(
        [
            {"title": "Talks", "date": "2023", "participants": [{"name": "Vepa Hadjiev", "country": "TM"}]},
            {"title": "Talks", "date": "2022", "participants": [{"name": "Vepa Hajiyev", "country": "TM"}]},
            {"title": "Talks", "date": "2021", "participants": [{"name": "Hajiyev Other", "country": "AZ"}]},
            {"title": "Talks on hadjib", "date": "2020"},
        ]
    )
    ids = {docno: index.id_of[docno] for docno in index.live}
    found = matching_docnos(index, plan_filter("hadj"))
    assert found is not None and {ids[docno] for docno in found} == {"e0", "e1", "e3"}
    found = matching_docnos(index, plan_filter('"hadj"'))  # a phrase reads the text alone
    assert found is not None and not found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("galuzin OR hadj", {"e0", "e1", "e2"}),
        ("(c:kz OR c:uz) topic:water", {"e3"}),
        ("-(c:kz OR c:uz)", {"e0", "e1", "e2"}),
        ("(water OR hadj) -c:ru", {"e1", "e3"}),
        ("water OR hadj -c:ru", {"e1", "e3", "e4"}),  # side by side binds tighter than OR
        ("water OR (hadj -c:ru)", {"e1", "e3", "e4"}),
        ("(water hadj) OR galuzin", {"e0", "e2"}),
        ("-(galuzin hadj)", {"e0", "e1", "e3", "e4"}),
    ],
)
def test_or_and_parentheses(text: str, expected: set[str]) -> None:
    index = index_of(
        [
            {"title": "Galuzin in Ashgabat", "date": "2023", "countries": ["RU", "TM"]},
            {
                "title": "Talks",
                "date": "2023",
                "participants": [{"name": "Vepa Hadjiev"}],
                "countries": ["TM"],
            },
            {"title": "Galuzin and Hadjiev", "date": "2022", "countries": ["RU"]},
            {"title": "Water", "date": "2021", "countries": ["KZ"], "topics": ["water"]},
            {"title": "Water", "date": "2021", "countries": ["UZ", "RU"], "topics": ["energy"]},
        ]
    )
    found = matching_docnos(index, plan_filter(text))
    assert found is not None and {index.id_of[docno] for docno in found} == expected


def test_repeated_terms_are_merged_and_said_nothing_left_out() -> None:
    plan = plan_filter(" ".join(["Galuzin galuzin", "c:tm", "country:TM", "+", '""'] * 50))
    assert plan.root is not None
    assert [(term.kind, term.value) for term in plan.root.items if isinstance(term, Term)] == [
        ("field", "TM"),
        ("word", "Galuzin"),
    ]


def test_a_pasted_page_is_an_error_and_a_long_list_of_repeats_is_not() -> None:
    with pytest.raises(FilterError) as raised:
        parse_filter(" ".join(f"word{number}" for number in range(20_000)))
    assert raised.value.message == "filter longer than 2,000 characters"
    with pytest.raises(FilterError, match="more than 100 different terms"):
        parse_filter(" ".join(f"w{number}" for number in range(150)))
    assert len(parse_filter("galuzin " * 240).terms) == 240  # repeats count once against the limit


def test_the_plan_orders_cheap_terms_first_then_groups_exclusions_and_phrases() -> None:
    plan = plan_filter('"regional security" -hadj (a OR b) p:galuzin galu kind:call')
    assert plan.root is not None
    order = [
        item.value if isinstance(item, Term) else f"group of {len(item.items)}" for item in plan.root.items
    ]
    assert order == ["call", "galu", "galuzin", "group of 2", "hadj", "regional security"]
    assert isinstance(plan.root.items[3], Group) and plan.root.items[3].kind == "any"


def test_a_filter_is_parsed_once_however_often_it_is_answered() -> None:
    plan_filter.cache_clear()
    for _ in range(5):
        plan_filter("galuzin OR hadj from:2022")
    assert plan_filter.cache_info().misses == 1


def _write(root: Path, rel: str, raw: dict[str, Any], stamp: int) -> str:
    path = root / rel
    path.write_bytes(orjson.dumps(raw))
    os.utime(path, ns=(stamp, stamp))
    return rel


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CORPORA, CORPORA, st.lists(FILTERS, min_size=1, max_size=4))
def test_alerts_fire_for_what_the_dashboard_lists(
    before: list[dict[str, Any]], after: list[dict[str, Any]], filters: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for number, raw in enumerate(before):
            _write(root, f"{number}.json", raw, 1_700_000_000 * 10**9)
        store = EventStore(root)
        store.load()
        alerts = AlertBook(AlertRule(f"rule {number}", text) for number, text in enumerate(filters))
        assert not alerts.problems
        for number, raw in enumerate(after):  # changes some files, adds others
            rel = _write(root, f"{number}.json", raw, 1_700_000_001 * 10**9)
            changes = store.upsert(rel)
            hits = alerts.check(store, changes)
            fresh = changes.added | changes.changed
            for number_of_rule, text in enumerate(filters):
                listed = set(store.query(text).ids) & fresh
                fired = {hit.event_id for hit in hits if hit.rule.name == f"rule {number_of_rule}"}
                assert fired == listed, text


@pytest.mark.parametrize(
    ("typed", "completed"),
    [
        ("par", "participant:"),
        ("galu (co", "galu (country:"),
        ("x -ki", "x -kind:"),
        ("top", "topic:"),
        ("to", None),  # to: and topic: both
        ("p", None),  # one letter is a word too often
        ("galu", None),
        ("org", None),  # already whole
    ],
)
def test_the_filter_bar_completes_field_names_from_the_table(typed: str, completed: str | None) -> None:
    assert field_completion(typed) == completed


def test_the_help_screen_lists_every_field_of_the_table() -> None:
    from tui.help_screen import help_content

    text = str(help_content())
    for field in FILTER_FIELDS:
        assert f"\n{field.example}" in text and field.meaning in text, field.name
    assert "OR" in text


def test_series_finds_the_rounds_of_one_series() -> None:
    index = index_of(
        [
            {"title": "Round 1", "date": "2021", "series": "TM-RU consultations"},
            {"title": "Round 2", "date": "2023", "series": "TM–RU Consultations"},
            {"title": "Talks on consultations", "date": "2022"},
            {"title": "C5+1", "date": "2023", "series": "C5+1 ministerial"},
        ]
    )
    for text, expected in [
        ('series:"tm-ru consult"', {"e0", "e1"}),
        ("series:c5 OR series:tm", {"e0", "e1", "e3"}),
    ]:
        found = matching_docnos(index, plan_filter(text))
        assert found is not None and {index.id_of[docno] for docno in found} == expected, text
    with pytest.raises(FilterError, match="no letters or digits in series:"):
        parse_filter("series:+")


def test_doc_finds_the_events_that_refer_to_a_document() -> None:
    declaration = {"title": "Declaration on Deepening Strategic Partnership", "date": "2022"}
    index = index_of(
        [
            {"title": "Consultations", "date": "2023", "documents": [declaration]},
            {"title": "Signing", "date": "2022", "documents": [declaration, {"title": "Water Accord"}]},
            {
                "title": "Talks on a strategic partnership",
                "date": "2021",
            },  # words of the text, not a document
        ]
    )
    for text, expected in [
        ('doc:"strategic partner"', {"e0", "e1"}),
        ("document:water OR doc:treaty", {"e1"}),
        ("doc:decl -doc:water", {"e0"}),
    ]:
        found = matching_docnos(index, plan_filter(text))
        assert found is not None and {index.id_of[docno] for docno in found} == expected, text
    with pytest.raises(FilterError, match="no letters or digits in document:"):
        parse_filter("doc:+")


def test_a_plan_asked_twice_is_answered_once_until_the_index_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    from store.query import filter_eval

    index = index_of([{"title": "Galuzin", "date": "2023"}, {"title": "Talks", "date": "2022"}])
    answered: list[object] = []
    real = filter_eval._node_mask

    def counted(*args: Any) -> Any:
        answered.append(args[1])
        return real(*args)

    monkeypatch.setattr(filter_eval, "_node_mask", counted)
    plan = plan_filter("(galuzin OR talks) -from:2023")
    first = matching_docnos(index, plan)
    calls = len(answered)
    assert matching_docnos(index, plan) == first == {1}
    assert len(answered) == calls  # the same plan again: not evaluated again
    index.add(validate_event({"title": "Talks again", "date": "2021"}, fallback_id="new"))
    assert matching_docnos(index, plan) == {1, 2}
    assert len(answered) > calls
