"""``briefing serve``: the reader in a real browser (headless Chromium, driven by Playwright).

The page is textual-serve's: xterm.js draws the reader's screen on a canvas, so
the test reads the terminal's buffer (the characters xterm.js shows) through
JavaScript. Every wait is bounded and the server, with the reader it started
for the browser, is killed whatever happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, sync_playwright

from briefing.cli import cli
from briefing.store import Store

PATIENCE = 20.0  # seconds before any wait gives up and fails

# textual-serve keeps its xterm.js Terminal inside a closure. Before the page's
# script runs, catch the object that gets a `fitAddon` (textual-serve's session,
# whose `terminal` is the xterm.js Terminal) and keep it on `window`.
EXPOSE_TERMINAL = """
window.__textualSessions = [];
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true});
    window.__textualSessions.push(this);
  },
});
"""
READ_SCREEN = """() => {
  const session = window.__textualSessions[0];
  if (!session || !session.terminal) return null;
  const terminal = session.terminal, buffer = terminal.buffer.active, lines = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    out: Path
    err: Path
    url: str = ""  # as serve prints it, with its token

    def output(self) -> str:
        return self.out.read_text(errors="replace") + self.err.read_text(errors="replace")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self) -> str:
        return parse_qs(urlsplit(self.url).query)["token"][0]

    def readers(self) -> list[str]:
        """The command lines of the processes the server started (its readers)."""
        listing = subprocess.run(
            ["ps", "--ppid", str(self.process.pid), "-o", "args="],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [line for line in listing.splitlines() if line and "<defunct>" not in line]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(db: Path, tmp_path: Path, *options: str) -> Iterator[Served]:
    """``briefing serve`` on ``db``, in a process group of its own."""
    command = [sys.executable, "-m", "briefing", "serve", "--db", str(db), *options]
    # A port free a moment ago may be taken by another test run meanwhile: try another.
    for _ in range(3):
        port = free_port()
        out, err = tmp_path / f"serve-{port}.out", tmp_path / f"serve-{port}.err"
        with out.open("wb") as out_file, err.open("wb") as err_file:
            process = subprocess.Popen(
                [*command, "--port", str(port)],
                stdout=out_file,
                stderr=err_file,
                start_new_session=True,  # the readers it starts are in its group: killed below
            )
        server = Served(process, port, out, err)
        try:
            if answers(server):
                break
        except BaseException:
            stop(server)
            raise
        stop(server)
        if "address already in use" not in server.output().lower():
            pytest.fail(f"the server did not start:\n{server.output()}")
    else:
        pytest.fail(f"the server found no free port:\n{server.output()}")
    try:
        found = re.search(r"Serving the briefing reader on (http://\S+)", server.output())
        assert found, server.output()
        server.url = found.group(1)
        yield server
    finally:
        stop(server)


def answers(server: Served) -> bool:
    """Whether the server came up listening on its port (its own socket, not merely some
    program's on that port); False if it stopped."""
    port = server.port
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        if "Serving the briefing reader" in server.output() and listens(server.process.pid, port):
            return True
        time.sleep(0.1)
    pytest.fail(f"the server did not start:\n{server.output()}")


def listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds a socket listening on TCP port ``port`` (Linux /proc)."""
    sockets = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # LISTEN
            sockets.add(f"socket:[{fields[9]}]")
    with contextlib.suppress(OSError):
        return any(os.readlink(fd) in sockets for fd in Path(f"/proc/{pid}/fd").iterdir())
    return False


def stop(server: Served) -> None:
    with contextlib.suppress(ProcessLookupError):  # the test stopped them all already
        os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=PATIENCE)


@pytest.fixture
def served(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    monkeypatch.delenv("NO_COLOR")  # the browser gets the reader in colour, as people see it
    with serving(sample_db, tmp_path) as server:
        yield server


def wait_for_screen(page: Page, what: str, check: Callable[[str], bool]) -> str:
    deadline = time.monotonic() + PATIENCE
    screen = ""
    while True:
        screen = page.evaluate(READ_SCREEN) or ""
        if check(screen):
            return screen
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} in the browser after {PATIENCE:.0f} s; it shows:\n{screen}")
        page.wait_for_timeout(100)


def group_ends(group: int) -> bool:
    """Whether every process of the group exits within the patience."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def reader_pane(screen: str) -> str:
    """The text right of the article list's border (and left of the sidebar's), as one line."""
    pieces = []
    for line in screen.splitlines():
        if "▕" in line:
            pieces.append(line.split("▕", 1)[1].split("▏", 1)[0])
    return " ".join(" ".join(pieces).split())


@pytest.mark.needs("chromium")  # Debian's: Playwright's own browsers are never downloaded
@pytest.mark.slow
def test_the_reader_works_in_a_browser(
    served: Served, sample_db: Path, tmp_path: Path, program: Callable[[str], str]
) -> None:
    with Store.open(sample_db) as store:
        newest = store.articles.newest_first(limit=3)
        third = store.articles.get(newest[2].id)
    assert third is not None and not third.read
    first_paragraph = third.body.split("\n\n", 1)[0].split()
    phrase = " ".join(first_paragraph[8:14])  # words of the third article's opening

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=program("chromium"), headless=True, timeout=PATIENCE * 1000
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 720})
            page.set_default_timeout(PATIENCE * 1000)
            page.add_init_script(EXPOSE_TERMINAL)
            page.goto(served.url)
            screen = wait_for_screen(
                page, "article list", lambda text: newest[0].title[:24] in text
            )
            assert re.search(r"briefing +\d+ articles", screen)
            for article in newest:
                assert article.title[:24] in screen
            assert phrase not in reader_pane(screen)  # the newest article is open, not the third

            page.focus("textarea.xterm-helper-textarea")  # xterm.js takes keys from here
            for key in ("j", "j", "Enter"):
                page.keyboard.press(key)
            screen = wait_for_screen(
                page, "third article in the reader", lambda text: phrase in reader_pane(text)
            )
            page.screenshot(path=tmp_path / "served.png")
        finally:
            browser.close()

    with Store.open(sample_db) as store:  # Enter opened it, and that marks it read
        opened = store.articles.get(third.id)
    assert opened is not None and opened.read

    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=PATIENCE) == 0
    assert group_ends(served.process.pid)  # the reader it started for the browser quit too
    assert "Traceback" not in served.output()


