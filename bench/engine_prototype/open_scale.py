"""`python -m bench.engine_prototype.open_scale --docs N`: what opening `store.index.persistent` and its
mask questions cost at N documents, on synthetic postings (no files, no validation: a 1,000,000-event
corpus takes an hour to index on this machine, and opening depends only on the arrays' sizes).

The segments hold N documents with the benchmark corpus's shape: ~100 distinct words an event (as `bench.generate`'s events have) drawn
from a Zipf-like vocabulary of 300,000 words, and ~15 field keys an event. The SQLite file holds no
facts, so this measures what an open and a query touch: the segment list, the removed numbers, the
mapped arrays and the two per-docno arrays built from them.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.engine_prototype.common import peak_rss_mb, print_table, run_child, run_role, timed_ms
from store.index.persistent import PersistentReader, PersistentWriter
from store.index.persistent.segments import TermTable, write_segment
from store.index.persistent.storage import SEGMENTS, connect

MODULE = "bench.engine_prototype.open_scale"
WORDS_PER_EVENT = 100
VOCABULARY = 300_000


def synthetic_table(
    docs: int, terms: list[bytes], per_doc: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """About `per_doc` terms per document, term t in a share of documents ∝ 1/(t+1) (Zipf-like), each
    term's documents drawn, deduplicated and sorted on their own."""
    weights = 1.0 / np.arange(1, len(terms) + 1)
    planned = np.clip((weights / weights.sum() * docs * per_doc).astype(np.int64), 1, docs)
    chunks = [np.unique(rng.integers(0, docs, count, dtype=np.uint32)) for count in planned.tolist()]
    offsets = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum([len(chunk) for chunk in chunks], out=offsets[1:])
    return TermTable.arrays("x", terms, offsets, np.concatenate(chunks))


def build(folder: Path, docs: int) -> None:
    rng = np.random.default_rng(1)
    PersistentWriter(folder).close()  # the schema
    words = sorted(f"w{number:06d}".encode() for number in range(VOCABULARY))
    keys = sorted(f"topics\x1ft{number:04d}".encode() for number in range(400))
    arrays = {
        name.replace("x.", "words."): value
        for name, value in synthetic_table(docs, words, WORDS_PER_EVENT, rng).items()
    }
    key_arrays = {
        name.replace("x.", "keys."): value for name, value in synthetic_table(docs, keys, 15, rng).items()
    }
    arrays.update(key_arrays)
    arrays["keys.owners"] = np.repeat(
        np.arange(len(keys), dtype=np.int32), np.diff(key_arrays["keys.offsets"])
    )
    arrays["docnos"] = np.arange(docs, dtype=np.uint32)
    arrays["days"] = rng.integers(19900101, 20261231, size=docs, dtype=np.int32)
    arrays["idkeys"] = rng.integers(0, 2**63, size=docs, dtype=np.uint64)
    write_segment(folder / SEGMENTS / "000000000001.seg", arrays)
    db = connect(folder, create=False)
    db.execute("INSERT INTO segments VALUES ('000000000001.seg', ?)", (docs,))
    db.execute("UPDATE meta SET value = ? WHERE key = 'next_docno'", (str(docs),))
    db.execute("UPDATE meta SET value = '1' WHERE key = 'generation'")
    db.close()


def main() -> None:
    if run_role({"reader": reader}):
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="engine-scale-") as scratch:
        folder = Path(scratch)
        start = time.perf_counter()
        build(folder, args.docs)
        figures: dict[str, object] = {"docs": args.docs, "synthetic build_s": time.perf_counter() - start}
        figures["size_mb"] = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6
        figures.update(run_child(MODULE, "--role", "reader", str(folder)))
    print_table(f"store.index.persistent opened at {args.docs:,} synthetic documents", figures)


def reader(folder: Path) -> dict[str, object]:
    """In a fresh process (its RSS is the reader's)."""
    start = time.perf_counter()
    reader = PersistentReader(folder)
    figures: dict[str, object] = {"open_ms": (time.perf_counter() - start) * 1000}
    with reader:
        figures["word_ms:rare"] = timed_ms(lambda: reader.word_mask("w299999"))
        figures["word_ms:most common"] = timed_ms(lambda: reader.word_mask("w000000"))
        figures["prefix_ms:w0 (a third of the vocabulary)"] = timed_ms(
            lambda: reader.word_mask("w0", prefix=True), repeat=3
        )
        figures["range_ms:date range"] = timed_ms(lambda: reader.date_mask("2010-01-01", "2015-06-30"))
        figures["facets_100k_ms:400 topics over every document"] = timed_ms(
            lambda: reader.key_counts("topics")
        )
        some = reader.date_mask("2010-01-01", "2010-02-01")
        figures["facets_1k_ms:400 topics over one month"] = timed_ms(
            lambda: reader.key_counts("topics", some)
        )
        start = time.perf_counter()
        reader.date_order()  # kept once computed, so timed once
        figures["order_ms:date order, first time"] = (time.perf_counter() - start) * 1000
        figures["reader_rss_mb"] = peak_rss_mb()
    return figures


if __name__ == "__main__":
    main()
