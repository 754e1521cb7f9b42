"""One huge event: a 9.9 MB summary, and the cursor moved onto it and off it again and again.

Rendering such an event whole froze the dashboard 10–21 s on every cursor move; the detail pane now renders
the first screenful of a long field (`f` shows it whole), decompressing only that much. What a cursor move
costs on a screen is mostly Textual laying out and painting the pane, and that is the same for any event
that fills it; so the figure that says whether size still costs anything is the huge event against an
ordinary one that fills the pane (`screenful`), both shown the same way, in turns, in this process.

    python -m bench.long_event
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import orjson

from store.event_store import EventStore
from tui.app import CommuniqueApp
from tui.detail_pane import LONG_TEXT, event_content

SUMMARY_BYTES = 9_900_000
MOVES = 30
TARGET_MS = 50.0
EVENTS = {"small": "e01", "screenful": "e02", "big": "e03"}


async def measure(folder: Path) -> dict[str, list[float]]:
    """Milliseconds for the detail pane to show each event and the screen to repaint, in turns (a key
    press in a headless pilot adds its own wait, which would hide the figure)."""
    app = CommuniqueApp(folder, use_cache=False)
    times: dict[str, list[float]] = {which: [] for which in EVENTS}
    async with app.run_test(size=(160, 50)) as pilot:
        while len(app.store) < len(EVENTS):
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        for move in range(MOVES):
            which = list(EVENTS)[move % len(EVENTS)]
            event = app.store.get(EVENTS[which])
            started = time.perf_counter()
            app.detail.show(event)
            await pilot.pause()
            times[which].append((time.perf_counter() - started) * 1000)
    return times


def content_ms(folder: Path) -> float:
    """The pane's own work for the huge event (building what it shows), without Textual's layout."""
    store = EventStore(folder)
    store.load()
    event = store.get(EVENTS["big"])
    assert event is not None
    runs = []
    for _ in range(20):
        started = time.perf_counter()
        event_content(event)
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        words = ("regional security consultations " * (SUMMARY_BYTES // 32 + 1))[:SUMMARY_BYTES]
        summaries = {"small": "short", "screenful": words[: LONG_TEXT + 500], "big": words}
        for number, (which, summary) in enumerate(summaries.items(), 1):
            event = {"id": f"e0{number}", "title": which, "date": f"2023-05-0{number}", "summary": summary}
            (folder / f"e0{number}.json").write_bytes(orjson.dumps(event))
        times = asyncio.run(measure(folder))
        building = content_ms(folder)
    print(f"the detail pane shows a {SUMMARY_BYTES / 1e6:.1f} MB event between ordinary ones, {MOVES} moves")
    print(f"  (load average {os.getloadavg()[0]:.1f}: Textual's layout and paint scale with it)")
    for which in EVENTS:
        p95 = statistics.quantiles(times[which], n=20)[-1]
        print(f"  {which:<9} p50 {statistics.median(times[which]):7.1f} ms  p95 {p95:7.1f} ms")
    extra = statistics.median(times["big"]) - statistics.median(times["screenful"])
    print(f"  the huge event costs {extra:+.1f} ms (p50) over a screenful   target ≤ {TARGET_MS:.0f} ms")
    print(f"  building its content: {building:.2f} ms (p50)")
    return 0 if extra <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