def test_serving_beyond_loopback_warns_and_needs_yes(runner: CliRunner, sample_db: Path) -> None:
    result = runner.invoke(cli, ["serve", "--db", str(sample_db), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "warning: serving on every network interface" in result.stderr
    assert "over plain HTTP: nothing is encrypted" in result.stderr
    assert "the address with its token" in result.stderr
    assert "not serving on 0.0.0.0 without --yes" in result.stderr


def test_serve_says_why_it_cannot_listen(sample_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "briefing", "serve", "--db", str(sample_db)]
        result = subprocess.run(
            [*command, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=PATIENCE,
            check=False,
        )
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}: address already in use" in result.stderr.lower()
    assert "Traceback" not in result.stderr + result.stdout


# -- who may open the reader ---------------------------------------------------------------


async def status_of(session: aiohttp.ClientSession, url: str, **headers: str) -> int:
    async with session.get(url, headers=headers, allow_redirects=False) as response:
        return response.status


async def handshake_status(session: aiohttp.ClientSession, url: str, **headers: str) -> int:
    """The HTTP status that refuses a websocket (101 when it opens: then it is closed)."""
    try:
        websocket = await session.ws_connect(url, headers=headers)
    except aiohttp.WSServerHandshakeError as error:
        return error.status
    await websocket.close()
    return 101


async def wait_until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} after {PATIENCE:.0f} s")
        await asyncio.sleep(0.1)


async def test_the_page_and_the_websocket_need_the_token(served: Served) -> None:
    base, token = served.base, served.token
    assert served.url == f"{base}/?token={token}" and len(token) >= 40
    async with aiohttp.ClientSession() as session:
        for query in (
            "",
            "?token=",
            "?token=wrong",
            f"?token={token}x",
            "?token=%C3%A9",
            "?token=%FF",
        ):
            assert await status_of(session, f"{base}/{query}") == 403, query
        async with session.get(served.url) as response:
            assert response.status == 200
            page = await response.text()
            # The address holds the token: never sent on by the page, never cached, no cookie.
            assert response.headers["Referrer-Policy"] == "no-referrer"
            assert response.headers["Cache-Control"] == "no-store"
            assert "Set-Cookie" not in response.headers
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws/{token}"' in page
        # The page's scripts are public files: served without the token.
        assert await status_of(session, f"{base}/static/js/textual.js") == 200
        # textual-serve's own websocket, and the session's with a missing or wrong token.
        ws = base.replace("http:", "ws:")
        for path in (
            "/ws?",
            f"/ws?token={token}&",
            "/ws/?",
            f"/ws/{token}x?",
            f"/ws/{token[:-1]}?",
        ):
            status = await handshake_status(session, f"{ws}{path}width=80&height=24")
            assert status in (403, 404), path
        assert await status_of(session, f"{base}/download/key") == 403
    assert served.readers() == []


async def test_other_sites_and_other_host_names_are_refused(served: Served) -> None:
    base, port, token = served.base, served.port, served.token
    session_url = f"{base.replace('http:', 'ws:')}/ws/{token}?width=80&height=24"
    async with aiohttp.ClientSession() as session:
        # DNS rebinding: a page whose own name now points at 127.0.0.1 sends its name.
        for route in (f"/?token={token}", "/static/js/textual.js"):
            assert await status_of(session, base + route, Host=f"evil.example:{port}") == 403
        assert await handshake_status(session, session_url, Host=f"evil.example:{port}") == 403
        # A page from another site, even holding the token, cannot open the reader.
        for origin in ("http://evil.example", f"http://127.0.0.1:{port + 1}", "null"):
            assert await status_of(session, served.url, Origin=origin) == 403
            assert await handshake_status(session, session_url, Origin=origin) == 403
        assert served.readers() == []
        # The names of this machine, and a tunnel's own port (ssh -L 9000:...) are fine.
        assert await status_of(session, served.url, Host=f"localhost:{port}") == 200
        tunnel = {"Host": "localhost:9000", "Origin": "http://localhost:9000"}
        assert await status_of(session, served.url, **tunnel) == 200
        # The page's own origin opens a reader; when the browser leaves, the reader stops.
        websocket = await session.ws_connect(session_url, headers={"Origin": base})
        await wait_until(lambda: len(served.readers()) == 1, "reader for the browser")
        await websocket.close()
        await wait_until(lambda: served.readers() == [], "reader stopped")


async def test_readers_are_capped_and_their_size_clamped(sample_db: Path, tmp_path: Path) -> None:
    with serving(sample_db, tmp_path, "--max-sessions", "2") as served:
        ws = f"{served.base.replace('http:', 'ws:')}/ws/{served.token}"
        async with aiohttp.ClientSession() as session:
            huge = await session.ws_connect(f"{ws}?width=100000&height=99999999999")
            small = await session.ws_connect(f"{ws}?width=-5&height=abc")
            await wait_until(lambda: len(served.readers()) == 2, "two readers")
            # The third is told why in its terminal, and closed; no reader starts for it.
            third = await session.ws_connect(f"{ws}?width=80&height=24")
            notice = await third.receive(timeout=PATIENCE)
            assert notice.type == aiohttp.WSMsgType.BINARY
            assert b"2 readers are open already" in notice.data
            assert (await third.receive(timeout=PATIENCE)).type == aiohttp.WSMsgType.CLOSE
            assert third.close_code == 1013
            readers = served.readers()
            # One process per reader: the shell execs it.
            assert len(readers) == 2
            assert all(r.startswith(f"{sys.executable} -m briefing") for r in readers), readers
            sizes = set()
            for pid in subprocess.run(
                ["ps", "--ppid", str(served.process.pid), "-o", "pid="],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split():
                environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
                size = {k: v for k, _, v in (e.decode().partition("=") for e in environ)}
                sizes.add((size["COLUMNS"], size["ROWS"]))
            assert sizes == {("500", "200"), ("20", "24")}
            # Nonsense from a browser is ignored, not fatal to its reader.
            for junk in ('["resize", {"width": 1e300, "height": null}]', '["stdin", 5]', "{", "[]"):
                await huge.send_str(junk)
            await huge.send_json(["ping", "still there"])
            pong = await huge.receive_json(timeout=PATIENCE)
            while pong[0] != "pong":
                pong = await huge.receive_json(timeout=PATIENCE)
            assert pong == ["pong", "still there"]
            # A reader closed makes room for another.
            await small.close()
            await wait_until(lambda: len(served.readers()) == 1, "a reader stopped")
            again = await session.ws_connect(f"{ws}?width=80&height=24")
            await wait_until(lambda: len(served.readers()) == 2, "a new reader")
            await again.close()
            await huge.close()
            await wait_until(lambda: served.readers() == [], "every reader stopped")
    assert "Traceback" not in served.output()
    assert served.token not in served.output().replace(served.url, "")  # not in the access log


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (10_000, 10_000, (500, 200)),
        (1e300, float("inf"), (500, 24)),  # infinity is no number: the default
        ("120", "40", (120, 40)),
        (None, "x", (80, 24)),
        (-3, 0, (20, 8)),
        ({"a": 1}, [], (80, 24)),
    ],
)
async def test_a_resize_is_clamped(
    width: object, height: object, expected: tuple[int, int]
) -> None:
    from textual_serve.download_manager import DownloadManager

    from briefing.tui.serve import ReaderSession

    sent = bytearray()

    class Pipe:
        def write(self, data: bytes) -> None:
            sent.extend(data)

        async def drain(self) -> None:
            pass

    async def nothing(*_: object) -> None:
        pass

    session = ReaderSession(
        "true",
        write_bytes=nothing,
        write_str=nothing,
        close=nothing,
        download_manager=DownloadManager(),
    )
    session._stdin = Pipe()  # type: ignore[assignment]
    await session.set_terminal_size(width, height)
    assert sent[:1] == b"M" and int.from_bytes(sent[1:5], "big") == len(sent) - 5
    meta = json.loads(sent[5:])
    assert meta == {"type": "resize", "width": expected[0], "height": expected[1]}


