"""The real `communique` command in a real terminal (tmux), read back as the user sees it.

Starts the installed console script on a temporary copy of fixtures/events in a 160×50 tmux session, reads
the screen with `capture-pane`, writes a new event file and waits for it to appear, filters by a keyword,
and quits with `q`. Skipped only where tmux is missing (CI installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
COMMUNIQUE = Path(sys.executable).with_name("communique")


class Terminal:
    """A tmux server of its own (private socket, no config), so no other session can change its size."""

    def __init__(self, session: str) -> None:
        self.session = session

    def tmux(self, *args: str, check: bool = True) -> str:
        command = ["tmux", "-L", self.session, "-f", "/dev/null", *args]
        return subprocess.run(command, check=check, capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, predicate: Callable[[str], bool], what: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")


def pane_text(screen: str, title: str) -> str:
    """The text inside the box titled `title` on a captured screen, its lines joined by spaces (so that a
    wrapped row reads whole); '' when no such box shows."""
    lines = screen.splitlines()
    for top, line in enumerate(lines):
        left = line.find(f"╭─ {title}")
        if left < 0:
            continue
        right = line.find("╮", left)
        inside = []
        for row in lines[top + 1 :]:
            if row[left : left + 1] != "│":
                break
            inside.append(row[left + 1 : right - 1].strip())  # the last column: padding or the scrollbar
        return " ".join(" ".join(inside).split())
    return ""


MERGED_PERSON = re.compile(r"Vepa Hajiyev TM (\d{4})–(\d{4}) +aka Vepa Gadzhiev")
"""The fixtures' Turkmen deputy minister, spelled three ways: one row, with the years of his first and last
event, and his other spellings."""


def launch(tmp_path: Path, width: int, height: int) -> Iterator[tuple[Terminal, Path]]:
    folder = tmp_path / "events"
    shutil.copytree(FIXTURES / "events", folder)
    yield from start(tmp_path, folder, width, height)


def start(tmp_path: Path, folder: Path, width: int, height: int) -> Iterator[tuple[Terminal, Path]]:
    """`communique folder` in a tmux server of its own, with the cache folder under `tmp_path`."""
    session = f"communique-e2e-{uuid.uuid4().hex[:8]}"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    exports = " ".join(f"{key}={value}" for key, value in env.items())
    # COLUMNS and LINES (set by test runners) would override the terminal's real size.
    command = f"cd {tmp_path} && env -u COLUMNS -u LINES {exports} {COMMUNIQUE} {folder}; sleep 30"
    term = Terminal(session)
    term.tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-s", session, command)
    try:
        yield term, folder
    finally:
        term.tmux("kill-server", check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    yield from launch(tmp_path, 160, 50)


@pytest.fixture
def small_terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    yield from launch(tmp_path, 80, 24)


def test_at_80_columns_the_status_bar_fits_and_n_finds_what_landed_off_screen(
    small_terminal: tuple[Terminal, Path],
) -> None:
    term, folder = small_terminal
    screen = term.wait_for(lambda s: "live" in s and "matching" in s, "the dashboard to load")
    status = next(line for line in screen.splitlines() if "matching" in line and "live" in line)
    assert re.search(r"\d+/\d+ matching", status) and "● live" in status
    assert status.lstrip().startswith("…/") or str(folder) in status
    assert len(status.rstrip()) <= 80
    marker = "Quoxian"
    event = {"id": "e2e-old", "title": f"{marker} archive talks", "date": "1901-01-02", "kind": "meeting"}
    (folder / "e2e-old.json").write_bytes(orjson.dumps(event))  # the oldest: its row is far below the view
    screen = term.wait_for(lambda s: "1 new event" in s, "the notification")
    assert marker in screen  # its row is off-screen: the toast names it
    term.wait_for(lambda s: "● 1 new" in s and "1 new event" not in s, "the toast to leave the status bar")
    term.keys("n")
    screen = term.wait_for(lambda s: "1901-01-02" in s and "● 1 new" not in s, "n to reach the new event")
    assert marker in screen


def test_participants_and_related_panes_show_resolved_people_and_weighed_reasons(
    terminal: tuple[Terminal, Path],
) -> None:
    term, _ = terminal
    screen = term.wait_for(
        lambda s: MERGED_PERSON.search(pane_text(s, "Participants")) and "shared" in pane_text(s, "Related"),
        "the participants and related panes",
    )
    people = MERGED_PERSON.search(pane_text(screen, "Participants"))
    assert people is not None and people[1] <= people[2]
    related = pane_text(screen, "Related")  # of the newest event, selected at the start
    assert re.search(r"same format: [^,]+, \d{4} and \d{4} \(\+\d+\)", related), related
    assert re.search(r"shared participant: [^(]+\(in \d+ events, \+\d+\)", related), related


def test_at_80_columns_a_person_wraps_with_span_and_aliases_and_reasons_show(
    small_terminal: tuple[Terminal, Path],
) -> None:
    term, _ = small_terminal
    term.wait_for(lambda s: "live" in s and "matching" in s, "the dashboard to load")
    term.keys("/")
    term.type("p:hajiyev")
    term.keys("Enter")
    screen = term.wait_for(
        lambda s: (
            MERGED_PERSON.search(pane_text(s, "Participants")) and "same series" in pane_text(s, "Related")
        ),
        "his row and the related events of his newest event",
    )
    people = pane_text(screen, "Participants")
    assert "aka Vepa Gadzhiev, Vepa Hadjiev" in people and "…" not in people  # wrapped, never cut
    assert re.search(r"same series: \w", pane_text(screen, "Related"))


def test_dashboard_shows_new_files_filters_and_quits(terminal: tuple[Terminal, Path]) -> None:
    term, folder = terminal
    count = sum(1 for path in folder.rglob("*") if path.suffix in (".json", ".jsonl"))
    assert count >= 1
    screen = term.wait_for(
        lambda s: "Meetings" in s and " events" in s and "live" in s, "the dashboard to load"
    )
    assert "Turkmen-Russian" in screen

    marker = "Zanzibarian"
    new_event = {
        "id": "e2e-new",
        "title": f"{marker} trade talks in Ashgabat",
        "date": "2099-01-02",
        "kind": "meeting",
        "location": {"city": "Ashgabat", "country": "TM"},
        "participants": [{"name": "Test Person", "country": "TM"}],
        "source": {"name": "constructed for the end-to-end test"},
    }
    (folder / "e2e-new.json").write_bytes(orjson.dumps(new_event))
    screen = term.wait_for(lambda s: marker in s, "the new event to appear")
    lines = screen.splitlines()
    header = next(number for number, line in enumerate(lines) if "Date" in line and "Title" in line)
    assert marker in lines[header + 1], "the newest event is the first row"

    term.keys("/")
    term.type("galuzin")
    screen = term.wait_for(lambda s: marker not in s and "matching" in s, "the filter to narrow the meetings")
    assert "Galuzin" in screen or "galuzin" in screen
    term.keys("Enter")
    term.keys("q")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "Meetings" in term.screen():
        time.sleep(0.1)
    assert "Meetings" not in term.screen(), "q quits the dashboard"


def test_make_run_target_names_the_fixtures() -> None:
    makefile = (FIXTURES.parent / "Makefile").read_text()
    assert "fixtures/events" in makefile and "communique" in makefile
    assert os.access(COMMUNIQUE, os.X_OK)


def test_a_second_dashboard_follows_the_first_and_watches_when_it_quits(
    terminal: tuple[Terminal, Path], tmp_path: Path
) -> None:
    first, folder = terminal
    first.wait_for(lambda s: "live" in s and "matching" in s, "the first dashboard")
    second_session = start(tmp_path, folder, 120, 40)
    second, _ = next(second_session)
    try:
        second.wait_for(lambda s: "live" in s and "matching" in s, "the second dashboard")
        event = {"id": "e2e-both", "title": "Quoxian talks seen twice", "date": "2099-01-01"}
        (folder / "both.json").write_bytes(orjson.dumps(event))
        for term in (first, second):
            term.wait_for(lambda s: "Quoxian talks seen twice" in s, "the arrival in both dashboards")
        first.keys("q")
        time.sleep(0.5)
        event = {"id": "e2e-after", "title": "Quoxian talks after the first quit", "date": "2099-01-02"}
        (folder / "after.json").write_bytes(orjson.dumps(event))
        second.wait_for(lambda s: "after the first quit" in s, "the second dashboard to take over", 15)
    finally:
        next(second_session, None)
