"""The people's build in a thread shortens the interpreter's switch interval while it runs, so that the
interface's threads beside it get the interpreter back soon after each release, and restores it after,
however many builds overlap."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from store.index.persistent.mention_facts import MentionFacts
from store.persistence import indexed_store
from store.persistence.indexed_store import BUILD_SWITCH_INTERVAL, sharing_the_interpreter
from store.persistence.loading import dashboard_store, load_folder
from tests.conftest import WriteEvent, event


def test_the_interval_is_short_while_any_build_runs_and_restored_after_the_last() -> None:
    before = sys.getswitchinterval()
    inside, release = threading.Event(), threading.Event()

    def other_build() -> None:
        with sharing_the_interpreter():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other_build)
    with sharing_the_interpreter():
        assert sys.getswitchinterval() == pytest.approx(BUILD_SWITCH_INTERVAL)
        thread.start()
        assert inside.wait(10)
    assert sys.getswitchinterval() == pytest.approx(BUILD_SWITCH_INTERVAL)  # the other one still builds
    release.set()
    thread.join(10)
    assert sys.getswitchinterval() == pytest.approx(before)


def test_a_dashboards_people_are_built_at_the_short_interval(
    write_event: WriteEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    root: Path = write_event("a.json", event(id="a", participants=[{"name": "Vepa Hadjiev"}])).parent
    seen: list[float] = []
    original = MentionFacts.__init__

    def spy(self: Any, *args: Any) -> None:
        seen.append(sys.getswitchinterval())
        original(self, *args)

    monkeypatch.setattr(MentionFacts, "__init__", spy)
    monkeypatch.setattr(indexed_store, "PEOPLE_AFTER_OPEN", 0.0)
    store = dashboard_store(root)
    try:
        load_folder(store)
    finally:
        store.close()
    assert seen and seen[0] == pytest.approx(BUILD_SWITCH_INTERVAL)
