"""Lines the command had to say as the reader started, shown in the reader.

The reader covers the terminal with its own screen from the first frame to the
last, so a line the command wrote to stderr before it started (the first run's
"created ... with 32 sample briefings") was seen only after quitting, if at all.
Such lines are handed to the app instead and shown as notices when it mounts.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App

from briefing.sanitize import terminal_line

NOTICE_SECONDS = 20  # long enough to read a path and a command, on a first look around


class StartupNotices(App[None]):
    """Mixed into the reader: ``startup_notices`` shown once the screen is up."""

    startup_notices: Sequence[str] = ()

    def on_mount(self) -> None:
        # Textual calls the Mount handler of every class of the app's MRO: this one runs
        # besides BriefingApp's own. A path can hold anything: never markup.
        for notice in self.startup_notices:
            self.notify(terminal_line(notice), timeout=NOTICE_SECONDS, markup=False)
