"""Pickling the store's small records by their constructor, with no state object per record.

The cache pickles every event, file entry and participant of the store in one go. A slotted dataclass
pickles by default as `copyreg.__newobj__` plus a state (a dict, or a `(None, dict)` pair), and the pickler
keeps every object it has written alive until the end, temporaries included: writing the cache of 100,000
events cost ~290 MB on top of the store, and reading it back ~125 MB. Reduced to `(cls, (field, ...))`, a
record leaves one tuple of its values behind instead, and is rebuilt by one call of its `__init__`.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

_Record = TypeVar("_Record", bound=type)


def pickled_by_fields(cls: _Record) -> _Record:
    """Class decorator for a dataclass whose `__init__` takes every field by position, in order."""
    names = [item.name for item in fields(cls)]
    values = attrgetter(*names) if len(names) > 1 else lambda record: (getattr(record, names[0]),)

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return type(self), values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]
    return cls
