"""Ten dashboards on one folder, each in its own process as `communique serve` runs a browser session: the
first writes the index, the others follow its commits. Prints their RSS and PSS (shared pages counted once
between them) summed, once every one has its panes counted (the writer its people built too: the
followers answer from the people's tables it writes), beside the issue's target.

    python -m bench.sessions --corpus bench/corpus-100000 [--sessions 10]

The folder's index is the one under `$XDG_CACHE_HOME/communique/` (built by the first session if missing).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time

TARGET_MB = 1500


async def _session(corpus: str) -> None:
    from tui.app import CommuniqueApp  # noqa: PLC0415 - the parent process never starts an app

    app = CommuniqueApp(corpus, use_cache=True)
    async with app.run_test(size=(160, 50)) as pilot:
        while not (app.dashboard.loaded and app.dashboard.counts_current):
            await pilot.pause(0.05)
        indexed = getattr(app.store, "indexed", None)
        following = bool(getattr(app.store, "following", False))
        while indexed is not None and not following and not indexed.people_built:
            await pilot.pause(0.1)  # the writer builds them for the tables it writes; followers read those
        built = indexed is not None and indexed.people_built
        print(f"ready {'built' if built else 'tables'}", flush=True)
        while True:  # held open until the parent has read its memory
            await pilot.pause(0.5)


def _memory_mb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process, in MB."""
    found = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                found[name] = int(rest.split()[0]) // 1024
    return found["Rss"], found["Pss"]


def _ready(session: subprocess.Popen[str], failure: str) -> str:
    """How the session answers the people, once its panes are counted: 'built' or 'tables'."""
    line = session.stdout.readline().split() if session.stdout else []
    if not line or line[0] != "ready":
        raise SystemExit(failure)
    return line[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sessions", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        asyncio.run(_session(args.corpus))
        return 0
    command = [sys.executable, "-m", "bench.sessions", "--child", "--corpus", args.corpus]
    started = time.perf_counter()
    sessions: list[subprocess.Popen[str]] = []
    ready: list[str] = []
    try:
        for number in range(args.sessions):
            sessions.append(subprocess.Popen(command, stdout=subprocess.PIPE, text=True))
            if number == 0:  # the writer first, as in serve
                ready.append(_ready(sessions[0], "the first session did not get its panes"))
        for session in sessions[1:]:
            ready.append(_ready(session, "a following session did not get its panes"))
        print(f"{args.sessions} sessions on {args.corpus}, ready after {time.perf_counter() - started:.1f} s")
        figures = [_memory_mb(session.pid) for session in sessions]
        for number, (rss, pss) in enumerate(figures):
            role = "writes" if number == 0 else "follows"
            print(f"  session {number} ({role}, people {ready[number]}): RSS {rss} MB, PSS {pss} MB")
        rss_total, pss_total = sum(rss for rss, _ in figures), sum(pss for _, pss in figures)
        print(f"  together: RSS {rss_total} MB, PSS {pss_total} MB   target ≤ {TARGET_MB} MB")
    finally:
        for session in sessions:
            session.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
