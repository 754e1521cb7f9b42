"""The panes are there with their ids, the status bar counts, and the keys that move between panes work."""

from __future__ import annotations

import asyncio

from textual.widgets import Footer, Input

from store.event_store import open_store
from tests.app.conftest import SEED_ID, running, wait_until
from tui.help_screen import HelpTable

PANES = [
    "#filter",
    "#timeline",
    "#meetings",
    "#detail",
    "#participants",
    "#topics",
    "#xrefs",
    "#errors",
    "#alerts",
    "#status",
]


async def test_every_pane_has_its_id_and_the_store_is_loaded(fixture_events, make_app):
    expected = open_store(fixture_events)
    app = make_app(fixture_events)
    async with running(app):
        for selector in PANES:
            assert app.query_one(selector) is not None, selector
        assert app.query_one(Footer)
        assert len(app.meetings.ids) == len(expected)
        assert f"{len(expected):,} events" in app.status.text
        assert SEED_ID in app.meetings.ids
        assert app.focused is app.meetings


async def test_status_bar_counts_events_matches_problem_files_and_the_watcher(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        text = app.status.text
        assert "corpus" in text
        assert "10 events" in text
        assert "10 matching" in text
        assert "1 problem file" in text
        assert "live" in text
        await pilot.press("slash", *"galuzin")
        await wait_until(pilot, lambda: "4 matching" in app.status.text, what="4 matching")
        assert "10 events" in app.status.text


async def test_status_bar_separates_thousands(make_app, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    lines = "\n".join(
        f'{{"id": "e{number}", "title": "Event {number}", "date": "2020-01-01"}}' for number in range(1234)
    )
    (folder / "many.jsonl").write_text(lines)
    app = make_app(folder)
    async with running(app):
        assert "1,234 events" in app.status.text
        assert "1,234 matching" in app.status.text


async def test_tab_cycles_the_panes_and_number_keys_jump(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        seen = []
        for _ in range(7):
            await pilot.press("tab")
            seen.append(app.focused.id)
        # the numbers' order (1 meetings, 2 detail, … 8 timeline; 6 and 7 hidden), then the filter
        assert seen == ["detail", "participants", "topics", "xrefs", "timeline", "filter", "meetings"]
        await pilot.press("shift+tab")
        assert app.focused.id == "filter"
        await pilot.press("shift+tab")
        assert app.focused.id == "timeline"
        await pilot.press("7", "tab")  # a shown pane joins the chain in its place
        assert app.focused.id == "timeline"
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused.id == "xrefs"
        await pilot.press("a")  # hidden again
        assert not app.query_one("#alerts").display
        await pilot.press("slash")
        assert app.focused.id == "filter"
        await pilot.press("escape")
        assert app.focused.id == "meetings"
        for key, pane in zip("2345", ["detail", "participants", "topics", "xrefs"], strict=True):
            await pilot.press(key)
            assert app.focused.id == pane
        assert not app.query_one("#alerts").display
        await pilot.press("7")  # a hidden pane shows when its number is pressed
        assert app.focused.id == "alerts" and app.query_one("#alerts").display
        await pilot.press("8")
        assert app.focused.id == "timeline"
        await pilot.press("1")
        assert app.focused.id == "meetings"


async def test_q_types_in_the_filter_and_quits_elsewhere(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", "q")
        assert app.query_one("#filter", Input).value == "q"
        assert app.is_running
        await pilot.press("escape")
        assert app.query_one("#filter", Input).value == ""
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, what="the app to quit")


async def test_quitting_stops_the_watcher_at_once(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        watchers = [worker for worker in app.workers if worker.group == "watch"]
        assert watchers and watchers[0].is_running
        await pilot.press("q")
    assert app.stop_watching.is_set()
    for _ in range(100):
        if not watchers[0].is_running:
            break
        await asyncio.sleep(0.01)
    assert not watchers[0].is_running, "the watcher outlived the app by more than a second"


async def test_help_screen_opens_with_question_mark_and_closes_with_escape(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("question_mark")
        assert app.screen.__class__.__name__ == "HelpScreen"
        text = app.screen.query_one("#help-text", HelpTable).text
        assert "Filter language" in text
        for key in ("o / O", "[ / ]", "T ", "z  + / -", "s ", "x ", "a ", "1 … 8"):
            assert f"\n{key}" in text, key
        await pilot.press("z")  # keys of the dashboard do nothing under the help
        assert app.timeline_zoom == "month"
        await pilot.press("escape")
        assert app.screen.__class__.__name__ != "HelpScreen"
        assert app.focused is app.meetings


async def test_command_palette_runs_the_apps_commands(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"sort meetings by title")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.sort_column == "title", what="sort by title")
        titles = [app.store.get(event_id).title.casefold() for event_id in app.meetings.ids]
        assert titles == sorted(titles)


async def test_themes_come_from_textuals_picker(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        app.theme = "nord"
        await pilot.pause()
        assert app.meetings.render_line(1).text.strip()
