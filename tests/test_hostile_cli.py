"""The command line in hostile or careless surroundings: each case a clear line, no traceback.

Closed streams, an output that is not UTF-8, a reader that goes away, numbers
too big for SQLite, a database path that loops, a config file nested ten
thousand deep.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def briefing(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefing", *(["--db", str(db)] if db else []), *args]
    environment = {**os.environ, **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=environment)


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Error:" in result.stderr + result.stdout


def test_an_output_that_is_not_utf8_degrades_instead_of_crashing(sample_db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "--db", str(sample_db), "list", "-n", "40"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("latin-1")
    assert "..." in text and "\u2026" not in text  # the ellipsis, spelled in ASCII
    shown = briefing("show", "1", db=sample_db, env={"PYTHONIOENCODING": "ascii"})
    assert shown.returncode == 0 and "Traceback" not in shown.stderr


def test_closed_standard_output_is_one_line_and_exit_2(sample_db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "--db", str(sample_db), "list"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: standard output is closed; nothing to print to"


def test_closed_standard_input_lists_instead_of_crashing(sample_db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "--db", str(sample_db)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(0),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 36


def test_serve_on_all_interfaces_with_no_input_refuses_in_one_line(sample_db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "--db", str(sample_db), "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(0),
    )
    assert result.returncode == 2
    assert "not serving on 0.0.0.0 without --yes" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_reader_that_goes_away_ends_the_command_quietly(sample_db: Path) -> None:
    """As `briefing list | head -1`: the pipe closes under the command; exit 0, no noise."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "--db", str(sample_db), "list", "-n", "1000000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before it writes anything: its first write meets a closed pipe
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, error
    assert error == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--limit", "99999999999999999999999"], "is not in the range 1<=x<=1000000"),
        (["search", "oil", "-n", "99999999999999999999999"], "is not in the range"),
        (["trends", "new", "--after", "99999999999999999999"], "is not in the range 0<=x<="),
        (["show", "99999999999999999999"], "is not in the range 1<=x<="),
    ],
)
def test_numbers_too_big_for_sqlite_are_usage_errors(
    sample_db: Path, args: list[str], message: str
) -> None:
    result = briefing(*args, db=sample_db)
    assert result.returncode == 2 and message in result.stderr
    no_traceback(result)


def test_a_database_path_that_loops_is_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop.db"
    loop.symlink_to(loop)
    result = briefing("list", db=loop)
    assert result.returncode == 2 and "Too many levels of symbolic links" in result.stderr
    no_traceback(result)


def test_a_config_nested_ten_thousand_deep_is_one_line(sample_db: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("a = " + "[" * 10_000 + "]" * 10_000 + "\n")
    result = briefing("list", db=sample_db, env={"BRIEFING_CONFIG": str(config)})
    assert result.returncode == 2 and "not valid TOML: nested too deeply" in result.stderr
    no_traceback(result)


def test_trends_takes_json_as_the_readme_says(sample_db: Path) -> None:
    result = briefing("trends", "--json", db=sample_db)
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads(result.stdout), list)
