"""The alerts pane [#alerts]: what the alert rules fired on, newest first — when, which rule, which event.

Hidden until asked for (`a`), like the problems pane. The history is the store's (`store.alerts.AlertBook`,
bounded); this pane only shows it. Enter or a click asks the app to jump to the event (`JumpToEvent`), as the
related events pane does. Rule names and titles are placed in `Content` as plain strings. The history comes
bound from the screen (`alert_history`, a `tui.answers.AlertHistory`).
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import var
from textual.widgets.option_list import Option

from store.alerts import AlertHit
from tui.answers import AlertHistory
from tui.capped_list import CAP, EventList, unique_ids
from tui.display_text import one_line

TIME_FORMAT = "%m-%d %H:%M:%S"
"""When a rule fired, to the second; with the day, since a dashboard is often left open for days."""


def hit_row(hit: AlertHit) -> Content:
    return Content.assemble(
        (hit.when.strftime(TIME_FORMAT) + "  ", "dim"),
        ("◆ " + one_line(hit.rule.name), "bold $text-warning"),
        "  ",
        one_line(hit.title),
        ("  " + one_line(hit.date), "dim"),
        ("  (changed)" if hit.change == "changed" else "", "dim italic"),
    )


class AlertsPane(EventList):
    title = "Alerts"
    empty_text = (
        "No alert rules yet. Add one to ~/.config/communique/config.toml, under [alerts]: "
        "afghanistan = \"topic:afghanistan\", or start with --alert 'topic:afghanistan'."
    )
    rules = 0
    """Alert rules in force (the app says): with some, an empty history only means none fired yet."""
    alert_history: var[AlertHistory | None] = var(None, init=False)

    def watch_alert_history(self, history: AlertHistory | None) -> None:
        if history is not None:
            self.set_rules(history.rules)
            self.show(history.hits)

    def set_rules(self, count: int) -> None:
        self.rules = count
        if count:
            rules = f"{count:,} rule{'s' * (count != 1)}"
            self.empty_text = f"No alert has fired yet ({rules} watching new and changed events)."

    def show(self, hits: list[AlertHit]) -> None:
        self.targets = [hit.event_id for hit in hits[:CAP]]
        # Ids that follow the hit, so that the highlighted row stays on its hit as new ones arrive on top.
        keys = unique_ids([f"{hit.when.isoformat()}|{hit.rule.name}|{hit.event_id}" for hit in hits[:CAP]])
        options = [Option(hit_row(hit), id=key) for hit, key in zip(hits, keys, strict=False)]
        self.replace_options(options, len(hits))
