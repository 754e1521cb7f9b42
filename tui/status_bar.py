"""The status bar [#status]: the watched folder, `N events`, matches, problem files, new and alerted events,
the watcher's state.

One line, rebuilt from the numbers bound from the screen (`status`, the screen's `status_line`); it never asks
the store anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.reactive import var
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


def status_content(status: Status, width: int | None = None) -> Content:
    """The bar's line; when it does not fit `width` cells, the compact form (`compact_content`)."""
    full = _full_content(status)
    if width is None or full.cell_length <= width:
        return full
    return compact_content(status, width)


def compact_content(status: Status, width: int) -> Content:
    """What a monitor needs in `width` cells (80 columns): the watcher's state, new or changed, alerts,
    matching/total and problem files, short; the folder path is what gives way (`…/central-asia/events`)."""
    watch_label, watch_style = WATCH_LABELS.get(status.watch, (one_line(status.watch), "bold"))
    if status.loading:
        watch_label, watch_style = f"loading {status.loading}", "bold yellow"
    matching = "searching…" if status.searching else f"{status.matching:,}/{status.loaded:,} matching"
    tail: list[str | tuple[str, str]] = [
        " │ ",
        (matching, "bold yellow") if status.searching else matching,
        " │ ",
        (f"{status.problem_files:,} ✗", "bold red" if status.problem_files else ""),
    ]
    if status.unseen:
        tail += [" │ ", (f"● {status.unseen:,} new", "bold green")]
    if status.alerts:
        tail += [" │ ", (f"◆ {status.alerts:,}", "bold yellow")]
    tail += [" │ ", (watch_label, watch_style)]
    rest = Content.assemble(*tail)
    folder = shorten_path(one_line(status.folder), max(width - rest.cell_length, 0))
    return Content.assemble((folder, "bold"), rest)


def shorten_path(path: str, width: int) -> str:
    """The path in at most `width` cells, keeping its last folders: `…/central-asia/events`."""
    if cell_len(path) <= width:
        return path
    parts = path.split("/")
    for start in range(1, len(parts)):
        short = "…/" + "/".join(parts[start:])
        if cell_len(short) <= width:
            return short
    last = parts[-1]
    if width <= 1:
        return "…"[:width]
    while last and cell_len("…" + last) > width:
        last = last[1:]
    return "…" + last


def _full_content(status: Status) -> Content:
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
    status: var[Status] = var(Status(), init=False)
    """The numbers shown, bound from the screen (`DashboardScreen.status_line`)."""

    def __init__(self, folder: str, *, id: str | None = None) -> None:
        super().__init__(status_content(Status(folder=folder)), id=id, markup=False)
        self.set_reactive(StatusBar.status, Status(folder=folder))

    def watch_status(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        width = self.content_region.width if self.is_mounted and self.size.width else None
        self.update(status_content(self.status, width or None))

    def on_resize(self, event: events.Resize) -> None:
        self._redraw()

    @property
    def text(self) -> str:
        """Every field in full (the bar may show the compact form: `shown`)."""
        return str(status_content(self.status))

    @property
    def shown(self) -> str:
        """The line as drawn at the bar's width."""
        visual = self.visual
        return str(visual) if isinstance(visual, Content) else self.text
