"""The shortcuts of `store.model.validate` and `store.model.dates` change nothing a caller can see.

The validator builds an error's location only on the way out of a failure, memoises codes, tags, labels and
dates, skips the sanitiser for printable text and builds its dataclasses by position; each test here pins one
of those against the plain definition.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.memo import Memo
from store.model import dates, validate
from store.model.event import Document, Event, Link, Participant
from store.model.sanitize import sanitize_line, sanitize_text
from store.model.validate import InvalidEvent, validate_event
from tests.conftest import event


def _message(raw: Any) -> str:
    with pytest.raises(InvalidEvent) as caught:
        validate_event(raw, fallback_id="f.json")
    return str(caught.value)


_GOOD_PARTICIPANT = {"name": "Vepa Hadjiev", "role": "Minister", "country": "TM", "aliases": ["V. Hadjiev"]}

_BROKEN_PARTICIPANTS: list[tuple[Any, str]] = [
    (5, ": expected an object, got number"),
    ({"name": 5}, ".name: expected a string, got number"),
    ({"name": " "}, ".name: required"),
    ({"name": "a", "role": []}, ".role: expected a string, got array"),
    ({"name": "a", "country": "XX"}, ".country: 'XX' is not an ISO 3166-1 alpha-2 country code"),
    ({"name": "a", "delegation_head": "yes"}, ".delegation_head: expected true or false, got string"),
    ({"name": "a", "aliases": "b"}, ".aliases: expected an array, got string"),
    ({"name": "a", "aliases": {"b": 1}, "role": 5}, ".aliases: expected an array, got object"),
]


@settings(max_examples=200)
@given(
    before=st.integers(0, 4),
    after=st.integers(0, 3),
    broken=st.sampled_from(_BROKEN_PARTICIPANTS),
)
def test_a_broken_participant_is_located_by_its_index_and_field(
    before: int, after: int, broken: tuple[Any, str]
) -> None:
    item, suffix = broken
    participants = [_GOOD_PARTICIPANT] * before + [item] + ["Plain Name", item] * after
    assert _message(event(participants=participants)) == f"participants[{before}]{suffix}"


@settings(max_examples=100)
@given(participant=st.integers(0, 3), alias=st.integers(0, 3), bad=st.sampled_from([3, None, [], {}]))
def test_a_broken_alias_is_located_by_both_indexes(participant: int, alias: int, bad: Any) -> None:
    aliases: list[Any] = ["x"] * alias + [bad, 7]
    participants = [_GOOD_PARTICIPANT] * participant + [{"name": "a", "aliases": aliases}]
    assert _message(event(participants=participants)).startswith(
        f"participants[{participant}].aliases[{alias}]: expected a string, got "
    )


@settings(max_examples=100)
@given(index=st.integers(0, 5))
def test_items_of_every_array_are_located_by_index(index: int) -> None:
    assert _message(event(countries=["TM"] * index + ["XX"])) == (
        f"countries[{index}]: 'XX' is not an ISO 3166-1 alpha-2 country code"
    )
    assert (
        _message(event(topics=["Trade"] * index + [5])) == f"topics[{index}]: expected a string, got number"
    )
    assert _message(event(agenda=["a"] * index + [None])) == f"agenda[{index}]: expected a string, got null"
    assert _message(event(documents=["Memo"] * index + [{"title": "t", "date": "2023-02-30"}])) == (
        f"documents[{index}].date: '2023-02-30' is not a real date (YYYY, YYYY-MM or YYYY-MM-DD)"
    )
    assert (
        _message(event(related=["x"] * index + [{"relation": "parent"}])) == f"related[{index}].id: required"
    )


def test_fields_are_checked_in_the_documented_order() -> None:
    """With several broken fields, the first in the format's order is reported, as before the shortcuts."""
    raw = event(participants=[{"name": "a", "aliases": [1], "role": 2}], countries=["XX"], topics=[3])
    assert _message(raw) == "countries[0]: 'XX' is not an ISO 3166-1 alpha-2 country code"
    raw["countries"] = ["TM"]
    assert _message(raw) == "participants[0].aliases[0]: expected a string, got number"


