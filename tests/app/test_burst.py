"""A burst of 10,000 files written as fast as possible: every one is indexed, and keys keep working."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

from textual import events

from tests.app.conftest import MakeApp, running, wait_until

BURST = 10_000
WRITER = """
import sys, os, json
folder = sys.argv[1]
for number in range(int(sys.argv[2])):
    path = os.path.join(folder, "burst", str(number // 1000), f"b{number}.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        json.dump({"id": f"b{number}", "title": f"Burst event {number}", "date": "2024-02-01"}, handle)
"""
"""Another process, as the collectors are: a thread here would compete with the app for the GIL."""


async def test_every_file_of_a_burst_is_shown_and_keys_answer_meanwhile(
    corpus: Path, make_app: MakeApp
) -> None:
    app = make_app(corpus)
    async with running(app) as pilot:
        before = len(app.store)
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(corpus), str(BURST)])
        answered = []
        while writer.poll() is None:  # keys typed during the burst reach the filter
            # Pilot.press waits until the whole app is idle, which a burst postpones: the keys are posted
            # as a terminal would send them, and the time until their effect is on the filter is taken.
            started = time.monotonic()
            app.post_message(events.Key("slash", "/"))
            app.post_message(events.Key("z", "z"))
            while app.filter_bar.input.value != "z":
                assert time.monotonic() - started < 10, "the keys were not answered"
                await asyncio.sleep(0.005)
            answered.append(time.monotonic() - started)
            app.post_message(events.Key("escape", None))
            while app.filter_bar.input.value:
                await asyncio.sleep(0.005)
        assert writer.wait() == 0
        expected = before + BURST
        await wait_until(pilot, lambda: len(app.store) == expected, 60, "every file of the burst")
        await wait_until(pilot, lambda: f"{expected:,} events" in app.status.text, 10, "the count on screen")
        print(f"keys answered in at most {max(answered):.2f} s during the burst ({len(answered)} rounds)")
        assert len(answered) > 1 and max(answered) < 1.0
