"""Live monitoring through a real temporary folder: created, changed, deleted and renamed files reach the
panes as batches, with marks and a notification, and never move the cursor, the scroll, the filter or the
focus."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.app.conftest import SEED_ID, MakeApp, related_current, row_texts, running, wait_until


@pytest.fixture(name="make_app")
def _on_both_stores(make_app_on_both: MakeApp) -> MakeApp:
    return make_app_on_both


ARRIVAL = 1.0
"""Seconds allowed for a change to reach the panes in a test (the watcher's own budget is 300 ms; CI machines
are slower and share their cores)."""


def write_event(folder: Path, rel: str, **fields: object) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"title": "An event", "date": "2024-01-01", **fields}))
    return path


def notifications(app) -> list[str]:
    return [notification.message for notification in app._notifications]


def summaries(app) -> list[str]:
    """The first line of each toast: what changed (the events it names follow)."""
    return [message.splitlines()[0] for message in notifications(app) if message]


async def test_a_created_file_appears_marked_with_a_notification(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        write_event(corpus, "2024/new.json", id="new-2024", title="Consultations of 2024")
        took = await wait_until(
            pilot, lambda: "new-2024" in app.dashboard.meetings.ids, ARRIVAL, "the new event"
        )
        print(f"created file on screen after {took * 1000:.0f} ms")
        assert app.dashboard.meetings.ids[0] == "new-2024"
        assert "new-2024" in app.dashboard.meetings.marks
        await pilot.pause()  # the meetings' count of ● events reaches the status bar in their message
        assert "11 events" in app.dashboard.status.text and "1 new or changed" in app.dashboard.status.text
        await wait_until(pilot, lambda: notifications(app), what="the notification")
        # The toast names the event, as alerts do, and says how to reach it.
        assert notifications(app)[-1].splitlines()[:2] == [
            "1 new event",
            "Consultations of 2024 (2024-01-01)",
        ]
        assert app.dashboard.meetings.render_line(1).text.startswith("●")
        assert app.dashboard.meetings.selected_id != "new-2024"
        await pilot.press("n")  # the next unseen event: the cursor lands on it, so it is seen
        assert app.dashboard.meetings.selected_id == "new-2024"
        assert "new-2024" not in app.dashboard.meetings.marks
        assert not app.dashboard.meetings.render_line(1).text.startswith("●")


async def test_a_changed_file_updates_its_row_and_the_detail(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("down")
        await wait_until(pilot, lambda: app.dashboard.selection == SEED_ID, what="the seed event")
        seed = corpus / "2023" / "2023-05-04-tm-ru-consultations-ashgabat.json"
        data = json.loads(seed.read_text())
        data["title"] = "Consultations renamed by the collector"
        seed.write_text(json.dumps(data))
        await wait_until(
            pilot, lambda: "renamed by the collector" in app.dashboard.detail.text, ARRIVAL, "the change"
        )
        assert app.dashboard.meetings.selected_id == SEED_ID
        assert "Consultations renamed by the collector" in row_texts(app)[1]
        await wait_until(pilot, lambda: "1 changed" in summaries(app), what="the notification")


async def test_deleted_and_renamed_files(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        os.remove(corpus / "2023" / "calls.jsonl")
        await wait_until(
            pilot, lambda: "kz-ru-2023-03-15-call" not in app.dashboard.meetings.ids, ARRIVAL, "the delete"
        )
        assert "tm-cn-2023-02-07-call" not in app.dashboard.meetings.ids
        assert "8 events" in app.dashboard.status.text
        await wait_until(pilot, lambda: "2 removed" in summaries(app), what="the notification")

        # A rename inside the folder keeps the event (its id is in the file).
        os.rename(corpus / "2022" / "2022-06-10-ru-tm-declaration.json", corpus / "2022" / "declaration.json")
        await pilot.pause(0.5)
        assert "decl-ru-tm-2022-signing" in app.dashboard.meetings.ids
        assert app.store.get("decl-ru-tm-2022-signing").path == "2022/declaration.json"
        # Renamed to a name that is not an event file: gone. A whole folder moved: still there.
        os.rename(corpus / "2022" / "declaration.json", corpus / "2022" / "declaration.json.bak")
        await wait_until(
            pilot, lambda: "decl-ru-tm-2022-signing" not in app.dashboard.meetings.ids, ARRIVAL, "the rename"
        )
        os.rename(corpus / "2022", corpus / "archive-2022")
        await pilot.pause(0.5)
        assert "ca-ru-2022-10-14-summit" in app.dashboard.meetings.ids
        assert app.store.get("ca-ru-2022-10-14-summit").path.startswith("archive-2022/")
        assert "7 events" in app.dashboard.status.text


async def test_updates_never_move_the_cursor_the_scroll_the_filter_or_the_focus(tmp_path, make_app):
    folder = tmp_path / "many"
    for number in range(200):
        write_event(folder, f"e{number:03}.json", id=f"e{number:03}", date=f"2020-{number % 12 + 1:02}-01")
    app = make_app(folder)
    async with running(app) as pilot:
        await pilot.press("slash", *"event", "enter")
        await pilot.press("pagedown", "pagedown", *["up"] * 6)
        meetings = app.dashboard.meetings
        selected, cursor, scroll = meetings.selected_id, meetings.cursor, meetings.scroll_offset.y
        assert scroll > 0
        rows = meetings.page_rows
        visible = meetings.ids[scroll : scroll + rows]
        assert cursor - scroll < rows - 3  # the cursor's row stays on screen after three rows are inserted
        far_below = meetings.ids[-1]

        for number in range(3):  # newer than everything: inserted above the viewport
            write_event(folder, f"new{number}.json", id=f"new{number}", date="2030-01-01")
        os.remove(folder / f"{far_below}.json")
        edited = json.loads((folder / f"{selected}.json").read_text())
        (folder / f"{selected}.json").write_text(json.dumps({**edited, "title": "An event, edited"}))
        await wait_until(
            pilot, lambda: "new2" in meetings.ids and far_below not in meetings.ids, ARRIVAL * 2, "the batch"
        )
        await pilot.pause(0.2)

        assert meetings.selected_id == selected
        assert meetings.scroll_offset.y == scroll  # the scroll offset stays
        assert meetings.cursor == cursor + 3  # on the same event, three rows further down
        assert meetings.ids[scroll + 3 : scroll + rows] == visible[:-3]
        assert app.query_one("#filter", Input).value == "event"
        assert app.focused is meetings
        assert app.dashboard.selection == selected and "An event, edited" in app.dashboard.detail.text
        assert {"new0", "new1", "new2"} <= meetings.marks
        assert selected not in meetings.marks  # under the cursor and in the detail: seen

        await pilot.press("m")
        assert not meetings.marks and "new or changed" not in app.dashboard.status.text


async def test_a_burst_of_files_arrives_as_one_batch(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        before = app.dashboard.generation
        for number in range(50):
            write_event(corpus, f"burst/b{number}.json", id=f"b{number}")
        await wait_until(pilot, lambda: "60 events" in app.dashboard.status.text, ARRIVAL * 3, "the burst")
        assert app.dashboard.generation - before < 10  # a handful of batches, not one redraw per file


async def test_a_deleted_folder_is_reported_and_its_return_picked_up(corpus, make_app):
    app = make_app(corpus)
    async with running(app) as pilot:
        shutil.rmtree(corpus)
        await wait_until(
            pilot, lambda: "folder missing" in app.dashboard.status.text, ARRIVAL * 3, "the missing folder"
        )
        await wait_until(
            pilot, lambda: "0 events" in app.dashboard.status.text, ARRIVAL * 3, "the events to go"
        )
        assert app.dashboard.meetings.ids == []
        write_event(corpus, "back.json", id="back", title="The folder is back")
        await wait_until(
            pilot, lambda: app.dashboard.meetings.ids == ["back"], ARRIVAL * 5, "the folder's return"
        )
        await wait_until(pilot, lambda: "live" in app.dashboard.status.text, ARRIVAL * 3, "the watcher")


async def test_a_batch_that_changes_nothing_in_a_side_pane_does_not_redraw_it(corpus, make_app, monkeypatch):
    """Laying out the related rows again cost ~35 ms of the interface at every batch at 100,000 events."""
    from tui.xrefs_pane import XrefsPane

    app = make_app(corpus)
    async with running(app) as pilot:
        await pilot.press("down")
        await wait_until(pilot, lambda: app.dashboard.selection == SEED_ID, what="the seed event")
        xrefs = app.query_one("#xrefs", XrefsPane)
        # An arrival changes how much a shared participant weighs (the corpus grew), so it comes first.
        write_event(corpus, "unrelated.json", id="unrelated", title="Fisheries talks", date="1990-01-01")
        await wait_until(pilot, lambda: "unrelated" in app.dashboard.meetings.ids, ARRIVAL, "the arrival")
        await wait_until(pilot, lambda: related_current(app), ARRIVAL, "the related events after it")
        redrawn: list[int] = []
        real = XrefsPane.replace_options
        monkeypatch.setattr(
            XrefsPane, "replace_options", lambda self, *a, **k: (redrawn.append(1), real(self, *a, **k))[1]
        )
        write_event(
            corpus, "unrelated.json", id="unrelated", title="Fisheries talks again", date="1990-01-01"
        )
        await wait_until(
            pilot,
            lambda: app.store.get("unrelated").title.endswith("again"),
            ARRIVAL,
            "the change",
        )
        await wait_until(pilot, lambda: related_current(app), ARRIVAL, "the related events after it")
        await pilot.pause()
        assert redrawn == [] and app.dashboard.selection == SEED_ID
        write_event(
            corpus,
            "linked.json",
            id="linked",
            title="Follow-up to the consultations",
            date="2023-05-05",
            related=[{"id": SEED_ID, "relation": "follow-up"}],
        )
        await wait_until(
            pilot, lambda: "linked" in xrefs.targets, ARRIVAL, "the linked event among the related"
        )
        assert redrawn
