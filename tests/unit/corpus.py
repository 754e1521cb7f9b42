"""A small corpus written by the tests, so that each assertion knows exactly what it expects."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol


class WritesEvents(Protocol):
    def __call__(self, rel: str, content: Any) -> Path: ...


HADJIEV = {
    "name": "Vepa Hadjiev",
    "role": "Acting Minister of Foreign Affairs",
    "country": "TM",
    "delegation_head": True,
}
GALUZIN = {
    "name": "Mikhail Galuzin",
    "role": "Deputy Minister of Foreign Affairs",
    "country": "RU",
    "delegation_head": True,
}

EVENTS: dict[str, dict[str, Any]] = {
    "2023/consultations.json": {
        "id": "cons-2023",
        "title": "Turkmen-Russian consultations on regional security",
        "date": "2023-05-04",
        "kind": "consultation",
        "location": {"city": "Ashgabat", "country": "TM"},
        "countries": ["TM", "RU"],
        "series": "TM-RU security consultations",
        "participants": [HADJIEV, GALUZIN],
        "topics": ["Afghanistan", "Regional Security", "information security"],
        "organizations": ["UN", "CIS", "Central Asia + Russia"],
        "documents": [{"title": "Declaration on Deepening Strategic Partnership", "date": "2022-06"}],
        "related": [{"id": "bilateral-2023", "relation": "sub-event"}],
        "source": {"name": "nCa", "published": "2023-05-05"},
        "summary": "Exchange of assessments of the situation in Afghanistan.",
    },
    "2023/bilateral.json": {
        "id": "bilateral-2023",
        "title": "Galuzin and Hadjiev hold a separate meeting",
        "date": "2023-05-04",
        "kind": "meeting",
        "location": {"city": "Ashgabat", "country": "TM"},
        "countries": ["TM", "RU"],
        "participants": [HADJIEV, GALUZIN],
        "topics": ["trade", "culture"],
        "source": {"name": "nCa"},
    },
    "2021/round.json": {
        "id": "cons-2021",
        "title": "Consultations between the foreign ministries",
        "date": "2021-11",
        "kind": "consultation",
        "location": {"city": "Moscow", "country": "RU"},
        "countries": ["RU", "TM"],
        "participants": [
            {"name": "Vepa Hajiyev", "country": "TM"},
            {"name": "Mikhail Galuzin", "country": "RU"},
        ],
        "topics": ["regional-security"],
        "source": {"name": "MFA Russia"},
    },
    "2022/signing.json": {
        "id": "signing-2022",
        "title": "Presidents sign a declaration on strategic partnership",
        "date": "2022-06",
        "kind": "signing",
        "location": {"city": "Moscow", "country": "RU"},
        "countries": ["RU", "TM"],
        "documents": [{"title": "Declaration on Deepening Strategic Partnership", "date": "2022-06"}],
        "topics": ["strategic partnership"],
    },
    "2019/summit.json": {
        "id": "summit-2019",
        "title": "Central Asia + Russia ministerial meeting in Tashkent",
        "date": "2019",
        "kind": "summit",
        "location": {"city": "Tashkent", "country": "UZ"},
        "countries": ["UZ", "RU", "KZ"],
        "participants": [{"name": "Kassym-Jomart Tokayev", "country": "KZ"}],
        "organizations": ["Central Asia + Russia"],
        "topics": ["Afghanistan", "trade"],
        "summary": "Ministers discussed the situation in Afghanistan and transport corridors.",
        "source": {"name": "constructed for tests"},
    },
    "2020/call.json": {
        "id": "call-2020",
        "title": "Phone call on Afghanistan",
        "date": "2020-03-15",
        "kind": "call",
        "countries": ["US", "KZ"],
        "participants": [
            {"name": "Kassym-Jomart Tokaev", "country": "KZ", "aliases": ["Касым-Жомарт Токаев"]}
        ],
        "topics": ["afghanistan"],
    },
}


def write_corpus(write_event: WritesEvents) -> Path:
    """Write EVENTS through the `write_event` fixture; returns the folder."""
    paths = [write_event(rel, raw) for rel, raw in EVENTS.items()]
    return paths[-1].parent.parent
