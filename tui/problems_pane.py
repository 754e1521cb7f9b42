"""The problems pane [#errors]: files that could not be read, one line each with the reason.

Hidden until asked for (`e`); the status bar always carries the count of problem files. The lines come bound
from the screen (`problems`, a `tui.answers.Problems`).
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import var
from textual.widgets.option_list import Option

from store.model.problems import Problem
from tui.answers import Problems
from tui.capped_list import CAP, CappedList, unique_ids
from tui.display_text import one_line


class ProblemsPane(CappedList):
    title = "Problems"
    empty_text = "No problems: every file in the folder was read as an event."
    files = 0
    """Files with problems: the title counts them, as the status bar does (a file may have several lines)."""
    problems: var[Problems | None] = var(None, init=False)

    def watch_problems(self, problems: Problems | None) -> None:
        if problems is not None:
            self.show(problems.problems, problems.files)

    def set_title(self, shown: int, total: int) -> None:
        files = f"{self.files:,} problem file{'s' * (self.files != 1)}"
        more = f", top {shown:,} of {total:,} lines" if total > shown else ""
        self.border_title = f"{self.title} · {files}{more}"

    def show(self, problems: list[Problem], files: int | None = None) -> None:
        """The problem lines; `files`: how many files they are about (None: count them here)."""
        self.files = len({problem.path for problem in problems}) if files is None else files
        self.lines = [one_line(problem) for problem in problems[:CAP]]
        options = [
            Option(Content(line), id=key)
            for line, key in zip(self.lines, unique_ids(self.lines), strict=True)
        ]
        self.replace_options(options, len(problems))
