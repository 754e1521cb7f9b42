"""What an update did, so that a user interface can redraw only what it must."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Changes:
    added: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    problems_changed: bool = False
    people_changed: bool = False
    """Who the participants are moved on with no event changing: a dashboard that follows another's
    commits took the writer's newer people's tables (`PersistentIndex.catch_up_people`)."""

    def __bool__(self) -> bool:
        return bool(
            self.added or self.changed or self.removed or self.problems_changed or self.people_changed
        )

    def merge(self, other: Changes) -> None:
        """Fold a later batch into this one: an id added then removed was never there for the viewer."""
        for event_id in other.added:
            if event_id in self.removed:
                self.removed.discard(event_id)
                self.changed.add(event_id)
            else:
                self.added.add(event_id)
        for event_id in other.changed:
            if event_id not in self.added:
                self.changed.add(event_id)
        for event_id in other.removed:
            if event_id in self.added:
                self.added.discard(event_id)
            else:
                self.changed.discard(event_id)
                self.removed.add(event_id)
        self.problems_changed |= other.problems_changed
        self.people_changed |= other.people_changed
