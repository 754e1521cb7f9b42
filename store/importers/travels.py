"""Trips of the US Secretary of State (history.state.gov "travels" records) as visit events.

One `<trip>` is one event `state-travels-<id>`: the traveller as the US participant, everyone the remarks
name behind a title as a participant of the host country (or of the country the remarks give: "Russian
Foreign Minister Lavrov"; or of the US for whoever the traveller "accompanied"), the bodies and formats the
remarks name as organisations, the remarks as summary. Nothing here is specific to one traveller's file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from store.importers.people import people_named_in
from store.importers.record_text import (
    complete_surnames,
    countries_taking_part,
    is_us_official,
    only_honoured,
    split_locale,
)
from store.importers.records import (
    RecordProblem,
    country_of,
    date_range,
    field_text,
    record_id,
    required_text,
)
from store.importers.visit_events import visit_event
from store.model.countries import UNITED_STATES, code_for

TRAVELLER_ROLES = {"secretary": "Secretary of State", "president": "President"}
"""The `<role>` codes of the collection (its travel-role-codes table) and the title each stands for."""

SOURCE_NAME = "Office of the Historian, U.S. Department of State: Travels"
_SOURCE_URL = "https://history.state.gov/departmenthistory/travels"
_TRAVELLING_WITH = re.compile(
    r"\b(?:accompanied|accompanying|joined|join|joining)(?:\s+by)?\s*$", re.IGNORECASE
)
_COMPOUND_DEMONYMS = re.compile(r"\b(?P<first>[A-Z][a-z]+)-(?P<second>[A-Z][a-z]+)\b")


def _parties_named(remarks: str) -> list[str]:
    """Countries the remarks name as parties: lists, "talks with Egypt", compounds ("Israeli-Palestinian")."""
    named = countries_taking_part(remarks)
    for compound in _COMPOUND_DEMONYMS.finditer(remarks):
        named += [code for code in (code_for(compound["first"]), code_for(compound["second"])) if code]
    return list(dict.fromkeys(named))


def _other_countries_named(remarks: str, host: str) -> bool:
    """True when the remarks name the parties and the host is not one of them ("the Israeli-Palestinian
    conflict" in Paris; "the foreign ministers of Egypt and Jordan" in Geneva): then an unstated
    participant's country is not the host's. A guest whose own country is written ("Russian Foreign Minister
    Lavrov") says nothing about the others."""
    parties = set(_parties_named(remarks)) - {UNITED_STATES}
    return bool(parties) and host not in parties


def trip_to_event(trip: ElementTree.Element, warnings: list[str] | None = None) -> dict[str, object]:
    """The event of one `<trip>` record; raises RecordProblem when it cannot make a valid one.

    Only people met are participants (not whoever's funeral or grave is visited); US officials met abroad
    keep country US; an unstated participant gets the host country only when the remarks name no other
    country; countries the remarks name as taking part join `countries`; a surname-only mention takes the
    full name the record writes; a locale of several cities gives each as a place.
    """
    identifier = record_id(trip)
    role_code = field_text(trip, "role") or trip.get("role", "")
    role = TRAVELLER_ROLES.get(role_code)
    if role is None:
        raise RecordProblem(f"unknown traveller role {role_code!r}")
    traveller = required_text(trip, "name")
    dates = date_range(trip)
    host, host_name = country_of(trip, "country", [] if warnings is None else warnings)
    locale = field_text(trip, "locale")
    remarks = field_text(trip, "remarks")
    year = int(dates[0][:4])
    host_fallback = None if _other_countries_named(remarks, host) else (host or None)

    participants: list[dict[str, object]] = [{"name": traveller, "role": role, "country": UNITED_STATES}]
    for person in people_named_in(remarks):
        if person.name in traveller or only_honoured(person.context_before):
            continue
        us = _TRAVELLING_WITH.search(person.context_before) or is_us_official(person.name, person.role, year)
        participants.append(person.as_participant(UNITED_STATES if us else host_fallback))
    complete_surnames(participants, remarks)

    cities = split_locale(locale)
    place = f"{locale}, {host_name}" if locale else host_name
    who = trip.get("who")
    url = f"{_SOURCE_URL}/{role_code}/{who}" if who and re.fullmatch(r"[a-z0-9-]+", who) else _SOURCE_URL
    return visit_event(
        identifier=f"state-travels-{identifier}",
        title=f"{role} {traveller} visits {place}",
        dates=dates,
        location={
            key: value for key, value in (("city", cities[0] if cities else ""), ("country", host)) if value
        },
        countries=[host, UNITED_STATES, *_parties_named(remarks)],
        participants=participants,
        text=remarks,
        source={"name": SOURCE_NAME, "url": url},
        places=[{"city": city, "country": host} if host else {"city": city} for city in cities]
        if len(cities) > 1
        else [],
    )
