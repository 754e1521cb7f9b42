"""The headless dashboard on the benchmark corpus: keystroke → repaint, and file written → row on screen.

Runs the real app with Textual's `run_test` (no terminal), so the figures include everything the app does
between an input and its next frame (the query, the pane updates, rendering the visible rows), but not a
terminal's own drawing time.
"""

from __future__ import annotations

import asyncio
import resource
import shutil
import time
from pathlib import Path

import orjson

from bench.phases import percentile
from store.index.persistent.people_tables import StoredPeople
from store.persistence import folder_index
from store.persistence.indexed_store import IndexedStore
from store.persistence.loading import dashboard_store, load_folder
from tui.app import CommuniqueApp

KEYSTROKES = "galuzin" + "\b" * 7 + "security" + "\b" * 8 + "consul"


def _first_rows(app: CommuniqueApp) -> str:
    meetings = app.dashboard.meetings
    return "\n".join(meetings.render_line(y).text for y in range(1, 4))


async def _wait(pilot, predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there")
        await pilot.pause(0.002)


async def _measure(corpus: Path) -> dict[str, float]:
    app = CommuniqueApp(str(corpus), use_cache=True)
    figures: dict[str, float] = {}
    async with app.run_test(size=(160, 50)) as pilot:
        await _wait(pilot, lambda: app.dashboard.loaded, timeout=300)
        await _wait(pilot, lambda: app.dashboard.status.status.watch == "live", timeout=300)
        await pilot.press("slash")
        shown: list[float] = []
        show_result = app.dashboard.meetings.show_result

        def timed_show_result(*args, **kwargs):  # type: ignore[no-untyped-def]
            show_result(*args, **kwargs)
            _first_rows(app)  # the visible rows, rendered as the next frame will draw them
            shown.append(time.perf_counter())

        app.dashboard.meetings.show_result = timed_show_result  # type: ignore[method-assign]
        keystrokes, settled = [], []
        for key in KEYSTROKES:
            shown.clear()
            start = time.perf_counter()
            await pilot.press("backspace" if key == "\b" else key)
            await pilot.pause()
            await _wait(pilot, lambda: app.dashboard.counts_current)
            settled.append((time.perf_counter() - start) * 1000)
            keystrokes.append((shown[0] - start) * 1000)
        app.dashboard.meetings.show_result = show_result  # type: ignore[method-assign]
        # Keystroke → the meetings redrawn with the new answer; the side panes follow after a pause in
        # typing (so that counting never delays the list), measured as "settled".
        figures["keystroke_p50_ms"] = percentile(keystrokes, 0.5)
        figures["keystroke_p95_ms"] = percentile(keystrokes, 0.95)
        figures["keystroke_settled_p95_ms"] = percentile(settled, 0.95)
        await pilot.press("escape")  # clears the filter, back to the meetings, selection kept in view
        await pilot.press("home")  # to the top, where the newest arrivals appear
        await pilot.pause()
        folder = corpus / "bench-live"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        try:
            screen = await _arrivals(app, pilot, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # the corpus is reused by later runs
        figures["screen_p50_ms"] = percentile(screen, 0.5)
        figures["screen_p95_ms"] = percentile(screen, 0.95)
    return figures


async def _arrivals(app: CommuniqueApp, pilot, folder: Path) -> list[float]:  # type: ignore[no-untyped-def]
    """Write 20 new events, one at a time, each timed until its row is on screen."""
    screen = []
    for number in range(20):
        title = f"Benchmark arrival {number} zqx"
        day = f"2100-01-{number + 1:02d}"  # each arrival is the newest: it lands in the first row
        raw = {"id": f"bench-live-{number}", "title": title, "date": day, "kind": "meeting"}
        path = folder / f"{number}.json"
        start = time.perf_counter()
        path.write_bytes(orjson.dumps(raw))
        try:
            await _wait(pilot, lambda title=title: title in _first_rows(app), timeout=10)
        except TimeoutError:
            raise TimeoutError(
                f"{title!r} not on screen; in store: {app.store.get(raw['id']) is not None}; "
                f"filter {app.dashboard.filter_bar.input.value!r}; rows:\n{_first_rows(app)}"
            ) from None
        screen.append((time.perf_counter() - start) * 1000)
    return screen


def measure_app(corpus: Path) -> dict[str, float]:
    return asyncio.run(_measure(corpus))


async def _reopen(corpus: Path) -> dict[str, float]:
    started = time.perf_counter()
    app = CommuniqueApp(str(corpus), use_cache=True)
    figures: dict[str, float] = {}
    load = app.store.load

    def timed_load(*args, **kwargs):  # type: ignore[no-untyped-def]
        """The reconcile walk as the dashboard runs it (beside its first answers, in the same interpreter)."""
        load_started = time.perf_counter()
        try:
            return load(*args, **kwargs)
        finally:
            figures["reopen_reconcile_s"] = time.perf_counter() - load_started

    app.store.load = timed_load  # type: ignore[method-assign]
    async with app.run_test(size=(160, 50)) as pilot:
        await _wait(pilot, lambda: len(app.dashboard.meetings.ids) > 0, timeout=300)
        figures["reopen_first_rows_s"] = time.perf_counter() - started
        await _wait(pilot, lambda: app.dashboard.loaded and app.dashboard.counts_current, timeout=300)
        figures["reopen_full_panes_s"] = time.perf_counter() - started
        figures["reopen_panes_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # The people are built behind the panes when their tables answered them (`IndexedStore.prepare`):
        # the memory a dashboard holds for the commits to come.
        indexed = app.store.indexed if isinstance(app.store, IndexedStore) else None
        if indexed is not None:
            moves, stalls = await _moves_until(app, lambda: indexed.people_built, timeout=300)
            figures["reopen_people_built_s"] = time.perf_counter() - started
            figures["reopen_moves"] = len(moves)
            figures["reopen_move_p95_ms"] = percentile(moves, 0.95)
            figures["reopen_move_max_ms"] = max(moves)
            figures["reopen_loop_stall_max_ms"] = max(stalls, default=0.0)
    walk_started = time.perf_counter()
    folder_index.walk(str(corpus), folder_index.Reading())
    figures["reopen_walk_s"] = time.perf_counter() - walk_started
    figures["reopen_on_index"] = float(isinstance(app.store, IndexedStore))
    return figures


MOVE_EVERY = 0.25
"""Seconds between the cursor moves of a reopen: a user reading down the meetings while the people are built."""


async def _moves_until(app: CommuniqueApp, done, timeout: float) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """The cursor moved down every `MOVE_EVERY` s until `done()`, each move timed to its related list shown,
    and the event loop's stalls meanwhile (how late a 10 ms sleep wakes). The move is the meetings' own
    action, not `pilot.press`: the pilot waits for the process to be idle (up to a second per key while a
    thread builds), which would time the test harness, not the app."""
    stalls: list[float] = []

    async def watch_the_loop() -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            stalls.append((time.perf_counter() - before - 0.01) * 1000)

    watcher = asyncio.ensure_future(watch_the_loop())
    moves: list[float] = []
    deadline = time.monotonic() + timeout
    try:
        while not done() or not moves:
            shown = app.dashboard.related
            start = time.perf_counter()
            app.dashboard.meetings.action_cursor_down()
            while app.dashboard.related is shown:
                if time.monotonic() > deadline:
                    raise TimeoutError("the people were not built, or a related list never came")
                await asyncio.sleep(0.001)
            moves.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(MOVE_EVERY)
    finally:
        watcher.cancel()
    return moves, stalls


CHANGED_WHILE_CLOSED = 20
"""Files added while no dashboard was open, for the reopen of a changed folder."""


def measure_reopen_changed(corpus: Path) -> dict[str, float]:
    """`measure_reopen` after files were added while no dashboard was open: the people's tables kept are of
    an older commit (they answer as of the new one while the people are built). The files are removed after
    and the index brought back up to date with its tables, so that the next reopen finds the folder as it
    was."""
    added = corpus / "bench-reopen-changed"
    added.mkdir(exist_ok=True)
    for number in range(CHANGED_WHILE_CLOSED):
        event = {
            "id": f"bench-reopen-changed-{number}",
            "title": f"Consultations on regional security, round {number}",
            "date": "2026-12-01",
            "kind": "consultation",
            "location": {"city": "Ashgabat", "country": "TM"},
            "participants": [{"name": "Vepa Hadjiev", "country": "TM"}, {"name": f"Envoy Number{number}"}],
        }
        (added / f"{number}.json").write_bytes(orjson.dumps(event))
    try:
        figures = asyncio.run(_reopen(corpus))
    finally:
        shutil.rmtree(added)
        _bring_the_index_up_to_date(corpus)
    return {f"reopen_changed_{name.removeprefix('reopen_')}": value for name, value in figures.items()}


def _bring_the_index_up_to_date(corpus: Path) -> None:
    store = dashboard_store(corpus)
    try:
        load_folder(store)
        deadline = time.monotonic() + 600
        while isinstance(store, IndexedStore) and time.monotonic() < deadline:
            if StoredPeople.open(store.location, store.indexed.generation) is not None:
                break  # built behind the panes, then written beside the index
            time.sleep(0.1)
    finally:
        store.close()


def measure_reopen(corpus: Path) -> dict[str, float]:
    """The dashboard opened again on a folder it has indexed: until the first rows, until every pane is
    counted (the reconcile walk included), and the walk alone measured after, so that the open itself is
    the difference."""
    return asyncio.run(_reopen(corpus))
