"""Deterministic synthetic corpora of event files, for benchmarks and scale tests.

`python -m bench.generate OUT --events N --seed S [--per-dir 1000]` writes N valid version-1 event files, one
event per `.json` file, in numbered sub-folders of at most `--per-dir` files. The same (N, seed, per-dir) gives
byte-identical output, so a benchmark names a corpus by its parameters instead of shipping it.

The corpus looks like a collector's folder, not like noise: field sizes follow the ranges real records have
(titles of 40–120 characters, summaries of 200–600, full texts up to 2,000), and the values overlap the way real
ones do: a pool of ~3,000 people (some spelled in two or three transliterations across events, as "Hadjiev" and
"Hajiyev" are), ~120 countries by real ISO code, ~400 topics drawn with a Zipf-like skew (and written in
different spellings that slug to one tag), ~60 organisations, rounds of consultations grouped by `series`
(and some rounds of the same pair without it), related ids pointing at other generated events, and dates from
1990 to 2026. So the indexes, the cross-references and the filter work on realistic cardinalities.

This module owns only the writing of such corpora. It never deletes a file it did not write: re-running over
a corpus made with other parameters removes just the files that corpus's marker says it wrote.

Determinism rests on one `random.Random(seed)` drawn in a fixed order and on never iterating a set (string
hashing is salted per process).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import orjson

from store.model.countries import name_for

GENERATOR_VERSION = 1
"""Part of the marker: bump it whenever the output for given parameters changes, so stale corpora regenerate."""

MARKER = ".generated"
"""The file in OUT recording what was generated; a dot-name, so the format itself ignores it."""

PEOPLE = 3_000
"""People in the pool: enough that participant and name indexes are realistically large."""

TOPICS = 400
"""Distinct topics, drawn with a Zipf-like skew so a few tags are everywhere and most are rare."""

SERIES_POOL = 250
"""Recurring consultation formats (a pair of countries and a subject) that rounds can belong to."""

SUMMARY_CHARS = (200, 600)
"""The range of summary lengths: a paragraph."""

TEXT_CHARS = 2000
"""The longest full text; lengths are uniform from 0 (no `text` field) up to it."""

FIRST_DAY = date(1990, 1, 1).toordinal()
LAST_DAY = date(2026, 12, 31).toordinal()

_CAPITALS = """
AF Kabul; AL Tirana; DZ Algiers; AO Luanda; AR Buenos Aires; AM Yerevan; AU Canberra; AT Vienna; AZ Baku;
BH Manama; BD Dhaka; BY Minsk; BE Brussels; BO La Paz; BA Sarajevo; BR Brasília; BN Bandar Seri Begawan;
BG Sofia; BT Thimphu; KH Phnom Penh; CM Yaoundé; CA Ottawa; CL Santiago; CN Beijing; CO Bogotá; CR San José;
CI Yamoussoukro; HR Zagreb; CU Havana; CY Nicosia; CZ Prague; DK Copenhagen; DO Santo Domingo; EC Quito;
EG Cairo; SV San Salvador; EE Tallinn; ET Addis Ababa; FI Helsinki; FR Paris; GE Tbilisi; DE Berlin; GH Accra;
GR Athens; GT Guatemala City; HN Tegucigalpa; HU Budapest; IS Reykjavík; IN New Delhi; ID Jakarta; IR Tehran;
IQ Baghdad; IE Dublin; IT Rome; JP Tokyo; JO Amman; KZ Astana; KE Nairobi; KW Kuwait City; KG Bishkek;
LA Vientiane; LV Riga; LB Beirut; LY Tripoli; LT Vilnius; LU Luxembourg; MY Kuala Lumpur; MV Malé;
MT Valletta; MX Mexico City; MD Chișinău; MN Ulaanbaatar; ME Podgorica; MA Rabat; MZ Maputo; MM Naypyidaw;
NP Kathmandu; NL Amsterdam; NZ Wellington; NI Managua; NG Abuja; KP Pyongyang; MK Skopje; NO Oslo; OM Muscat;
PK Islamabad; PA Panama City; PY Asunción; PE Lima; PH Manila; PL Warsaw; PT Lisbon; QA Doha; RO Bucharest;
RU Moscow; RW Kigali; SA Riyadh; SN Dakar; RS Belgrade; SG Singapore; SK Bratislava; SI Ljubljana;
SO Mogadishu; ZA Pretoria; KR Seoul; ES Madrid; LK Colombo; SD Khartoum; SE Stockholm; CH Bern; SY Damascus;
TJ Dushanbe; TZ Dodoma; TH Bangkok; TL Dili; TN Tunis; TR Ankara; TM Ashgabat; UG Kampala; UA Kyiv;
AE Abu Dhabi; GB London; US Washington; UY Montevideo; UZ Tashkent; VE Caracas; VN Hanoi; YE Sanaa;
ZM Lusaka; ZW Harare
"""
CAPITALS: dict[str, str] = dict(
    entry.strip().split(" ", 1) for entry in _CAPITALS.replace("\n", " ").split(";") if entry.strip()
)
"""The ~120 countries events are drawn from (real ISO 3166-1 codes) and the city they meet in."""

_NAME_STYLES = {
    "slavic": (
        "RU BY UA",
        "Aleksandr Andrei Dmitry Igor Mikhail Nikolai Oleg Pavel Sergei Vladimir Yuri Olga Irina Maria Natalia"
        " Elena Tatiana Anna Vasily Konstantin",
        "Ivan Petr Volkov Sokol Lebed Orlov Kozlov Morozov Zaitsev Belov Galuz Borodav Zhuk Medved Kovalenk",
        "ov ev in enko sky",
    ),
    "turkic": (
        "KZ KG TJ TM UZ AZ TR MN AM GE",
        "Vepa Rashid Bakhtiyor Nurlan Askar Jeenbek Sirojiddin Murat Serdar Kassym Dauren Aziz Timur Emomali"
        " Gulnara Aigerim Dilnoza Mähri Ayşe Zeynep",
        "Hadji Khodja Yusup Mamed Gurban Abdul Nazar Tokay Rahim Sapar Berdy Kurban Ismail Chary Durdy Atay Öztürk"
        " Yıldırım Shukur Annag",
        "ev iev yev ov bekov ova",
    ),
    "arabic": (
        "DZ BH EG IQ JO KW LB LY MA OM QA SA SD SY TN AE YE AF PK IR BD SO",
        "Mohammed Ahmed Khalid Omar Youssef Hassan Faisal Tariq Karim Samir Nabil Fatima Layla Amina Hoda Rania",
        "Al-Sayed Haddad Mansour Khoury Nasser Saleh Hamdan Rahman Qureshi Hashemi Farouk Abbas Zidane Karimi Aziz",
        "",
    ),
    "east_asian": (
        "CN JP KR KP VN TH LA KH MM SG MY ID PH BN TL",
        "Wei Jun Hiroshi Kenji Min-jun Seo-yeon Thanh Somchai Aung Siti Nur Budi Jose Mei Yuki Haruto",
        "Wang Li Zhang Chen Tanaka Suzuki Kim Park Nguyen Tran Srisuk Win Tan Lim Santos Reyes",
        "",
    ),
    "hispanic": (
        "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE UY VE ES PT AO MZ",
        "José María Carlos Luis Ana Lucía Javier Pedro Fernanda João Gabriela Diego Sofía Andrés Paula Ricardo",
        "García Rodríguez Martínez López Fernández Silva Santos Pereira Gómez Díaz Álvarez Romero Torres Costa",
        "",
    ),
    "european": (
        "",
        "Anna Thomas Peter Maria Johan Elena Lars Sophie Michael Claire Jan Katarzyna Nikos Ana Patrick Amara"
        " Kwame Grace Josef Ingrid",
        "Müller Schmidt Dubois Martin Rossi Jansen Nowak Novák Horváth Popescu Papadopoulos Murphy Larsen Smith"
        " Mensah Okafor Kamau Ndlovu Virtanen Björk",
        "",
    ),
}
"""Per naming tradition: the countries using it, first names, surname stems, and suffixes added to stems."""

_TRANSLITERATIONS = (
    ("Hadji", "Gadzhi"),
    ("dj", "j"),
    ("iev", "iyev"),
    ("yev", "ev"),
    ("Kh", "H"),
    ("kh", "h"),
    ("Yu", "Iu"),
    ("Zh", "J"),
    ("ii", "iy"),
    ("sky", "skiy"),
    ("Mohammed", "Muhammad"),
    ("Al-", "El-"),
    ("ou", "u"),
    ("Dmitry", "Dmitri"),
    ("Sergei", "Sergey"),
)
"""Spelling rules under which one person's name appears differently across sources (Hadjiev, Hajiyev, Gadzhiev)."""

