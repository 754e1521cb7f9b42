"""`python -m bench.quality [--json]`: how right the participants and related panes are, with targets.

Runs on the public records vendored in `tests/corpora/history-state` (the US Office of the Historian's travels of
the Presidents and Secretaries of State and visits of foreign leaders, CC0), imported with the same code as
`communique import`, together with `fixtures/events`, against the labelled sets in `bench/labels/`:

- `people_pairs.tsv`: two mentions (event id and name as written), judged the same real person or not;
- `same_meeting.tsv`: one meeting recorded by two sources;
- `related.json`: events with the events an analyst would want next to them (`bench/labels/README.md`).

Each figure is printed beside the same scorer's figure for the code before the resolution layer (commit
b43e6fc, kept in `bench/quality_baseline.json`; `--write-baseline` rewrites it from the running code).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from store.entities.cross_references import related_events
from store.event_store import EventStore
from store.importers.history_state import import_file
from store.index.protocol import IndexReader
from store.model.names import name_key
from store.model.textfold import fold
from store.persistence.loading import load_folder

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "corpora" / "history-state"
LABELS = ROOT / "bench" / "labels"
BASELINE = ROOT / "bench" / "quality_baseline.json"

TARGETS = {
    "people_precision": ("people: pairwise precision", 0.98, "≥"),
    "people_recall": ("people: pairwise recall", 0.90, "≥"),
    "related_p_at_5": ("related: precision@5", 0.85, "≥"),
    "related_ndcg_at_10": ("related: nDCG@10", None, ""),
    "ubiquitous_only_share": ("related: top-5 slots explained only by a ubiquitous participant", 0.05, "≤"),
    "same_meeting_recall_at_5": ("same meeting in another source within the top 5", 0.90, "≥"),
}

UBIQUITOUS_SHARE = 0.3
"""A participant in this share of a source's records (the traveller of a travel log) says nothing about
how two of them are related."""


@contextmanager
def corpus_folder() -> Iterator[Path]:
    """The vendored records imported as event files, beside a copy of the fixtures, in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="communique-quality-") as folder:
        out = Path(folder)
        for source, parts in (
            ("travels", ("secretary-travels", "president-travels")),
            ("visits", ("visits",)),
        ):
            for part in parts:
                for path in sorted((DATA / part).glob("*.xml")):
                    imported = import_file(source, path)
                    target = out / part / path.stem
                    target.mkdir(parents=True, exist_ok=True)
                    for event in imported.events:
                        (target / f"{event['id']}.json").write_bytes(orjson.dumps(event))
        shutil.copytree(ROOT / "fixtures" / "events", out / "fixtures")
        yield out


def _person(index: IndexReader, event_id: str, name: str) -> Any:
    docno = index.docno(event_id)
    event = index.event(docno)
    # the name as the label writes it; else the same name in another spelling of its key (the label gives
    # a group's most used spelling)
    # a group's most used spelling); else a participant who carries it as an alias (the importer completes a
    # surname-only mention from the same record); None when the record no longer makes it a participant
    key_of_name = name_key(name)
    participant = (
        next((p for p in event.participants if p.name == name), None)
        or next((p for p in event.participants if name_key(p.name) == key_of_name), None)
        or next((p for p in event.participants if any(name_key(a) == key_of_name for a in p.aliases)), None)
    )
    if participant is None:
        return None
    key = index.people.key_of(participant)
    resolution = getattr(index, "resolution", None)
    return key if resolution is None else resolution.person_of(key, docno)


