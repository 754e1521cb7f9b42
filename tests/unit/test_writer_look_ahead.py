"""`PersistentWriter.look_ahead`, the fast path of a bulk load's claim settling, answers exactly as one query
a question does: before a chunk is put, while it is being put, and after it is committed."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.files.event_files import FileStamp
from store.index.persistent import PersistentWriter
from store.index.persistent.folder import FolderWriter
from store.index.persistent.writer import _LookedAhead
from store.model.event import Event
from store.model.validate import validate_event
from tests.unit.test_folder_index import CLAIMS, FILES, IDS

STEP = st.dictionaries(st.sampled_from(FILES), st.one_of(CLAIMS, st.none()), min_size=1, max_size=5)


def what_it_says(writer: PersistentWriter) -> dict[str, Any]:
    """Every question the claims' settling asks, of every file and id the steps use."""
    return {
        **{f"file {path}": writer.live_docnos(file=path) for path in FILES},
        **{f"id {key}": writer.live_docnos(event_id=key) for key in IDS},
        **{f"hidden {path}": writer.hidden(file=path) for path in FILES},
        **{f"hidden id {key}": writer.hidden(event_id=key) for key in IDS},
        **{f"record {path}": writer.file_record(path) for path in FILES},
    }


def asked_one_by_one(writer: PersistentWriter) -> dict[str, Any]:
    looked, writer._ahead = writer._ahead, _LookedAhead()
    try:
        return what_it_says(writer)
    finally:
        writer._ahead = looked


def events_of(rel: str, claims: list[dict[str, Any]]) -> list[Event]:
    return [validate_event(raw, fallback_id=raw["id"], path=f"{rel}#{n}") for n, raw in enumerate(claims)]


def put(files: FolderWriter, step: dict[str, list[dict[str, Any]] | None], stamp: int) -> None:
    for rel, claims in step.items():
        if claims is None:
            files.remove_file(rel)
        else:
            files.put_file(rel, FileStamp(len(claims), stamp, stamp, 1), events_of(rel, claims))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=2, max_size=4))
def test_looked_ahead_answers_are_the_queries_answers(steps: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder, PersistentWriter(Path(folder)) as writer:
        files = FolderWriter(writer)
        for number, step in enumerate(steps):
            before = what_it_says(writer)
            files.look_ahead([(rel, events_of(rel, claims or [])) for rel, claims in step.items()])
            assert what_it_says(writer) == before
            put(files, step, 1_700_000_000 + number)
            assert what_it_says(writer) == asked_one_by_one(writer)
            files.commit()
            assert what_it_says(writer) == asked_one_by_one(writer)
