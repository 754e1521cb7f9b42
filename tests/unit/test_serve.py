"""`communique serve`: the real command on a free loopback port answers with the dashboard's page, only to
whoever has the token, within its limits, with nothing fetched from another host."""

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
TOKEN = "a-test-token-that-nobody-guesses"
WITH_TOKEN = f"/?token={TOKEN}"


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


def start_server(tmp_path: Path, *options: str) -> Iterator[tuple[int, Path]]:
    """`communique serve` on the test corpus, in its own process, on 127.0.0.1; yields the port and its log,
    then stops it."""
    folder = shutil.copytree(REPO / "tests" / "app" / "corpus", tmp_path / "my events")
    port = free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-P",
            "-m",
            "cli.main",
            "serve",
            str(folder),
            "--port",
            str(port),
            "--no-cache",
            *options,
        ],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not listen in time"
                time.sleep(0.1)
        yield port, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    for port, _log in start_server(tmp_path, "--token", TOKEN):
        yield port


def test_serve_answers_on_loopback_with_the_dashboard_page(server: int) -> None:
    status, page = get(server, WITH_TOKEN)
    assert status == 200
    assert "<html" in page.lower()
    assert "Communiqué" in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{server}/ws"' in page
    assert get(server, WITH_TOKEN, headers={"Host": f"localhost:{server}"})[0] == 200


def test_serve_refuses_other_hosts_and_websockets_from_other_pages(server: int) -> None:
    assert get(server, WITH_TOKEN, headers={"Host": f"attacker.example:{server}"})[0] == 403  # DNS rebinding
    upgrade = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Origin": "http://attacker.example",
    }
    status, body = get(server, f"/ws?token={TOKEN}", upgrade)
    assert status == 403 and "own page" in body


