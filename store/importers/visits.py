"""Visits of foreign leaders to the United States (history.state.gov "visits" records) as visit events.

One `<visit>` is one event `state-visits-<id>`, placed where the description puts it ("Attended the U.N.
General Assembly": New York; "Informal visit at Camp David") and in Washington when it names nothing else: the visitor, split into role and name
("Prime Minister Kyriakos Mitsotakis"; two people when the record names two), from the record's country;
the description as summary and the bodies it names as organisations. The description's other people
(usually the US President the visitor met) are not turned into participants: it rarely names them fully.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from store.importers.people import people_named_in
from store.importers.record_text import visit_place
from store.importers.records import (
    country_of,
    date_range,
    field_text,
    record_id,
    required_text,
)
from store.importers.visit_events import visit_event
from store.model.countries import UNITED_STATES

SOURCE_NAME = "Office of the Historian, U.S. Department of State: Visits by Foreign Leaders"
_SOURCE_URL = "https://history.state.gov/departmenthistory/visits"
HOST_CITY = "Washington"
"""Where a visit is placed when its description names no other place of its business (the collection
records visits to the US; most are to Washington)."""


def visit_to_event(visit: ElementTree.Element, warnings: list[str] | None = None) -> dict[str, object]:
    """The event of one `<visit>` record; raises RecordProblem when it cannot make a valid one.

    A `<from>` country no table knows is left unset (with a line in `warnings`) rather than losing the visit.
    """
    identifier = record_id(visit)
    visitor = required_text(visit, "visitor")
    dates = date_range(visit)
    home, home_name = country_of(visit, "from", [] if warnings is None else warnings)
    description = field_text(visit, "description")

    participants = [person.as_participant(home or None) for person in people_named_in(visitor)]
    if not participants:
        participants = [{"name": visitor, "country": home} if home else {"name": visitor}]
    city = visit_place(description) or HOST_CITY
    return visit_event(
        identifier=f"state-visits-{identifier}",
        title=f"{visitor} of {home_name} visits {city}",
        dates=dates,
        location={"city": city, "country": UNITED_STATES},
        countries=[home, UNITED_STATES],
        participants=participants,
        text=description,
        source={"name": SOURCE_NAME, "url": f"{_SOURCE_URL}/{dates[0][:4]}"},
    )