def people_figures(index: IndexReader) -> dict[str, float]:
    true_positive = false_positive = false_negative = unmatched = 0
    for line in (LABELS / "people_pairs.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        event_a, name_a, event_b, name_b, verdict, _kind = line.split("\t")
        person_a, person_b = _person(index, event_a, name_a), _person(index, event_b, name_b)
        if person_a is None or person_b is None:
            unmatched += 1  # the label names someone the import no longer lists as taking part
            continue
        merged = person_a == person_b
        same = verdict == "same"
        true_positive += merged and same
        false_positive += merged and not same
        false_negative += same and not merged
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 1.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 1.0
    return {
        "people_precision": precision,
        "people_recall": recall,
        "people_pairs_unmatched": float(unmatched),
    }


def _ranked_ids(index: IndexReader, event_id: str) -> list[str]:
    return [relation.id for relation in related_events(index, event_id)]


def _ubiquitous(index: IndexReader) -> set[str]:
    """Folded participant names present in at least `UBIQUITOUS_SHARE` of their source's records."""
    by_source: dict[str, int] = {}
    counts: dict[tuple[str, str], int] = {}
    for event in map(index.event_by_id, index.event_ids()):
        source = event.source_url  # one travel log, or one year of visits
        by_source[source] = by_source.get(source, 0) + 1
        for name in {fold(p.name) for p in event.participants}:
            counts[(source, name)] = counts.get((source, name), 0) + 1
    return {name for (source, name), count in counts.items() if count >= UBIQUITOUS_SHARE * by_source[source]}


def _only_ubiquitous(index: IndexReader, first: str, second: str, ubiquitous: set[str]) -> bool:
    """Whether the two events share a ubiquitous participant and nothing else an analyst would read as a
    tie: no other participant, organisation, document, series (or round of the same consultations) or
    explicit link, no same place and no leg of the same journey (the same record, within a week)."""
    a, b = index.event(index.docno(first)), index.event(index.docno(second))
    names_a, names_b = {fold(p.name) for p in a.participants}, {fold(p.name) for p in b.participants}
    shared = names_a & names_b
    if not shared or not shared <= ubiquitous:
        return False
    if set(a.organizations) & set(b.organizations) or a.series and a.series == b.series:
        return False
    if _rounds(a) and _rounds(a) == _rounds(b):
        return False
    if {fold(d.title) for d in a.documents} & {fold(d.title) for d in b.documents}:
        return False
    if any(link.id == b.id for link in a.related) or any(link.id == a.id for link in b.related):
        return False
    near = abs(_day(a.sort_date) - _day(b.sort_date)) <= 7
    return not (near and (a.city and fold(a.city) == fold(b.city) or a.source_url == b.source_url))


def _rounds(event: Any) -> frozenset[str]:
    """Consultations between the same countries are rounds of one series (the issue's "earlier and later
    rounds of a series"), whether or not a file names the series."""
    return (
        frozenset(event.countries)
        if event.kind == "consultation" and len(event.countries) > 1
        else frozenset()
    )


def _day(date: str) -> int:
    return int(date[:4]) * 366 + int(date[5:7]) * 31 + int(date[8:10])


def related_figures(index: IndexReader) -> dict[str, float]:
    judged: dict[str, list[str]] = json.loads((LABELS / "related.json").read_text(encoding="utf-8"))["judged"]
    ubiquitous = _ubiquitous(index)
    precisions, gains, only, slots = [], [], 0, 0
    for event_id, relevant_ids in judged.items():
        relevant = set(relevant_ids)
        ranked = _ranked_ids(index, event_id)
        if relevant:  # an event with fewer than five related ones is judged on as many
            precisions.append(sum(other in relevant for other in ranked[:5]) / min(5, len(relevant)))
        dcg = sum(1 / math.log2(rank + 2) for rank, other in enumerate(ranked[:10]) if other in relevant)
        ideal = sum(1 / math.log2(rank + 2) for rank in range(min(10, len(relevant))))
        if relevant:
            gains.append(dcg / ideal)
        for other in ranked[:5]:
            slots += 1
            only += _only_ubiquitous(index, event_id, other, ubiquitous)
    found = total = 0
    for line in (LABELS / "same_meeting.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        first, second = line.split("\t")[:2]
        for one, other in ((first, second), (second, first)):
            total += 1
            found += other in _ranked_ids(index, one)[:5]
    return {
        "related_p_at_5": sum(precisions) / len(precisions),
        "related_ndcg_at_10": sum(gains) / len(gains),
        "ubiquitous_only_share": only / slots if slots else 0.0,
        "same_meeting_recall_at_5": found / total if total else 1.0,
    }


def measure() -> dict[str, float]:
    with corpus_folder() as folder:
        store = EventStore(str(folder))
        load_folder(store)
        with store.reading() as index:
            return {**people_figures(index), **related_figures(index), "events": float(len(index))}


def _met(value: float, target: float | None, sense: str) -> str:
    if target is None:
        return ""
    return "met" if (value >= target if sense == "≥" else value <= target) else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--write-baseline", action="store_true", help="store these figures as the baseline")
    args = parser.parse_args(argv)
    figures = measure()
    if args.write_baseline:
        BASELINE.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    if args.json:
        print(json.dumps({"figures": figures, "baseline": baseline}, indent=2))
        return 0
    print(f"{int(figures['events']):,} events (vendored public records + fixtures)")
    print(
        f"labelled person pairs whose person the import no longer lists: {int(figures['people_pairs_unmatched'])}"
    )
    print(f"{'figure':<66} {'now':>7} {'b43e6fc':>8}  target")
    for name, (label, target, sense) in TARGETS.items():
        value = figures[name]
        before = baseline.get(name)
        before_text = f"{before:8.3f}" if before is not None else f"{'—':>8}"
        target_text = f"{sense} {target:g}" if target is not None else "(no target)"
        print(f"{label:<66} {value:7.3f} {before_text}  {target_text} {_met(value, target, sense)}")
    return 0


if __name__ == "__main__":
    if "--drafts" in sys.argv[1:]:  # drafts and importers are scored by their own module
        from bench import quality_drafts

        sys.exit(quality_drafts.main([arg for arg in sys.argv[1:] if arg != "--drafts"]))
    sys.exit(main())