_ROLES = (
    "President",
    "Prime Minister",
    "Minister of Foreign Affairs",
    "Deputy Minister of Foreign Affairs",
    "Deputy Minister of Foreign Affairs",
    "Secretary of the Security Council",
    "Chairman of Parliament",
    "Minister of Economy",
    "Minister of Energy",
    "Minister of Defence",
    "Ambassador",
    "Ambassador",
    "Special Envoy",
    "Director of Department",
    "Director of Department",
    "Head of Division",
    "Adviser to the President",
    "Chief of Staff",
)
"""Roles in order of seniority: each country's first people are its leaders and recur most."""

_TOPIC_NOUNS = (
    "security;cooperation;trade;energy;water;transport;investment;migration;border management;counterterrorism;"
    "drug trafficking;cybersecurity;climate;agriculture;health;education;culture;tourism;finance;customs;"
    "connectivity;logistics;digital economy;space;nuclear safety;arms control;humanitarian aid;refugees;"
    "human rights;rule of law;elections;media;science;sport;youth;food;critical minerals;pipelines;railways;"
    "aviation;shipping;hydropower;gas supply;oil;electricity;debt;sanctions;peacekeeping;mediation;demining"
).split(";")
_TOPIC_QUALIFIERS = (
    "regional;international;bilateral;information;biological;economic;maritime;cross-border;"
    "sustainable;strategic;humanitarian;multilateral"
).split(";")
_TOPIC_PROPER = (
    "Afghanistan;Central Asia;the Caspian Sea;the Aral Sea;the Middle East;the Black Sea;the Korean Peninsula;"
    "the Sahel;the Balkans;the South Caucasus;the Arctic;the Indian Ocean"
).split(";")

