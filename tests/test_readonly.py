"""Databases that cannot be written, that come from a newer briefing, or that are damaged.

A read-only file or directory opens read-only with a one-line notice; reading
works and writing fails with a clear message. A newer schema is refused and left
alone. A damaged file is one clear line of error, from the CLI and from the reader.

Tests may run as root, for whom chmod does not stop writes: the file modes are set
all the same, and ``os.access`` (which the product asks) is told to deny writing,
so the product takes its real read-only path: SQLite's ``mode=ro``.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.ingest.files import ingest
from briefing.store import Store, StoreError
from briefing.tui.app import BriefingApp

AS_ROOT = os.geteuid() == 0

# Runs the real CLI; as root, os.access first learns which paths are read-only.
LAUNCHER = """
import os, sys
denied = [p for p in os.environ.get("TEST_READ_ONLY", "").split(os.pathsep) if p]
real_access = os.access
def access(path, mode, *args, **kwargs):
    name = os.path.abspath(os.fsdecode(path))
    if mode & os.W_OK and any(name == d or name.startswith(d + os.sep) for d in denied):
        return False
    return real_access(path, mode, *args, **kwargs)
if denied:
    os.access = access
sys.argv[0] = "briefing"
from briefing.cli import main
main()
"""


def briefing(
    db: Path, *args: str, read_only: tuple[Path, ...] = ()
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    if AS_ROOT:
        env["TEST_READ_ONLY"] = os.pathsep.join(str(p.absolute()) for p in read_only)
    return subprocess.run(
        [sys.executable, "-c", LAUNCHER, *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


def deny_writes(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """In this process: os.access says ``paths`` (and what they hold) cannot be written."""
    denied = [str(p.absolute()) for p in paths]
    real_access = os.access

    def access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        name = os.path.abspath(os.fsdecode(path))
        if mode & os.W_OK and any(name == d or name.startswith(d + os.sep) for d in denied):
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.fixture
def read_only_file(sample_db: Path) -> Iterator[Path]:
    sample_db.chmod(0o444)
    yield sample_db
    sample_db.chmod(0o644)


@pytest.fixture
def read_only_dir(sample_db: Path) -> Iterator[Path]:
    folder = sample_db.parent / "ro"
    folder.mkdir()
    db = sample_db.rename(folder / sample_db.name)
    folder.chmod(0o555)
    yield db
    folder.chmod(0o755)


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def check_read_only_cli(db: Path, denied: Path) -> None:
    before = db.read_bytes()
    for args in (["list", "-n", "5"], ["search", "sanctions"], ["show", "1"], ["stats"]):
        done = briefing(db, *args, read_only=(denied,))
        assert done.returncode == 0, (args, done.stderr)
        notice = one_line(done.stderr)
        assert notice.startswith(f"note: {db} is read-only; opened read-only"), notice
        assert done.stdout.strip()
    for args in (["ingest", str(db.parent)], ["mark", "--read", "1"], ["mark", "--star", "2"]):
        done = briefing(db, *args, read_only=(denied,))
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        message = one_line(done.stderr)
        assert "read-only" in message and str(db) in message, message
    assert db.read_bytes() == before
    with sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True) as conn:
        assert conn.execute("SELECT count(*) FROM article_state").fetchone()[0] == 0


def test_read_only_file_opens_read_only_with_a_notice(read_only_file: Path) -> None:
    check_read_only_cli(read_only_file, read_only_file)


def test_read_only_directory_opens_read_only_with_a_notice(read_only_dir: Path) -> None:
    check_read_only_cli(read_only_dir, read_only_dir.parent)
    # Read without creating a write-ahead log or shared-memory file beside it.
    assert sorted(p.name for p in read_only_dir.parent.iterdir()) == [read_only_dir.name]


def test_store_opened_read_only_refuses_writes(
    read_only_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deny_writes(monkeypatch, read_only_file)
    with Store.open(read_only_file) as store:
        assert store.read_only
        assert store.articles.count() > 0
        with pytest.raises(StoreError, match="read-only"):
            store.marks.set_starred(1)
        with pytest.raises(StoreError, match="read-only"), store.transaction():
            pass
        # SQLite itself refuses too: the connection is mode=ro.
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("DELETE FROM meta")


async def test_reader_on_read_only_database_says_so_and_keeps_working(
    read_only_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
) -> None:
    deny_writes(monkeypatch, read_only_file)
    before = read_only_file.read_bytes()
    store = Store.open(read_only_file)
    app = BriefingApp(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert "read-only" in screen_text(app)
        await pilot.press("s", "r", "enter")
        await settle(pilot)
        assert "read-only" in screen_text(app)
        await pilot.press("j", "j")
        await settle(pilot)
        assert app.is_running and app.article is not None
    store.close()
    assert read_only_file.read_bytes() == before


async def test_reader_on_a_snapshot_says_to_restart_when_the_store_is_written(
    read_only_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    settle: Callable[..., Awaitable[None]],
) -> None:
    """A store in a directory the reader may not write opens as a snapshot (immutable):
    when its owner ingests later, the reader stops with words, not "damaged"."""
    folder = read_only_dir.parent
    with monkeypatch.context() as patch:
        deny_writes(patch, folder)
        store = Store.open(read_only_dir)
    news = tmp_path / "news"
    news.mkdir()
    for number in range(40):
        (news / f"n{number}.txt").write_text(
            f"date 2031-02-{number % 28 + 1:02d} Report {number} on harbour traffic "
            + "and shipping volumes in the northern ports " * 40
        )
    app = BriefingApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        folder.chmod(0o755)
        with Store.open(read_only_dir) as owner:
            assert ingest(owner, [news]).added == 40
        await pilot.press("R", "G", "slash", *"harbour", "enter")
        await settle(pilot)
    store.close()
    assert app.database_error is not None
    assert "start it again" in app.database_error and "damaged" not in app.database_error
    assert store.changed_under_a_snapshot()


def test_newer_schema_is_refused_by_the_cli_and_left_untouched(sample_db: Path) -> None:
    conn = sqlite3.connect(sample_db)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('briefing', 'm999_from_the_future', 'x')"
        )
    conn.close()  # the last connection folds the write-ahead log into the file
    before = sample_db.read_bytes()
    for args in (["list"], ["ingest", str(sample_db.parent)], ["mark", "--read", "1"]):
        done = briefing(sample_db, *args)
        assert done.returncode == 1, done.stderr
        message = one_line(done.stderr)
        assert str(sample_db) in message and "newer version" in message, message
    assert sample_db.read_bytes() == before


def damaged_databases(sample_db: Path) -> dict[str, Path]:
    good = sample_db.read_bytes()
    rng = random.Random(7)
    files = {
        "random": rng.randbytes(64 * 1024),
        "truncated": good[: len(good) // 3],
        "header only": good[:100],
        # Pages in the middle overwritten: the file opens, a query finds the damage.
        "damaged pages": good[: len(good) // 2]
        + b"\xff" * 16 * 4096
        + good[len(good) // 2 + 16 * 4096 :],
    }
    paths = {}
    for name, data in files.items():
        path = sample_db.parent / f"{name.replace(' ', '-')}.db"
        path.write_bytes(data)
        paths[name] = path
    return paths


@pytest.mark.slow
def test_damaged_database_is_one_clear_line_from_the_cli(sample_db: Path) -> None:
    for name, db in damaged_databases(sample_db).items():
        commands = [
            ["list", "-n", "500"],
            ["search", "sanctions"],
            ["stats"],
            ["keywords"],
            ["show", "1"],
            ["mark", "--read", "1"],
        ]
        if name != "damaged pages":  # these fail as they open, whatever the command
            commands = commands[::5]
        outcomes = set()
        for args in commands:
            done = briefing(db, *args)
            assert "Traceback" not in done.stderr, (name, args, done.stderr)
            if done.returncode == 0:  # the damage is somewhere this command never reads
                outcomes.add("ok")
                continue
            message = one_line(done.stderr)
            assert done.returncode == 1, (name, args, done.stderr)
            assert message.startswith("Error:") and str(db) in message, (name, args, message)
            assert "damaged" in message, message
            outcomes.add("error")
        assert "error" in outcomes, name


def strip_escapes(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    return re.sub(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-_])", "", text)


@pytest.mark.slow
def test_damaged_database_is_one_clear_line_from_the_reader(
    sample_db: Path, pty: Callable[..., Any]
) -> None:
    for name, db in damaged_databases(sample_db).items():
        if name in ("header only", "random"):  # fail as they open, as "truncated" does
            continue
        command = [sys.executable, "-m", "briefing", "read", "--db", str(db)]
        with pty(command, columns=120, rows=30) as terminal:
            terminal.settle(0.5, timeout=15)
            if terminal.process.poll() is None:  # it opened: go where the damage is
                terminal.send("G")
                terminal.settle(0.5, timeout=10)
                terminal.send("/sanctions\r")
                terminal.settle(0.5, timeout=10)
            if terminal.process.poll() is None:
                terminal.send("q")
            code = terminal.wait_exit(timeout=30)
            terminal.settle(0.2, timeout=5)
        text = strip_escapes(bytes(terminal.output))
        assert "Traceback" not in text, (name, text[-3000:])
        assert code == 1, (name, text[-3000:])
        errors = [line for line in text.splitlines() if "Error:" in line]
        assert len(errors) == 1 and str(db) in errors[0] and "damaged" in errors[0], (
            name,
            text[-3000:],
        )


def test_read_only_path_takes_the_real_permission_check(tmp_path: Path) -> None:
    """Without root, chmod alone makes the product open read-only (no os.access patch)."""
    if AS_ROOT:
        pytest.skip("root may write whatever the mode says")
    db = tmp_path / "b.db"
    Store.open(db).close()
    db.chmod(stat.S_IRUSR)
    with Store.open(db) as store:
        assert store.read_only
