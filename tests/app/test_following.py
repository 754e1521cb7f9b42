"""A second dashboard on a folder another one writes (as every `serve` session after the first is): it
answers who the participants are from the writer's people's tables and never builds the people itself
(~100 MB a process at 100,000 events); a commit's people reach its panes once the writer has written that
commit's tables, without the user doing anything. A dashboard reopened on a folder that changed while it
was closed answers the same way from the tables it left, until it has built its people."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from store.index.persistent.mention_facts import MentionFacts
from store.persistence import indexed_store
from store.persistence.indexed_store import IndexedStore
from store.persistence.loading import dashboard_store, load_folder
from tests.app.conftest import ready, related_current, wait_until
from tests.app.test_live import write_event
from tui.app import CommuniqueApp


def _names(app: CommuniqueApp) -> dict[str, int]:
    return {person.name: person.events for person in app.query_one("#participants").people}


async def test_a_following_dashboard_shows_the_writers_people_without_building_them(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexed_store, "PEOPLE_QUIET", 60.0)  # a feed that never goes quiet…
    monkeypatch.setattr(indexed_store, "PEOPLE_LAG_MOST", 3.0)  # …has its tables written after this
    writer = dashboard_store(corpus)
    assert isinstance(writer, IndexedStore) and not writer.following
    load_folder(writer)
    app = CommuniqueApp(str(corpus), use_cache=True)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await ready(pilot)
            store = app.store
            assert isinstance(store, IndexedStore) and store.following
            before = _names(app)
            for key in ("down", "down", "down"):
                await pilot.press(key)
            await wait_until(pilot, lambda: related_current(app), what="the related list")
            assert not store.indexed.people_built

            assert "catching up" not in str(app.query_one("#participants").border_title)

            write_event(corpus, "new.json", id="new-talks", participants=[{"name": "Zbigniew Newname"}])
            writer.apply_paths(["new.json"])
            pane = app.query_one("#participants")
            await wait_until(pilot, lambda: "catching up" in str(pane.border_title), what="the title's note")
            assert _names(app) == before  # the new event's people are not known yet; its row is shown
            assert "new-talks" in store.event_ids()
            await wait_until(
                pilot, lambda: "Zbigniew Newname" in _names(app), what="the new person", timeout=10
            )
            assert _names(app) == {**before, "Zbigniew Newname": 1}
            assert "catching up" not in str(pane.border_title)
            assert not store.indexed.people_built
    finally:
        writer.close()


async def test_a_dashboard_reopened_on_a_changed_folder_counts_its_panes_again_once_its_people_are_built(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = dashboard_store(corpus)
    load_folder(first)  # the index, the people and their tables, as a dashboard closed yesterday left them
    first.close()
    write_event(corpus, "new.json", id="new-talks", participants=[{"name": "Zbigniew Newname"}])
    release = threading.Event()
    original = MentionFacts.__init__

    def held(self: Any, *args: Any) -> None:
        release.wait(10)
        original(self, *args)

    monkeypatch.setattr(MentionFacts, "__init__", held)
    app = CommuniqueApp(str(corpus), use_cache=True)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await ready(pilot)  # the panes counted from yesterday's tables, as of today's events
            pane = app.query_one("#participants")
            assert "catching up" in str(pane.border_title) and "Zbigniew Newname" not in _names(app)
            release.set()
            await wait_until(
                pilot, lambda: "Zbigniew Newname" in _names(app), what="the new person", timeout=10
            )
            assert "catching up" not in str(pane.border_title)
    finally:
        release.set()
