"""One huge event: a 9.9 MB summary, and the cursor moved onto it and off it again and again.

Rendering such an event whole froze the dashboard 10–21 s on every cursor move; the detail pane now renders
the first part of a long field (`f` shows it whole). This measures the cursor move headless, in this process.

    python -m bench.long_event
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import orjson

from tui.app import CommuniqueApp

SUMMARY_BYTES = 9_900_000
MOVES = 20
TARGET_MS = 50.0


async def measure(folder: Path) -> dict[str, list[float]]:
    """Milliseconds for the detail pane to show each event and the screen to repaint, big and small in turn
    (a key press in a headless pilot adds its own wait, which would hide the figure)."""
    app = CommuniqueApp(folder, use_cache=False)
    times: dict[str, list[float]] = {"big": [], "small": []}
    async with app.run_test(size=(160, 50)) as pilot:
        while len(app.store) < 3:
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        for move in range(MOVES):
            which = "big" if move % 2 == 0 else "small"
            event = app.store.get("e02" if which == "big" else "e01")
            started = time.perf_counter()
            app.dashboard.detail.show(event)
            await pilot.pause()
            times[which].append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        words = ("regional security consultations " * (SUMMARY_BYTES // 32 + 1))[:SUMMARY_BYTES]
        for day, summary in (("01", "short"), ("02", words), ("03", "short")):
            event = {"id": f"e{day}", "title": f"Event {day}", "date": f"2023-05-{day}", "summary": summary}
            (folder / f"e{day}.json").write_bytes(orjson.dumps(event))
        times = asyncio.run(measure(folder))
    print(f"the detail pane shows a {SUMMARY_BYTES / 1e6:.1f} MB event, then a small one, {MOVES} times")
    for which in ("small", "big"):
        p95 = statistics.quantiles(times[which], n=20)[-1]
        target = f"target ≤ {TARGET_MS:.0f} ms" if which == "big" else "(the floor: a small event)"
        print(f"  {which:<5} p50 {statistics.median(times[which]):7.1f} ms  p95 {p95:7.1f} ms  {target}")
    return 0 if statistics.quantiles(times["big"], n=20)[-1] <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
