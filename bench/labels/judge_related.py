"""How `related.json` was written: the analyst's criteria of a related event, applied to the records.

`python -m bench.labels.judge_related` picks 40 events (a fixed seed, across the three collections and the
fixtures) and, for each, lists every event of the corpus that an analyst reading it would want beside it
(README.md in this folder says why each criterion). It reads the records only, never the ranking code. The
lists were then read by hand for a sample of the events; see README.md.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from bench.quality import _day, _ubiquitous, corpus_folder
from store.event_store import EventStore
from store.model.event import Event
from store.model.names import name_key
from store.model.textfold import fold
from store.persistence.loading import load_folder

OUT = Path(__file__).with_name("related.json")


def _log(event: Event) -> str:
    return event.source_url


def _end(event: Event) -> int:
    return _day(event.end_date if len(event.end_date) == 10 else event.sort_date)


def _counterparts(event: Event, ubiquitous: set[str]) -> set[tuple[str, str]]:
    return {
        (name_key(p.name).split()[-1], p.country)
        for p in event.participants
        if fold(p.name) not in ubiquitous and name_key(p.name)
    }


def related(query: Event, other: Event, ubiquitous: set[str]) -> bool:
    if other.id == query.id:
        return False
    if any(link.id == other.id for link in query.related) or any(
        link.id == query.id for link in other.related
    ):
        return True
    if query.series and query.series == other.series:
        return True
    if {fold(d.title) for d in query.documents} & {fold(d.title) for d in other.documents}:
        return True
    start, end = _day(query.sort_date), _end(query)
    day = _day(other.sort_date)
    city = fold(query.city)
    if city and fold(other.city) == city and abs(day - start) <= 2 and _log(other) != _log(query):
        return True  # the same meeting in another source
    if _log(other) == _log(query) and "travels" in query.id and start - 3 <= _end(other) and day <= end + 3:
        return True  # a leg of the same journey
    if set(query.organizations) & set(other.organizations):
        return True  # the same format
    shared = _counterparts(query, ubiquitous) & _counterparts(other, ubiquitous)
    return bool(shared) and abs(day - start) <= 3660  # the same counterpart, within a decade


def main() -> None:
    with corpus_folder() as folder:
        store = EventStore(str(folder))
        load_folder(store)
        with store.reading() as reader:
            events = sorted(map(reader.event_by_id, reader.event_ids()), key=lambda event: event.id)
            ubiquitous = _ubiquitous(reader)
        rng = random.Random(14)
        groups = {
            "state-travels": [
                e for e in events if e.id.startswith("state-travels") and "secretary" in e.source_url
            ],
            "president": [
                e for e in events if e.id.startswith("state-travels") and "president" in e.source_url
            ],
            "state-visits": [e for e in events if e.id.startswith("state-visits")],
            "fixtures": [e for e in events if not e.id.startswith("state-")],
        }
        picked = [*rng.sample(groups["state-travels"], 14), *rng.sample(groups["president"], 10)]
        picked += [*rng.sample(groups["state-visits"], 10), *rng.sample(groups["fixtures"], 6)]
        judged = {
            query.id: sorted(other.id for other in events if related(query, other, ubiquitous))
            for query in picked
        }
    OUT.write_text(json.dumps({"judged": judged}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
