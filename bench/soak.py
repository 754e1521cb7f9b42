"""`python -m bench.soak [--seconds 30] [--seed 1]`: the headless app under a bounded storm of file changes.

A writer creates, rewrites (in place, atomically, and half-written then completed), renames and deletes
event files in a temporary folder while the real app watches it headless. When the storm ends and the
watcher has settled, the store must equal the folder: the same events, the same titles, no stale entry
and no problem. Exits 0 on success, 1 with the differences otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import orjson

from store.files.event_files import read_event_file
from store.files.folder_scan import scan_folder
from tui.app import CommuniqueApp


def expected_titles(root: Path) -> dict[str, str]:
    """What the folder holds, read independently of the running app."""
    titles: dict[str, str] = {}
    for rel in scan_folder(str(root)):
        for event in read_event_file(str(root / rel), rel).events:
            titles[event.id] = event.title
    return titles


def storm_step(root: Path, rng: random.Random, number: int) -> None:
    """One random operation. Ids are file names, one file per id, so that no duplicate id arises."""
    names = [path for path in root.rglob("*.json")]
    action = rng.random()
    raw = {"id": f"soak-{rng.randrange(400)}", "title": f"Soak event {number}", "date": "2024-01-01"}
    if action < 0.35 or not names:
        existing = [path for path in names if path.stem == raw["id"]]
        target = existing[0] if existing else root / f"d{rng.randrange(8)}" / f"{raw['id']}.json"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(orjson.dumps(raw))
    elif action < 0.55:
        target = rng.choice(names)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(orjson.dumps({**raw, "id": target.stem}))
        os.replace(temporary, target)
    elif action < 0.7:
        target = rng.choice(names)
        data = orjson.dumps({**raw, "id": target.stem})
        with open(target, "wb") as handle:  # half-written, then completed
            handle.write(data[: len(data) // 2])
            handle.flush()
            time.sleep(0.002)
            handle.write(data[len(data) // 2 :])
    elif action < 0.85:
        target = rng.choice(names)
        folder = root / f"d{rng.randrange(8)}"
        folder.mkdir(exist_ok=True)
        os.replace(target, folder / target.name)  # same name: replaces that id's file if it is there
    else:
        rng.choice(names).unlink(missing_ok=True)


async def soak(seconds: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="communique-soak-") as folder:
        root = Path(folder)
        app = CommuniqueApp(str(root), use_cache=False)
        async with app.run_test(size=(120, 40)) as pilot:
            while not (app.loaded and app.status.status.watch == "live"):
                await pilot.pause(0.01)
            deadline = time.monotonic() + seconds
            number = 0
            while time.monotonic() < deadline:
                for _ in range(20):
                    storm_step(root, rng, number)
                    number += 1
                await pilot.pause(0.01)
            expected = expected_titles(root)
            settle = time.monotonic() + 30
            differences: list[str] = []
            while time.monotonic() < settle:
                await pilot.pause(0.2)
                store = app.store
                with store.lock:
                    shown = {
                        event_id: store.index.event(docno).title
                        for event_id, docno in store.index.docno_of.items()
                    }
                stale = store.stale_ids()
                problems = [str(problem) for problem in store.problems()]
                differences = [f"missing or wrong: {i}" for i in expected if shown.get(i) != expected[i]]
                differences += [f"extra: {i}" for i in shown.keys() - expected.keys()]
                differences += [f"stale: {i}" for i in stale] + [f"problem: {p}" for p in problems]
                if not differences:
                    break
            print(
                f"{number:,} file operations in {seconds:.0f} s; {len(expected):,} events on disk, "
                f"{len(shown):,} in the store"
            )
            return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    differences = asyncio.run(soak(args.seconds, args.seed))
    for line in differences[:50]:
        print(line)
    print("store equals folder" if not differences else f"{len(differences)} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
