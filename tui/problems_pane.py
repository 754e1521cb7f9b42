"""The problems pane [#errors]: files that could not be read, one line each with the reason.

Hidden until asked for (`e`); the status bar always carries the count of problem files.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from store.problems import Problem
from tui.capped_list import CAP, CappedList, unique_ids
from tui.display_text import one_line


class ProblemsPane(CappedList):
    title = "Problems"

    def show(self, problems: list[Problem]) -> None:
        self.lines = [one_line(problem) for problem in problems[:CAP]]
        options = [
            Option(Content(line), id=key)
            for line, key in zip(self.lines, unique_ids(self.lines), strict=True)
        ]
        self.replace_options(options, len(problems))
