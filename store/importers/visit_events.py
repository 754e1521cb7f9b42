"""The event dict of one visit record, assembled the same way for travels and visits.

Both collections record a visit: who went where, when, what the record says about it. This module owns the
shape of the resulting event (field order, optional fields left out rather than empty, countries gathered
from the location and the participants, organisations spotted in the record's text), so both importers write
files that look alike.
"""

from __future__ import annotations

from store.importers.organizations import organizations_named_in
from store.importers.records import unique


def visit_event(
    *,
    identifier: str,
    title: str,
    dates: tuple[str, str],
    location: dict[str, str],
    countries: list[str],
    participants: list[dict[str, object]],
    text: str,
    source: dict[str, str],
    places: list[dict[str, str]] | None = None,
) -> dict[str, object]:
    """An event of kind `visit`; `text` (the record's remarks) becomes the summary and yields organisations."""
    start, end = dates
    event: dict[str, object] = {"id": identifier, "title": title, "date": start}
    if end != start:
        event["end_date"] = end
    event["kind"] = "visit"
    if location:
        event["location"] = location
    if places:
        event["places"] = places  # every city of a multi-city record; `location` holds the first
    participant_countries = [str(p["country"]) for p in participants if "country" in p]
    event["countries"] = unique(countries + participant_countries)
    event["participants"] = participants
    organizations = organizations_named_in(text)
    if organizations:
        event["organizations"] = organizations
    if text:
        event["summary"] = text
    event["source"] = source
    return event
