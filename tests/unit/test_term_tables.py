"""The numpy merge of term tables (`store.index.persistent.term_tables`) against its plain definition,
`WordPostings`: the same vocabulary, offsets and documents for any documents, terms and deaths."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from store.index.persistent import term_tables
from store.index.persistent.segments import TermTable
from store.index.persistent.term_tables import merged
from store.index.word_postings import WordPostings

TERMS = st.sets(st.binary(min_size=1, max_size=3), max_size=6)
DOCUMENTS = st.lists(TERMS, max_size=12)
"""Each document's distinct terms; short binary terms share prefixes and bytes often."""


def plain(documents: list[tuple[int, set[bytes]]], alive: np.ndarray | None = None) -> tuple[object, ...]:
    postings = WordPostings()
    for docno, terms in documents:
        postings.add(docno, terms)
    postings.freeze(alive)
    return postings.vocabulary, postings.offsets.tolist(), postings.block.tolist()


def numbered(tables: list[list[set[bytes]]]) -> list[list[tuple[int, set[bytes]]]]:
    """Documents numbered on from one table to the next, with gaps (numbers of removed documents)."""
    out, docno = [], 0
    for documents in tables:
        out.append([(docno + 2 * number, terms) for number, terms in enumerate(documents)])
        docno += 2 * len(documents) + 1
    return out


def as_table(documents: list[tuple[int, set[bytes]]]) -> TermTable:
    """A commit's table, as the writer freezes it (`writer.segment_arrays`)."""
    postings = WordPostings()
    for docno, terms in documents:
        postings.add(docno, terms)
    postings.freeze()
    return TermTable.of(TermTable.arrays("t", postings.vocabulary, postings.offsets, postings.block), "t")


@given(st.lists(DOCUMENTS, min_size=1, max_size=4), st.data())
def test_merged_tables_are_what_word_postings_freezes_with_the_dead_left_out(
    tables: list[list[set[bytes]]], data: st.DataObject
) -> None:
    parts = numbered(tables)
    every = [document for documents in parts for document in documents]
    size = max((d for d, _ in every), default=0) + 1
    alive = np.array(data.draw(st.lists(st.booleans(), min_size=size, max_size=size)), dtype=bool)
    step, term_tables.STEP = term_tables.STEP, data.draw(st.sampled_from([1, 2, 5, term_tables.STEP]))
    try:  # placed a few postings at a time, as a large table is
        vocabulary, offsets, postings = merged([as_table(documents) for documents in parts], alive)
    finally:
        term_tables.STEP = step
    assert (vocabulary, offsets.tolist(), postings.tolist()) == plain(every, alive)
