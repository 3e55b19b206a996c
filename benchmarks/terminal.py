"""Run a program in a pseudo-terminal and watch its screen, as a person would.

The program gets a real terminal of a fixed size (a pty, with TIOCSWINSZ set) as
its stdin, stdout and stderr, so Textual and Rich both see a terminal. Everything
it writes is kept as raw bytes (:attr:`Terminal.output`: what a real terminal
would have had to interpret, for tests of what reaches it), counted
(:attr:`Terminal.bytes_read`: the figure that matters over SSH) and fed to a pyte
screen, so a benchmark or a test can wait for "the screen shows X" and know how
many bytes it took to get there. The benchmarks use it directly; the tests get it
from the ``pty`` fixture of tests/conftest.py.
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


class Timeout(AssertionError):
    """The screen never showed what was waited for, or the program never exited."""


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
    """A program in a pty of ``columns`` x ``rows``.

    ``unset`` names environment variables it must not inherit (``NO_COLOR``, for
    its colours); with ``controlling`` the pty is its controlling terminal, as a
    login's is, so :meth:`hang_up` sends it SIGHUP.
    """

    def __init__(
        self,
        argv: Sequence[str],
        columns: int = 100,
        rows: int = 30,
        env: dict[str, str] | None = None,
        cwd: str | None = None,
        *,
        unset: Sequence[str] = (),
        controlling: bool = False,
    ) -> None:
        self.columns, self.rows = columns, rows
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.output = bytearray()
        self.bytes_read = 0
        self.last_output = 0.0
        self.started = time.perf_counter()
        self.process, self.fd = spawn_in_pty(
            argv, columns, rows, env, cwd, unset=unset, controlling=controlling
        )

    def pump(self, timeout: float) -> int:
        """Read what the program wrote within ``timeout`` seconds; returns bytes read."""
        got = 0
        deadline = time.perf_counter() + timeout
        while self.fd >= 0:
            remaining = deadline - time.perf_counter()
            ready, _, _ = select.select([self.fd], [], [], max(0.0, remaining))
            if not ready:
                return got
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: every process holding the pty has gone
                return got
            if not data:
                return got
            got += len(data)
            self.bytes_read += len(data)
            self.last_output = time.perf_counter()
            self.output += data
            self.stream.feed(data)
            if remaining <= 0:
                return got
        return got

    def resize(self, columns: int, rows: int) -> None:
        """What a terminal emulator does when its window changes size: the kernel sends
        the program SIGWINCH, and the screen here takes the new size too."""
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.columns, self.rows = columns, rows
        self.screen.resize(rows, columns)

    def text(self) -> str:
        """The screen now, one line a row."""
        return "\n".join(self.screen.display)

    def written_text(self) -> str:
        """Every character the program drew so far, escape sequences removed."""
        return visible_text(bytes(self.output))

    def wait_for(self, condition: Callable[[str], bool] | str, timeout: float = 30.0) -> float:
        """Seconds until ``condition(screen text)`` holds, or the text is on the screen;
        raises Timeout, at once if the program exits first."""
        check = (lambda text: condition in text) if isinstance(condition, str) else condition
        started = time.perf_counter()
        while not check(self.text()):
            if time.perf_counter() - started > timeout:
                raise Timeout(f"the screen never showed {condition!r}; it shows:\n{self.text()}")
            if self.pump(0.005) == 0 and self.process.poll() is not None:
                self.pump(0.2)
                if not check(self.text()):
                    raise Timeout(
                        f"the program exited ({self.process.returncode}) before showing "
                        f"{condition!r}; it wrote:\n{self.written_text()[-3000:]}"
                    )
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

    def send(self, keys: str | bytes, pause: float = 0.0) -> None:
        """Type ``keys`` as a terminal would: arrows, Home and End are sent as SS3
        (``ESC O B``) once the program has asked for application cursor keys, as
        curses programs such as newsboat do (it ignores ``ESC [ B`` then). With
        ``pause``, read until the program has been quiet that long."""
        data = keys.encode() if isinstance(keys, str) else keys
        if APPLICATION_CURSOR_KEYS in self.screen.mode:
            data = _CURSOR_KEY.sub(lambda key: b"\x1bO" + key[1], data)
        os.write(self.fd, data)
        if pause:
            self.settle(pause)

    def press(self, key: str, pause: float = 0.0) -> None:
        """Type one named key of :data:`KEYS` ("enter", "escape", "down", ...)."""
        self.send(KEYS[key], pause)

    def wait_exit(self, timeout: float = 10.0) -> int:
        """Wait for the program to end, reading what it writes meanwhile as a terminal
        does (a program whose output nobody reads blocks once the pty's buffer is full),
        then what is left; returns its exit status."""
        deadline = time.perf_counter() + timeout
        while self.process.poll() is None:
            if time.perf_counter() > deadline:
                raise Timeout(f"the program did not exit; it last showed:\n{self.text()}")
            self.pump(0.05)
        self.pump(0.1)
        return self.process.returncode

    def peak_memory_kb(self) -> int:
        """The program's peak resident memory (VmHWM), in KiB."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def hang_up(self) -> None:
        """Close the terminal under the program, as a dropped login does: SIGHUP (with
        ``controlling``), then EIO on every read and write."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def close(self) -> None:
        """Stop the program if it still runs (SIGTERM, then SIGKILL), close the pty."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.hang_up()

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Escape sequences a program writes: CSI, OSC/DCS/APC strings, two-byte escapes.
_SEQUENCE = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?"
)


def visible_text(data: bytes) -> str:
    """The characters drawn by ``data``: escape sequences removed, cursor moves ignored."""
    return _SEQUENCE.sub(b"", data).decode("utf-8", "replace")


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
    "backspace": b"\x7f",
}
