"""Loading a large folder runs in a background worker: rows show before it ends, a progress bar shows the
rest, and the app answers keys meanwhile."""

from __future__ import annotations

import asyncio
import json

from textual.widgets import ProgressBar

from tests.app.conftest import wait_until

FILES = 8_000
"""Four chunks of the store's bulk load: enough for a load that visibly takes a while."""
CHUNK = 2_000
"""Files the store reads between two progress reports (`EventStore.load_stamped`)."""


def large_folder(tmp_path):
    folder = tmp_path / "large"
    for start in range(0, FILES, 500):
        sub = folder / f"batch{start // 500:02}"
        sub.mkdir(parents=True)
        for number in range(start, start + 500):
            event = {"id": f"e{number:05}", "title": f"Consultations round {number}", "date": "2021-03-04"}
            (sub / f"e{number:05}.json").write_text(json.dumps(event))
    return folder


async def test_rows_and_progress_show_while_loading_and_keys_are_answered(tmp_path, make_app):
    app = make_app(large_folder(tmp_path))
    async with app.run_test(size=(160, 50)) as pilot:
        progress = app.query_one("#progress", ProgressBar)
        assert progress.display
        await wait_until(pilot, lambda: app.meetings.ids or app.loaded, 10, "the first rows")
        assert not app.loaded, "the load ended before any partial result was shown"
        assert 0 < len(app.meetings.ids) < FILES
        assert "loading" in app.status.text
        assert progress.percentage is not None and progress.percentage < 1
        first = app.meetings.selected_id
        await pilot.press("down")  # keys work while the load runs
        selected = app.meetings.selected_id
        assert selected not in (first, None)
        await pilot.press("question_mark")
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.loaded, 30, "the end of the load")
        assert not progress.display
        assert len(app.meetings.ids) == FILES
        assert f"{FILES:,} events" in app.status.text
        assert app.meetings.selected_id == selected  # the partial views never moved the cursor


async def test_until_the_user_moves_the_newest_event_stays_on_top(tmp_path, make_app):
    app = make_app(large_folder(tmp_path))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: app.meetings.ids or app.loaded, 10, "the first rows")
        await wait_until(pilot, lambda: app.loaded, 30, "the end of the load")
        await pilot.pause()
        assert app.meetings.cursor == 0 and app.meetings.scroll_offset.y == 0
        assert app.meetings.selected_id == "e07999"  # newest first (same day: ids descending)
        assert app.shown_id == "e07999"


async def test_quitting_during_the_load_stops_the_loader(tmp_path, make_app):
    app = make_app(large_folder(tmp_path))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: app.meetings.ids or app.loaded, 10, "the first rows")
        await pilot.press("q")
        loaded_at_quit = len(app.store)
    assert not app.loaded
    await asyncio.sleep(3)  # longer than the whole load takes when nothing stops it
    # The loader checks for quitting between chunks: at most the chunk under way is finished.
    assert len(app.store) <= loaded_at_quit + CHUNK
    assert len(app.store) < FILES
