"""The persistent index (`store.index.persistent`): facts kept exactly, the in-memory engine's answers,
one writer, readers that follow it, and commits that survive a kill at any point."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import generate
from store.files.event_files import FileStamp, read_event_file
from store.index.persistent import IndexDamaged, PersistentReader, PersistentWriter, WriterBusy
from store.index.persistent import writer as writer_module
from store.index.persistent.segments import map_segment
from store.index.persistent.terms import TABLES
from store.index.search_index import SearchIndex
from store.model.event import Event
from store.model.validate import validate_event

REPO = Path(__file__).resolve().parents[2]


Files = list[tuple[str, FileStamp, list[Event], list[dict[str, object]]]]


def read_folder(root: Path) -> Files:
    found: Files = []
    for folder, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if name.endswith((".json", ".jsonl")):
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, root)
                contents = read_event_file(full, rel)
                assert contents.stamp is not None
                problems: list[dict[str, object]] = [
                    {"message": p.message, "line": p.line} for p in contents.problems
                ]
                found.append((rel, contents.stamp, contents.events, problems))
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate(root / "generated", 400, seed=7)
    for folder, _, names in os.walk(REPO / "fixtures" / "events"):
        for name in names:
            source = Path(folder) / name
            target = root / "fixtures" / source.relative_to(REPO / "fixtures" / "events")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    return root


def build(folder: Path, files: Files) -> None:
    with PersistentWriter(folder) as writer:
        for rel, stamp, events, problems in files:
            writer.put_file(rel, stamp, events, problems)
        writer.commit()


def memory_index(files: Files) -> SearchIndex:
    index = SearchIndex()
    for _, _, events, _ in files:
        for event in events:
            index.add(_fresh(event))
    return index


def _fresh(event: Event) -> Event:
    """A copy whose texts are not packed (the in-memory index packs what it indexes)."""
    return Event(**{name: getattr(event, name) for name in asdict(event)})


def test_facts_are_kept_exactly(tmp_path: Path, corpus: Path) -> None:
    files = read_folder(corpus)
    build(tmp_path / "index", files)
    with PersistentReader(tmp_path / "index") as reader:
        docno = 0
        for rel, _, events, problems in files:
            assert reader.file_docnos(rel) == list(range(docno, docno + len(events)))
            assert reader.file_problems(rel) == problems
            for event in events:
                assert reader.event(docno) == _fresh(event)
                docno += 1
        assert reader.file_stamps() == {rel: stamp for rel, stamp, _, _ in files}
        assert len(reader) == docno


def test_answers_are_the_in_memory_engines(tmp_path: Path, corpus: Path) -> None:
    files = read_folder(corpus)
    build(tmp_path / "index", files)
    memory = memory_index(files)
    with PersistentReader(tmp_path / "index") as reader:
        assert np.array_equal(reader.live_mask(), memory.live_mask())
        vocabulary = sorted(set(memory.words.vocabulary).union(memory.words.recent))
        for word in vocabulary[::7]:
            text = word.decode()
            assert np.array_equal(reader.word_mask(text), memory.word_mask(text, prefix=False)), text
            assert np.array_equal(
                reader.word_mask(text[:2], prefix=True), memory.word_mask(text[:2], prefix=True)
            ), text[:2]
        for table_name in TABLES:
            table = getattr(memory, table_name)
            assert reader.keys(table_name) == sorted(table), table_name
            assert reader.key_counts(table_name) == {key: len(docs) for key, docs in table.items()}
            for key in list(table)[:40]:
                assert np.array_equal(reader.key_mask(table_name, key), memory.key_mask(table, key))
        for first, last in (("2010-01-01", "2015-06-30"), ("", "1999-12-31"), ("2024-02-29", "")):
            assert np.array_equal(reader.date_mask(first, last), memory.date_mask(first, last))
        some = memory.word_mask("security", prefix=False)
        topics = {key: int(some[memory.key_array(memory.topics, key)].sum()) for key in memory.topics}
        assert reader.key_counts("topics", some) == {key: n for key, n in topics.items() if n}


def test_a_phrase_is_a_postings_query(tmp_path: Path) -> None:
    events = [
        validate_event({"title": title, "date": "2024-01-02"}, fallback_id=f"e{n}", path=f"e{n}.json")
        for n, title in enumerate(
            ["Regional – security talks", "Security, regional and global", "RÉGIONAL SECURITY"]
        )
    ]
    with PersistentWriter(tmp_path) as writer:
        for number, event in enumerate(events):
            writer.put_file(f"e{number}.json", FileStamp(1, number), [event])
        writer.commit()
    with PersistentReader(tmp_path) as reader:
        assert reader.phrase_mask(("regional", "security")).nonzero()[0].tolist() == [0, 2]
        assert reader.phrase_mask(("security", "regional")).nonzero()[0].tolist() == [1]
        assert not reader.phrase_mask(("regional", "global")).any()


def _event(title: str, day: str = "2024-05-06", **fields: object) -> Event:
    return validate_event({"title": title, "date": day, **fields}, fallback_id=title, path=f"{title}.json")


def test_changes_replace_and_remove_and_readers_follow(tmp_path: Path) -> None:
    with PersistentWriter(tmp_path) as writer:
        writer.put_file("a.json", FileStamp(1, 1), [_event("alpha water", topics=["water"])])
        writer.put_file("b.json", FileStamp(1, 1), [_event("beta water", topics=["water"])])
        writer.commit()
        reader = PersistentReader(tmp_path)
        assert reader.key_counts("topics") == {"water": 2}
        assert not reader.refresh()
        writer.put_file("a.json", FileStamp(2, 2), [_event("alpha energy", topics=["energy"])])
        writer.remove_file("b.json")
        assert not reader.refresh(), "nothing is visible before the commit"
        writer.commit()
        before = reader.live_mask()
        assert reader.refresh()
        added, removed = reader.changes_since(before)
        assert (added.tolist(), removed.tolist()) == ([2], [0, 1])
        assert reader.key_counts("topics") == {"energy": 1}
        assert not reader.word_mask("water").any()
        assert reader.word_mask("alpha").nonzero()[0].tolist() == [2]
        assert reader.file_stamps() == {"a.json": FileStamp(2, 2)}
        assert reader.docnos_of("alpha energy") == [2]
        reader.close()


def test_merging_keeps_the_answers_and_drops_the_removed(tmp_path: Path) -> None:
    with PersistentWriter(tmp_path) as writer:
        for round_ in range(3 * writer_module.MOST_SEGMENTS):
            writer.put_file(f"f{round_ % 5}.json", FileStamp(round_, 0), [_event(f"round{round_} common")])
            writer.commit()
        segments = os.listdir(tmp_path / "segments")
        assert len(segments) <= writer_module.MOST_SEGMENTS
        writer.merge()
    assert len(os.listdir(tmp_path / "segments")) == 1
    with PersistentReader(tmp_path) as reader:
        assert len(reader) == 5
        assert reader.word_mask("common").nonzero()[0].tolist() == list(range(19, 24))
        assert reader.word_mask("round2", prefix=True).nonzero()[0].tolist() == [20, 21, 22, 23]
    db = sqlite3.connect(tmp_path / "facts.sqlite")
    assert db.execute("SELECT count(*) FROM removed").fetchone()[0] == 0
    (segment,) = os.listdir(tmp_path / "segments")
    assert map_segment(tmp_path / "segments" / segment)["docnos"].tolist() == list(range(19, 24))


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    first = PersistentWriter(tmp_path)
    with pytest.raises(WriterBusy):
        PersistentWriter(tmp_path)
    first.close()
    PersistentWriter(tmp_path).close()


def test_a_damaged_or_foreign_index_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IndexDamaged):
        PersistentReader(tmp_path / "nothing")
    (tmp_path / "garbage").mkdir()
    (tmp_path / "garbage" / "facts.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(IndexDamaged):
        PersistentReader(tmp_path / "garbage")
    with PersistentWriter(tmp_path / "foreign") as writer:
        writer.put_file("a.json", FileStamp(1, 1), [_event("alpha")])
        writer.commit()
    (segment,) = (tmp_path / "foreign" / "segments").iterdir()
    segment.write_bytes(segment.read_bytes()[:100])
    with pytest.raises(IndexDamaged):
        PersistentReader(tmp_path / "foreign")
    db = sqlite3.connect(tmp_path / "foreign" / "facts.sqlite")
    db.execute("UPDATE meta SET value = 'someone-else-1' WHERE key = 'format'")
    db.commit()
    db.close()
    with pytest.raises(IndexDamaged):
        PersistentReader(tmp_path / "foreign")


KILLER = """
import os, signal, sys
from store.files.event_files import FileStamp
from store.index.persistent import PersistentWriter
from store.index.persistent import writer as writer_module
from store.model.validate import validate_event

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

