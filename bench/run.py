"""`python -m bench.run [--events N] [--json]`: every figure of the performance issue, with its floor.

Each phase runs in a fresh Python process (`bench.phases`), so that one phase's memory and warm caches do
not flatter the next, and peak RSS is the phase's own. The operating system's page cache is warmed first
and shared by all phases, the floor included, so every ratio compares like with like: bytes already in
memory, parsed and indexed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import generate

TARGETS = {
    "cold_ratio": ("cold load in memory / floor", "≤ 1.5"),
    "warm_ratio": ("warm: index reopened / cold load in memory", "≤ 0.35"),
    "update_p95_ms": ("one file changed → store reports it, p95", "≤ 10 ms"),
    "filter_p95_ms": ("filter → matching ids, p95", "≤ 20 ms"),
    "aggregates_p95_ms": ("filter → participants + topics, p95", "≤ 50 ms"),
    "related_p95_ms": ("related events of one event, p95", "≤ 20 ms"),
    "resolution_update_p95_ms": ("one file changed → people resolved again, p95", "≤ 10 ms"),
    "arrival_resolved_p95_ms": ("a new file → stored and people resolved again, p95", "≤ 10 ms"),
    "changed_participants_p95_ms": ("one file changed → participants of all events, p95", "≤ 50 ms"),
    "changed_related_p95_ms": ("one file changed → related events of one event, p95", "≤ 20 ms"),
    "peak_rss_mb": ("peak RSS after a cold load", "≤ 400 MB"),
    "cli_query_ratio": ("`communique query DIR galuzin` / `grep -rli galuzin DIR`", "≤ 0.35"),
    "cli_query_rss_mb": ("peak RSS of `communique query` on an indexed folder", "≤ 100 MB"),
}


PHASES = (
    "warmup",
    "floor",
    "floor_all_cores",
    "cold",
    "first_launch",
    "warm",
    "queries",
    "updates",
    "stages",
    "app",
    "reopen",
    "reopen_changed",
    "cli",
)


def _ratio(figures: dict[str, float | None], numerator: str, denominator: str) -> float | None:
    top, bottom = figures.get(numerator), figures.get(denominator)
    return top / bottom if top is not None and bottom else None


def run_phase(name: str, corpus: Path, cache: Path, *extra: str) -> dict[str, float]:
    """The phase's figures; none, with its error on stderr, when it failed (the other figures still count)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.phases", name, str(corpus), *extra],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        print(f"phase {name} failed:\n{done.stderr[-3000:]}", file=sys.stderr)
        return {f"{name}_failed": 1.0}
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_command(command: list[str]) -> float | None:
    if not shutil.which(command[0]):
        return None
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--corpus", type=Path, help="where the synthetic corpus is (re)used; default bench/corpus-N"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        help="a cache folder kept between runs (the cli phase's persistent index is then built once, not "
        "at every run: minutes at 100,000 events); default: a temporary one",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--skip-app", action="store_true", help="skip the headless-app phases")
    parser.add_argument(
        "--phases",
        type=lambda text: text.split(","),
        default=PHASES,
        help=f"comma-separated, of {','.join(PHASES)} (default: all; warmup fills the page cache first)",
    )
    args = parser.parse_args(argv)
    corpus = args.corpus or Path(__file__).parent / f"corpus-{args.events}"
    started = time.perf_counter()
    generate(corpus, args.events, args.seed)
    generated = time.perf_counter() - started
    figures: dict[str, float | None] = {"events": args.events, "generate_s": generated}
    with (
        contextlib.nullcontext(str(args.cache))
        if args.cache
        else tempfile.TemporaryDirectory(prefix="communique-bench-")
    ) as cache_dir:
        cache = Path(cache_dir)
        cache.mkdir(mode=0o700, parents=True, exist_ok=True)
        for phase in PHASES:
            if phase in args.phases and not (phase == "app" and args.skip_app):
                figures.update(run_phase(phase, corpus, cache))
    # the machine may be shared: the load beside the figures says how much they can be trusted
    figures.update(zip(("load_1m", "load_5m", "load_15m"), os.getloadavg(), strict=True))
    figures["cold_ratio"] = _ratio(figures, "cold_s", "floor_s")
    figures["cold_ratio_all_cores"] = _ratio(figures, "cold_s", "floor_all_cores_s")
    figures["warm_ratio"] = _ratio(figures, "warm_s", "cold_s")
    figures["grep_s"] = time_command(["grep", "-rli", "galuzin", str(corpus)])
    figures["jq_s"] = time_command(
        [
            "sh",
            "-c",
            f"find {corpus} -name '*.json' -print0 | xargs -0 cat | jq -s '[.[].participants[]?.name] | group_by(.) | map({{name: .[0], events: length}}) | sort_by(-.events) | .[:20]'",
        ]
    )
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures)
    return 1 if any(name.endswith("_failed") for name in figures) else 0


