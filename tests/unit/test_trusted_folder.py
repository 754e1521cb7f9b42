"""The folder the persistent indexes live in is the user's alone (issue 13), and nothing there is a pickle
(issue 17): a folder another user could write, or anything but a folder of the user's at an index's
place, costs one warning line, and the answers come from the files."""

from __future__ import annotations

import ast
import os
import pickle
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from store.event_store import EventStore
from store.persistence.folder_index import index_location
from store.persistence.indexed_store import IndexedStore
from store.persistence.loading import cache_enabled, dashboard_store, load_folder
from store.persistence.trusted_folder import cache_folder
from tests.conftest import REPO, WriteEvent, event
from tests.unit.reads import count_reads

IDS = ["a", "b", "c"]


@pytest.fixture
def root(write_event: WriteEvent) -> Path:
    write_event("a.json", event(id="a", title="Alpha"))
    write_event("sub/b.json", event(id="b", title="Beta"))
    return write_event("c.json", event(id="c", title="Gamma")).parent


def command(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[list[str], str]:
    """`communique query --json DIR` in this process: the ids it answered and its stderr."""
    from cli.main import main

    capsys.readouterr()
    assert main(["query", "--json", str(root), *options]) == 0
    out, err = capsys.readouterr()
    return sorted(item["id"] for item in orjson.loads(out)), err


def dashboard(root: Path, **options: bool) -> tuple[EventStore, list[str], list[str]]:
    """A dashboard's store on the folder, loaded (then closed), the ids it showed and the warnings it gave."""
    said: list[str] = []
    store = dashboard_store(root, warn=said.append, **options)
    load_folder(store, prepare=False)
    ids = sorted(store.event_ids())
    store.close()
    return store, ids, said


def the_index(root: Path) -> Path:
    """The folder's index folder, found without making one."""
    [found] = cache_folder().glob("*.index")
    assert found.name == index_location(root).name
    return found


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def one_warning(err: str, *words: str) -> bool:
    return (
        err.count("\n") == 1
        and err.startswith("communique: warning: ")
        and "working without the index" in err
        and all(word in err for word in words)
    )


def test_the_cache_folder_and_the_index_folder_are_the_users_alone(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert command(root, capsys) == (IDS, "")
    assert stat_mode(cache_folder()) == 0o700
    assert stat_mode(the_index(root)) == 0o700
    assert the_index(root).parent == Path(os.environ["XDG_CACHE_HOME"]) / "communique"


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_a_cache_folder_others_may_write_is_refused_with_one_warning(
    root: Path, mode: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    command(root, capsys)
    folder = cache_folder()
    folder.chmod(mode)
    reads = count_reads(monkeypatch)
    ids, err = command(root, capsys)
    assert ids == IDS and sorted(reads) == ["a.json", "c.json", "sub/b.json"]  # the files, not the index
    assert one_warning(err, str(folder), "other users may write it")
    store, ids, said = dashboard(root)
    assert not isinstance(store, IndexedStore) and ids == IDS
    assert len(said) == 1 and "other users may write it" in said[0]
    assert stat_mode(folder) == mode  # refused, never repaired: someone else may have written in it


def test_a_cache_folder_of_another_user_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    command(root, capsys)
    uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: uid + 1)  # every folder of the cache now "another user's"
    ids, err = command(root, capsys)
    assert ids == IDS and one_warning(err, str(cache_folder()), "belongs to another user")
    store, ids, said = dashboard(root)
    assert not isinstance(store, IndexedStore) and ids == IDS
    assert len(said) == 1 and "another user" in said[0]


def test_an_index_folder_of_another_user_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.persistence import trusted_folder

    command(root, capsys)
    index = the_index(root)
    real_lstat = os.lstat

    def lstat(path: object) -> os.stat_result:
        found = real_lstat(path)  # type: ignore[arg-type]
        if Path(path) != index:  # type: ignore[arg-type]
            return found
        return os.stat_result((found.st_mode, *found[1:4], found.st_uid + 1, *found[5:]))

    monkeypatch.setattr(trusted_folder.os, "lstat", lstat)
    ids, err = command(root, capsys)
    assert ids == IDS and one_warning(err, str(index), "belongs to another user")


def test_an_index_folder_others_may_write_is_made_the_users_alone(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made under a umask of 002 before it was checked: inside the 0700 cache folder no one else reached it."""
    command(root, capsys)
    the_index(root).chmod(0o775)
    reads = count_reads(monkeypatch)
    assert command(root, capsys) == (IDS, "") and reads == []  # the index, as it was
    assert stat_mode(the_index(root)) == 0o700


@pytest.mark.parametrize("what", ["fifo", "link", "file"])
def test_anything_but_a_folder_at_the_index_path_is_refused_and_never_waited_on(
    root: Path, tmp_path: Path, what: str
) -> None:
    """Nothing at an index's place is followed or opened: a FIFO there once made every command wait forever
    (for the cache's file), and a link would put the index wherever it points."""
    cache_folder().mkdir(mode=0o700, parents=True)
    path = index_location(root)
    path.rmdir()  # made by index_location: replaced by something else
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    {"fifo": os.mkfifo, "link": lambda at: at.symlink_to(elsewhere), "file": Path.touch}[what](path)
    try:
        done = subprocess.run(
            [sys.executable, "-P", "-m", "cli.main", "query", "--json", str(root)],
            cwd=REPO,
            capture_output=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    except subprocess.TimeoutExpired:  # run() killed the command
        pytest.fail(f"the {what} at the index path blocked the command")
    assert done.returncode == 0, done.stderr
    assert sorted(item["id"] for item in orjson.loads(done.stdout)) == IDS
    assert one_warning(done.stderr.decode(), str(path), "not a folder")
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    assert path.is_symlink() if what == "link" else not path.is_dir()
    store, ids, said = dashboard(root)
    assert not isinstance(store, IndexedStore) and ids == IDS
    assert len(said) == 1 and "not a folder" in said[0]


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache_folder() == tmp_path / ".cache" / "communique"


def test_the_index_can_be_turned_off(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert command(root, capsys, "--no-cache") == (IDS, "")
    store, ids, said = dashboard(root, use_cache=False)
    assert not isinstance(store, IndexedStore) and ids == IDS and said == []
    assert not cache_folder().exists() or not list(cache_folder().glob("*.index"))  # no index made
    monkeypatch.setenv("COMMUNIQUE_NO_CACHE", "1")
    assert not cache_enabled()
    monkeypatch.delenv("COMMUNIQUE_NO_CACHE")
    assert cache_enabled() and not cache_enabled(no_cache_flag=True)


# -- no pickle in persistence (issue 17) ------------------------------------------------------------------------

PICKLERS = {"pickle", "_pickle", "cPickle", "shelve", "marshal", "dill", "cloudpickle", "joblib"}
"""Modules that turn bytes into objects by running what the bytes say."""


@pytest.mark.parametrize("package", ["store/persistence", "store/index/persistent"])
def test_no_module_that_keeps_a_folder_on_disk_imports_a_pickler(package: str) -> None:
    modules = sorted((REPO / package).rglob("*.py"))
    assert modules
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text(), str(module))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {name.split(".")[0] for name in names} & PICKLERS, f"{module}: {names}"
    assert not (REPO / "store/persistence/cache.py").exists()
    assert not (REPO / "store/persistence/cache_payload.py").exists()


class Exploit:
    """What a forged cache would unpickle: code that leaves a mark."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path, str]]:
        return (Path.write_text, (self.marker, "code ran"))


@pytest.mark.parametrize("how", ["in memory", "COMMUNIQUE_INDEX=0", "dashboard", "command", "--no-cache"])
def test_a_cache_file_where_the_pickle_cache_lived_is_never_read(
    root: Path,
    tmp_path: Path,
    how: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The old cache's file and key, left in the cache folder by an older version: neither read nor touched
    (main checked its MAC, and deleted it when that failed), and every answer from the files or the index."""
    folder = cache_folder()
    folder.mkdir(mode=0o700, parents=True)
    marker = tmp_path / "pwned"
    old = folder / index_location(root).with_suffix(".cache").name  # the old cache's name for the folder
    index_location(root).rmdir()  # (made by index_location: as a first start, there is none yet)
    header = orjson.dumps({"format": 18, "mac": "0" * 64, "root": str(root)})
    planted = b"communique-cache\n" + header + b"\n" + pickle.dumps(Exploit(marker))
    old.write_bytes(planted)
    (folder / "mac.key").write_bytes(b"k" * 32)
    old.chmod(0o600)
    loaded: list[object] = []
    for name in ("load", "loads"):
        monkeypatch.setattr(pickle, name, lambda *args, **kwargs: loaded.append(args))
    reads = count_reads(monkeypatch)
    if how in ("in memory", "COMMUNIQUE_INDEX=0", "dashboard"):
        if how == "COMMUNIQUE_INDEX=0":
            monkeypatch.setenv("COMMUNIQUE_INDEX", "0")
        store, ids, said = dashboard(root, use_cache=how != "in memory")
        assert said == [] and isinstance(store, IndexedStore) == (how == "dashboard")
    else:
        ids, err = command(root, capsys, *(["--no-cache"] if how == "--no-cache" else []))
        assert err == ""
    assert ids == IDS and sorted(reads) == ["a.json", "c.json", "sub/b.json"]  # every file read
    assert loaded == [] and not marker.exists()
    assert old.read_bytes() == planted  # never opened to be checked, never deleted
