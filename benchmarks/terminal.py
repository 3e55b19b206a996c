"""Run a full-screen program in a pseudo-terminal and watch its screen, as a person would.

The program gets a real terminal of a fixed size (a pty, with TIOCSWINSZ set);
everything it writes is counted in bytes and fed to a pyte screen, so a
benchmark can wait for "the screen shows X" and know how many bytes it took
to get there: the figure that matters over SSH.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Sequence

import pyte


class Timeout(Exception):
    pass


def spawn_in_pty(
    argv: Sequence[str],
    columns: int,
    rows: int,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    *,
    unset: Sequence[str] = (),
    controlling: bool = False,
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``argv`` on a new pty of ``columns`` x ``rows`` (TERM=xterm-256color, ``env``
    on top, the ``unset`` variables removed); returns the process and the master fd.

    With ``controlling`` the pty becomes the session's controlling terminal, as a
    login's is: closing the master side then hangs it up and sends SIGHUP.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns)}
    for name in unset:
        environment.pop(name, None)
    environment.update(env or {})
    process = subprocess.Popen(
        list(argv),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=environment,
        cwd=cwd,
        start_new_session=True,
        close_fds=True,
        preexec_fn=_take_terminal if controlling else None,
    )
    os.close(slave)
    return process, master


def _take_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    def __init__(
        self,
        argv: Sequence[str],
        columns: int = 100,
        rows: int = 30,
        env: dict[str, str] | None = None,
        cwd: str | None = None,
    ) -> None:
        self.columns, self.rows = columns, rows
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_read = 0
        self.last_output = 0.0
        self.started = time.perf_counter()
        self.process, self.fd = spawn_in_pty(argv, columns, rows, env, cwd)

    def wait_exit(self, timeout: float) -> int:
        """Wait for the program to end, reading what it writes meanwhile as a terminal
        does (a program whose output nobody reads blocks once the pty's buffer is full)."""
        deadline = time.perf_counter() + timeout
        while self.process.poll() is None:
            if time.perf_counter() > deadline:
                raise subprocess.TimeoutExpired(self.process.args, timeout)
            self.pump(0.1)
        return self.process.returncode

    def pump(self, timeout: float) -> int:
        """Read what the program wrote within ``timeout`` seconds; returns bytes read."""
        got = 0
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            ready, _, _ = select.select([self.fd], [], [], max(0.0, remaining))
            if not ready:
                return got
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return got
            if not data:
                return got
            got += len(data)
            self.bytes_read += len(data)
            self.last_output = time.perf_counter()
            self.stream.feed(data)
            if remaining <= 0:
                return got

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, condition: Callable[[str], bool], timeout: float = 30.0) -> float:
        """Seconds until ``condition(screen text)`` holds; raises Timeout."""
        started = time.perf_counter()
        while not condition(self.text()):
            if time.perf_counter() - started > timeout:
                raise Timeout(f"screen never matched; it shows:\n{self.text()}")
            self.pump(0.005)
        return time.perf_counter() - started

    def settle(self, quiet: float = 0.25, timeout: float = 10.0) -> int:
        """Read until the program has been silent for ``quiet`` seconds; returns bytes read."""
        total = 0
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            got = self.pump(quiet)
            total += got
            if got == 0:
                break
        return total

    def send(self, keys: str | bytes) -> None:
        """Type ``keys`` as a terminal would: arrows, Home and End are sent as SS3
        (``ESC O B``) once the program has asked for application cursor keys, as
        curses programs such as newsboat do (it ignores ``ESC [ B`` then)."""
        data = keys.encode() if isinstance(keys, str) else keys
        if APPLICATION_CURSOR_KEYS in self.screen.mode:
            data = _CURSOR_KEY.sub(lambda key: b"\x1bO" + key[1], data)
        os.write(self.fd, data)

    def peak_memory_kb(self) -> int:
        """The program's peak resident memory (VmHWM), in KiB."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.fd)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# pyte keeps private modes shifted left by 5; DECCKM is private mode 1.
APPLICATION_CURSOR_KEYS = 1 << 5
_CURSOR_KEY = re.compile(rb"\x1b\[([ABCDHF])")

KEYS = {
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "end": b"\x1b[F",
    "home": b"\x1b[H",
    "enter": b"\r",
    "escape": b"\x1b",
}
