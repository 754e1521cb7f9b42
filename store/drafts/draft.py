"""A draft event from a plain-text press release, and the list of what the draft is unsure of.

`draft_event(text)` reads the release the way an analyst would: the lead paragraph says what happened, when
and where ("On 4 May 2023, … consultations … were held in Ashgabat"); titles introduce people ("headed by
Acting Minister of Foreign Affairs of Turkmenistan Vepa Hadjiev"); the sign-off says who published it and
when. The publication date is never taken for the event's date. A field the text does not settle is left
out of the event and named in `Draft.unsure`, so nothing is guessed silently; the draft is for a person to
check before it joins the folder.

The pieces live in `draft_layout` (cutting the text), `draft_dates`, `draft_places`, `draft_source`,
`draft_items` (agenda, documents) and the shared `store.importers.people` and `.organizations`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.drafts.dates import FoundDate, dates_in, day_before
from store.drafts.items import agenda_items, documents_in
from store.drafts.layout import ReleaseLayout, cut_release, sentences
from store.drafts.places import place_in
from store.drafts.source import source_of
from store.importers.organizations import organizations_named_in
from store.importers.people import NamedPerson, people_named_in, tidy_text
from store.importers.record_text import is_us_official
from store.model.countries import UNITED_STATES, code_for

_KIND_CUES: tuple[tuple[str, str], ...] = (
    (
        "call",
        r"(?:tele)?phone (?:conversation|call|talks?)|video ?(?:call|conference)|spoke by (?:tele)?phone",
    ),
    ("signing", r"sign(?:ed|ing)"),
    ("consultation", r"consultations?"),
    ("summit", r"summit"),
    ("conference", r"conference"),
    ("visit", r"visit(?:s|ed|ing)?"),
    ("meeting", r"met|meets?|meeting|talks|received|receives"),
)
"""Words that give the kind of event, strongest first: a call "during the visit" is a call."""

_KIND_NOUNS = {"consultations", "consultation", "summit", "conference", "visit", "meeting", "talks"}
_HEAD_CUE = re.compile(
    r"(?:headed|led|chaired)\s+by\s*$|(?:side|delegation)\s*(?:[–—-]\s*)?(?:was\s+)?by\s*$", re.IGNORECASE
)
_SIDE = re.compile(r"\b(?P<demonym>[A-Z][\w-]+)\s+(?:side|delegation)\b")
_COMPOUND_DEMONYM = re.compile(r"\b(?P<first>[A-Z][a-z]+)-(?P<second>[A-Z][a-z]+)\b")
_HELD = re.compile(r"^(?:On [^,]{4,40},\s*)?(?:the\s+)?(?P<subject>.+?)\s+(?:was|were)\s+held\b")
_LEADING_DATE = re.compile(r"^(?:On|on|In|in)\s*$")
_TODAY, _YESTERDAY = re.compile(r"\btoday\b", re.IGNORECASE), re.compile(r"\byesterday\b", re.IGNORECASE)
_LONGEST_TITLE = 160


@dataclass
class Draft:
    """The draft event (a dict of the event format) and one note per field it left out or is unsure of."""

    event: dict[str, object]
    unsure: list[str] = field(default_factory=list)


def _event_dates(lead: str, layout: ReleaseLayout, published: str) -> tuple[str, str]:
    """(date, end_date) of the event from the lead paragraph; ('', '') when it does not say."""
    found = dates_in(lead, reference=published or layout.dateline_date or None)
    if found:
        introduced = [
            date for date in found if re.search(r"\b(?:[Oo]n|[Ff]rom)\s+$", lead[: date.text_start])
        ]
        chosen: FoundDate = (introduced or [date for date in found if len(date.start) == 10] or found)[0]
        return chosen.start, chosen.end
    release_day = layout.dateline_date or published
    if release_day and _TODAY.search(lead):
        return release_day, ""
    if release_day and _YESTERDAY.search(lead):
        return day_before(release_day), ""
    if layout.dateline_date:
        return layout.dateline_date, ""  # a dateline's day is the day of what the lead reports
    return "", ""


_MET_DURING = re.compile(r"\b(?:held talks|talks with|met(?: with)?|received)\b", re.IGNORECASE)
_CONTEXT_ONLY = re.compile(
    r"\b(?:(?:on|at) the (?:margins|sidelines) of|during (?:his|her|their|the) [\w-]+ visit|"
    r"(?:paid|pays|paying|on) an? [\w-]+ visit)\b[^.]*?$",
    re.IGNORECASE,
)


def _kind(first_sentence: str, headline: str) -> tuple[str, str]:
    """(kind, the word the text used for it) from the lead sentence, else the headline; ('', '') if neither.

    What happened wins over its setting: talks held during a working visit, or a meeting on the margins of a
    conference, are a meeting.
    """
    met = _MET_DURING.search(first_sentence)
    if met:
        setting = re.search(r"\b(?:visit|conference|summit|forum)\b", first_sentence, re.IGNORECASE)
        if (
            setting
            and _CONTEXT_ONLY.search(first_sentence[: setting.end()])
            and not re.search(
                r"\b(?:consultations?|sign(?:ed|ing)|(?:tele)?phone)\b", first_sentence, re.IGNORECASE
            )
        ):
            return "meeting", "meeting"
    for text in (first_sentence, headline):
        for kind, cue in _KIND_CUES:
            match = re.search(rf"\b(?:{cue})\b", text, re.IGNORECASE)
            if match:
                word = match.group().lower()
                return kind, word if word in _KIND_NOUNS else kind
    return "", ""


def _side_country(body: str, person: NamedPerson) -> str | None:
    """The country of the side or delegation the sentence around `person` speaks of ("the Azerbaijani delegation")."""
    sentence_start = max(body.rfind(". ", 0, person.start), 0)
    sides = list(_SIDE.finditer(body, sentence_start, person.start))
    return code_for(sides[-1]["demonym"]) if sides else None


def _location(first_sentence: str, headline: str, dateline_city: str, unsure: list[str]) -> dict[str, str]:
    """Where the lead sentence (else the headline, else the dateline) places the event; {} and a note when
    none does."""
    place, unknown_city = place_in(first_sentence)
    if place is None and headline:
        place, unknown_city = place_in(headline)
    if place is None and dateline_city:
        place, _ = place_in(f"in {dateline_city}")
    if place:
        return {"city": place.city, "country": place.country}
    if unknown_city:
        unsure.append(f"location: {unknown_city!r} is not a city I know; add it with its country")
    else:
        unsure.append("location: the release does not say where the event took place")
    return {}


_ONLY_MENTIONED = re.compile(
    r"\b(?:greetings|regards|wishes|message|letter|condolences|invitation)\s+(?:from|to|of)\s+(?:the\s+)?$|"
    r"\bon behalf of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
"""Words before a person who is only mentioned, not present: "conveyed greetings from President …"."""
_ENUMERATION = re.compile(
    r"\b(?:the\s+)?(?P<title>foreign ministers|ministers of foreign affairs|heads of state|presidents|"
    r"prime ministers|defen[cs]e ministers|ambassadors)\s+of\s+(?P<list>[^.;:]+)",
    re.IGNORECASE,
)
_ENUMERATED_PERSON = re.compile(
    r"(?:the\s+)?(?P<country>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2})(?=\s+[a-z]|$)"
)
_SINGULAR = {"foreign ministers": "Foreign Minister", "ministers of foreign affairs": "Minister of Foreign Affairs",
             "heads of state": "Head of State", "presidents": "President", "prime ministers": "Prime Minister",
             "defence ministers": "Defence Minister", "defense ministers": "Defense Minister",
             "ambassadors": "Ambassador"}  # fmt: skip


def _enumerated(body: str) -> list[dict[str, object]]:
    """Office-holders listed country by country: "the foreign ministers of Kazakhstan Murat Nurtleu,
    Kyrgyzstan Zheenbek Kulubaev and Uzbekistan Bakhtiyor Saidov" gives three, each with their country."""
    found: list[dict[str, object]] = []
    for listing in _ENUMERATION.finditer(body):
        role = _SINGULAR[" ".join(listing["title"].lower().split())]
        for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", listing["list"].strip()):
            person = _ENUMERATED_PERSON.match(part.strip())
            if person is None:
                continue
            country, name = person["country"], person["name"]
            code = code_for(country)
            if code is None and " " in country:  # "Kyrgyz Republic Zheenbek Kulubaev" is read greedily
                first, rest = country.split(" ", 1)
                code, name = code_for(first), f"{rest} {name}" if code_for(first) else name
            if code:
                found.append({"name": name, "role": role, "country": code})
    return found