def print_table(figures: dict[str, float | None]) -> None:
    def show(label: str, value: float | None, unit: str, target: str = "") -> None:
        text = "n/a" if value is None else f"{value:,.3f} {unit}".rstrip()
        print(f"  {label:<52} {text:>16}   {target}")

    print(
        f"Communiqué benchmark: {int(figures['events'] or 0):,} events, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    loads = [figures.get(name) for name in ("load_1m", "load_5m", "load_15m")]
    print(
        f"  load average at the end (1, 5, 15 min): {' '.join(f'{load:.2f}' for load in loads if load is not None)}"
    )
    show("floor: read + orjson.loads every file (gc paused)", figures.get("floor_s"), "s")
    show("cold load in memory (workers on the other cores)", figures.get("cold_s"), "s")
    show("  ratio to floor", figures.get("cold_ratio"), "×", "target ≤ 1.5")
    show("floor on every core (one process per core)", figures.get("floor_all_cores_s"), "s")
    show("  cold load / floor on every core", figures.get("cold_ratio_all_cores"), "×")
    show("  first rows available (first chunk indexed)", figures.get("first_rows_s"), "s", "target ≤ 1 s")
    show("first launch: the persistent index built from nothing", figures.get("first_launch_s"), "s")
    show("warm: the index reopened, nothing changed", figures.get("warm_s"), "s")
    show("  ratio to the cold load in memory", figures.get("warm_ratio"), "×", "target ≤ 0.35")
    show("incremental update in store, p50", figures.get("update_p50_ms"), "ms")
    show("incremental update in store, p95", figures.get("update_p95_ms"), "ms", "target ≤ 10 ms")
    show(
        "file written → row on screen, p95 (headless app)",
        figures.get("screen_p95_ms"),
        "ms",
        "target ≤ 300 ms",
    )
    show("filter → ids, p50", figures.get("filter_p50_ms"), "ms")
    show("filter → ids, p95", figures.get("filter_p95_ms"), "ms", "target ≤ 20 ms")
    show('phrase of two common words ("regional security")', figures.get("phrase_ms"), "ms")
    show("filter → participants + topics, p95", figures.get("aggregates_p95_ms"), "ms", "target ≤ 50 ms")
    show("related events of one event, p95", figures.get("related_p95_ms"), "ms", "target ≤ 20 ms")
    show("load → people and places resolved (in the load)", figures.get("queries_load_ms"), "ms")
    show("  resolution left for the first question", figures.get("resolution_build_ms"), "ms")
    show("  first related + participants of p:hadj", figures.get("first_questions_ms"), "ms")
    show(
        "one file changed → people resolved, p95",
        figures.get("resolution_update_p95_ms"),
        "ms",
        "target ≤ 10 ms",
    )
    show(
        "new file → stored + people resolved, p95",
        figures.get("arrival_resolved_p95_ms"),
        "ms",
        "target ≤ 10 ms",
    )
    show(
        "one file changed → participants of all events, p95",
        figures.get("changed_participants_p95_ms"),
        "ms",
        "target ≤ 50 ms",
    )
    show(
        "one file changed → related events of one event, p95",
        figures.get("changed_related_p95_ms"),
        "ms",
        "target ≤ 20 ms",
    )
    show(
        "keystroke → meetings repainted, p95 (headless app)",
        figures.get("keystroke_p95_ms"),
        "ms",
        "target ≤ 50 ms",
    )
    show("keystroke → side panes recounted, p95", figures.get("keystroke_settled_p95_ms"), "ms")
    print("  the dashboard opened again on its folder's persistent index (a fresh process):")
    show("  first rows on screen", figures.get("reopen_first_rows_s"), "s")
    show("  every pane counted (the reconcile walk included)", figures.get("reopen_full_panes_s"), "s")
    show("  the reconcile walk, as the dashboard ran it", figures.get("reopen_reconcile_s"), "s")
    show("  the walk alone, measured after (warm)", figures.get("reopen_walk_s"), "s")
    reopen, walk = figures.get("reopen_full_panes_s"), figures.get("reopen_reconcile_s")
    show("  full panes, walk aside", reopen - walk if reopen and walk else None, "s", "target ≤ 0.3 s")
    show("  peak RSS, panes counted", figures.get("reopen_panes_peak_rss_mb"), "MB", "target ≤ 150 MB")
    show("  the people built behind the panes", figures.get("reopen_people_built_s"), "s")
    show("  peak RSS with the people built", figures.get("reopen_peak_rss_mb"), "MB", "target ≤ 150 MB")
    show("  cursor moves meanwhile (each to its related list)", figures.get("reopen_moves"), "")
    show("  … a move, p95", figures.get("reopen_move_p95_ms"), "ms", "target ≤ 50 ms")
    show("  … the slowest move", figures.get("reopen_move_max_ms"), "ms")
    show("  … the interface thread's longest stall meanwhile", figures.get("reopen_loop_stall_max_ms"), "ms")
    print(
        "  … again, after files were added while no dashboard was open (its people's tables of an older commit):"
    )
    show("  first rows on screen", figures.get("reopen_changed_first_rows_s"), "s")
    show(
        "  every pane counted (the reconcile walk included)", figures.get("reopen_changed_full_panes_s"), "s"
    )
    show("  the reconcile walk, as the dashboard ran it", figures.get("reopen_changed_reconcile_s"), "s")
    reopen, walk = figures.get("reopen_changed_full_panes_s"), figures.get("reopen_changed_reconcile_s")
    show("  full panes, walk aside", reopen - walk if reopen and walk else None, "s", "target ≤ 0.3 s")
    show(
        "  peak RSS, panes counted", figures.get("reopen_changed_panes_peak_rss_mb"), "MB", "target ≤ 150 MB"
    )
    show("  the people built behind the panes", figures.get("reopen_changed_people_built_s"), "s")
    show(
        "  … a cursor move meanwhile, p95", figures.get("reopen_changed_move_p95_ms"), "ms", "target ≤ 50 ms"
    )
    show("peak RSS after cold load", figures.get("peak_rss_mb"), "MB", "target ≤ 400 MB")
    show("  peak RSS of a load worker process (exits after)", figures.get("worker_peak_rss_mb"), "MB")
    show("peak RSS, first launch (index built)", figures.get("first_launch_peak_rss_mb"), "MB")
    show("peak RSS, warm reopen (index reopened)", figures.get("warm_peak_rss_mb"), "MB")
    print(f"  where a cold load's time goes, one process, {int(figures.get('stage_events') or 0):,} events:")
    steps = ("read", "parse", "validate", "words", "pack", "index")
    for step in steps:
        show(f"    {step}", figures.get(f"stage_{step}_us"), "µs/event")
    whole = figures.get("stage_whole_us")
    show("    the store loading them (COMMUNIQUE_WORKERS=0)", whole, "µs/event")
    if whole is not None:
        rest = whole - sum(figures.get(f"stage_{step}_us") or 0 for step in steps)
        show("    bookkeeping (whole minus the steps)", rest, "µs/event")
    show("grep -rli galuzin DIR", figures.get("grep_s"), "s")
    print("  commands, each a fresh process (median of 5; grep alternating with them):")
    show("  first query: the persistent index built", figures.get("cli_cold_s"), "s")
    show("    its peak RSS (with its load workers)", figures.get("cli_cold_rss_mb"), "MB")
    show("  grep -rli galuzin DIR, same runs", figures.get("cli_grep_s"), "s")
    for name, words in (("query", "galuzin"), ("participants", "p:hadj"), ("topics", "country:TM")):
        show(f"  {name} DIR {words} (index up to date)", figures.get(f"cli_{name}_s"), "s")
        show("    ratio to grep", figures.get(f"cli_{name}_ratio"), "×", "target ≤ 0.35")
        show("    peak RSS", figures.get(f"cli_{name}_rss_mb"), "MB", "target ≤ 100 MB")
    show("jq: participants aggregate", figures.get("jq_s"), "s")


if __name__ == "__main__":
    sys.exit(main())
