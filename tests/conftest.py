"""Shared fixtures: every test runs with its own data and config directories."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from benchmarks.terminal import Terminal
from briefing.cli import output as render
from briefing.ingest.files import ingest, save_article
from briefing.keys import keyword_key
from briefing.models import Keyword, ParsedArticle
from briefing.paths import sample_data_dir
from briefing.store import Store

REPO = Path(__file__).resolve().parent.parent

# Programs some tests drive: how to install each, and where to look besides PATH (sshd
# lives in an sbin directory, which is not on an ordinary user's PATH). .ci/run installs
# them all, so in CI (the environment variable CI set) a missing one fails the test.
PROGRAMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "chromium": ("apt-get install chromium", ()),
    "ssh": ("apt-get install openssh-client", ()),
    "ssh-keygen": ("apt-get install openssh-client", ()),
    "sshd": ("apt-get install openssh-server", ("/usr/sbin", "/sbin")),
}


def require_programs(*names: str) -> dict[str, str]:
    """The path of each program named; skip the test if one is missing, or fail it in CI."""
    found: dict[str, str] = {}
    missing: list[str] = []
    for name in names:
        _, elsewhere = PROGRAMS.get(name, ("", ()))
        path = shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), *elsewhere]))
        if path is None:
            missing.append(name)
        else:
            found[name] = path
    if missing:
        how = sorted({PROGRAMS[name][0] for name in missing if name in PROGRAMS})
        message = f"{', '.join(missing)} not installed: {'; '.join(how) or 'not on PATH'}"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must run every test)", pytrace=False)
        pytest.skip(message)
    return found


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """``@pytest.mark.needs("chromium")``: checked before any fixture starts anything."""
    for marker in item.iter_markers("needs"):
        require_programs(*marker.args)


@pytest.fixture(scope="session")
def program() -> Callable[[str], str]:
    """``program("sshd")``: the path of a program (skips, or fails in CI, if missing)."""
    return lambda name: require_programs(name)[name]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point XDG directories into the test's tmp dir so no test touches a real home."""
    home = tmp_path / "home"
    for name, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("BRIEFING_DB", raising=False)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return home


@pytest.fixture(scope="session")
def ceasefire_briefing() -> Path:
    """A bundled sample briefing in the reference format: the U.N. ceasefire vote of
    2026-10-02, with a date header and three headings ("Weeks of Negotiation",
    "Reactions in Washington and Brussels", "Humanitarian Toll Mounts")."""
    return REPO / "sample_data" / "2026-10-02-un-ceasefire-vote.txt"


@pytest.fixture
def fresh_store() -> Iterator[Store]:
    store = Store.memory()
    yield store
    store.close()


@pytest.fixture(scope="session")
def _sample_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "samples.db"
    with Store.open(path) as store:
        report = ingest(store, [sample_data_dir()])
        assert report.added >= 30 and not report.skipped
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def sample_db(tmp_path: Path, _sample_db_template: Path) -> Path:
    """A database file holding the sample briefings, a fresh copy for each test."""
    path = tmp_path / "samples.db"
    shutil.copy(_sample_db_template, path)
    return path


_article_numbers = itertools.count(1)


def _add_article(
    store: Store | Path,
    date: str | None,
    keywords: Sequence[str],
    title: str | None = None,
    body: str | None = None,
    source: str | None = None,
    arrived: str | None = None,
    path: str | None = None,
) -> int:
    if not isinstance(store, Store):
        with Store.open(store) as opened:
            return _add_article(opened, date, keywords, title, body, source, arrived, path)
    number = next(_article_numbers)
    title = title or f"Article {number} about {', '.join(keywords) or 'nothing'}"
    body = body or f"{title}. It was written for a test, number {number}."
    parsed = ParsedArticle(
        title=title, body=body, date=date, source=source, format="markdown", paragraphs=[body]
    )
    ranked = [
        Keyword(keyword_key(phrase), phrase, 0.02 * rank, rank)
        for rank, phrase in enumerate(keywords, start=1)
    ]
    with store.transaction():
        article_id, _ = save_article(
            store,
            path=path or f"/test/{number:05d}.md",
            content_hash=hashlib.sha256(f"{number}{body}".encode()).hexdigest(),
            size=len(body.encode()),
            mtime_ns=0,
            parsed=parsed,
            keywords=ranked,
        )
        if arrived is not None:
            store.db.execute(
                "UPDATE articles SET ingested_at = ? WHERE id = ?", [arrived, article_id]
            )
    return article_id


@pytest.fixture(scope="session")
def add_article() -> Callable[..., int]:
    """``add_article(store_or_db_path, date, keywords, title=, body=, source=, arrived=,
    path=)``: save one article with the keywords given (YAKE's would be the test's guess)
    through ingest's own ``save_article``, so triggers run and the article joins a story
    as an ingested one would; returns its id. Saving again to a ``path`` updates that
    article; ``arrived`` sets when it was ingested."""
    return _add_article


@pytest.fixture
def pty() -> Iterator[Callable[..., Terminal]]:
    """``pty(argv, columns=100, rows=30, env=None, cwd=None, unset=(), controlling=False)``
    starts a program in a pseudo-terminal: a :class:`benchmarks.terminal.Terminal`, with
    its screen as pyte draws it and every byte it wrote. Programs still running when the
    test ends are stopped."""
    started: list[Terminal] = []

    def start(*args: Any, **kwargs: Any) -> Terminal:
        terminal = Terminal(*args, **kwargs)
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def record_terminals(monkeypatch: pytest.MonkeyPatch) -> list[Console]:
    """Make the CLI print to 80-column terminals that record what they show, one per
    console it asks for, so a test reads the screen a person would have seen."""
    recorded: list[Console] = []

    def terminal(stderr: bool = False) -> Console:
        console = Console(force_terminal=True, record=True, width=80, markup=False, emoji=False)
        recorded.append(console)
        return console

    monkeypatch.setattr(render, "make_console", terminal)
    return recorded
