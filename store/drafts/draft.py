"""A draft event from a plain-text press release, and the list of what the draft is unsure of.

`draft_event(text)` reads the release the way an analyst would: the lead paragraph says what happened, when
and where ("On 4 May 2023, … consultations … were held in Ashgabat"); titles introduce people ("headed by
Acting Minister of Foreign Affairs of Turkmenistan Vepa Hadjiev"); the sign-off says who published it and
when. The publication date is not the event's date, but it is the day "today", "yesterday" and "on Tuesday"
count from. A field the text does not settle is left out of the event and named in `Draft.unsure`, so
nothing is guessed silently; the draft is for a person to check before it joins the folder.

The pieces live in `layout` (cutting the text), `dates`, `places`, `source`, `kinds`, `participants`
(people, delegation heads, states taking part), `items` (agenda, documents) and the shared
`store.importers.people` and `.organizations`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.drafts.dates import FoundDate, dates_in, relative_days
from store.drafts.items import agenda_items, documents_in
from store.drafts.kinds import event_kind
from store.drafts.layout import ReleaseLayout, cut_release, sentences
from store.drafts.participants import enumerated, participants_in, publisher_country, sides_named
from store.drafts.places import country_of_city, place_in
from store.drafts.source import source_of
from store.importers.organizations import organizations_named_in
from store.importers.people import tidy_text

_HELD = re.compile(r"^(?:On [^,]{4,40},\s*)?(?:the\s+)?(?P<subject>.+?)\s+(?:was|were)\s+held\b")
_INTRODUCED = re.compile(r"\b(?:[Oo]n|[Ff]rom)\s+(?:the\s+(?:morning|afternoon|evening)\s+of\s+)?$")
_HEADLINE_CITY = re.compile(r",\s*(?P<city>[A-Z][\w .'’-]{1,30})$")
_LONGEST_TITLE = 160


@dataclass
class Draft:
    """The draft event (a dict of the event format) and one note per field it left out or is unsure of."""

    event: dict[str, object]
    unsure: list[str] = field(default_factory=list)


def _event_dates(lead: str, layout: ReleaseLayout, published: str) -> tuple[str, str]:
    """(date, end_date) of the event: a date the lead introduces ("On 4 May"), else a day it counts from the
    release ("yesterday"), else any full date of the lead, the headline's, the dateline's; ('', '') if none."""
    release_day = layout.dateline_date or published
    found = dates_in(lead, reference=published or layout.dateline_date or None)
    introduced = [date for date in found if _INTRODUCED.search(lead[: date.text_start])]
    relative = relative_days(lead, release_day) if release_day else []
    if introduced and not (relative and relative[0].text_start < introduced[0].text_start):
        return introduced[0].start, introduced[0].end
    if relative:
        return relative[0].day, ""
    if found:
        chosen: FoundDate = ([date for date in found if len(date.start) == 10] or found)[0]
        return chosen.start, chosen.end
    in_headline = dates_in(layout.headline, reference=published or None)
    if in_headline:
        return in_headline[0].start, in_headline[0].end
    if layout.dateline_date:
        return layout.dateline_date, ""  # a dateline's day is the day of what the lead reports
    return "", ""


def _location(first_sentence: str, layout: ReleaseLayout, unsure: list[str]) -> dict[str, str]:
    """Where the lead sentence (else the headline, else the dateline) places the event; {} and a note when
    none does."""
    place, unknown_city = place_in(first_sentence)
    if place is None and layout.headline:
        place, unknown_city = place_in(layout.headline)
        ending = _HEADLINE_CITY.search(layout.headline)
        if place is None and ending and country_of_city(ending["city"]):  # "…, 27 February 2024, Ankara"
            place, unknown_city = place_in(f"in {ending['city']}")
    if place is None and layout.dateline_city:
        place, _ = place_in(f"in {layout.dateline_city}")
    if place:
        return {"city": place.city, "country": place.country}
    if unknown_city:
        unsure.append(f"location: {unknown_city!r} is not a city I know; add it with its country")
    else:
        unsure.append("location: the release does not say where the event took place")
    return {}


def _shared_part(date: str, end_date: str) -> str:
    """The date every day of the event shares: the day, or for "6-7 May 2024" the month ("2024-05")."""
    if not end_date or end_date == date:
        return date
    return date[:7] if date[:7] == end_date[:7] else date[:4] if date[:4] == end_date[:4] else ""


def _countries(
    sides: list[str],
    listed: list[str],
    participants: list[dict[str, object]],
    kind: str,
    location: dict[str, str],
) -> list[str]:
    """The states taking part: the sides named, those listed, the participants', and a visit's host."""
    codes = [*sides, *listed, *(str(p["country"]) for p in participants if "country" in p)]
    if kind == "visit" and "country" in location:
        codes.append(location["country"])
    return list(dict.fromkeys(codes))


def _title(layout: ReleaseLayout, first_sentence: str) -> str:
    if layout.headline:
        return layout.headline
    held = _HELD.match(first_sentence)
    if held:
        subject = held["subject"]
        return subject[:1].upper() + subject[1:]
    title = first_sentence.rstrip(".")
    for date in reversed(dates_in(title)):
        before = title[: date.text_start]
        cut = re.search(r"\s*\b(?:[Oo]n|[Ii]n|[Ff]rom)\s*$", before)
        title = (before[: cut.start()] if cut else before).rstrip(" ,") + title[date.text_end :]
    title = title.lstrip(" ,")
    if len(title) > _LONGEST_TITLE:
        title = title[: title.rfind(" ", 0, _LONGEST_TITLE)].rstrip(" ,") + "…"
    return title[:1].upper() + title[1:]


def _event_id(countries: list[str], date: str, kind_word: str, title: str) -> str:
    if date:
        parts = [code.lower() for code in countries[:4]] + [date, kind_word or "event"]
        return "-".join(parts)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    return f"draft-{slug or 'untitled'}"


def draft_event(text: str) -> Draft:
    """The draft event of press release `text`, with the fields it left out or is unsure of."""
    layout = cut_release(text)
    if not layout.paragraphs:
        return Draft({}, ["everything: the release has no text"])
    lead = tidy_text(layout.lead_text)
    first_sentence = (sentences(lead) or [lead])[0]
    body = tidy_text(" ".join([lead, *layout.paragraphs[1:]]))
    source, source_notes = source_of(layout, text)
    unsure: list[str] = []

    date, end_date = _event_dates(lead, layout, source.get("published", ""))
    if not date:
        unsure.append("date: the release does not say when the event took place")
    kind, kind_word = event_kind(first_sentence, layout.headline)
    if not kind:
        unsure.append("kind: no word in the lead says what kind of event it was")
    location = {} if kind == "call" else _location(first_sentence, layout, unsure)
    participants = list(
        participants_in(body, len(lead), publisher_country(source.get("name", "")), location.get("country"))
    )
    for number, participant in enumerate(participants):
        if "country" not in participant and "organization" not in participant:
            unsure.append(f"participants[{number}].country: not stated for {participant['name']}")
    sides = sides_named(first_sentence, layout.headline)
    countries = _countries(sides, enumerated(first_sentence).countries, participants, kind, location)
    title = _title(layout, first_sentence)

    fields: dict[str, object] = {
        "id": _event_id(countries, date, kind_word, title),
        "title": title,
        "date": date,
        "end_date": end_date,
        "kind": kind,
        "location": location,
        "countries": countries,
        "participants": participants,
        "agenda": agenda_items(layout.paragraphs),
        "organizations": organizations_named_in(" ".join([layout.headline, body])),
        "documents": documents_in(
            layout.paragraphs, reference=source.get("published"), event_date=_shared_part(date, end_date)
        ),
        "source": source,
        "summary": layout.paragraphs[0],
        "text": "\n\n".join(layout.paragraphs[1:]),
        "photo_credit": layout.photo_credit,
    }
    event = {key: value for key, value in fields.items() if value}
    return Draft(event, unsure + source_notes)
