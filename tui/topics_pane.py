"""The topics pane [#topics]: tags with their event counts over the matching events.

Enter or a click asks for `topic:TAG` to be toggled in the filter (the app edits the filter text).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.answers import Counts
from tui.capped_list import CAP, CountedList
from tui.display_text import one_line
from tui.messages import ToggleFilterTerm


class TopicsPane(CountedList):
    title = "Topics"
    empty_text = (
        "No topics in these events: the importers write none. "
        'Tag an event file with "topics": ["security"] to count it here.'
    )

    def show_counts(self, counts: Counts) -> None:
        self.show(counts.topics, counts.topic_total)

    def show(self, topics: list[tuple[str, int]], total: int) -> None:
        if self.unchanged((tuple(topics[:CAP]), total)):
            return
        self.tags = [tag for tag, _ in topics[:CAP]]
        width = len(str(topics[0][1])) if topics else 1
        options = [
            Option(Content.assemble((f"{count:>{width}} ", "bold"), one_line(tag)), id=tag)
            for tag, count in topics[:CAP]
        ]
        self.replace_options(options, total)

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        if 0 <= message.option_index < len(self.tags):
            self.post_message(ToggleFilterTerm("topic", self.tags[message.option_index]))
