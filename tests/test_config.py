"""The config file: strict, with errors that name the key; and the reader's saved state."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.config import Config, ConfigError, config_path, load_config
from briefing.tui.app import check_theme
from briefing.tui.query import KeywordFilter, ListQuery
from briefing.tui.state_file import ReaderState, StateFile


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_missing_config_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml") == Config()


def test_a_key_left_out_of_the_file_has_the_same_default_as_no_file(tmp_path: Path) -> None:
    path = write_config(tmp_path, 'theme = "nord"\n')
    assert load_config(path) == replace(Config(), theme="nord", path=path)


def test_full_config(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        'database = "~/news.db"\ntheme = "nord"\nmark_read = "open"\nsidebar = "hide"\n'
        'layout = "stack"\n[keymap]\ntoggle_star = "f"\n',
    )
    config = load_config(path)
    assert config.database == Path("~/news.db").expanduser()
    assert (config.theme, config.mark_read, config.sidebar) == ("nord", "open", "hide")
    assert config.layout == "stack"
    assert config.keymap == {"toggle_star": "f"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'red'\n", "unknown key 'colour'"),
        ("mark_read = 'sometimes'\n", "'mark_read' must be one of"),
        ("sidebar = 3\n", "'sidebar' must be one of"),
        ("layout = 'tabs'\n", "'layout' must be one of 'auto', 'panes', 'stack'"),
        ("database = 5\n", "'database' must be a non-empty string"),
        ("keymap = 'x'\n", "'keymap' must be a table"),
        ("[keymap]\nquit = 1\n", "keymap.quit must be a string"),
        ("theme = \n", "not valid TOML"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write_config(tmp_path, text))


def test_config_location_follows_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CONFIG", str(tmp_path / "c.toml"))
    assert config_path() == tmp_path / "c.toml"


def test_unknown_theme_is_named() -> None:
    with pytest.raises(ConfigError, match="no theme named 'neon'"):
        check_theme("neon")
    check_theme("auto")
    check_theme("nord")


def test_cli_reports_bad_config_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CONFIG", str(write_config(tmp_path, "colour = 1\n")))
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 2
    assert "unknown key 'colour'" in result.stderr


def test_config_database_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "from-config.db"
    monkeypatch.setenv("BRIEFING_CONFIG", str(write_config(tmp_path, f'database = "{db}"\n')))
    result = CliRunner().invoke(cli, ["stats", "--json"])
    assert result.exit_code == 0 and str(db) in result.stdout


def test_reader_state_round_trip_and_damage(tmp_path: Path) -> None:
    path = tmp_path / "state" / "reader.json"
    state = StateFile("/db/a", path)
    assert state.load() == ReaderState()
    query = ListQuery(keywords=(KeywordFilter("gaza", "Gaza"),), search="rafah", unread_only=True)
    saved = ReaderState(article_id=7, query=query, theme="nord", searches=["oil", "rafah"])
    state.save(saved)
    StateFile("/db/b", path).save(ReaderState(article_id=1))
    loaded = state.load()
    assert loaded == saved and loaded.query.keywords[0].display == "Gaza"
    # A file written before the query was kept whole still gives its keywords and flags.
    path.write_text('{"/db/a": {"article_id": 3, "keywords": ["gaza", 4], "starred_only": true}}')
    assert state.load() == ReaderState(
        article_id=3, query=ListQuery(keywords=(KeywordFilter("gaza"),), starred_only=True)
    )
    path.write_text("{not json")
    assert state.load() == ReaderState()