point = sys.argv[2]
if point == "after segment written":
    write = writer_module.write_segment
    writer_module.write_segment = lambda *args: (write(*args), die())
else:  # inside the transaction, the events already inserted
    writer_module.PersistentWriter._set_meta = die
with PersistentWriter(sys.argv[1]) as writer:
    for number in range(50):
        event = validate_event({"title": f"second {number}", "date": "2024"}, fallback_id=str(number))
        writer.put_file(f"{number}.json", FileStamp(2, 2), [event])
    writer.commit()
"""


@pytest.mark.parametrize("point", ["after segment written", "inside the transaction"])
def test_a_kill_during_a_commit_leaves_the_last_commit(tmp_path: Path, point: str) -> None:
    with PersistentWriter(tmp_path) as writer:
        for number in range(50):
            writer.put_file(f"{number}.json", FileStamp(1, 1), [_event(f"first {number}")])
        writer.commit()
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLER), str(tmp_path), point], cwd=REPO, check=False
    )
    assert done.returncode == -signal.SIGKILL
    with PersistentReader(tmp_path) as reader:
        assert len(reader) == 50
        assert set(reader.file_stamps().values()) == {FileStamp(1, 1)}
        assert reader.word_mask("first").sum() == 50
        assert not reader.word_mask("second").any()
    assert len(os.listdir(tmp_path / "segments")) == 2  # the killed commit's segment, named by no commit
    with PersistentWriter(tmp_path) as writer:  # the orphan goes; writing goes on from the last commit
        assert len(os.listdir(tmp_path / "segments")) == 1
        writer.put_file("0.json", FileStamp(3, 3), [_event("third")])
        writer.commit()
    with PersistentReader(tmp_path) as reader:
        assert reader.word_mask("third").nonzero()[0].tolist() == [50]


words = st.sampled_from("alpha beta gamma delta water security regional talks ölçü straße".split())
titles = st.lists(words, min_size=1, max_size=6).map(" ".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 6), st.one_of(st.none(), titles), st.sampled_from(["water", "energy", "trade"])
        ),
        min_size=1,
        max_size=30,
    )
)
def test_random_changes_answer_as_the_in_memory_engine(
    tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[int, str | None, str]]
) -> None:
    """Files put and removed at random, committed every few changes: the reader's masks equal those of an
    in-memory index that saw the same adds and removes in the same order."""
    folder = tmp_path_factory.mktemp("random")
    memory = SearchIndex()
    ids: dict[str, str] = {}
    with PersistentWriter(folder) as writer, PersistentReader(folder) as reader:
        for step, (number, title, topic) in enumerate(changes):
            path = f"{number}.json"
            if path in ids:
                memory.remove(ids.pop(path))
            if title is None:
                writer.remove_file(path)
            else:
                event = validate_event(
                    {"title": title, "date": "2024", "id": f"{path}@{step}", "topics": [topic]},
                    fallback_id=path,
                    path=path,
                )
                writer.put_file(path, FileStamp(step, step), [event])
                memory.add(_fresh(event))
                ids[path] = event.id
            writer.commit()  # docnos match only if each change is committed before the next is numbered
            reader.refresh()
            live = memory.live_mask()
            assert np.array_equal(reader.live_mask()[: len(live)], live)
            for word in ("water", "alpha", "stra", "olcu", "regional"):
                assert np.array_equal(
                    reader.word_mask(word, prefix=True)[: len(live)], memory.word_mask(word, prefix=True)
                )
            assert reader.key_counts("topics") == {key: len(docs) for key, docs in memory.topics.items()}


def test_the_date_order_is_the_in_memory_engines(tmp_path: Path, corpus: Path) -> None:
    files = read_folder(corpus)
    same_day = [
        _event(name, "2024-05-06", id=name)
        for name in (
            "consultations-2024-b",
            "consultations-2024-a",
            "consultations-2024",
            "cons",
            "Ωmega",
            "b",
        )
    ]
    files.append(("same-day.json", FileStamp(1, 1), same_day, []))
    build(tmp_path / "index", files)
    memory = memory_index(files)
    with PersistentReader(tmp_path / "index") as reader:
        assert reader.date_order().tolist() == memory.date_order()[0].tolist()


def test_small_commits_are_merged_without_rewriting_the_large_segment(tmp_path: Path) -> None:
    with PersistentWriter(tmp_path) as writer:
        for number in range(100):
            writer.put_file(f"base{number}.json", FileStamp(1, 1), [_event(f"base {number}")])
        writer.commit()
        (base,) = os.listdir(tmp_path / "segments")
        for number in range(3 * writer_module.MOST_SEGMENTS):
            writer.put_file(f"new{number}.json", FileStamp(1, 1), [_event(f"new {number}")])
            writer.commit()
            segments = sorted(os.listdir(tmp_path / "segments"))
            assert segments[0] == base
            assert len(segments) <= writer_module.MOST_SEGMENTS
    with PersistentReader(tmp_path) as reader:
        assert reader.word_mask("new").sum() == 3 * writer_module.MOST_SEGMENTS
        assert reader.word_mask("base").sum() == 100
