"""Shared fixtures: every test runs with its own data and config directories.

Helpers more than one test module needs are fixtures here (a fixture may return a
function), so no test module imports another.
"""

from __future__ import annotations

import fcntl
import hashlib
import html
import itertools
import os
import re
import shutil
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from benchmarks.terminal import Terminal
from briefing.cli import output as render
from briefing.ingest.files import ingest, save_article
from briefing.keys import keyword_key
from briefing.models import ArticleFilter, Keyword, ParsedArticle
from briefing.paths import sample_data_dir
from briefing.store import Store

if TYPE_CHECKING:  # the reader's modules load Textual: only the tests of the reader do
    from textual.app import App
    from textual.pilot import Pilot

    from briefing.config import Config
    from briefing.tui.app import BriefingApp

REPO = Path(__file__).resolve().parent.parent

# Programs some tests drive: how to install each, and where to look besides PATH (sshd
# lives in an sbin directory, which is not on an ordinary user's PATH). .ci/run installs
# them all, so in CI (the environment variable CI set) a missing one fails the test.
PROGRAMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "chromium": ("apt-get install chromium", ()),
    "ssh": ("apt-get install openssh-client", ()),
    "ssh-keygen": ("apt-get install openssh-client", ()),
    "sshd": ("apt-get install openssh-server", ("/usr/sbin", "/sbin")),
    "openssl": ("apt-get install openssl", ()),
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
    """The sample briefings ingested once a run: pytest-xdist's workers share one copy
    (in the run's temporary directory, above each worker's), made by the first of them."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    path = shared / "samples-template.db"
    with (shared / "samples-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = tmp_path_factory.mktemp("template") / "samples.db"
            with Store.open(building) as store:
                report = ingest(store, [sample_data_dir()])
                assert report.added >= 30 and not report.skipped
                store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            building.replace(path)
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


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def write() -> Callable[[Path, str | bytes], Path]:
    """``write(path, text or bytes)``: write a file (UTF-8), making its folders; returns it."""
    return _write


@pytest.fixture(scope="session")
def repo() -> Path:
    """The checkout's root: README.md, .ci/run, sample_data/."""
    return REPO


@pytest.fixture
def record_terminals(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[Console]]:
    """``recorded = record_terminals(width=80)``: from then on the CLI prints to terminals
    of that width that record what they show, one per console it asks for, so a test
    reads the screen a person would have seen (``recorded[-1].export_text()``)."""

    def record(width: int = 80) -> list[Console]:
        recorded: list[Console] = []

        def terminal(stderr: bool = False) -> Console:
            console = Console(
                force_terminal=True, record=True, width=width, markup=False, emoji=False
            )
            recorded.append(console)
            return console

        monkeypatch.setattr(render, "make_console", terminal)
        return recorded

    return record


# -- the reader, driven by Textual's pilot ---------------------------------------------------


async def _settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture(scope="session")
def settle() -> Callable[[Pilot[None]], Awaitable[None]]:
    """``await settle(pilot)``: let messages, workers and the store thread finish what the
    last key started."""
    return _settle


@pytest.fixture(scope="session")
def screen_text() -> Callable[[App[None]], str]:
    """``screen_text(app)``: the screen as a person reads it, the text of Textual's own SVG
    screenshot, by line."""

    def text(app: App[None]) -> str:
        svg = app.export_screenshot()
        lines: dict[float, list[tuple[float, str]]] = defaultdict(list)
        for match in re.finditer(
            r'<text[^>]*\bx="([\d.]+)"[^>]*\by="([\d.]+)"[^>]*>(.*?)</text>', svg
        ):
            x, y, content = float(match.group(1)), float(match.group(2)), match.group(3)
            shown = html.unescape(re.sub(r"<[^>]+>", "", content)).replace("\xa0", " ")
            lines[y].append((x, shown))
        return "\n".join("".join(t for _, t in sorted(parts)) for _, parts in sorted(lines.items()))

    return text