def test_the_websocket_from_its_own_page_shows_the_dashboard(server: int) -> None:
    """As a browser does it: the tokened page sets a cookie, which then opens the websocket."""

    async def screen() -> bytes:
        received = b""
        url = f"http://127.0.0.1:{server}/ws?width=160&height=50"
        jar = aiohttp.CookieJar(unsafe=True)  # a browser keeps cookies of an IP address too
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            async with session.get(f"http://127.0.0.1:{server}{WITH_TOKEN}") as page:
                assert page.status == 200
            origin = {"Origin": f"http://127.0.0.1:{server}"}
            async with session.ws_connect(url, headers=origin) as websocket:
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
    served: list[serve.Serving] = []
    monkeypatch.setattr(serve, "_serve", served.append)
    assert main(["serve", str(tmp_path)]) == 0
    assert main(["serve", str(tmp_path), "--host", "0.0.0.0", "--port", "9000"]) == 0
    assert main(["serve", str(tmp_path), "--host", "::1", "--token", TOKEN]) == 0
    assert [serving.url.split("?")[0] for serving in served] == [
        "http://127.0.0.1:8000/",
        "http://127.0.0.1:9000/",  # every address includes loopback; browsers refuse 0.0.0.0
        "http://[::1]:8000/",
    ]
    first, second, third = (serving.token for serving in served)
    assert len(first) >= 40 and first != second and third == TOKEN  # generated afresh, unless given
    assert served[0].url.endswith(f"?token={first}") and served[0].max_sessions == 8
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "serving on 0.0.0.0" in err and "token" in err
    assert main(["serve", str(tmp_path / "missing")]) == 2
    assert main(["serve", str(tmp_path), "--port", "70000"]) == 2
    assert main(["serve", str(tmp_path), "--token", "short"]) == 2
    assert main(["serve", str(tmp_path), "--max-sessions", "0"]) == 2
    assert main(["serve", str(tmp_path), "--export-folder", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err.count("communique: ") == 5


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


# -- issue 13: nobody without the token, within limits, nothing from another host ----------------------------


def ws_upgrade(port: int) -> dict[str, str]:
    return {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Origin": f"http://127.0.0.1:{port}",
    }


def test_nothing_is_served_without_the_token(server: int) -> None:
    """Another user of the machine reaches the same loopback port: without the token, they get nothing."""
    for path in (
        "/",
        "/static/js/textual.js",
        "/static/css/xterm.css",
        "/static/",
        "/download/key",
        "/nothing",
    ):
        for query in ("", "?token=wrong-token-of-the-same-length!"):
            status, body = get(server, path + query)
            assert status == 403 and "token" in body, (path, query, status)
    assert get(server, "/ws", ws_upgrade(server))[0] == 403
    cookie = {"Cookie": f"communique-token-{server}=guessed"}
    assert get(server, "/static/js/textual.js", cookie)[0] == 403


def test_the_tokened_visit_leaves_a_cookie_that_opens_the_rest(server: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    try:
        connection.request("GET", WITH_TOKEN)
        response = connection.getresponse()
        response.read()
        cookie = response.getheader("Set-Cookie") or ""
    finally:
        connection.close()
    assert response.status == 200
    assert cookie.startswith(f"communique-token-{server}={TOKEN};") and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    status, script = get(server, "/static/js/textual.js", {"Cookie": f"communique-token-{server}={TOKEN}"})
    assert status == 200 and "WebSocket" in script


def test_the_page_fetches_nothing_from_another_host(server: int) -> None:
    import re

    status, page = get(server, WITH_TOKEN)
    assert status == 200
    links = re.findall(r'(?:href|src)="([^"]*)"|url\("?([^")]*)"?\)', page)
    assets = [href or url for href, url in links]
    assert assets and all(asset.startswith("/static/") for asset in assets), assets
    assert "googleapis" not in page and "@import" not in page
    cookie = {"Cookie": f"communique-token-{server}={TOKEN}"}
    for asset in assets:
        status, body = get(server, asset, cookie)
        assert status == 200, asset
        if asset.endswith((".css", ".js")):
            assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", body), asset


def test_the_generated_token_is_printed_once_in_the_url(tmp_path: Path) -> None:
    import re

    for port, log in start_server(tmp_path):
        deadline = time.monotonic() + STARTUP_SECONDS
        while "token=" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        text = log.read_text()
        found = re.findall(rf"http://127\.0\.0\.1:{port}/\?token=([A-Za-z0-9_-]+)", text)
        assert len(found) == 1 and len(found[0]) >= 40 and text.count(found[0]) == 1, text
        assert get(port, f"/?token={found[0]}")[0] == 200
        assert get(port)[0] == 403


def test_sessions_are_capped_and_slow_clients_dropped(tmp_path: Path) -> None:
    for port, _log in start_server(
        tmp_path, "--token", TOKEN, "--max-sessions", "1", "--client-timeout", "1"
    ):

        async def second_session_status(port: int) -> int:
            url = f"http://127.0.0.1:{port}/ws?token={TOKEN}"
            origin = {"Origin": f"http://127.0.0.1:{port}"}
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(url, headers=origin) as first:
                    await asyncio.wait_for(first.receive(), timeout=STARTUP_SECONDS)  # the dashboard is up
                    try:
                        async with session.ws_connect(url, headers=origin):
                            return 101
                    except aiohttp.WSServerHandshakeError as refused:
                        return refused.status

        assert asyncio.run(second_session_status(port)) == 503

        with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")  # and never the rest
            started = time.monotonic()
            assert slow.recv(1024) == b""  # closed by the server, not by our own timeout of 10 s
            assert time.monotonic() - started < 8

        with socket.create_connection(("127.0.0.1", port), timeout=10) as trickling:
            trickling.sendall(
                f"POST /?token={TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 100000\r\n\r\n".encode()
            )
            started = time.monotonic()
            with pytest.raises(OSError):  # the server cuts a body that trickles in, a byte at a time
                while time.monotonic() - started < 8:
                    trickling.sendall(b"x")
                    time.sleep(0.1)
            assert time.monotonic() - started < 8


def test_any_host_name_is_answered_when_listening_everywhere() -> None:
    """`--host 0.0.0.0`: browsers on the network name the machine as they know it (the token still guards)."""
    everywhere = serve.ServedNames("0.0.0.0", 8000, "http://0.0.0.0:8000", any_host=True)
    assert everywhere.refusal("192.168.1.20:8000", "http://192.168.1.20:8000") is None
    assert everywhere.refusal("workstation.lan:8000", None) is None
    assert everywhere.refusal("192.168.1.20:8000", "http://attacker.example") is not None
    assert serve.ipaddress_is_unspecified("0.0.0.0") and serve.ipaddress_is_unspecified("::")
    assert not serve.ipaddress_is_unspecified("127.0.0.1")


def test_served_exports_go_only_into_the_export_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.export_screen import export_problem

    exports = tmp_path / "exports"
    exports.mkdir()
    watched = tmp_path / "events"
    watched.mkdir()
    (exports / "link.csv").symlink_to(tmp_path / "elsewhere.csv")
    served_with = serve.Serving("cmd", "127.0.0.1", 8000, None, TOKEN, export_folder=str(exports))
    for name, value in served_with.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert export_problem("report.csv", str(watched)) is None  # a bare name: into the export folder
    assert export_problem(str(exports / "report.csv"), str(watched)) is None
    for outside in ("~/.bashrc", str(tmp_path / "report.csv"), "../report.csv", "sub/report.csv"):
        assert "only into" in (export_problem(outside, str(watched)) or ""), outside
    assert "dot" in (export_problem(".profile", str(watched)) or "")
    assert "not a plain file" in (export_problem("link.csv", str(watched)) or "")
    monkeypatch.setenv("COMMUNIQUE_EXPORT_FOLDER", "")  # serve without --export-folder: exports are off
    assert "--export-folder" in (export_problem("report.csv", str(watched)) or "")
    monkeypatch.delenv("COMMUNIQUE_SERVED")  # in a terminal: anywhere, as before
    assert export_problem(str(tmp_path / "report.csv"), str(watched)) is None
