"""Shared helpers: a folder of event files written by the test itself."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
CORPORA = REPO / "tests" / "corpora"
"""Third-party test material kept in the repository (see its README): no test reads outside the checkout."""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real cache or configuration."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


WriteEvent = Callable[..., Path]


@pytest.fixture
def write_event(tmp_path: Path) -> WriteEvent:
    """write_event(rel, obj | bytes | str, mtime_step=True) → the file's path under tmp_path/events."""
    root = tmp_path / "events"
    root.mkdir(exist_ok=True)
    counter = [0]

    def write(rel: str, content: Any) -> Path:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            data = content
        elif isinstance(content, str):
            data = content.encode()
        else:
            data = orjson.dumps(content)
        path.write_bytes(data)
        # Distinct mtimes even on coarse clocks: the store's change detection relies on size and mtime.
        counter[0] += 1
        stamp = 1_700_000_000 + counter[0]
        os.utime(path, (stamp, stamp))
        return path

    return write


def event(**fields: Any) -> dict[str, Any]:
    """A minimal valid event with the given fields."""
    return {"title": "An event", "date": "2023-05-04", **fields}


def loaded_store(folder: Path, events: list[dict[str, Any]]) -> Any:
    """An `EventStore` over `folder` after writing each event there as `<id>.json`, loaded."""
    from store.event_store import EventStore

    for one in events:
        (folder / f"{one['id']}.json").write_bytes(orjson.dumps(one))
    store = EventStore(folder)
    store.load()
    return store
