"""Leaving quietly when the terminal hangs up.

Readers run on servers, over SSH, and a dropped connection hangs the terminal up.
Python's default for SIGHUP kills the process before the reader's state is saved,
and Textual's SIGCONT handler would start a terminal that is gone afresh. This is
about the process and its terminal, not about articles, so it lives apart from the
reader's core; :mod:`briefing.tui.terminal.driver` keeps the driver's own writes
from failing once the terminal has gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from typing import TYPE_CHECKING

from textual.app import App
from textual.driver import Driver
from textual.timer import Timer

HANGUP_EXIT = 129  # 128 + SIGHUP, as a shell reports a process ended by a hang-up
TERMINATED_EXIT = 143  # 128 + SIGTERM


class HangupHandling(App[None]):
    """Mixed into the reader: on a hang-up, save the state and exit with :data:`HANGUP_EXIT`."""

    # The reader's own state, set up by BriefingApp.
    hung_up: bool
    _save_timer: Timer | None

    if TYPE_CHECKING:

        def _save_state_now(self) -> None: ...

    def get_driver_class(self) -> type[Driver]:
        """Textual's own driver, but on Linux one that survives its terminal going away."""
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver":
            from briefing.tui.terminal.driver import HangupSafeLinuxDriver

            return HangupSafeLinuxDriver
        return driver

    def _catch_hangup(self) -> None:
        """A dropped SSH connection hangs the terminal up: leave quietly, keeping everything.

        Python's default for SIGHUP kills the process on the spot, before the reader's
        state is saved. Not in headless tests, which run in pytest's own loop.
        """
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()

        def hung_up(signum: int, frame: object) -> None:
            # At once, in the signal handler, not later in the loop: the kernel sends
            # SIGCONT right after SIGHUP, and Textual's SIGCONT handler would start
            # the terminal afresh (new threads writing to a dead terminal, and an exit
            # that never completes). Its reads and writes now go to /dev/null.
            signal.signal(signal.SIGCONT, _ignore_signal)
            _detach_from_terminal()
            loop.call_soon_threadsafe(self._hang_up)

        def terminated(signum: int, frame: object) -> None:
            # kill PID: leave as q does, so Textual puts the terminal back as it was
            # (the default would end the process in the alternate screen, mouse on).
            loop.call_soon_threadsafe(self._terminated)

        with contextlib.suppress(ValueError):  # not the main thread: leave the default
            signal.signal(signal.SIGHUP, hung_up)
            signal.signal(signal.SIGTERM, terminated)

    def _terminated(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_state_now()
        self.exit(return_code=TERMINATED_EXIT)

    def _hang_up(self) -> None:
        if self.hung_up:
            return
        self.hung_up = True
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_state_now()
        # Queued store calls (a star) still finish: run_reader shuts the runner down.
        self.exit(return_code=HANGUP_EXIT)


def _ignore_signal(signum: int, frame: object) -> None:
    pass


def _detach_from_terminal() -> None:
    """Point stdin, stdout and stderr at /dev/null where they were the (hung up) terminal."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            if os.isatty(fd):
                os.dup2(null, fd)
    os.close(null)
