"""Opening a store: never someone else's file, created only when asked, writers wait their turn."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from briefing.cli import cli
from briefing.store import Store, StoreError
from briefing.store.schema import migrations
from briefing.store.schema_version import KNOWN_STEPS


def test_the_cheap_schema_check_knows_every_migration() -> None:
    assert tuple(m.name for m in migrations.pending(Database(memory=True))) == KNOWN_STEPS


def test_a_current_store_opens_without_loading_sqlite_utils(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    Store.open(db).close()
    code = (
        "import sys; from briefing.store import Store;"
        f"s = Store.open({str(db)!r}, create=False); s.articles.count(); s.close();"
        "print(sorted(m for m in ('sqlite_utils', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def another_programs_database(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE bookmarks (url TEXT)")
        conn.execute("INSERT INTO bookmarks VALUES ('https://example.org')")
    return path


@pytest.mark.parametrize("command", [["list"], ["stats"], ["search", "oil"], ["ingest", "."]])
def test_another_programs_database_is_refused_untouched(tmp_path: Path, command: list[str]) -> None:
    db = another_programs_database(tmp_path / "other.sqlite")
    before = db.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(db), *command])
    assert result.exit_code == 1
    assert "is not a briefing database (it holds other tables: bookmarks)" in result.output
    assert "left untouched" in result.output
    assert db.read_bytes() == before
    assert not Path(f"{db}-wal").exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["bookmarks"]


def test_read_commands_never_create_a_database(tmp_path: Path) -> None:
    for command in (["list"], ["stats"], ["keywords"], ["views"], ["trends"]):
        db = tmp_path / "new.db"
        result = CliRunner().invoke(cli, ["--db", str(db), *command])
        assert result.exit_code == 1, (command, result.output)
        assert f"no database at {db}" in result.output and "ingest" in result.output
        assert not db.exists()


def test_an_empty_file_is_not_a_database_to_read_but_ingest_may_fill_it(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    result = CliRunner().invoke(cli, ["--db", str(db), "list"])
    assert result.exit_code == 1 and "is an empty file, not a briefing database" in result.output
    assert db.stat().st_size == 0
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("date 2026-01-02 Harbour cranes stopped in the gale.")
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(tmp_path / "in")])
    assert result.exit_code == 0 and "1 added" in result.output


def test_ingest_creates_a_database_but_not_missing_directories(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("date 2026-01-02 Harbour cranes stopped in the gale.")
    typo = tmp_path / "typo" / "dir" / "x.db"
    result = CliRunner().invoke(cli, ["--db", str(typo), "ingest", str(tmp_path / "in")])
    assert result.exit_code == 1
    assert f"cannot create {typo}: no directory {typo.parent}" in result.output
    assert not (tmp_path / "typo").exists()
    fine = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["--db", str(fine), "ingest", str(tmp_path / "in")])
    assert result.exit_code == 0 and fine.exists()


def test_store_open_refuses_a_missing_file_unless_asked(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database at"):
        Store.open(tmp_path / "a.db", create=False)
    with pytest.raises(StoreError, match="no directory"):
        Store.open(tmp_path / "sub" / "a.db")
    Store.open(tmp_path / "sub" / "a.db", create_directories=True).close()


def test_a_writer_waits_for_another_writers_transaction_instead_of_failing(
    tmp_path: Path,
) -> None:
    """Two ingests at once: the second waits for the first's write lock (busy timeout)
    instead of failing with "database is locked" when its transaction, begun deferred,
    read before the first wrote."""
    db = tmp_path / "b.db"
    with Store.open(db) as first, Store.open(db) as second:
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, time; from briefing.store import Store;"
                f"s = Store.open({str(db)!r});"
                "t = s.transaction(); t.__enter__();"
                "s.set_meta('holder', 'yes'); print('locked', flush=True);"
                "time.sleep(1.5); t.__exit__(None, None, None)",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with second.transaction():
            # Read, then write: begun deferred, this transaction's snapshot would predate
            # the holder's commit, and the write would fail at once, timeout or not.
            second.articles.count()
            second.db.execute("INSERT INTO meta (key, value) VALUES ('second', 'yes')")
        assert holder.wait(timeout=30) == 0
        assert first.get_meta("holder") == "yes" and first.get_meta("second") == "yes"
