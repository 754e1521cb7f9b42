"""The first questions after a load: what they derive from the whole index (each resolved person's events,
the words of every person's spellings) is built by the load, in its thread, so the first cursor move (the
related pane, weighed in a worker) and the first `p:` filter never wait for it."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.app.conftest import SEED_ID, MakeApp, wait_until


@pytest.fixture(name="make_app")
def _on_both_stores(make_app_on_both: MakeApp) -> MakeApp:
    return make_app_on_both


FIRST_ANSWERS = {"resolved persons", "person vocabulary"}
"""What `EventStore.prepare` derives for the first related list and the first participant filter."""


async def test_the_first_related_list_and_participant_filter_build_nothing_on_the_interface_thread(
    corpus, make_app, monkeypatch
):
    builds: list[tuple[str, str, bool]] = []  # (what, which thread, whether the load had ended)
    app = make_app(corpus)
    engine = type(app.store.index)  # the in-memory engine, or the persistent index
    derive = engine.derive

    def recording(index: Any, key: Any, build: Any) -> Any:
        def traced() -> Any:
            builds.append((key, threading.current_thread().name, app.dashboard.loaded))
            return build()

        return derive(index, key, traced)

    monkeypatch.setattr(engine, "derive", recording)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: app.dashboard.loaded, what="the load")
        await pilot.press("down")
        await wait_until(pilot, lambda: app.dashboard.selection == SEED_ID, what="the seed event")
        xrefs = app.query_one("#xrefs")
        await wait_until(pilot, lambda: xrefs.targets, what="the related events")
        await pilot.press("slash", *"p:hadj")
        await wait_until(pilot, lambda: 0 < len(app.dashboard.meetings.ids) < 10, what="Hadjiev's events")
        await wait_until(pilot, lambda: app.dashboard.counts_current, what="the participants")
        names = [person.name for person in app.query_one("#participants").people]
        assert "Vepa Hadjiev" in names
    # A question asked while the load runs (the rows it has shown so far) may build them for that part of
    # the folder on the interface thread: cheap, and not what this is about. After the load, no question
    # builds them: the load did, in its thread.
    by_load = {key for key, thread, ended in builds if not ended and thread != threading.main_thread().name}
    assert by_load >= FIRST_ANSWERS
    after = [key for key, _, ended in builds if key in FIRST_ANSWERS and ended]
    assert after == [], f"{after} built after the load, by the first question that needed them"