_ORGANIZATIONS = (
    "UN;UN Security Council;UN General Assembly;CIS;SCO;CSTO;EAEU;OSCE;EU;NATO;ASEAN;ASEAN Regional Forum;"
    "African Union;Arab League;OIC;GCC;BRICS;G20;G7;OPEC;OPEC+;WTO;IAEA;IMF;World Bank;Asian Development Bank;"
    "ECO;CICA;Organization of Turkic States;Central Asia + Russia;Central Asia + China;C5+1;EU–Central Asia;"
    "Central Asia + Japan;Central Asia + Korea;Central Asia + India;Caspian littoral states;Council of Europe;"
    "Mercosur;CELAC;Pacific Islands Forum;SAARC;BIMSTEC;Commonwealth;Francophonie;Non-Aligned Movement;"
    "Union State;GUAM;Visegrád Group;Nordic Council;Andean Community;ECOWAS;SADC;IGAD;UNESCO;WHO;Interpol;"
    "CAREC;TRACECA"
).split(";")
"""About 60 multilateral formats and bodies, real names, drawn with a skew (the UN and CIS come up often)."""

_KINDS = ("consultation", "meeting", "visit", "summit", "call", "signing", "conference", "other")
_KIND_WEIGHTS = (18, 30, 14, 6, 14, 8, 6, 4)

_RELATIONS = ("sub-event", "parent", "follow-up", "previous round", "see also")
_DOCUMENT_TYPES = (
    "Memorandum of Understanding",
    "Agreement",
    "Joint Statement",
    "Declaration",
    "Protocol",
    "Roadmap",
)
_OUTLETS = (
    "Ministry of Foreign Affairs press service",
    "State news agency",
    "Regional wire service",
    "Embassy bulletin",
    "Presidential press office",
    "Parliamentary news service",
)
"""Made-up outlet names: the corpus must never pass as records from a real outlet."""

