"""`bench.generate` writes valid, realistic corpora, and the same parameters always give the same bytes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench.generate import CAPITALS, MARKER, event_id, event_path, generate, main
from store.model.countries import COUNTRY_CODES
from store.model.dates import first_day

KINDS = {"consultation", "meeting", "visit", "summit", "call", "signing", "conference", "other"}


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.json"))}


def _events(out: Path) -> list[dict]:
    return [json.loads(data) for data in _files(out).values()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 3000, seed=11, per_dir=400)
    return out


def test_same_seed_gives_the_same_bytes(tmp_path: Path, corpus: Path) -> None:
    generate(tmp_path, 3000, seed=11, per_dir=400)
    assert _files(tmp_path) == _files(corpus)


def test_another_seed_gives_another_corpus(tmp_path: Path) -> None:
    generate(tmp_path / "a", 50, seed=1)
    generate(tmp_path / "b", 50, seed=2)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.keys() == b.keys()
    assert all(a[name] != b[name] for name in a)


def test_writes_the_asked_number_of_files_in_folders_of_at_most_per_dir(corpus: Path) -> None:
    files = _files(corpus)
    assert len(files) == 3000
    assert set(files) == {str(event_path(corpus, i, 400).relative_to(corpus)) for i in range(3000)}
    per_folder = Counter(name.split("/")[0] for name in files)
    assert max(per_folder.values()) == 400 and len(per_folder) == 8


def test_every_file_is_one_valid_event(corpus: Path) -> None:
    ids = {event_id(i) for i in range(3000)}
    for event in _events(corpus):
        assert isinstance(event, dict)
        assert 40 <= len(event["title"]) <= 120
        first_day(event["date"])
        if "end_date" in event:
            assert first_day(event["end_date"]) > first_day(event["date"])
        assert event["kind"] in KINDS
        assert 200 <= len(event["summary"]) <= 600
        assert len(event.get("text", "")) <= 2000
        assert 1 <= len(event["participants"]) <= 8 and all(p["name"] for p in event["participants"])
        assert 1 <= len(event["topics"]) <= 6
        assert len(event.get("organizations", [])) <= 3 and len(event.get("documents", [])) <= 2
        assert len(event.get("related", [])) <= 2
        assert set(event["countries"]) <= COUNTRY_CODES
        for link in event.get("related", []):
            assert (link if isinstance(link, str) else link["id"]) in ids
        assert 1990 <= int(event["date"][:4]) <= 2026


def test_values_overlap_like_a_real_collection(corpus: Path) -> None:
    events = _events(corpus)
    consultations = [e for e in events if e["kind"] == "consultation"]
    share_with_series = sum("series" in e for e in consultations) / len(consultations)
    assert 0.12 < share_with_series < 0.3
    series_pairs = {frozenset(e["countries"]) for e in consultations if "series" in e}
    assert any("series" not in e and frozenset(e["countries"]) in series_pairs for e in consultations)
    assert any("aliases" in p for e in events for p in e["participants"]), "names with listed variants"
    topics = Counter(t.lower().replace("-", " ") for e in events for t in e["topics"])
    (_top, most), *_ = topics.most_common(1)
    assert most > 20 * min(topics.values()), "a Zipf-like skew"
    assert len({c for e in events for c in e["countries"]}) > 100
    assert len(CAPITALS) >= 110 and set(CAPITALS) <= COUNTRY_CODES
    assert {len(e["date"]) for e in events} == {4, 7, 10}


def test_an_existing_matching_corpus_is_left_alone(tmp_path: Path) -> None:
    generate(tmp_path, 20, seed=3)
    touched = event_path(tmp_path, 5)
    touched.write_bytes(b"{}")
    generate(tmp_path, 20, seed=3)
    assert touched.read_bytes() == b"{}"
    generate(tmp_path, 20, seed=4)
    assert touched.read_bytes() != b"{}"


def test_other_parameters_replace_only_the_previous_corpus(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("not the generator's")
    generate(tmp_path, 250, seed=3, per_dir=100)
    generate(tmp_path, 120, seed=3, per_dir=100)
    assert len(_files(tmp_path)) == 120
    generate(tmp_path, 30, seed=3, per_dir=7)
    assert len(_files(tmp_path)) == 30
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        MARKER,
        "00000",
        "00001",
        "00002",
        "00003",
        "00004",
        "keep.txt",
    ]


def test_command_line(tmp_path: Path) -> None:
    assert main([str(tmp_path), "--events", "12", "--seed", "5", "--per-dir", "5"]) == 0
    assert len(_files(tmp_path)) == 12
    assert event_path(tmp_path, 11, 5).is_file()