def _participants(body: str, unsure: list[str]) -> list[dict[str, object]]:
    participants: list[dict[str, object]] = _enumerated(body)
    listed = {str(participant["name"]) for participant in participants}
    for person in people_named_in(body):
        if person.name in listed or any(name.endswith(person.name) for name in listed):
            continue
        if _ONLY_MENTIONED.search(person.context_before):
            continue
        side = None if person.international else _side_country(body, person)
        if side is None and is_us_official(person.name, person.role, 0):
            side = UNITED_STATES  # "Secretary of State Antony J. Blinken": a title only the US gives
        participant = person.as_participant(side)
        if "country" not in participant and "organization" not in participant:
            unsure.append(f"participants[{len(participants)}].country: not stated for {person.name}")
        if _HEAD_CUE.search(person.context_before):
            participant["delegation_head"] = True
        participants.append(participant)
    return participants


def _countries(lead: str, participants: list[dict[str, object]], location: dict[str, str]) -> list[str]:
    codes: list[str] = []
    for compound in _COMPOUND_DEMONYM.finditer(lead):
        pair = [code_for(compound["first"]), code_for(compound["second"])]
        if all(pair):
            codes.extend(str(code) for code in pair)
    codes += [str(p["country"]) for p in participants if "country" in p]
    codes += [location["country"]] if "country" in location else []
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
    kind, kind_word = _kind(first_sentence, layout.headline)
    if not kind:
        unsure.append("kind: no word in the lead says what kind of event it was")
    location = (
        {} if kind == "call" else _location(first_sentence, layout.headline, layout.dateline_city, unsure)
    )
    participants = _participants(body, unsure)
    countries = _countries(lead, participants, location)
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
        "documents": documents_in(body, reference=source.get("published")),
        "source": source,
        "summary": layout.paragraphs[0],
        "text": "\n\n".join(layout.paragraphs[1:]),
        "photo_credit": layout.photo_credit,
    }
    event = {key: value for key, value in fields.items() if value}
    return Draft(event, unsure + source_notes)
