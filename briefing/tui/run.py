"""Running the reader: the process around the App (environment, terminal, exit status)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from briefing.config import Config
from briefing.store import Store, StoreError
from briefing.tui.app import BriefingApp
from briefing.tui.terminal.capabilities import check_theme
from briefing.tui.terminal.restore import terminal_restored
from briefing.tui.terminal.signals import HANGUP_EXIT


def run_reader(store: Store, config: Config, notices: Sequence[str] = ()) -> None:
    """Open the reader on ``store``; returns when the person quits. ``notices``: lines
    to show in it as it starts (the first run's), which stderr would hide behind it.

    A crash ends it with a non-zero status and the terminal as it was found.
    """
    check_theme(config.theme)
    # Python's terminal size prefers these to the terminal's own, and Textual asks it on
    # every SIGWINCH: a shell that exports them would freeze the reader at one size. In a
    # browser (briefing serve) they are the only size there is, so they stay.
    if "TEXTUAL_DRIVER" not in os.environ:
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)
    app = BriefingApp(store, config)
    app.startup_notices = tuple(notices)
    with terminal_restored():
        try:
            app.run()
        finally:
            app.runner.shutdown()
    if app.hung_up:
        # Nobody is left to read a message; 128 + SIGHUP, as for a process it ended.
        raise SystemExit(HANGUP_EXIT)
    if app.database_error is not None:
        raise StoreError(app.database_error)
    if app.return_code:
        # Textual caught an error, printed its traceback and ended "normally".
        raise SystemExit(app.return_code)