_SUBJECTS = (
    "The parties",
    "The delegations",
    "The sides",
    "The ministers",
    "Both sides",
    "The heads of delegation",
)
_CLAUSES = (
    "discussed prospects for cooperation in the political, trade, economic and humanitarian spheres",
    "noted the regular nature of contacts at the high and highest levels",
    "exchanged views on regional and international issues of mutual interest",
    "stressed the importance of coordination on multilateral platforms",
    "agreed to hold the next round of consultations in the capital of the other side",
    "reviewed the implementation of agreements reached earlier",
    "emphasised the role of inter-parliamentary dialogue",
    "welcomed the growth of mutual trade turnover",
    "considered joint projects in transport, energy and water management",
    "confirmed their commitment to the principles of good neighbourliness and mutual respect",
    "expressed satisfaction with the level of bilateral relations",
    "noted progress in the work of the intergovernmental commission",
    "outlined steps for the coming year",
    "paid special attention to the situation in the region",
    "discussed the security of the common borders",
    "examined the schedule of forthcoming visits",
)
"""Subjects and clauses the summaries and texts are made of: diplomatic prose, so text search behaves as on
real records (repetitive, formulaic) and its vocabulary is realistic."""


@dataclass(frozen=True, slots=True, eq=False)  # compared by identity: two people may share a name
class Person:
    name: str
    variants: tuple[str, ...]
    role: str
    country: str
    organization: str | None


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    countries: tuple[str, str]
    topic: str


def event_path(out: Path, i: int, per_dir: int = 1000) -> Path:
    """Where event `i` of a corpus lives, so a benchmark can rewrite or touch one file."""
    return out / f"{i // per_dir:05d}" / f"{i:07d}.json"


def event_id(i: int) -> str:
    """The id of generated event `i`: related links point at these."""
    return f"gen-{i:07d}"


def _zipf_cumulative(count: int, exponent: float = 1.0) -> list[float]:
    total = 0.0
    cumulative = []
    for rank in range(1, count + 1):
        total += 1.0 / rank**exponent
        cumulative.append(total)
    return cumulative


class _Pools:
    """The shared values events draw from, built once per seed."""

    def __init__(self, rng: random.Random) -> None:
        self.countries = list(CAPITALS)
        rng.shuffle(self.countries)  # which countries are busiest depends on the seed
        self.country_weights = _zipf_cumulative(len(self.countries), 0.8)
        self.people_by_country: dict[str, list[Person]] = {code: [] for code in self.countries}
        self._build_people(rng)
        self.topics = self._build_topics(rng)
        self.topic_weights = _zipf_cumulative(len(self.topics))
        self.organizations = list(_ORGANIZATIONS)
        self.organization_weights = _zipf_cumulative(len(self.organizations))
        self.series = [self._series(rng) for _ in range(SERIES_POOL)]
        self.series_weights = _zipf_cumulative(len(self.series), 0.7)

    def _build_people(self, rng: random.Random) -> None:
        style_of = {}
        for style, (codes, *_rest) in _NAME_STYLES.items():
            for code in codes.split():
                style_of[code] = style
        parts = {
            style: (first.split(), stems.split(), suffixes.split())
            for style, (_c, first, stems, suffixes) in _NAME_STYLES.items()
        }
        taken: set[str] = set()
        for n in range(PEOPLE):
            country = (
                self.countries[n % len(self.countries)] if n < 4 * len(self.countries) else self.country(rng)
            )
            first, stems, suffixes = parts[style_of.get(country, "european")]
            for _attempt in range(20):
                surname = rng.choice(stems) + (rng.choice(suffixes) if suffixes else "")
                name = f"{rng.choice(first)} {surname}"
                if name not in taken:
                    break
            taken.add(name)
            variants: tuple[str, ...] = ()
            if rng.random() < 0.5:
                spelled = [name.replace(old, new, 1) for old, new in _TRANSLITERATIONS if old in name]
                variants = tuple(dict.fromkeys(v for v in spelled if v != name))[:2]
            people = self.people_by_country[country]
            role = _ROLES[len(people)] if len(people) < 4 else rng.choice(_ROLES[3:])
            organization = None
            if "Foreign Affairs" in role or role in ("Ambassador", "Director of Department"):
                organization = f"Ministry of Foreign Affairs of {name_for(country)}"
            elif rng.random() < 0.5:
                organization = f"Government of {name_for(country)}"
            people.append(Person(name, variants, role, country, organization))

    @staticmethod
    def _build_topics(rng: random.Random) -> list[str]:
        combined = [f"{q} {n}" for q in _TOPIC_QUALIFIERS for n in _TOPIC_NOUNS]
        combined += [f"{n} in {p}" for p in _TOPIC_PROPER for n in _TOPIC_NOUNS[:10]]
        rng.shuffle(combined)
        proper = [p.removeprefix("the ") for p in _TOPIC_PROPER]
        head = _TOPIC_NOUNS[:20] + proper
        rng.shuffle(head)
        return (head + combined)[:TOPICS]

    def country(self, rng: random.Random) -> str:
        """A country drawn with the seed's skew: a few are in most events."""
        return rng.choices(self.countries, cum_weights=self.country_weights)[0]

    def _series(self, rng: random.Random) -> Series:
        first = self.country(rng)
        second = self.country(rng)
        while second == first:
            second = self.country(rng)
        topic = rng.choices(self.topics, cum_weights=self.topic_weights)[0]
        return Series(
            f"{name_for(first)}–{name_for(second)} consultations on {topic}", (first, second), topic
        )


