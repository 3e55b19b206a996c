"""``briefing serve``: the reader in a real browser (headless Chromium, driven by Playwright).

The page is textual-serve's: xterm.js draws the reader's screen on a canvas, so
the test reads the terminal's buffer (the characters xterm.js shows) through
JavaScript. Every wait is bounded and the server, with the reader it started
for the browser, is killed whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

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
    url: str
    out: Path
    err: Path

    def output(self) -> str:
        return self.out.read_text(errors="replace") + self.err.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def served(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    """``briefing serve`` on the sample database, in a process group of its own."""
    monkeypatch.delenv("NO_COLOR")  # the browser gets the reader in colour, as people see it
    command = [sys.executable, "-m", "briefing", "serve", "--db", str(sample_db)]
    # A port free a moment ago may be taken by another test run meanwhile: try another.
    for attempt in range(3):
        port = free_port()
        out, err = tmp_path / f"serve{attempt}.out", tmp_path / f"serve{attempt}.err"
        with out.open("wb") as out_file, err.open("wb") as err_file:
            process = subprocess.Popen(
                [*command, "--port", str(port)],
                stdout=out_file,
                stderr=err_file,
                start_new_session=True,  # the readers it starts are in its group: killed below
            )
        server = Served(process, f"http://127.0.0.1:{port}/", out, err)
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
        yield server
    finally:
        stop(server)


def answers(server: Served) -> bool:
    """Whether the server came up listening on its port (its own socket, not merely some
    program's on that port); False if it stopped."""
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
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
    assert "no password and no encryption" in result.stderr
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
