"""Shared helpers for the dashboard's tests: folders to watch, an app factory, and a way to wait.

The folder watcher is a worker that never completes, so `app.workers.wait_for_complete()` would hang:
tests wait for what they can see instead (`wait_until`).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui.app import CommuniqueApp

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
"""A fixed copy of the sample events (plus one broken file), so that counts and screenshots never drift
while fixtures/events grows."""

SEED_ID = "tm-ru-2023-05-04-consultations"
"""The seed event of fixtures/events, also in the corpus."""


@pytest.fixture
def fixture_events(tmp_path: Path) -> Path:
    """A private copy of fixtures/events, whatever it holds today."""
    return Path(shutil.copytree(REPO / "fixtures" / "events", tmp_path / "fixture-events"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the fixed test corpus (10 events in 9 files, plus one broken file)."""
    return Path(shutil.copytree(CORPUS, tmp_path / "corpus"))


MakeApp = Callable[..., CommuniqueApp]


ON_THE_INDEX = os.environ.get("COMMUNIQUE_TEST_STORE", "") == "index"
"""`COMMUNIQUE_TEST_STORE=index` runs every app test on the store over the persistent index (the default
of `communique`) instead of the in-memory one; the modules that take `make_app_on_both` as their
`make_app` run on both in every suite."""


def app_factory(on_index: bool) -> MakeApp:
    """Apps on the store over the persistent index (`communique`'s default) or on the in-memory one."""

    def make(folder: Path | str, **options: object) -> CommuniqueApp:
        return CommuniqueApp(str(folder), use_cache=on_index or ON_THE_INDEX, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def make_app() -> MakeApp:
    return app_factory(False)


@pytest.fixture(params=["memory", "index"])
def make_app_on_both(request: pytest.FixtureRequest) -> MakeApp:
    """For the tests of live updates, problems and the first answers: both stores, in every suite."""
    return app_factory(request.param == "index")


def related_current(app: CommuniqueApp) -> bool:
    """The related pane holds the answer to the question in force, and no other is being weighed (they are
    weighed in a thread worker)."""
    related = app.dashboard.related
    weighing = any(worker.group == "related" and not worker.is_finished for worker in app.workers)
    return related is not None and related.answers(app.dashboard.question) and not weighing


async def wait_until(
    pilot: Pilot, predicate: Callable[[], object], timeout: float = 5.0, what: str = "condition"
) -> float:
    """Let the app run until `predicate()` is true; returns the seconds it took (fails after `timeout`)."""
    start = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await pilot.pause(0.01)


def timeline_settled(app: CommuniqueApp) -> bool:
    """The timeline shows the counts of the filter and zoom in force, with no recount pending."""
    dashboard = app.dashboard
    shown = dashboard.timeline_counts
    return dashboard._timeline_timer is None and shown is not None and shown.answers(dashboard.question)


async def ready(pilot: Pilot, *, live: bool = True) -> CommuniqueApp:
    """Wait until the folder is loaded, the side panes and the timeline are counted and (when live) the watcher
    runs."""
    app = pilot.app
    assert isinstance(app, CommuniqueApp)
    await wait_until(pilot, lambda: app.dashboard.loaded, what="the initial load")
    if live:
        await wait_until(pilot, lambda: app.dashboard.status.status.watch == "live", what="the watcher")
    await wait_until(pilot, lambda: app.dashboard.counts_current, what="the side panes")
    await wait_until(pilot, lambda: timeline_settled(app), what="the timeline")
    await pilot.pause()
    return app


def row_texts(app: CommuniqueApp) -> list[str]:
    """The meetings rows on screen, as plain text (header excluded)."""
    meetings = app.dashboard.meetings
    height = meetings.scrollable_content_region.height
    return [meetings.render_line(y).text.rstrip() for y in range(1, height)]


@asynccontextmanager
async def running(app: CommuniqueApp, size: tuple[int, int] = (160, 50)) -> AsyncIterator[Pilot]:
    """Run the app headless and hand over the pilot once it is `ready`."""
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        yield pilot
