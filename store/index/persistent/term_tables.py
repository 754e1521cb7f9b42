"""Term tables (a sorted vocabulary, each term's documents end to end, offsets beside) merged by numpy, a
few operations per table rather than a Python step per term.

A bulk load leaves one table a commit, merged as segments pile up and once at its end; merged term by term
(`WordPostings.freeze`), that cost the writing process, the one that bounds a build, ~8 s of a
100,000-event build. Only what cannot be vectorised stays in Python: reading the vocabularies out and
sorting their union (C loops over bytes objects, ~0.1 µs a term). The plain definition is `WordPostings`:
the tests compare the two (`tests/unit/test_term_tables.py`).

A single commit's table is still frozen by `WordPostings`: measured on a 2,000-event chunk, gathering
every posting into numpy (~200,000 of them, one Python object each) cost more than its freeze.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from store.index.persistent.segments import TermTable

STEP = 1 << 20
"""Postings placed at once by a merge."""

Parts = tuple[list[bytes], np.ndarray, np.ndarray]
"""(vocabulary, offsets, postings), as `TermTable.arrays` takes them."""


def merged(tables: Sequence[TermTable], alive: np.ndarray) -> Parts:
    """The union of tables whose documents ascend from one table to the next, the documents not `alive`
    (a mask by document number) left out, and terms left with none dropped."""
    vocabularies = [table.terms(0, len(table)) for table in tables]
    vocabulary = sorted(set().union(*vocabularies))
    number = dict(zip(vocabulary, range(len(vocabulary)), strict=True))
    numbers = [
        np.fromiter(map(number.__getitem__, words), dtype=np.int64, count=len(words))
        for words in vocabularies
    ]
    bounds = [np.asarray(table.offsets, dtype=np.int64) for table in tables]
    counts = [ends[1:] - ends[:-1] for ends in bounds]
    total = np.zeros(len(vocabulary), dtype=np.int64)
    for ids, count in zip(numbers, counts, strict=True):
        total[ids] += count
    starts = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(total, out=starts[1:])
    postings = np.empty(int(starts[-1]), dtype=np.uint32)
    filled = starts[:-1].copy()
    for table, ids, ends, count in zip(tables, numbers, bounds, counts, strict=True):
        # each of the table's terms goes to the end of what the earlier tables put in its place, a run of
        # terms at a time so that the positions (8 bytes a posting) never span a whole large table
        first = 0
        while first < len(ids):
            end = max(first + 1, int(np.searchsorted(ends, ends[first] + STEP, side="right")) - 1)
            moved = np.repeat(filled[ids[first:end]] - ends[first:end], count[first:end])
            moved += np.arange(ends[first], ends[end], dtype=np.int64)
            postings[moved] = table.postings[ends[first] : ends[end]]
            first = end
        filled[ids] += count
    keep = alive[postings] if len(postings) else np.zeros(0, dtype=bool)
    kept = np.zeros(len(vocabulary), dtype=np.int64)
    held = total > 0
    if len(postings):
        kept[held] = np.add.reduceat(keep, starts[:-1][held], dtype=np.int64)
    has = kept > 0
    offsets = np.zeros(int(has.sum()) + 1, dtype=np.int64)
    np.cumsum(kept[has], out=offsets[1:])
    return (
        [term for term, here in zip(vocabulary, has.tolist(), strict=True) if here],
        offsets,
        postings[keep],
    )
