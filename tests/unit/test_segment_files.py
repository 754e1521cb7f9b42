"""Segment files (`store.index.persistent.segments`) as readers map them while a writer replaces them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from store.index.persistent import segments
from store.index.persistent.segments import map_segment, write_segment


def test_a_segment_replaced_while_it_is_mapped_is_read_whole_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The people's tables are rewritten under the same name while followers map them: a reader that read
    the old file's header must map the old file, never the newer, shorter one behind the same name."""
    path = tmp_path / "people.seg"
    write_segment(path, {"counts": np.arange(1_000, dtype=np.int32)})
    read_header = json.loads

    def replaced_meanwhile(text: Any) -> Any:
        header = read_header(text)
        write_segment(path, {"counts": np.arange(3, dtype=np.int32)})
        return header

    monkeypatch.setattr(segments.json, "loads", replaced_meanwhile)
    assert map_segment(path)["counts"].tolist() == list(range(1_000))
    monkeypatch.undo()
    assert map_segment(path)["counts"].tolist() == [0, 1, 2]
