"""What the terminal can show: its colours, its characters, and the configured theme.

The reader picks ASCII marks and an ANSI theme for plain terminals (the Linux
console, a non-UTF-8 locale, 16 colours) from the environment alone, before the
app starts; the rules are kept here, in one place, rather than among the app's
actions.
"""

from __future__ import annotations

import os
import sys

from briefing.config import ConfigError


def check_theme(name: str) -> None:
    """A configured theme must exist; "auto" picks one by the terminal's colours."""
    from textual.theme import BUILTIN_THEMES

    if name != "auto" and name not in BUILTIN_THEMES:
        raise ConfigError(
            f"theme: no theme named {name!r} (choose auto or one of: "
            f"{', '.join(sorted(BUILTIN_THEMES))})"
        )


def plain_terminal() -> bool:
    """The Linux console and non-UTF-8 terminals get ASCII marks."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return os.environ.get("TERM") == "linux" or encoding not in ("utf8", "")


def colour_depth_is_rich() -> bool:
    term = os.environ.get("TERM", "")
    colorterm = os.environ.get("COLORTERM", "")
    return "256color" in term or colorterm in ("truecolor", "24bit")
