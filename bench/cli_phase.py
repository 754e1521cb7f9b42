"""The commands against `grep -rli` (exit 1, nothing found, is an answer too), in the same run: `communique query DIR WORD` on an indexed folder.

Each command is a fresh process (as a user runs it), timed from start to exit; its peak RSS comes from
`os.wait4`, the process's own (its load workers included when it has any). The first command builds the
folder's persistent index (the cold figure); the next ones open it, walk the folder and answer. `grep`
and the command alternate, so that both see the same load.
"""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_CLI_RUNS", "5"))
"""Runs of each command (and of grep) after the first; the median is shown."""
COMMANDS = {
    "query": ["query", "{corpus}", "galuzin"],
    "participants": ["participants", "{corpus}", "p:hadj"],
    "topics": ["topics", "{corpus}", "country:TM"],
}


def run_measured(command: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process (`ok`: the exit statuses that are not a failure)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in ok:
        raise RuntimeError(f"{command} exited with {child.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def median(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2]


def measure_cli(corpus: Path) -> dict[str, float]:
    # Every module compiled, as an installed tool runs (`make` compiles them at install; a checkout
    # changed since would otherwise time Python compiling our sources at each start).
    for package in ("store", "cli", "tui"):
        compileall.compile_dir(Path(__file__).parent.parent / package, quiet=1)

    def communique(name: str) -> list[str]:
        return [sys.executable, "-m", "cli.main", *(part.format(corpus=corpus) for part in COMMANDS[name])]

    figures: dict[str, float] = {}
    figures["cli_cold_s"], figures["cli_cold_rss_mb"] = run_measured(communique("query"))
    grep = shutil.which("grep")
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in [*COMMANDS, "grep"]}
    for _ in range(RUNS):
        for name in COMMANDS:
            samples[name].append(run_measured(communique(name)))
        if grep:
            samples["grep"].append(run_measured([grep, "-rli", "galuzin", str(corpus)], ok=(0, 1)))
    for name, runs in samples.items():
        if runs:
            figures[f"cli_{name}_s"] = median([wall for wall, _ in runs])
            figures[f"cli_{name}_worst_s"] = max(wall for wall, _ in runs)
            figures[f"cli_{name}_rss_mb"] = max(rss for _, rss in runs)
    if samples["grep"]:
        for name in COMMANDS:
            figures[f"cli_{name}_ratio"] = figures[f"cli_{name}_s"] / figures["cli_grep_s"]
    return figures
