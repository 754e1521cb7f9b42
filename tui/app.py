"""The application: its configuration, its theme, and what it tells the user when a worker fails.

Everything the dashboard shows and every piece of state it shares lives in its one screen
(`tui.dashboard.DashboardScreen`, the default screen here); the app reads the settings (the config file,
the command line's options and alert rules), builds the store and the alert book from them, keeps the saved
filters (they are configuration: `config.toml` and the state file hold them), and reports failed workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from store import config as user_config
from store.alerts import AlertBook, AlertRule
from store.files.event_files import DEFAULT_MAX_BYTES
from store.persistence.loading import dashboard_store
from tui.commands import DashboardCommands
from tui.dashboard import DashboardScreen
from tui.display_text import one_line
from tui.help_screen import HelpScreen


def shown_folder(folder: str) -> str:
    """The folder as the status bar shows it: as given, with the home directory shortened to ~."""
    home = os.path.expanduser("~")
    full = os.path.abspath(folder)
    if os.path.isabs(folder) and (full == home or full.startswith(home + os.sep)):
        return "~" + full[len(home) :]
    return folder


class CommuniqueApp(App[None]):
    TITLE = "Communiqué"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {DashboardCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]

    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
    ]

    def __init__(
        self,
        folder: str | os.PathLike[str],
        *,
        use_cache: bool = True,
        follow_symlinks: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        live: bool = True,
        alerts: Iterable[tuple[str, str]] = (),
        config: user_config.Config | None = None,
    ) -> None:
        """`alerts`: (name, filter) rules from the command line, after the config file's; `config`: the
        settings as the command line read them (None: read them here, and show what was wrong with them);
        `live`: False loads once and never watches the folder (a frozen view, and screenshots that must not
        change); `use_cache`: False (`--no-cache`) loads the folder in memory rather than through its index."""
        super().__init__()
        self.folder = os.fspath(folder)
        self.startup_warnings: list[str] = []
        """One line per thing wrong with the config, the alert rules or the index, shown once the screen is
        up."""
        self.store = dashboard_store(
            self.folder,
            use_cache=use_cache,
            follow_symlinks=follow_symlinks,
            max_bytes=max_bytes,
            warn=self.startup_warnings.append,
        )
        self.live = live
        if config is None:
            config, config_warnings = user_config.load_config()
            self.startup_warnings += config_warnings
        self.config = config
        self.alert_book = AlertBook([*config.alerts, *(AlertRule(name, text) for name, text in alerts)])
        self.startup_warnings += self.alert_book.problems
        self.saved_filters: dict[str, str] = dict(config.saved_filters)
        """Name → filter, as the command palette offers them."""
        self.dashboard = DashboardScreen(
            self.store,
            folder=shown_folder(self.folder),
            alert_book=self.alert_book,
            live=live,
        )
        """The one screen of the dashboard (dialogs come and go above it)."""

    def get_default_screen(self) -> DashboardScreen:
        return self.dashboard

    def on_mount(self) -> None:
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.startup_warnings.append(
                    f"unknown theme {self.config.theme!r} in the config; using the default"
                )
        for warning in self.startup_warnings:
            self.notify(one_line(warning), severity="warning", markup=False, timeout=10)

    def on_unmount(self) -> None:
        self.dashboard.stop_watching.set()
        self.store.close()  # a worker still running finds it closed and does nothing

    async def action_quit(self) -> None:
        self.dashboard.stop_watching.set()  # the watcher ends within one watch step, so exiting never waits
        self.exit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed says so instead of quitting the app (the screen handles what it leaves)."""
        worker = event.worker
        if event.state != WorkerState.ERROR or not self.is_running:
            return
        error = one_line(worker.error) if worker.error is not None else "unknown error"
        self.notify(f"{worker.description} failed: {error}", severity="error", markup=False, timeout=10)

    # -- saved filters -------------------------------------------------------------------------------------

    def save_filter(self, text: str, name: str) -> str | None:
        """Save a named filter through the config; None when saved, else why not (one line)."""
        try:
            self.saved_filters = user_config.save_filter(name, text)
        except user_config.ConfigError as error:
            return one_line(error)
        self.notify(f"Filter saved as {name!r}: ctrl+p recalls it.", markup=False)
        return None

    def recall_filter(self, name: str) -> None:
        text = self.saved_filters.get(name)
        if text is not None:
            self.dashboard.set_filter(text)

    def forget_filter(self, name: str) -> None:
        try:
            self.saved_filters = user_config.forget_filter(name)
        except user_config.ConfigError as error:
            self.notify(one_line(error), severity="error", markup=False)
            return
        still = " (config.toml keeps its own)" if name in self.saved_filters else ""
        self.notify(f"Forgot the saved filter {name!r}{still}.", markup=False)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
