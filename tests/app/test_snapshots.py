"""Screenshots of the main screen at 160×50 and 100×30 (and one with a filter and the problems pane), over
the fixed corpus, compared with the accepted ones in __snapshots__/ (`pytest --snapshot-update` to accept a
deliberate change after looking at it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.app.conftest import SEED_ID, ready, timeline_settled, wait_until
from tui.app import CommuniqueApp


@pytest.fixture
def app(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> CommuniqueApp:
    # A relative folder, so that the status bar reads the same on every machine.
    monkeypatch.chdir(corpus.parent)
    return CommuniqueApp("corpus", use_cache=False)


async def select_seed(pilot: Pilot) -> None:
    app = await ready(pilot)
    app.query_one("#filter", Input).cursor_blink = False
    await pilot.press("down")
    await wait_until(pilot, lambda: app.dashboard.selection == SEED_ID, what="the seed event")
    await pilot.pause()


def test_main_screen_160x50(snap_compare, app):
    assert snap_compare(app, terminal_size=(160, 50), run_before=select_seed)


def test_main_screen_100x30(snap_compare, app):
    assert snap_compare(app, terminal_size=(100, 30), run_before=select_seed)


def test_filtered_with_problems_160x50(snap_compare, app):
    async def run_before(pilot: Pilot) -> None:
        await select_seed(pilot)
        await pilot.press("slash", *"galuzin", "enter", "e")
        await wait_until(pilot, lambda: len(app.dashboard.meetings.ids) == 4, what="four matches")
        await wait_until(pilot, lambda: app.dashboard.counts_current, what="the counts")
        await wait_until(pilot, lambda: timeline_settled(app), what="the timeline")

    assert snap_compare(app, terminal_size=(160, 50), run_before=run_before)
