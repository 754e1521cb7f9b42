"""The first screen explains itself: the status bar at 80 columns, empty panes, the help, long events."""

from __future__ import annotations

import json
from pathlib import Path

from rich.cells import cell_len

from tests.app.conftest import running, wait_until
from tui.detail_pane import LONG_TEXT
from tui.help_screen import HelpTable
from tui.status_bar import Status, shorten_path, status_content


def test_the_folder_path_gives_way_first():
    assert shorten_path("/home/ana/work/central-asia/events", 22) == "…/central-asia/events"
    assert shorten_path("/home/ana/events", 40) == "/home/ana/events"
    status = Status(
        folder="/home/ana/very/long/path/to/the/archives/central-asia/events",
        loaded=12_345,
        matching=1_234,
        problem_files=3,
        unseen=17,
        alerts=2,
        watch="live",
    )
    line = str(status_content(status, 78))
    assert cell_len(line) <= 78
    for field in ("● live", "● 17 new", "◆ 2", "1,234/12,345 matching", "3 ✗", "…/central-asia/events"):
        assert field in line, field


async def test_at_80_columns_the_status_bar_keeps_what_a_monitor_needs(tmp_path, make_app):
    folder = tmp_path / "a" / "rather" / "long" / "folder" / "name" / "central-asia" / "events"
    folder.mkdir(parents=True)
    (folder / "one.json").write_text(json.dumps({"title": "One", "date": "2024-01-01"}))
    app = make_app(folder)
    async with running(app, size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "live" in app.status.shown, what="the watcher")
        shown = app.status.shown
        assert "1/1 matching" in shown and "● live" in shown
        assert shown.startswith("…/") and "central-asia/events" in shown
        assert cell_len(shown) <= 78


async def test_empty_panes_say_why_and_what_to_do(tmp_path, make_app):
    (tmp_path / "one.json").write_text(json.dumps({"title": "One", "date": "2024-01-01"}))
    app = make_app(tmp_path)
    async with running(app) as pilot:
        await wait_until(pilot, lambda: app.counted_generation, what="the counts")
        topics = app.query_one("#topics")
        assert "importers write none" in str(topics.get_option_at_index(0).prompt)
        alerts = app.alerts_pane
        assert "[alerts]" in str(alerts.get_option_at_index(0).prompt)
        problems = app.query_one("#errors")
        assert "No problems" in str(problems.get_option_at_index(0).prompt)
        assert problems.border_title == "Problems · 0 problem files"


async def test_the_problems_title_counts_files_as_the_status_bar(corpus, make_app):
    (corpus / "broken-twice.jsonl").write_text("{\n[\n")
    app = make_app(corpus)
    async with running(app) as pilot:
        await wait_until(pilot, lambda: app.loaded, what="the load")
        files = app.status.status.problem_files
        assert files == 2
        assert app.query_one("#errors").border_title.startswith("Problems · 2 problem files")


async def test_help_lists_every_mark_and_the_status_fields(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("question_mark")
        text = app.screen.query_one("#help-text", HelpTable).text
        for mark in ("●", "!", "◆", "◇", "★"):
            assert f"\n{mark}" in text, mark
        assert "Status bar" in text and "matching" in text
        assert "~/communique-exports" in text and "[alerts]" in text


async def test_a_long_event_is_cut_until_asked_for(tmp_path, make_app):
    text = "word " * 500_000  # 2.5 MB
    path: Path = tmp_path / "long.json"
    path.write_text(json.dumps({"title": "Long", "date": "2024-01-01", "text": text}))
    app = make_app(tmp_path)
    async with running(app) as pilot:
        await wait_until(pilot, lambda: app.shown_id is not None, what="the event")
        shown = app.detail.text
        assert len(shown) < LONG_TEXT * 2
        assert "more characters: f shows the whole event" in shown
        await pilot.press("2", "f")
        assert len(app.detail.text) > len(text)


async def test_emoji_sequences_never_overflow_their_column(tmp_path, make_app):
    title = "Talks 👨‍👩‍👧‍👦 ❤️ 👍🏽 " * 6
    (tmp_path / "one.json").write_text(json.dumps({"title": title, "date": "2024-01-01"}))
    app = make_app(tmp_path)
    async with running(app, size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.meetings.ids, what="the event")
        row = app.meetings.render_line(1)
        text = row.text
        assert "\u200d" not in text and "\ufe0f" not in text and "\U0001f3fd" not in text
        assert row.cell_length == app.meetings.scrollable_content_region.width