@pytest.fixture(scope="session")
def running() -> Callable[..., AbstractAsyncContextManager[tuple[BriefingApp, Pilot[None]]]]:
    """``async with running(db, size=(100, 30), config=None) as (app, pilot)``: the reader
    on the database file ``db`` under Textual's pilot, settled once started and again
    before it closes (so the last key's workers finish)."""
    from briefing.config import Config
    from briefing.tui.app import BriefingApp

    @asynccontextmanager
    async def run(
        db: Path, size: tuple[int, int] = (100, 30), config: Config | None = None
    ) -> AsyncIterator[tuple[BriefingApp, Pilot[None]]]:
        store = Store.open(db)
        app = BriefingApp(store, config or Config())
        async with app.run_test(size=size, notifications=True) as pilot:
            await _settle(pilot)
            yield app, pilot
            await _settle(pilot)
        store.close()

    return run


@pytest.fixture(scope="session")
def listed_ids() -> Callable[[BriefingApp], list[int]]:
    """``listed_ids(app)``: the ids of the articles in the reader's list, top to bottom."""
    from briefing.tui.widgets.article_list import ArticleList

    def ids(app: BriefingApp) -> list[int]:
        article_list = app.query_one(ArticleList)
        found = []
        for index in range(article_list.article_count):
            summary = article_list.summary_at(index)
            assert summary is not None
            found.append(summary.id)
        return found

    return ids


@pytest.fixture(scope="session")
def burst() -> Callable[[App[None], Sequence[str]], None]:
    """``burst(app, ["j"] * 10)``: keys as one read of the terminal brings them (typed
    ahead, held, or sent over SSH in one packet): every Key event posted before the app
    handles the first. (``pilot.press`` waits for the screen after each key, so it
    cannot show a key lost in a burst.)"""
    from textual import events

    def post(app: App[None], keys: Sequence[str]) -> None:
        for key in keys:
            character = {"space": " ", "enter": "\r"}.get(key, key if len(key) == 1 else None)
            event = events.Key(key, character)
            event.set_sender(app)
            app.post_message(event)

    return post


STRIKE = """date {date}
Dockworkers in Lisbon extended their strike on {day}, as the Lisbon dockworkers union
rejected the port authority's offer. Container ships queued off the Tagus estuary while the
Lisbon dockworkers held pickets at Alcantara terminal. The port authority said talks with
the Lisbon dockworkers union would resume, and shipping lines diverted cargo to Sines.
"""


@pytest.fixture(scope="session")
def add_strike_articles() -> Callable[[Path, Path], set[int]]:
    """``add_strike_articles(db, folder)``: ingest four reports (written into ``folder``)
    of a new subject, a dock strike in Lisbon, on the last four days of the sample
    briefings; returns their ids."""

    def add(db: Path, folder: Path) -> set[int]:
        folder.mkdir()
        days = ("Saturday", "Sunday", "Monday", "Tuesday")
        for number, date in enumerate(("2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24")):
            text = STRIKE.format(date=date, day=days[number])
            (folder / f"strike-{number}.txt").write_text(text)
        with Store.open(db) as store:
            before = store.articles.newest_id()
            assert ingest(store, [folder]).added == 4
            return {
                a.id
                for a in store.articles.newest_first(ArticleFilter(), limit=100)
                if a.id > before
            }

    return add


def _in_front(widget: Any) -> bool:
    """Shown (it and every pane around it) and drawn where it is: not covered by the
    pane a stacked reader puts in front of the list."""
    from textual.widget import Widget

    region = widget.region
    shown = all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))
    if not shown or not region:
        return False
    middle = (region.x + region.width // 2, region.y + region.height // 2)
    top, _ = widget.screen.get_widget_at(*middle)
    return bool(top is widget or widget in top.ancestors)


@pytest.fixture(scope="session")
def in_front() -> Callable[[Any], bool]:
    """``in_front(widget)``: on screen where a person can see it, not hidden or covered."""
    return _in_front