class _Writer:
    """Draws events in index order from one random stream, keeping what later events refer back to."""

    def __init__(self, events: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.events = events
        self.pools = _Pools(self.rng)
        self.signed: list[dict[str, str]] = []  # documents signed so far, for later events to refer to

    def event(self, i: int) -> dict[str, object]:
        rng = self.rng
        pools = self.pools
        kind = rng.choices(_KINDS, weights=_KIND_WEIGHTS)[0]
        series: Series | None = None
        if kind == "consultation" and rng.random() < 0.5:
            picked = rng.choices(pools.series, cum_weights=pools.series_weights)[0]
            # ~20% of consultations carry `series`; as many more are rounds of the same pair without it.
            if rng.random() < 0.4:
                series = picked
            countries = list(picked.countries)
        else:
            countries = self._countries(kind)
        topics = self._topics(rng.randint(1, 6), series)
        participants = self._participants(countries, rng.randint(1, 8) if kind != "call" else 2)
        day = rng.randint(FIRST_DAY, LAST_DAY)
        start = date.fromordinal(day).isoformat()
        roll = rng.random()
        when = start[:4] if roll < 0.02 else start[:7] if roll < 0.06 else start
        event: dict[str, object] = {
            "id": event_id(i),
            "title": self._title(kind, countries, participants, topics),
        }
        event["date"] = when
        event["kind"] = kind
        if when == start and kind in ("summit", "conference", "visit", "consultation") and rng.random() < 0.3:
            event["end_date"] = date.fromordinal(day + rng.randint(1, 3)).isoformat()
        if kind != "call":
            event["location"] = {"city": CAPITALS[countries[0]], "country": countries[0]}
        event["countries"] = countries
        event["participants"] = participants
        event["topics"] = [self._spelling(topic) for topic in topics]
        if rng.random() < 0.5:
            event["agenda"] = [f"exchange of views on {topic}" for topic in topics[: rng.randint(1, 4)]]
        organizations = self._organizations(kind)
        if organizations:
            event["organizations"] = organizations
        documents = self._documents(i, kind, when, countries, topics)
        if documents:
            event["documents"] = documents
        related = self._related(i)
        if related:
            event["related"] = related
        if series is not None:
            event["series"] = series.name
        published = date.fromordinal(day + rng.randint(0, 2)).isoformat()
        event["source"] = {
            "name": rng.choice(_OUTLETS),
            "url": f"https://example.org/generated/{i}",
            "published": published,
        }
        event["summary"] = self._summary(when, event["title"], participants)  # type: ignore[arg-type]
        text = self._prose(rng.randint(0, TEXT_CHARS))
        if text:
            event["text"] = text
        if rng.random() < 0.03:
            event["collector"] = {"name": "bench.generate", "seed_event": i}
        return event

    def _countries(self, kind: str) -> list[str]:
        rng = self.rng
        wanted = {
            "summit": rng.randint(3, 12),
            "conference": rng.randint(3, 10),
            "other": rng.randint(1, 3),
        }.get(kind, 2 if rng.random() < 0.85 else 3)
        countries: list[str] = []
        while len(countries) < wanted:
            code = self.pools.country(rng)
            if code not in countries:
                countries.append(code)
        return countries

    def _topics(self, count: int, series: Series | None) -> list[str]:
        pools = self.pools
        drawn = self.rng.choices(pools.topics, cum_weights=pools.topic_weights, k=count)
        if series is not None:
            drawn.insert(0, series.topic)
        return list(dict.fromkeys(drawn))[:6]

    def _spelling(self, topic: str) -> str:
        roll = self.rng.random()
        if roll < 0.1:
            return topic.replace(" ", "-").lower()
        if roll < 0.2:
            return topic.title()
        return topic

    def _participants(self, countries: list[str], count: int) -> list[dict[str, object]]:
        rng = self.rng
        chosen: list[Person] = []
        for n in range(count * 2):
            if len(chosen) == count:
                break
            people = self.pools.people_by_country[countries[n % len(countries)]]
            person = people[min(int(len(people) * rng.random() ** 2.5), len(people) - 1)]
            if person not in chosen:
                chosen.append(person)
        participants: list[dict[str, object]] = []
        heads: set[str] = set()
        for person in chosen:
            name = person.name
            if person.variants and rng.random() < 0.3:
                name = rng.choice(person.variants)
            entry: dict[str, object] = {"name": name}
            if rng.random() < 0.9:
                entry["role"] = person.role
                entry["country"] = person.country
            if person.organization is not None and rng.random() < 0.7:
                entry["organization"] = person.organization
            if person.country not in heads:
                heads.add(person.country)
                entry["delegation_head"] = True
            if person.variants and rng.random() < 0.1:
                entry["aliases"] = [v for v in (person.name, *person.variants) if v != name]
            participants.append(entry)
        return participants

    def _organizations(self, kind: str) -> list[str]:
        rng = self.rng
        count = rng.randint(1, 3) if kind in ("summit", "conference") else rng.choice((0, 0, 0, 1, 1, 2))
        pools = self.pools
        drawn = rng.choices(pools.organizations, cum_weights=pools.organization_weights, k=count)
        return list(dict.fromkeys(drawn))

    def _documents(
        self, i: int, kind: str, when: str, countries: list[str], topics: list[str]
    ) -> list[dict[str, str]]:
        rng = self.rng
        documents: list[dict[str, str]] = []
        if kind == "signing" or rng.random() < 0.05:
            names = " and ".join(name_for(code) for code in countries[:2])
            title = f"{rng.choice(_DOCUMENT_TYPES)} between {names} on {topics[0]}"
            document = {"title": title, "date": when, "id": f"doc-{i:07d}"}
            documents.append(document)
            self.signed.append(document)
        if self.signed and rng.random() < 0.12:
            referred = self.signed[-1 - min(int(len(self.signed) * rng.random() ** 3), len(self.signed) - 1)]
            if referred not in documents:
                documents.append(referred if rng.random() < 0.8 else {"title": referred["title"]})
        return documents

    def _related(self, i: int) -> list[object]:
        rng = self.rng
        roll = rng.random()
        count = 0 if roll < 0.6 or self.events < 2 else 1 if roll < 0.85 else 2
        related: list[object] = []
        for _ in range(count):
            if rng.random() < 0.5:  # most links are to nearby events: rounds, follow-ups
                other = min(max(i + rng.randint(-50, 50), 0), self.events - 1)
            else:
                other = rng.randrange(self.events)
            if other == i:
                continue
            if rng.random() < 0.5:
                related.append(event_id(other))
            else:
                related.append({"id": event_id(other), "relation": rng.choice(_RELATIONS)})
        return related

    def _summary(self, when: str, title: str, participants: list[dict[str, object]]) -> str:
        summary = f"On {when}, {title[0].lower()}{title[1:]} took place."
        for person in participants[:3]:
            if person.get("delegation_head") and "role" in person:
                country = name_for(str(person["country"]))
                summary += f" The delegation of {country} was headed by {person['role']} {person['name']}."
        low, high = SUMMARY_CHARS
        target = self.rng.randint(low, high)
        while len(summary) < target:
            summary += " " + self._sentence()
        if len(summary) > high:  # the last sentence overshot: end at the sentence before (still above `low`)
            summary = summary[: summary.rindex(". ", 0, high) + 1]
        return summary

    def _sentence(self) -> str:
        return f"{self.rng.choice(_SUBJECTS)} {self.rng.choice(_CLAUSES)}."

    def _prose(self, length: int) -> str:
        if length <= 0:
            return ""
        count = length // 80 + 1  # sentences average ~90 characters
        subjects = self.rng.choices(_SUBJECTS, k=count)
        clauses = self.rng.choices(_CLAUSES, k=count)
        text = " ".join(f"{subject} {clause}." for subject, clause in zip(subjects, clauses, strict=True))
        return _cut(text, length)

    def _title(
        self, kind: str, countries: list[str], participants: list[dict[str, object]], topics: list[str]
    ) -> str:
        rng = self.rng
        a = name_for(countries[0])
        b = name_for(countries[1]) if len(countries) > 1 else a
        first = str(participants[0]["name"])
        last = str(participants[-1]["name"])
        topic = topics[0]
        title = {
            "consultation": f"{a}–{b} consultations on {topic}",
            "meeting": f"Meeting of {first} and {last} on {topic}",
            "visit": f"Official visit of {first} to {b}",
            "summit": f"Summit of {len(countries)} states in {CAPITALS[countries[0]]} on {topic}",
            "call": f"Telephone conversation between {first} and {last}",
            "signing": f"Signing of documents between {a} and {b} on {topic}",
            "conference": f"International conference on {topic} in {CAPITALS[countries[0]]}",
            "other": f"Statement of {a} on {topic}",
        }[kind]
        extras = iter(topics[1:] + ["bilateral relations", "regional cooperation", "mutual interest"])
        while len(title) < 40:
            title += f" and {next(extras)}" if " on " in title else f" on {next(extras)}"
        if len(topics) > 1 and rng.random() < 0.3:
            title += f", with a focus on {rng.choice(topics[1:])}"
        return _cut(title, 120)


def _cut(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` characters, at a word boundary unless that loses over 30."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    at_word = cut.rsplit(" ", 1)[0].rstrip(" ,;.")
    return at_word if len(at_word) > limit - 30 else cut


def _marker(events: int, seed: int, per_dir: int) -> bytes:
    return orjson.dumps({"version": GENERATOR_VERSION, "events": events, "seed": seed, "per_dir": per_dir})


def _remove_previous(out: Path, events: int, per_dir: int) -> None:
    """Delete the files a previous run wrote (per its marker) that this run will not overwrite."""
    try:
        previous = orjson.loads((out / MARKER).read_bytes())
        old_events, old_per_dir = int(previous["events"]), int(previous["per_dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    (out / MARKER).unlink()
    keep = events if old_per_dir == per_dir else 0
    folders = set()
    for i in range(keep, old_events):
        path = event_path(out, i, old_per_dir)
        path.unlink(missing_ok=True)
        folders.add(path.parent)
    for folder in sorted(folders):
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty: it holds files this generator did not write, or this run's


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
"""Raw descriptors instead of file objects: at 100,000 files the buffered-file overhead is a second or two."""


def generate(out: Path, events: int, seed: int, per_dir: int = 1000) -> None:
    """Write `events` event files below `out`; do nothing if `out` already holds exactly this corpus."""
    if events < 0 or per_dir < 1:
        raise ValueError("events must be >= 0 and per_dir >= 1")
    marker = _marker(events, seed, per_dir)
    try:
        if (out / MARKER).read_bytes() == marker:
            return
    except OSError:
        pass
    out.mkdir(parents=True, exist_ok=True)
    _remove_previous(out, events, per_dir)
    writer = _Writer(events, seed)
    dumps = orjson.dumps
    folder = ""
    for i in range(events):
        if i % per_dir == 0:
            folder = os.path.join(out, f"{i // per_dir:05d}")
            os.makedirs(folder, exist_ok=True)
        descriptor = os.open(os.path.join(folder, f"{i:07d}.json"), _WRITE_FLAGS, 0o644)
        try:
            os.write(descriptor, dumps(writer.event(i)))
        finally:
            os.close(descriptor)
    (out / MARKER).write_bytes(marker)  # last, so an interrupted run is redone rather than trusted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the corpus into")
    parser.add_argument("--events", type=int, required=True, help="how many event files")
    parser.add_argument("--seed", type=int, required=True, help="same seed, same bytes")
    parser.add_argument("--per-dir", type=int, default=1000, help="files per sub-folder (default 1000)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.out, args.events, args.seed, args.per_dir)
    print(f"{args.events} events in {args.out} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
