"""The Big List of Naughty Strings in every text field: every pane shows them inertly and nothing breaks."""

from __future__ import annotations

import re
from pathlib import Path

import orjson

from tests.app.conftest import MakeApp, running, wait_until
from tests.conftest import CORPORA

BLNS = CORPORA / "naughty-strings" / "blns.json"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def naughty_events(strings: list[str]) -> list[dict[str, object]]:
    """Ten strings per event, one in each text field."""
    events = []
    for number in range(0, len(strings), 10):
        chunk = (strings[number : number + 10] + ["x"] * 10)[:10]
        events.append(
            {
                "id": f"naughty-{number}",
                "title": chunk[0] or "(empty)",
                "date": "2024-01-01",
                "location": {"city": chunk[1]},
                "participants": [{"name": chunk[2] or "x", "role": chunk[3]}],
                "topics": [chunk[4]],
                "agenda": [chunk[5]],
                "organizations": [chunk[6]],
                "documents": [{"title": chunk[7] or "x"}],
                "source": {"name": chunk[8], "url": chunk[9]},
                "summary": chunk[9],
                "series": chunk[1],
            }
        )
    return events


async def test_naughty_strings_are_inert_in_every_pane(tmp_path: Path, make_app: MakeApp) -> None:
    strings = [s for s in orjson.loads(BLNS.read_bytes()) if isinstance(s, str)]
    folder = tmp_path / "events"
    folder.mkdir()
    (folder / "naughty.json").write_bytes(orjson.dumps(naughty_events(strings)))
    app = make_app(folder)
    async with running(app) as pilot:
        assert len(app.store) >= len(strings) // 10
        await pilot.press("e")  # the problems pane too
        for _ in range(0, len(app.store), 7):
            await wait_until(pilot, lambda: app.counted_generation == app.generation)
            screen = app.export_screenshot()
            assert not CONTROL.search(screen), CONTROL.search(screen)
            await pilot.press("pagedown")
        assert app.is_running
