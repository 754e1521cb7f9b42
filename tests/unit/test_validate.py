"""Each field of the event format, each normalisation, each one-line error."""

from __future__ import annotations

import pytest

from store.model.event import KINDS
from store.model.validate import InvalidEvent, validate_event
from tests.conftest import event


def valid(**fields: object):  # type: ignore[no-untyped-def]
    return validate_event(event(**fields), fallback_id="f.json")


def invalid(raw: object) -> str:
    with pytest.raises(InvalidEvent) as caught:
        validate_event(raw, fallback_id="f.json")
    return str(caught.value)


def test_the_minimal_event_gets_defaults_and_a_path_derived_id() -> None:
    result = validate_event({"title": " Talks ", "date": "2023"}, fallback_id="2023/talks.json")
    assert (result.id, result.title, result.date, result.sort_date, result.kind) == (
        "2023/talks.json",
        "Talks",
        "2023",
        "2023-01-01",
        "other",
    )


def test_every_field_is_read_and_normalised() -> None:
    result = valid(
        id="x1",
        kind="Consultation",
        end_date="2023-05-05",
        location={"city": " Ashgabat ", "country": "tm"},
        countries=["tm", "RU", "TM"],
        participants=[
            {
                "name": " Vepa Hadjiev ",
                "role": "Acting Minister",
                "country": "tm",
                "delegation_head": True,
                "aliases": ["Vepa Hajiyev"],
            },
            "Mikhail Galuzin",
        ],
        topics=["Regional Security", "regional-security", "Información"],
        agenda=["exchange of assessments", ""],
        organizations=["UN", "CIS", "UN"],
        documents=[{"title": "Declaration", "date": "2022-06", "id": "d1"}, "Memorandum"],
        related=["y", {"id": "z", "relation": "sub-event"}],
        series="TM-RU consultations",
        source={"name": "nCa", "url": "https://example.org", "published": "2023-05-05T10:00:00Z"},
        summary="Sum\nmary",
        text="Full text",
        photo_credit="MFA",
    )
    assert result.kind == "consultation"
    assert (result.city, result.country, result.place) == ("Ashgabat", "TM", "Ashgabat, TM")
    assert result.countries == ("TM", "RU")
    hadjiev, galuzin = result.participants
    assert (hadjiev.name, hadjiev.country, hadjiev.delegation_head, hadjiev.aliases) == (
        "Vepa Hadjiev",
        "TM",
        True,
        ("Vepa Hajiyev",),
    )
    assert galuzin.name == "Mikhail Galuzin" and galuzin.role == ""
    assert result.topics == ("regional-security", "informacion")
    assert result.agenda == ("exchange of assessments",)
    assert result.organizations == ("UN", "CIS")
    assert [(d.title, d.date, d.id) for d in result.documents] == [
        ("Declaration", "2022-06", "d1"),
        ("Memorandum", "", ""),
    ]
    assert [(link.id, link.relation) for link in result.related] == [("y", ""), ("z", "sub-event")]
    assert result.source_published == "2023-05-05"
    assert result.summary == "Sum\nmary"
    assert result.extra == {"photo_credit": "MFA"}
    assert result.as_json()["photo_credit"] == "MFA"


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_accepted(kind: str) -> None:
    assert valid(kind=kind).kind == kind


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("a string", "expected an event object, got string"),
        ([1], "expected an event object, got array"),
        ({"date": "2023"}, "title: required"),
        ({"title": "x"}, "date: required"),
        ({"title": 5, "date": "2023"}, "title: expected a string, got number"),
        ({"title": "x", "date": "2023-02-30"}, "date: '2023-02-30' is not a real date"),
        ({"title": "x", "date": 2023}, "date: expected a string, got number"),
        ({"title": "x", "date": "2023", "kind": "party"}, "kind: 'party' is not one of"),
        (
            {"title": "x", "date": "2023", "countries": ["XX"]},
            "countries[0]: 'XX' is not an ISO 3166-1 alpha-2",
        ),
        (
            {"title": "x", "date": "2023", "participants": "Galuzin"},
            "participants: expected an array, got string",
        ),
        ({"title": "x", "date": "2023", "participants": [{"role": "x"}]}, "participants[0].name: required"),
        (
            {"title": "x", "date": "2023", "participants": [{"name": "a", "delegation_head": "yes"}]},
            "delegation_head: expected true or false",
        ),
        (
            {"title": "x", "date": "2023-05", "end_date": "2023-04"},
            "end_date: 2023-04 is before date 2023-05",
        ),
        ({"title": "x", "date": "2023", "location": "Ashgabat"}, "location: expected an object, got string"),
        ({"title": "x", "date": "2023", "related": [{"relation": "x"}]}, "related[0].id: required"),
        (
            {"title": "x", "date": "2023", "source": {"published": "yesterday"}},
            "source.published: 'yesterday' is not a date",
        ),
        ({"title": "x", "date": "2023", "summary": ["a"]}, "summary: expected a string, got array"),
    ],
)
def test_invalid_events_get_one_line_naming_the_field(raw: object, message: str) -> None:
    text = invalid(raw)
    assert message in text
    assert "\n" not in text


def test_control_characters_are_stripped_from_every_text_field_and_unknown_fields() -> None:
    hostile = "A\x1b[2J\x07B\u202e"
    result = valid(
        title=hostile,
        summary=hostile,
        participants=[{"name": hostile, "role": hostile}],
        organizations=[hostile],
        extra_field={"nested": [hostile]},
    )
    texts = [
        result.title,
        result.summary,
        result.participants[0].name,
        result.participants[0].role,
        result.organizations[0],
    ]
    texts.append(result.extra["extra_field"]["nested"][0])
    for text in texts:
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert text.startswith("A") and "B" in text
