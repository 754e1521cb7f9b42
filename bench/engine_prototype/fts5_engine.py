"""`python -m bench.engine_prototype.fts5_engine --events N`: SQLite FTS5 as the persistent index, measured.

Python's own `sqlite3` module (no new dependency). Words are folded and cut by `store.index.event_words` and
stored space-separated in a contentless FTS5 table under the `ascii` tokenizer, which then splits exactly
at our separators (FTS5's `unicode61` folds diacritics its own way). Field keys are a WITHOUT ROWID table
(field, key, docno); facets are GROUP BY over it, and, for comparison, `numpy.bincount` over the same keys
kept as per-docno arrays (what `store/index/persistent` does). WAL lets readers read during a commit.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import orjson

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

MODULE = "bench.engine_prototype.fts5_engine"
FIELDS = ("country", "topic", "kind", "org", "person")
SCHEMA = """
PRAGMA journal_mode=WAL;
CREATE TABLE IF NOT EXISTS events(docno INTEGER PRIMARY KEY, id TEXT UNIQUE, path TEXT, day INTEGER, facts BLOB);
CREATE TABLE IF NOT EXISTS keys(field TEXT, key TEXT, docno INTEGER, PRIMARY KEY(field, key, docno)) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(words, content='', tokenize='ascii', detail=full);
CREATE INDEX IF NOT EXISTS events_day ON events(day);
"""


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.executescript(SCHEMA)
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def insert(connection: sqlite3.Connection, docno: int, item: Any) -> None:
    event = item.event
    connection.execute(
        "INSERT INTO events VALUES (?,?,?,?,?)",
        (docno, event.id, item.path, day_number(event.sort_date), orjson.dumps(event.as_json())),
    )
    connection.executemany(
        "INSERT OR IGNORE INTO keys VALUES (?,?,?)",
        [(name, key, docno) for name in FIELDS for key in item.keys[name]],
    )
    connection.execute("INSERT INTO fts(rowid, words) VALUES (?,?)", (docno, item.sequence))


def replace(connection: sqlite3.Connection, docno: int, item: Any) -> None:
    """A changed file's event: the old row, keys and words out (a contentless FTS5 table of SQLite < 3.43
    deletes only when given the old words again: the stored facts give them), the new ones in."""
    row = connection.execute("SELECT docno FROM events WHERE id = ?", (item.event.id,)).fetchone()
    if row is not None:
        old = row[0]
        connection.execute("DELETE FROM events WHERE docno = ?", (old,))
        connection.executemany(
            "DELETE FROM keys WHERE field=? AND key=? AND docno=?",
            [(name, key, old) for name in FIELDS for key in item.keys[name]],
        )
        connection.execute("INSERT INTO fts(fts, rowid, words) VALUES ('delete', ?, ?)", (old, item.sequence))
    insert(connection, docno, item)


def build(path: Path, paths: list[str], root: str) -> float:
    connection = connect(path)
    start = time.perf_counter()
    connection.execute("BEGIN")
    for docno, item in enumerate(prepared(paths, root)):
        insert(connection, docno, item)
    connection.execute("COMMIT")
    connection.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def docnos(connection: sqlite3.Connection, match: str) -> np.ndarray:
    rows = connection.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (match,)).fetchall()
    return np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))


def reader(path: Path) -> dict[str, Any]:
    start = time.perf_counter()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("SELECT count(*) FROM events WHERE docno = 0").fetchone()
    opened = (time.perf_counter() - start) * 1000
    figures: dict[str, Any] = {"open_ms": opened}
    figures["word_ms:docnos galuzin"] = timed_ms(lambda: docnos(connection, "galuzin"))
    figures["word_ms:docnos security"] = timed_ms(lambda: docnos(connection, "security"))
    figures["word_ms:count security"] = timed_ms(
        lambda: connection.execute("SELECT count(*) FROM fts WHERE fts MATCH 'security'").fetchone()
    )
    figures["prefix_ms:consul* (term dict)"] = timed_ms(lambda: docnos(connection, "consul*"))
    figures["prefix_ms:s*"] = timed_ms(lambda: docnos(connection, "s*"), repeat=1)
    figures["phrase_ms:regional security"] = timed_ms(lambda: docnos(connection, '"regional security"'))
    figures["hits:phrase"] = len(docnos(connection, '"regional security"'))

    def field(name: str, value: str) -> np.ndarray:
        rows = connection.execute("SELECT docno FROM keys WHERE field=? AND key=?", (name, value)).fetchall()
        return np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))

    for name, value in (("country", "TM"), ("kind", "consultation"), ("topic", "water")):
        figures[f"field_ms:{name}:{value} docnos"] = timed_ms(
            lambda name=name, value=value: field(name, value)
        )
    figures["range_ms:2010..2015-06 docnos"] = timed_ms(
        lambda: connection.execute(
            "SELECT docno FROM events WHERE day BETWEEN 20100101 AND 20150630"
        ).fetchall()
    )

    def facets(where: str) -> list[Any]:
        return [
            connection.execute(
                f"SELECT key, count(*) AS n FROM keys WHERE field=? {where} GROUP BY key ORDER BY n DESC",
                (name,),
            ).fetchall()
            for name in ("topic", "person", "country")
        ]

    figures["facets_100k_ms:GROUP BY, all events"] = timed_ms(lambda: facets(""), repeat=3)
    few = "AND docno IN (SELECT docno FROM keys WHERE field='kind' AND key='summit' INTERSECT SELECT docno FROM keys WHERE field='country' AND key='RU')"
    figures["hits:1k set"] = connection.execute(
        "SELECT count(*) FROM (SELECT docno FROM keys WHERE field='kind' AND key='summit' INTERSECT SELECT docno FROM keys WHERE field='country' AND key='RU')"
    ).fetchone()[0]
    figures["facets_1k_ms:GROUP BY"] = timed_ms(lambda: facets(few), repeat=3)

    # The same counts from per-docno arrays loaded from the keys table (what numpy fast fields give).
    start = time.perf_counter()
    columns = {}
    for name in ("topic", "person", "country"):
        rows = connection.execute(
            "SELECT key, docno FROM keys WHERE field=? ORDER BY docno", (name,)
        ).fetchall()
        names = sorted({key for key, _ in rows})
        code = {key: number for number, key in enumerate(names)}
        columns[name] = (
            names,
            np.fromiter((code[key] for key, _ in rows), dtype=np.int32, count=len(rows)),
            np.fromiter((docno for _, docno in rows), dtype=np.int64, count=len(rows)),
        )
    figures["fast fields: loaded from SQL rows (ms)"] = (time.perf_counter() - start) * 1000
    size = connection.execute("SELECT max(docno) + 1 FROM events").fetchone()[0]
    everyone = np.ones(size, dtype=bool)
    some = np.zeros(size, dtype=bool)
    some[np.random.default_rng(1).choice(size, 1000, replace=False)] = True

    def bincounts(mask: np.ndarray) -> list[np.ndarray]:
        return [
            np.bincount(codes[mask[docs]], minlength=len(names)) for names, codes, docs in columns.values()
        ]

    figures["facets_100k_ms:numpy bincount"] = timed_ms(lambda: bincounts(everyone))
    figures["facets_1k_ms:numpy bincount"] = timed_ms(lambda: bincounts(some))
    figures["reader_rss_mb"] = peak_rss_mb()
    return figures


def commit_latency(path: Path, paths: list[str], root: str) -> dict[str, float]:
    connection = connect(path)
    samples = []
    for number, item in enumerate(prepared(paths[:20], root)):
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        replace(connection, 10_000_000 + number, item)
        connection.execute("COMMIT")
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"commit_ms:one event p50": samples[len(samples) // 2], "commit_ms:p95": samples[-1]}


def read_loop(path: Path, seconds: float) -> dict[str, Any]:
    connection = sqlite3.connect(path, isolation_level=None)
    worst = 0.0
    counts = set()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        counts.add(connection.execute("SELECT max(docno) FROM events").fetchone()[0])
        docnos(connection, "galuzin")
        worst = max(worst, (time.perf_counter() - start) * 1000)
    return {"read_during_commit_ms:worst": worst, "generations seen": len(counts)}


def concurrent_reads(path: Path, paths: list[str], root: str) -> dict[str, Any]:
    def write() -> None:
        connection = connect(path)
        for number, item in enumerate(prepared(paths[20:40], root)):
            connection.execute("BEGIN IMMEDIATE")
            replace(connection, 20_000_000 + number, item)
            connection.execute("COMMIT")
            time.sleep(0.05)

    return while_reading(MODULE, path, write)


def crash_writer(path: Path, paths_file: str) -> None:
    paths = json.loads(Path(paths_file).read_text())
    connection = connect(path)
    connection.execute("BEGIN IMMEDIATE")
    root = os.path.dirname(os.path.dirname(paths[0]))
    for number, item in enumerate(prepared(paths, root)):
        replace(connection, 30_000_000 + number, item)
    print("committing", flush=True)
    connection.execute("COMMIT")
    print("committed", flush=True)


def crash_safety(path: Path, paths: list[str]) -> dict[str, Any]:
    def count() -> int:
        connection = sqlite3.connect(path)
        found = connection.execute("SELECT count(*) FROM events WHERE docno >= 30000000").fetchone()[0]
        connection.execute("PRAGMA integrity_check").fetchone()
        connection.execute("INSERT INTO fts(fts) VALUES ('integrity-check')")
        connection.close()
        return found

    outcomes: list[Any] = []
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(paths[-3000:], handle)
    for delay in (0.0, 0.005, 0.02, 0.05, 0.3, None):
        kill_while_committing(MODULE, path, [handle.name], delay)
        try:
            after = count()
            outcomes.append(after)
        except sqlite3.DatabaseError as error:
            outcomes.append(f"broken: {error}")
    os.unlink(handle.name)
    return {"crash:events of the killed commit after reopen (0 or 3000 = valid)": str(outcomes)}


ROLES = {"reader": reader, "read_loop": lambda path: read_loop(path, 4.0), "crash_writer": crash_writer}


def main() -> None:
    if run_role(ROLES):
        return
    args = parse_args(__doc__.splitlines()[0])
    paths = event_paths(args.corpus)
    root = str(args.corpus)
    figures: dict[str, Any] = {"events": len(paths), "sqlite": sqlite3.sqlite_version}
    with tempfile.TemporaryDirectory(prefix="engine-fts5-") as scratch:
        folder = args.out or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "index.sqlite"
        floor = floor_s(paths)
        figures["floor_s"] = floor
        cold = build(path, paths, root)
        figures["cold_s:our words, validated"] = cold
        figures["cold_ratio"] = cold / floor
        figures["size_mb"] = folder_mb(folder)
        figures.update(run_child(MODULE, "--role", "reader", str(path)))
        figures.update(commit_latency(path, paths, root))
        figures.update(concurrent_reads(path, paths, root))
        figures.update(crash_safety(path, paths))
    print_table(f"SQLite {sqlite3.sqlite_version} FTS5: {len(paths):,} events", figures)


if __name__ == "__main__":
    main()
