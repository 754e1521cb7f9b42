"""The problems pane [#errors]: unreadable files, one line each with the reason; `e` toggles it; the count in
the status bar; fixing or breaking a file updates both live."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import SEED_ID, MakeApp, running, wait_until


@pytest.fixture(name="make_app")
def _on_both_stores(make_app_on_both: MakeApp) -> MakeApp:
    return make_app_on_both


SEED_FILE = "2023/2023-05-04-tm-ru-consultations-ashgabat.json"


async def test_e_toggles_the_problems_pane_listing_each_file_with_its_reason(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        errors = app.query_one("#errors")
        assert not errors.display
        assert "1 problem file" in app.dashboard.status.text
        await pilot.press("e")
        assert errors.display
        assert len(errors.lines) == 1
        assert errors.lines[0].startswith("2023/broken.json")
        assert ": " in errors.lines[0] and len(errors.lines[0]) > len("2023/broken.json: ")
        assert app.focused is app.dashboard.meetings  # showing the pane does not take the focus
        await pilot.press("6")
        assert app.focused is errors
        await pilot.press("e")
        assert not errors.display
        assert app.focused is app.dashboard.meetings


async def test_fixing_and_breaking_files_updates_the_pane_and_the_count_live(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("e")
        errors = app.query_one("#errors")
        (corpus / "2023" / "broken.json").write_text(
            json.dumps({"id": "broken", "title": "A file mended", "date": "2023-12-01"})
        )
        await wait_until(pilot, lambda: "0 problem files" in app.dashboard.status.text, what="the fix")
        await wait_until(pilot, lambda: "broken" in app.dashboard.meetings.ids, what="the mended event")
        assert errors.lines == []

        (corpus / SEED_FILE).write_text('{"id": "tm-ru-2023-05-04-consultations", "title": ')
        await wait_until(pilot, lambda: "1 problem file" in app.dashboard.status.text, what="the breakage")
        assert any(line.startswith(SEED_FILE) for line in errors.lines)
        # The last good version stays on screen, marked as stale.
        assert SEED_ID in app.dashboard.meetings.ids
        row = app.dashboard.meetings.ids.index(SEED_ID)
        assert app.dashboard.meetings.render_line(row + 1).text.startswith("!")
        await pilot.press("home", *["down"] * row)
        await wait_until(pilot, lambda: app.dashboard.selection == SEED_ID, what="the stale event")
        assert "unreadable" in app.dashboard.detail.text
