"""`python -m bench.engine_prototype.tantivy_engine --events N`: tantivy as the persistent index, measured.

Our words are folded and cut by `store.index.event_words` (the filter's own definition) and handed to tantivy as
one space-separated field under a whitespace tokenizer: tantivy's `default` tokenizer drops tokens longer
than 40 bytes and folds differently from `store.model.textfold`, so its answers would not be ours. The tokenizer
must be registered at every open (an index records only its name). Field keys are raw, fast, multi-valued
text fields so that terms aggregations count them in Rust; our own docno is a u64 fast field, because
tantivy's doc ids are per segment and change when segments merge.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
import tantivy

from bench.engine_prototype.common import (
    event_paths,
    floor_s,
    folder_mb,
    kill_while_committing,
    parse_args,
    peak_rss_mb,
    prepared,
    print_table,
    run_child,
    run_role,
    timed_ms,
    while_reading,
)
from store.model.dates import day_number

MODULE = "bench.engine_prototype.tantivy_engine"
FIELDS = ("country", "topic", "kind", "org", "person")


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("docno", stored=True, indexed=True, fast=True)
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("words", tokenizer_name="ws", index_option="position")
    for name in FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_bytes_field("facts", stored=True)
    return builder.build()


def open_index(folder: Path) -> tantivy.Index:
    index = tantivy.Index(schema(), path=str(folder), reuse=True)
    index.register_tokenizer("ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    return index


def document(docno: int, item: Any) -> tantivy.Document:
    event = item.event
    doc = tantivy.Document()
    doc.add_unsigned("docno", docno)
    doc.add_text("id", event.id)
    doc.add_text("words", item.sequence)
    for name in FIELDS:
        for key in item.keys[name]:
            doc.add_text(name, key)
    doc.add_integer("day", day_number(event.sort_date))
    doc.add_bytes("facts", orjson.dumps(event.as_json()))
    return doc


def build(folder: Path, paths: list[str], root: str) -> float:
    index = open_index(folder)
    writer = index.writer(heap_size=200_000_000, num_threads=2)
    start = time.perf_counter()
    for docno, item in enumerate(prepared(paths, root)):
        writer.add_document(document(docno, item))
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - start


def build_raw(folder: Path, paths: list[str]) -> float:
    """The issue's reference: raw file bytes through `add_json` (no validation, tantivy's tokenizer)."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=False)
    builder.add_text_field("summary")
    builder.add_text_field("text")
    builder.add_json_field("rest")
    index = tantivy.Index(builder.build(), path=str(folder))
    writer = index.writer(heap_size=200_000_000, num_threads=2)
    start = time.perf_counter()
    for path in paths:
        with open(path, "rb") as handle:
            writer.add_json(handle.read().decode())
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - start


def all_docnos(searcher: tantivy.Searcher, query: tantivy.Query) -> list[int]:
    """Every hit's docno: what a mask-based filter needs from the engine."""
    hits = searcher.search(query, limit=max(1, searcher.num_docs)).hits
    return searcher.fast_field_values("docno", [address for _, address in hits])


def reader(folder: Path) -> dict[str, Any]:
    """In a fresh process: open, query, count; its RSS is the reader's."""
    start = time.perf_counter()
    index = open_index(folder)
    searcher = index.searcher()
    opened = (time.perf_counter() - start) * 1000
    schema_ = index.schema
    word = tantivy.Query.term_query(schema_, "words", "security")
    rare = tantivy.Query.term_query(schema_, "words", "galuzin")
    figures: dict[str, Any] = {"open_ms": opened, "docs": searcher.num_docs}
    figures["word_ms:count galuzin"] = timed_ms(lambda: searcher.search(rare, 1).count)
    figures["word_ms:docnos galuzin"] = timed_ms(lambda: all_docnos(searcher, rare))
    figures["word_ms:count security"] = timed_ms(lambda: searcher.search(word, 1).count)
    figures["word_ms:docnos security"] = timed_ms(lambda: all_docnos(searcher, word))
    figures["hits:security"] = searcher.search(word, 1).count

    def prefix() -> int:
        terms = [term for term, _ in searcher.terms_with_prefix("words", "consul")]
        query = tantivy.Query.term_set_query(schema_, "words", terms)
        return searcher.search(query, 1).count

    figures["prefix_ms:consul (term dict)"] = timed_ms(prefix)
    figures["prefix_ms:s (term dict)"] = timed_ms(
        lambda: len(searcher.terms_with_prefix("words", "s")), repeat=3
    )
    phrase = tantivy.Query.phrase_query(schema_, "words", ["regional", "security"])
    figures["phrase_ms:regional security"] = timed_ms(lambda: searcher.search(phrase, 1).count)
    figures["phrase_ms:docnos"] = timed_ms(lambda: all_docnos(searcher, phrase))
    figures["hits:phrase"] = searcher.search(phrase, 1).count
    for name, value in (("country", "TM"), ("kind", "consultation"), ("topic", "water")):
        query = tantivy.Query.term_query(schema_, name, value)
        figures[f"field_ms:{name}:{value} count"] = timed_ms(
            lambda query=query: searcher.search(query, 1).count
        )
    dates = tantivy.Query.range_query(schema_, "day", tantivy.FieldType.Integer, 20100101, 20150630)
    figures["range_ms:2010..2015-06 count"] = timed_ms(lambda: searcher.search(dates, 1).count)
    figures["range_ms:docnos"] = timed_ms(lambda: all_docnos(searcher, dates))
    aggregation = {name: {"terms": {"field": name, "size": 500}} for name in ("topic", "person", "country")}
    everything = tantivy.Query.all_query()
    figures["facets_100k_ms:topic+person+country"] = timed_ms(
        lambda: searcher.aggregate(everything, aggregation)
    )
    few = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, tantivy.Query.term_query(schema_, "kind", "summit")),
            (tantivy.Occur.Must, tantivy.Query.term_query(schema_, "country", "RU")),
        ]
    )
    figures["hits:1k set"] = searcher.search(few, 1).count
    figures["facets_1k_ms:topic+person+country"] = timed_ms(lambda: searcher.aggregate(few, aggregation))
    order = timed_ms(lambda: searcher.search(word, 50, order_by_field="day").hits)
    figures["word_ms:top 50 by day"] = order
    figures["reader_rss_mb"] = peak_rss_mb()
    return figures


