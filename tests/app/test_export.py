"""Export (`x`): the matching events, in the order shown, to a file in each format, which parses back; the
dialog refuses a file the dashboard would read as events and asks before replacing one."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from store.exports import EXPORT_FORMATS
from tests.app.conftest import running, wait_until
from tests.app.test_live import notifications
from tui.export_screen import ExportScreen, default_export_name


def ids_in(fmt: str, text: str) -> list[str]:
    """The event ids an export holds, in order, read back with each format's own reader."""
    if fmt == "json":
        return [event["id"] for event in json.loads(text)]
    if fmt == "jsonl":
        return [json.loads(line)["id"] for line in text.splitlines()]
    if fmt == "csv":
        return [row["id"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    if fmt == "md":
        return re.findall(r"^- \*\*Id:\*\* (.+)$", text, re.MULTILINE)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    return re.findall(r"^UID:(.+?)\r$", text, re.MULTILINE)


async def open_dialog(pilot) -> ExportScreen:
    await pilot.press("x")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), what="the dialog")
    await pilot.pause()
    return pilot.app.screen


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
async def test_x_writes_the_matching_events_in_each_format(corpus, make_app, tmp_path, fmt):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", *"galuzin", "enter", "o")  # filtered and sorted: the export follows both
        await wait_until(
            pilot, lambda: len(app.meetings.ids) == 4 and app.sort_column == "kind", what="sorted"
        )
        shown = list(app.meetings.ids)
        dialog = await open_dialog(pilot)
        assert "4 matching events" in str(dialog.query_one("Static").visual)
        await pilot.press(*["down"] * EXPORT_FORMATS.index(fmt))
        assert dialog.format == fmt
        assert dialog.path_input.value.endswith(f".{fmt}")  # the default name follows the format
        target = tmp_path / f"out.{fmt}"
        dialog.path_input.value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, target.exists, what="the file")
        assert ids_in(fmt, target.read_bytes().decode("utf-8")) == shown
        await wait_until(
            pilot, lambda: f"4 events written to {target}" in notifications(app), what="the toast"
        )
        assert not isinstance(app.screen, ExportScreen)
        assert not list(tmp_path.glob(".*.tmp"))  # written through a temporary file, renamed in place


async def test_the_default_name_is_stamped_and_in_the_documented_folder(
    corpus, make_app, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # the current folder (often the source checkout) is not where exports go
    exports = tmp_path / "exports"
    monkeypatch.setenv("COMMUNIQUE_EXPORTS", str(exports))
    app = make_app(corpus)
    async with running(app) as pilot:
        dialog = await open_dialog(pilot)
        name = dialog.path_input.value
        assert re.fullmatch(re.escape(str(exports)) + r"/communique-export-\d{8}-\d{6}\.json", name)
        shown = str(dialog.query_one("#export-destination").visual)
        assert shown == f"Into the folder: {exports}"  # shown before anything is written
        assert not exports.exists()
        await pilot.press("enter")
        await wait_until(pilot, Path(name).exists, what="the file")  # the folder is created on first use
        assert len(json.loads(Path(name).read_text())) == 10
        assert not list(tmp_path.glob("communique-export-*"))
    assert default_export_name("ics").endswith(".ics")


async def test_the_brief_records_the_filter_and_the_time(corpus, make_app, tmp_path):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("slash", *"country:tm", "enter")
        await wait_until(pilot, lambda: app.good_filter == "country:tm", what="the filter")
        target = tmp_path / "brief.md"
        app.export_matching(app.result, "md", str(target))
        await wait_until(pilot, target.exists, what="the brief")
        brief = target.read_text()
        assert "- **Filter:** country:tm" in brief and "- **Made:** 20" in brief


async def test_the_dialog_refuses_the_watched_folder_and_asks_before_replacing(corpus, make_app, tmp_path):
    app = make_app(corpus)
    async with running(app) as pilot:
        dialog = await open_dialog(pilot)
        dialog.path_input.value = str(corpus / "2023" / "export.json")
        await pilot.press("enter")
        assert "would read that file as events" in dialog.error_text
        dialog.path_input.value = str(tmp_path / "missing" / "out.json")
        await pilot.press("enter")
        assert "no such folder" in dialog.error_text
        await pilot.press("down", "down", "down")  # md: may go in the watched folder, it is not an event file
        dialog.path_input.value = str(corpus / "brief.md")
        await pilot.press("enter")
        await wait_until(pilot, (corpus / "brief.md").exists, what="the brief")

        existing = tmp_path / "existing.csv"
        existing.write_text("keep me")
        dialog = await open_dialog(pilot)
        await pilot.press("down", "down")
        dialog.path_input.value = str(existing)
        await pilot.press("enter")
        assert "exists: enter again to replace it" in dialog.error_text
        assert existing.read_text() == "keep me"
        await pilot.press("enter")
        await wait_until(pilot, lambda: existing.read_text() != "keep me", what="the replaced file")
        await pilot.press("x", "escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportScreen), what="escape")
        assert app.is_running
