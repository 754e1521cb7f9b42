"""`communique serve`: the real command on a free loopback port answers with the dashboard's page."""

from __future__ import annotations

import argparse
import asyncio
import http.client
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from cli import serve
from cli.main import main
from tests.conftest import REPO

STARTUP_SECONDS = 30
"""The server imports aiohttp and textual-serve before it listens: seconds on a busy machine, never more."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str = "/", headers: dict[str, str] | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    """`communique serve` on the test corpus, in its own process; yields the port, then stops it."""
    folder = shutil.copytree(REPO / "tests" / "tui" / "corpus", tmp_path / "my events")
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "cli.main", "serve", str(folder), "--port", str(port), "--no-cache"],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not listen in time"
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_serve_answers_on_loopback_with_the_dashboard_page(server: int) -> None:
    status, page = get(server)
    assert status == 200
    assert "<html" in page.lower()
    assert "Communiqué" in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{server}/ws"' in page
    assert get(server, headers={"Host": f"localhost:{server}"})[0] == 200


def test_serve_refuses_other_hosts_and_websockets_from_other_pages(server: int) -> None:
    assert get(server, headers={"Host": f"attacker.example:{server}"})[0] == 403  # DNS rebinding
    upgrade = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Origin": "http://attacker.example",
    }
    status, body = get(server, "/ws", upgrade)
    assert status == 403 and "own page" in body


def test_the_websocket_from_its_own_page_shows_the_dashboard(server: int) -> None:
    async def screen() -> bytes:
        received = b""
        url = f"http://127.0.0.1:{server}/ws?width=160&height=50"
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(url, headers={"Origin": f"http://127.0.0.1:{server}"}) as websocket:
                deadline = time.monotonic() + STARTUP_SECONDS
                while b"Ashgabat" not in received and time.monotonic() < deadline:
                    try:
                        message = await asyncio.wait_for(websocket.receive(), timeout=5)
                    except TimeoutError:
                        continue
                    if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                        break
                    received += message.data if isinstance(message.data, bytes) else message.data.encode()
        return received

    assert b"Ashgabat" in asyncio.run(screen())  # an event of the corpus, drawn by the dashboard


def test_the_dashboard_command_quotes_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "it's a $(folder) ; rm -rf"
    args = argparse.Namespace(dir=str(folder), no_cache=True, follow_symlinks=False, max_bytes=1000)
    parts = shlex.split(serve.dashboard_command(args))
    assert parts == [
        sys.executable,
        "-P",
        "-m",
        "cli.main",
        "open",
        str(folder),
        "--no-cache",
        "--max-bytes",
        "1000",
    ]
    args.max_bytes = None  # not given: the dashboard takes the config file's limit
    assert shlex.split(serve.dashboard_command(args))[-1] == "--no-cache"


def test_binding_beyond_loopback_warns_and_bad_arguments_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[tuple[str, int, str]] = []
    monkeypatch.setattr(serve, "_serve", lambda command, host, port, url: served.append((host, port, url)))
    assert main(["serve", str(tmp_path)]) == 0
    assert main(["serve", str(tmp_path), "--host", "0.0.0.0", "--port", "9000"]) == 0
    assert main(["serve", str(tmp_path), "--host", "::1"]) == 0
    assert served == [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("0.0.0.0", 9000, "http://0.0.0.0:9000"),
        ("::1", 8000, "http://[::1]:8000"),
    ]
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "serving on 0.0.0.0" in err and "no password" in err
    assert main(["serve", str(tmp_path / "missing")]) == 2
    assert main(["serve", str(tmp_path), "--port", "70000"]) == 2
    assert capsys.readouterr().err.count("communique: ") == 2


def test_served_names_follow_the_address() -> None:
    loopback = serve.ServedNames("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert loopback.refusal("localhost:8000", "http://localhost:8000") is None
    assert loopback.refusal("[::1]:8000", None) is None
    assert loopback.refusal("localhost:8001", None) is not None
    assert loopback.refusal("127.0.0.1:8000", "null") is not None
    proxied = serve.ServedNames("0.0.0.0", 8000, "https://dash.example.org")
    assert proxied.refusal("dash.example.org", "https://dash.example.org") is None
    assert proxied.refusal("localhost:8000", None) is not None
    assert serve.is_loopback("localhost") and serve.is_loopback("127.8.0.1") and serve.is_loopback("::1")
    assert not serve.is_loopback("0.0.0.0") and not serve.is_loopback("example.org")
