"""The user's config file: a small, strict TOML file.

``~/.config/briefing/config.toml`` (or ``$BRIEFING_CONFIG``)::

    database = "~/news/briefing.db"   # used when neither --db nor BRIEFING_DB is given
    theme = "auto"                    # a Textual theme name; auto picks by colour depth
    mark_read = "select"              # select: after a second on screen; open: on Enter; never
    sidebar = "auto"                  # auto: shown when the terminal is wide; show; hide
                                      # (side by side; stacked, K shows it)
    layout = "auto"                   # panes: list, reader and sidebar side by side;
                                      # stack: one at a time, full width (Enter opens
                                      # an article, q or Esc goes back to the list);
                                      # auto: stack below 110 columns, panes from there
    state = "auto"                    # where your read/star marks and saved views live:
                                      # store: in the database; own: in a database of your
                                      # own beside it; auto: own when the database is not yours
    preview = "open"                  # open: the reader shows what Enter opened, the list
                                      # moves alone (cheap over SSH); follow: it shows the
                                      # article under the cursor as it moves. p switches.
    output = "diff"                   # diff: send the terminal only the cells that change;
                                      # full: every line Textual redraws, if a terminal
                                      # shows stale characters with diff

    [keymap]                          # binding id = keys, comma-separated
    toggle_star = "s,f"

Unknown keys and bad values are errors that name the key, because a typo that
is silently ignored is a setting the user thinks they have. Reading the config
never creates or writes anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from briefing.paths import APP_NAME

CONFIG_ENV = "BRIEFING_CONFIG"
MARK_READ_CHOICES = ("select", "open", "never")
SIDEBAR_CHOICES = ("auto", "show", "hide")
LAYOUT_CHOICES = ("auto", "panes", "stack")
STATE_CHOICES = ("auto", "store", "own")
OUTPUT_CHOICES = ("diff", "full")
PREVIEW_CHOICES = ("open", "follow")  # the first of each tuple is the default


class ConfigError(Exception):
    """The config file is unreadable or wrong; the message names the key."""


@dataclass(frozen=True)
class Config:
    database: Path | None = None
    theme: str = "auto"
    mark_read: str = "select"
    sidebar: str = "auto"
    layout: str = "auto"
    state: str = "auto"
    output: str = "diff"
    preview: str = "open"
    keymap: dict[str, str] = field(default_factory=dict)
    path: Path | None = None  # where it was read from, for messages


def config_path() -> Path:
    value = os.environ.get(CONFIG_ENV)
    if value:
        return Path(value).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """The config from ``path`` (default: :func:`config_path`); defaults if there is none."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    if not text.strip():
        return Config()  # an empty file: the defaults, without loading a TOML parser
    import tomllib  # only for a config that says something

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    except RecursionError:  # tomllib recurses once per level of [[[[...]]]]
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None
    return _from_dict(data, path)


def _from_dict(data: dict[str, Any], path: Path) -> Config:
    known = (
        "database",
        "theme",
        "mark_read",
        "sidebar",
        "layout",
        "state",
        "output",
        "preview",
        "keymap",
    )
    for key in data:
        if key not in known:
            raise ConfigError(f"{path}: unknown key {key!r} (known keys: {', '.join(known)})")
    database = _string(data, "database", path)
    theme = _string(data, "theme", path) or "auto"
    mark_read = _choice(data, "mark_read", MARK_READ_CHOICES, path)
    sidebar = _choice(data, "sidebar", SIDEBAR_CHOICES, path)
    layout = _choice(data, "layout", LAYOUT_CHOICES, path)
    state = _choice(data, "state", STATE_CHOICES, path)
    output = _choice(data, "output", OUTPUT_CHOICES, path)
    preview = _choice(data, "preview", PREVIEW_CHOICES, path)
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        raise ConfigError(f"{path}: 'keymap' must be a table of binding id = \"keys\"")
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(
                f'{path}: keymap.{binding_id} must be a string of keys, e.g. "s" or "s,f"'
            )
    return Config(
        database=Path(database).expanduser() if database else None,
        theme=theme,
        mark_read=mark_read,
        sidebar=sidebar,
        layout=layout,
        state=state,
        output=output,
        preview=preview,
        keymap=dict(keymap),
        path=path,
    )


def _string(data: dict[str, Any], key: str, path: Path) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {key!r} must be a non-empty string, not {value!r}")
    return value.strip()


def _choice(data: dict[str, Any], key: str, choices: tuple[str, ...], path: Path) -> str:
    value = data.get(key, choices[0])
    if value not in choices:
        raise ConfigError(
            f"{path}: {key!r} must be one of {', '.join(map(repr, choices))}, not {value!r}"
        )
    return str(value)