def commit_latency(folder: Path, paths: list[str], root: str) -> dict[str, float]:
    index = open_index(folder)
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    samples = []
    items = list(prepared(paths[:20], root))
    for number, item in enumerate(items):
        start = time.perf_counter()
        writer.delete_documents_by_term("id", item.event.id)
        writer.add_document(document(10_000_000 + number, item))
        writer.commit()
        samples.append((time.perf_counter() - start) * 1000)
    writer.wait_merging_threads()
    samples.sort()
    return {"commit_ms:one event p50": samples[len(samples) // 2], "commit_ms:p95": samples[-1]}


def read_loop(folder: Path, seconds: float) -> dict[str, Any]:
    """In a fresh process: query and reload for `seconds` while another process commits."""
    index = open_index(folder)
    query = tantivy.Query.term_query(index.schema, "words", "security")
    worst = 0.0
    counts = set()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        index.reload()
        counts.add(index.searcher().search(query, 1).count)
        worst = max(worst, (time.perf_counter() - start) * 1000)
    return {"read_during_commit_ms:worst": worst, "generations seen": len(counts)}


def concurrent_reads(folder: Path, paths: list[str], root: str) -> dict[str, Any]:
    def write() -> None:
        index = open_index(folder)
        writer = index.writer(heap_size=50_000_000, num_threads=1)
        for number, item in enumerate(prepared(paths[20:40], root)):
            writer.add_document(document(20_000_000 + number, item))
            writer.commit()
            time.sleep(0.05)
        writer.wait_merging_threads()

    return while_reading(MODULE, folder, write)


def crash_writer(folder: Path, paths_file: str) -> None:
    """Add many events and commit, to be killed with SIGKILL at some moment during it."""
    paths = json.loads(Path(paths_file).read_text())
    index = open_index(folder)
    writer = index.writer(heap_size=100_000_000, num_threads=2)
    for number, item in enumerate(prepared(paths, os.path.dirname(os.path.dirname(paths[0])))):
        writer.add_document(document(30_000_000 + number, item))
    print("committing", flush=True)
    writer.commit()
    print("committed", flush=True)


def crash_safety(folder: Path, paths: list[str]) -> dict[str, Any]:
    before = open_index(folder).searcher().num_docs
    outcomes = []
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(paths[:3000], handle)
    for delay in (0.0, 0.02, 0.05, 0.1, 0.3, None):
        kill_while_committing(MODULE, folder, [handle.name], delay)
        try:
            index = open_index(folder)
            count = index.searcher().num_docs
            query = tantivy.Query.term_query(index.schema, "words", "security")
            index.searcher().search(query, 1)
            outcomes.append(count - before)
            before = count
        except Exception as error:  # noqa: BLE001 - the figure is whether it opens at all
            outcomes.append(f"broken: {error}")
    os.unlink(handle.name)
    return {"crash:added docs after kill (0 or 3000 = valid)": str(outcomes)}


ROLES = {"reader": reader, "read_loop": lambda folder: read_loop(folder, 4.0), "crash_writer": crash_writer}


def main() -> None:
    if run_role(ROLES):
        return
    args = parse_args(__doc__.splitlines()[0])
    paths = event_paths(args.corpus)
    root = str(args.corpus)
    figures: dict[str, Any] = {"events": len(paths)}
    with tempfile.TemporaryDirectory(prefix="engine-tantivy-") as scratch:
        folder = args.out or Path(scratch) / "index"
        folder.mkdir(parents=True, exist_ok=True)
        floor = floor_s(paths)
        figures["floor_s"] = floor
        cold = build(folder, paths, root)
        figures["cold_s:our words, validated"] = cold
        figures["cold_ratio"] = cold / floor
        raw_folder = Path(scratch) / "raw"
        raw_folder.mkdir()
        raw = build_raw(raw_folder, paths)
        figures["cold_s:raw add_json (issue's reference)"] = raw
        figures["cold_ratio:raw add_json"] = raw / floor
        figures["size_mb"] = folder_mb(folder)
        figures.update(run_child(MODULE, "--role", "reader", str(folder)))
        figures.update(commit_latency(folder, paths, root))
        figures.update(concurrent_reads(folder, paths, root))
        figures.update(crash_safety(folder, paths))
    print_table(f"tantivy {tantivy.__version__}: {len(paths):,} events", figures)


if __name__ == "__main__":
    main()