def test_memoised_values_are_the_same_after_a_memo_starts_over(monkeypatch: pytest.MonkeyPatch) -> None:
    for module, memo in (
        (validate, "_CODES"),
        (validate, "_SLUGS"),
        (validate, "_LABELS"),
        (dates, "_FIRST_DAYS"),
    ):
        monkeypatch.setattr(module, memo, Memo(2))
    raw = event(
        date="2022-06",
        end_date="2022-07-01",
        countries=["tm", " ru ", "TM", "kz"],
        topics=["Regional Security", "regional_security", "Información", "Trade"],
        participants=[{"name": " A ", "role": "Minister", "country": "tm"}, "B", "C"],
        location={"city": " Ashgabat ", "country": "tm"},
    )
    results = [validate_event(raw, fallback_id="f.json") for _ in range(3)]
    assert results[0] == results[1] == results[2]
    first = results[0]
    assert first.countries == ("TM", "RU", "KZ")
    assert first.topics == ("regional-security", "informacion", "trade")
    assert (first.participants[0].name, first.city, first.sort_date) == ("A", "Ashgabat", "2022-06-01")
    assert len(validate._CODES) <= 2 and len(dates._FIRST_DAYS) <= 2


def test_invalid_dates_are_never_remembered() -> None:
    for _ in range(2):
        assert not dates.is_date("2023-02-30")
        with pytest.raises(dates.BadDate):
            dates.first_day("2023-02-30")
    assert "2023-02-30" not in dates._FIRST_DAYS
    assert dates.is_date("2024-02-29") and dates.first_day("2024-02-29") == "2024-02-29"


_TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\t\n\x1b\u202e\u2028\xa0 "))


@settings(max_examples=500)
@given(_TEXT)
def test_the_printable_shortcut_cleans_as_the_sanitiser_does(text: str) -> None:
    assert validate._clean(text) == sanitize_line(text)
    assert validate._paragraphs(text, "summary") == sanitize_text(text)


@pytest.mark.parametrize(
    ("cls", "names"),
    [
        (Participant, "name role country organization delegation_head aliases"),
        (Document, "title date id"),
        (Link, "id relation"),
        (
            Event,
            "id title date sort_date path kind end_date city country countries participants topics agenda "
            "organizations documents related series source_name source_url source_published summary text extra",
        ),
    ],
)
def test_the_dataclasses_keep_the_field_order_the_validator_passes_by_position(cls: type, names: str) -> None:
    assert [field.name for field in fields(cls)][: len(names.split())] == names.split()


def test_equal_tuples_and_empty_extras_are_shared_and_stay_correct(monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    monkeypatch.setattr(validate, "_TUPLES", Memo(2))  # the tuple memo also starts over when full
    raws = [event(id=f"e{n}", countries=["TM", "RU"], organizations=["UN", "OSCE"]) for n in range(4)]
    raws.append(event(id="odd", countries=["KZ"], notes={"x": 1}))
    events = [validate_event(raw, fallback_id="f.json") for raw in raws]
    assert events[0].countries is events[1].countries and events[0].countries == ("TM", "RU")
    assert events[0].organizations is events[1].organizations == ("UN", "OSCE")
    assert events[0].extra is validate.NO_EXTRA and events[-1].extra == {"notes": {"x": 1}}
    assert validate.NO_EXTRA == {} and len(validate._TUPLES) <= 2
    # Events read by a load worker arrive as copies; sharing them again changes no value.
    copied = pickle.loads(pickle.dumps(events))
    for copy in copied:
        validate.share_values(copy)
    assert copied == events
    assert copied[0].extra is validate.NO_EXTRA and copied[-1].extra is not validate.NO_EXTRA
