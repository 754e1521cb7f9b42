"""The status bar [#status]: the watched folder, `N events`, matches, problem files, new and alerted events,
the watcher's state.

One line, rebuilt from numbers the app hands it; it never asks the store anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.content import Content
from textual.widgets import Static

from tui.display_text import one_line

WATCH_LABELS = {
    "starting": ("○ starting", "dim"),
    "live": ("● live", "bold green"),
    "polling": ("● live (polling)", "bold yellow"),
    "missing": ("⚠ folder missing", "bold red"),
    "stopped": ("○ not watching", "bold red"),
}
"""How each watcher state reads in the bar (the store's `WatchStatus`, plus `starting` before it runs)."""


@dataclass(frozen=True, slots=True)
class Status:
    folder: str = ""
    loaded: int = 0
    """Events in the store now (`N events`)."""
    matching: int = 0
    problem_files: int = 0
    unseen: int = 0
    alerts: int = 0
    """Hits in the alert history."""
    watch: str = "starting"
    loading: str = ""
    """'42%' while the initial load runs, '' after."""
    searching: bool = False
    """A filter is being answered off the interface thread (a phrase read in thousands of texts)."""


def status_content(status: Status) -> Content:
    watch_label, watch_style = WATCH_LABELS.get(status.watch, (one_line(status.watch), "bold"))
    parts: list[str | tuple[str, str]] = [
        (one_line(status.folder), "bold"),
        "  │  ",
        f"{status.loaded:,} events",
        "  │  ",
        ("searching…", "bold yellow") if status.searching else f"{status.matching:,} matching",
        "  │  ",
        (_problem_files(status.problem_files), "bold red" if status.problem_files else ""),
    ]
    if status.unseen:
        parts += ["  │  ", (f"● {status.unseen:,} new or changed", "bold green")]
    if status.alerts:
        parts += ["  │  ", (f"◆ {status.alerts:,} alert{'s' * (status.alerts != 1)}", "bold yellow")]
    parts += [
        "  │  ",
        (f"loading {status.loading}", "bold yellow") if status.loading else (watch_label, watch_style),
    ]
    return Content.assemble(*parts)


def _problem_files(count: int) -> str:
    return f"{count:,} problem file{'s' * (count != 1)}"


class StatusBar(Static):
    def __init__(self, folder: str, *, id: str | None = None) -> None:
        self.status = Status(folder=folder)
        super().__init__(status_content(self.status), id=id, markup=False)

    def set(self, **changes: object) -> None:
        """Change some of the numbers (Status field names) and redraw when anything differs."""
        status = replace(self.status, **changes)  # type: ignore[arg-type]
        if status != self.status:
            self.status = status
            self.update(status_content(status))

    @property
    def text(self) -> str:
        return str(status_content(self.status))
