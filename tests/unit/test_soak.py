"""A short soak in the suite: after a storm of creates, rewrites, renames and deletes, store equals folder."""

from __future__ import annotations

import asyncio

from bench.soak import soak


def test_store_equals_folder_after_a_bounded_storm() -> None:
    assert asyncio.run(soak(seconds=4, seed=3)) == []
