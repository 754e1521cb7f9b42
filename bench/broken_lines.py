"""One hostile file: a 10 MB `.jsonl` of five million broken lines, asked one query.

Each kept problem costs a `Problem` and its message, so before problems were capped per file
(`store.files.event_files.MAX_PROBLEMS_PER_FILE`) this one file cost 11 s and 1.1 GB for `communique query`.
The query runs in a child process, as a user runs it, so that its time and peak memory are its own.

    python -m bench.broken_lines
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINES = 5_000_000
TARGET_SECONDS = 2.0
TARGET_MB = 200.0


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "broken.jsonl").write_bytes(b"x\n" * LINES)
        command = [sys.executable, "-m", "cli.main", "query", "--no-cache", folder]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env={**os.environ, "COMMUNIQUE_WORKERS": "0"})
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"one query over a 10 MB .jsonl of {LINES:,} broken lines (exit {done.returncode})")
    print(f"  time       {seconds:8.2f} s    target ≤ {TARGET_SECONDS:.0f} s")
    print(f"  peak RSS   {peak_mb:8.0f} MB   target ≤ {TARGET_MB:.0f} MB")
    return 0 if seconds <= TARGET_SECONDS and peak_mb <= TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
