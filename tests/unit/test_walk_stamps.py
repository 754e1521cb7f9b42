"""The reconcile walk's packed paths (`folder_index.Walked`) against the plain lists they stand for."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from store.persistence import folder_index
from store.persistence.folder_index import Walked

# Names as a folder can hold them: any character but NUL and the separator, undecodable bytes included
# (`os.fsdecode` gives them as surrogates).
names = st.one_of(
    st.text(st.characters(blacklist_characters="\0/", blacklist_categories=("Cs",)), min_size=1, max_size=12),
    st.binary(min_size=1, max_size=8)
    .filter(lambda raw: b"\0" not in raw and b"/" not in raw)
    .map(os.fsdecode),
)
paths = st.lists(
    st.builds(lambda folder, name: f"{folder}/{name}.json", names, names), unique=True, max_size=30
)


def walked(listing: list[str], stamps: list[int]) -> Walked:
    matrix = np.array([[stamp, 1, 2, 3] for stamp in stamps], dtype=np.int64).reshape(-1, 4)
    return Walked.of_paths(listing, matrix)


def plain_compare(new: dict[str, int], old: dict[str, int], order: list[str]) -> tuple[list[int], list[str]]:
    differ = [row for row, path in enumerate(order) if old.get(path) != new[path]]
    return differ, [path for path in old if path not in new]


@given(paths, paths, st.data())
def test_the_comparison_is_the_plain_one_of_path_to_stamp(now: list[str], before: list[str], data) -> None:
    stamps_now = data.draw(st.lists(st.integers(0, 2), min_size=len(now), max_size=len(now)))
    stamps_before = data.draw(st.lists(st.integers(0, 2), min_size=len(before), max_size=len(before)))
    walk, known = walked(now, stamps_now), walked(before, stamps_before)
    packed = Walked(walk.names, walk.stamps)  # as a walk makes it: no list of paths
    assert [packed.path(row) for row in range(len(now))] == now
    assert packed.paths == now
    rows, gone = folder_index.compare(Walked(walk.names, walk.stamps), Walked(known.names, known.stamps))
    plain_rows, plain_gone = plain_compare(
        dict(zip(now, stamps_now, strict=True)), dict(zip(before, stamps_before, strict=True)), now
    )
    assert (rows, sorted(gone)) == (plain_rows, sorted(plain_gone))


def test_a_walk_packs_what_it_finds_and_the_stamps_file_gives_it_back(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    (folder / "2023").mkdir(parents=True)
    for name in ("a.json", "é ü.json", "2023/b.json"):
        (folder / name).write_text("{}")
    (folder / os.fsdecode(b"\xff.json")).write_text("{}")
    walk = folder_index.walk(str(folder), folder_index.Reading())
    found = [walk.path(row) for row in range(len(walk))]
    assert sorted(found) == sorted(
        ["a.json", "é ü.json", os.path.join("2023", "b.json"), os.fsdecode(b"\xff.json")]
    )
    assert Walked(walk.names, walk.stamps).paths == found
    assert folder_index.compare(folder_index.walk(str(folder), folder_index.Reading()), walk) == ([], [])
    assert folder_index.walk(str(tmp_path / "empty-or-missing"), folder_index.Reading()).paths == []
