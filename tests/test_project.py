"""Promises the project keeps: a headless core, the README's commands, the sample data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from briefing.ingest.parse import parse_briefing


def test_core_never_imports_textual() -> None:
    code = (
        "import sys, briefing.cli, briefing.store, briefing.ingest.files;"
        "import briefing.insight.keywords;"
        "from click.testing import CliRunner;"
        "sys.exit('textual' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_no_core_module_imports_textual_in_its_source(repo: Path) -> None:
    for path in (repo / "briefing").rglob("*.py"):
        if "tui" in path.relative_to(repo / "briefing").parts:
            continue
        assert not re.search(r"^\s*(from|import) textual", path.read_text(), re.MULTILINE), path


def readme_commands(repo: Path) -> list[str]:
    readme = (repo / "README.md").read_text()
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_gives_two_setup_commands(repo: Path) -> None:
    commands = readme_commands(repo)
    assert len(commands) == 2
    assert commands[0].endswith(".venv/bin/briefing")
    assert "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command_verbatim(repo: Path) -> None:
    ci = (repo / ".ci" / "run").read_text().splitlines()
    assert readme_commands(repo)[1] in ci


def test_sample_data_is_varied_enough(repo: Path) -> None:
    files = sorted(p for p in (repo / "sample_data").iterdir() if p.is_file())
    assert len(files) >= 30
    articles = [parse_briefing(p.read_bytes(), p) for p in files]
    assert all(not a.warnings for a in articles)
    assert len({a.date for a in articles}) >= 14
    # Briefings of 250-900 words; the second-source wire reports are shorter.
    assert all(200 <= a.word_count <= 900 for a in articles), [
        (p.name, a.word_count) for p, a in zip(files, articles, strict=True)
    ]
    formats = Counter(a.format for a in articles)
    assert formats["reference"] > formats["markdown"] > 0
    text = "\n".join(a.body for a in articles)
    for needle in ("U.S.", "U.N.", "E.U.", "COVID-19", "F-35", "G7", "€", "$", "£", "\n- "):
        assert needle in text, needle


def test_sample_data_is_bundled_in_the_wheel(repo: Path) -> None:
    pyproject = (repo / "pyproject.toml").read_text()
    assert '"sample_data" = "briefing/sample_data"' in pyproject
    assert Path(repo / "sample_data").is_dir()


def test_readme_lists_the_readers_keys(repo: Path) -> None:
    from briefing.tui.app import BriefingApp, format_key
    from briefing.tui.widgets.article_list import ArticleList
    from briefing.tui.widgets.reader_pane import ReaderPane

    readme = (repo / "README.md").read_text()
    keys_table = readme.split("## The reader", 1)[1].split("###", 1)[0]
    names = {
        "backspace": "Backspace",
        "escape": "Esc",
        "space": "space",
        "enter": "Enter",
        "pagedown": "PgDn",
        "pageup": "PgUp",
        "right": "→",
        "left": "←",
    }
    for binding in [*BriefingApp.BINDINGS, *ArticleList.BINDINGS, *ReaderPane.BINDINGS]:
        assert not isinstance(binding, tuple)
        first_key = format_key(binding.key.split(",")[0])
        shown = names.get(first_key, first_key)
        assert f"`{shown}`" in keys_table, f"key {shown} ({binding.description}) is not in README"
    for shot in ("screenshot.svg", "screenshot-80x24.svg"):  # panes, and stacked
        assert f"docs/{shot}" in readme and (repo / "docs" / shot).exists()


NEEDS_CHROMIUM = """
import pytest


@pytest.mark.needs("chromium")
def test_in_a_browser():
    pass
"""


@pytest.mark.slow
def test_a_missing_program_skips_the_test_but_fails_it_in_ci(tmp_path: Path, repo: Path) -> None:
    """The ``needs`` marker of conftest.py, run by pytest on a test of its own with a PATH
    where no program is found."""
    (tmp_path / "test_needs.py").write_text(NEEDS_CHROMIUM)
    (tmp_path / "empty").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CI" and not k.startswith("PYTEST")}
    env["PATH"] = str(tmp_path / "empty")
    command = [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider"]
    command += ["-rs", "--rootdir", str(tmp_path), str(tmp_path / "test_needs.py")]

    def run(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=repo, env={**env, **extra}, capture_output=True, text=True, timeout=120
        )

    skipped = run()
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "1 skipped" in skipped.stdout
    assert "chromium not installed: apt-get install chromium" in skipped.stdout
    failed = run(CI="true")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "1 error" in failed.stdout  # failed as it was set up, before it ran
    assert "chromium not installed: apt-get install chromium (CI must run every test)" in (
        failed.stdout
    )
