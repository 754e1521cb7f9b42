"""Regenerate the README's screenshot: `python docs/make_screenshot.py` (the dashboard on fixtures/events).

Runs the real app headless at 160×50 with Textual's `run_test`, waits until the folder is loaded and the
side panes are counted, and saves an SVG with `save_screenshot`.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.app import CommuniqueApp  # noqa: E402


async def main() -> None:
    app = CommuniqueApp(str(ROOT / "fixtures" / "events"), use_cache=False)
    async with app.run_test(size=(160, 50)) as pilot:
        while not (app.dashboard.loaded and app.dashboard.counts_current):
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        app.save_screenshot(filename="screenshot.svg", path=str(ROOT / "docs"))


if __name__ == "__main__":
    asyncio.run(main())
