"""The dashboard's one screen, one module per job (see `screen`); `DashboardScreen` is what the app shows."""

from tui.dashboard.screen import DashboardScreen

__all__ = ["DashboardScreen"]