async def test_a_reader_that_will_not_quit_is_killed() -> None:
    """The browser has left: the reader is asked to quit, then killed after a few seconds."""
    from textual_serve.download_manager import DownloadManager

    from briefing.tui.serve import ReaderSession

    async def nothing(*_: object) -> None:
        pass

    ignores_quit = shlex.join(
        [
            sys.executable,
            "-c",
            "import signal, time; signal.signal(signal.SIGTERM, "
            "signal.SIG_IGN); print('__GANGLION__', flush=True); time.sleep(600)",
        ]
    )
    session = ReaderSession(
        "exec " + ignores_quit,
        write_bytes=nothing,
        write_str=nothing,
        close=nothing,
        download_manager=DownloadManager(),
        stop_seconds=1.0,
    )
    await session.start(80, 24)
    process = session._process
    assert process is not None
    started = time.monotonic()
    await asyncio.wait_for(session.stop(), PATIENCE)
    assert time.monotonic() - started < 5
    assert process.returncode is not None


def test_serve_help_explains_the_session_cap(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["serve", "--help"], terminal_width=100)
    assert result.exit_code == 0
    shown = " ".join(result.stdout.split())
    assert "--max-sessions INTEGER RANGE" in shown
    assert "Each browser tab runs its own reader process" in shown
    result = runner.invoke(cli, ["serve", "--max-sessions", "0"])
    assert result.exit_code == 2
