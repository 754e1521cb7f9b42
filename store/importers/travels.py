"""Trips of the US Secretary of State (history.state.gov "travels" records) as visit events.

One `<trip>` is one event `state-travels-<id>`: the traveller as the US participant, everyone the remarks
name behind a title as a participant of the host country (or of the country the remarks give: "Russian
Foreign Minister Lavrov"; or of the US for whoever the traveller "accompanied"), the bodies and formats the
remarks name as organisations, the remarks as summary. Nothing here is specific to one traveller's file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from store.countries import UNITED_STATES
from store.importers.people import people_named_in
from store.importers.records import (
    RecordProblem,
    country_of,
    date_range,
    field_text,
    record_id,
    required_text,
)
from store.importers.visit_events import visit_event

TRAVELLER_ROLES = {"secretary": "Secretary of State", "president": "President"}
"""The `<role>` codes of the collection (its travel-role-codes table) and the title each stands for."""

SOURCE_NAME = "Office of the Historian, U.S. Department of State: Travels"
_SOURCE_URL = "https://history.state.gov/departmenthistory/travels"
_TRAVELLING_WITH = re.compile(r"\b(?:accompanied|accompanying|joined)(?:\s+by)?\s*$", re.IGNORECASE)


def trip_to_event(trip: ElementTree.Element) -> dict[str, object]:
    """The event of one `<trip>` record; raises RecordProblem when it cannot make a valid one."""
    identifier = record_id(trip)
    role_code = field_text(trip, "role") or trip.get("role", "")
    role = TRAVELLER_ROLES.get(role_code)
    if role is None:
        raise RecordProblem(f"unknown traveller role {role_code!r}")
    traveller = required_text(trip, "name")
    dates = date_range(trip)
    host, host_name = country_of(trip, "country")
    locale = field_text(trip, "locale")
    remarks = field_text(trip, "remarks")

    participants: list[dict[str, object]] = [{"name": traveller, "role": role, "country": UNITED_STATES}]
    for person in people_named_in(remarks):
        if person.name in traveller:
            continue
        travelling_with = _TRAVELLING_WITH.search(person.context_before)
        participants.append(person.as_participant(UNITED_STATES if travelling_with else host))

    place = f"{locale}, {host_name}" if locale else host_name
    who = trip.get("who")
    url = f"{_SOURCE_URL}/{role_code}/{who}" if who and re.fullmatch(r"[a-z0-9-]+", who) else _SOURCE_URL
    return visit_event(
        identifier=f"state-travels-{identifier}",
        title=f"{role} {traveller} visits {place}",
        dates=dates,
        location={"city": locale, "country": host} if locale else {"country": host},
        countries=[host, UNITED_STATES],
        participants=participants,
        text=remarks,
        source={"name": SOURCE_NAME, "url": url},
    )
