"""Many readers, one store: each reader's marks are their own, and the store is not written.

A shared store belongs to the user who ingests into it; every other reader
keeps their read and star marks (and saved views) in a database of their own,
attached to the store (``state = "auto"`` does this when the store is not
theirs). The first tests simulate two users in one process (two homes, and a
store owned by "someone else"); the last creates two real Unix users and runs
the setup the README documents (root only, which CI is).
"""

from __future__ import annotations

import datetime as dt
import grp
import json
import os
import pwd
import shutil
import site
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.terminal import Terminal
from briefing.cli import cli
from briefing.config import Config
from briefing.ingest.files import ingest
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList


def as_user(monkeypatch: pytest.MonkeyPatch, home: Path, config: str = "") -> None:
    """Switch the process to another reader: their own data and config directories."""
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    if config:
        (home / "config" / "briefing").mkdir(parents=True, exist_ok=True)
        (home / "config" / "briefing" / "config.toml").write_text(config)


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def listed(db: Path, *args: str) -> dict[int, dict[str, object]]:
    return {row["id"]: row for row in json.loads(run(db, "list", "--json", "-n", "100", *args))}


def store_marks(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM article_state").fetchone()[0])


@pytest.fixture
def not_my_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store now belongs to another user, as a shared one on a server does."""
    real_uid = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real_uid + 4242)


def test_two_readers_of_a_store_that_is_not_theirs_keep_separate_marks(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, not_my_store: None
) -> None:
    as_user(monkeypatch, tmp_path / "alice")
    run(sample_db, "mark", "--star", "--read", "3")
    assert listed(sample_db, "--starred").keys() == {3}

    as_user(monkeypatch, tmp_path / "bob")
    assert listed(sample_db, "--starred") == {}
    run(sample_db, "mark", "--read", "5", "7")
    bob_unread = listed(sample_db, "--unread")
    assert 5 not in bob_unread and 7 not in bob_unread and 3 in bob_unread

    as_user(monkeypatch, tmp_path / "alice")
    alice_unread = listed(sample_db, "--unread")
    assert 3 not in alice_unread and 5 in alice_unread and 7 in alice_unread
    stats = json.loads(run(sample_db, "stats", "--json"))
    assert (stats["read"], stats["starred"]) == (1, 1)

    # Neither reader wrote a mark into the shared store; each has a file of their own.
    assert store_marks(sample_db) == 0
    for user in ("alice", "bob"):
        state_files = list((tmp_path / user / "data" / "briefing" / "state").glob("*.db"))
        assert len(state_files) == 1 and state_files[0].name.startswith("samples-")


def test_the_owner_keeps_marks_in_the_store_and_config_can_choose(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(sample_db, "mark", "--star", "2")
    assert store_marks(sample_db) == 1

    as_user(monkeypatch, tmp_path / "carol", config='state = "own"\n')
    assert listed(sample_db, "--starred") == {}
    run(sample_db, "mark", "--star", "4")
    assert listed(sample_db, "--starred").keys() == {4}
    assert store_marks(sample_db) == 1

    as_user(monkeypatch, tmp_path / "dave", config='state = "mine"\n')
    result = CliRunner().invoke(cli, ["list", "--db", str(sample_db)])
    assert result.exit_code == 2
    assert "'state' must be one of 'auto', 'store', 'own', not 'mine'" in result.output


async def test_reader_stars_into_its_own_state_on_a_shared_store(
    sample_db: Path,
    tmp_path: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
) -> None:
    state = tmp_path / "mine.db"
    store = Store.open(sample_db, state_path=state)
    app = BriefingApp(store, Config())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        current = app.query_one(ArticleList).current
        assert current is not None
        article = current.id
        await pilot.press("s")
        await settle(pilot)
        assert "read-only" not in screen_text(app)
    store.close()
    with sqlite3.connect(state) as conn:
        starred = [r[0] for r in conn.execute("SELECT article_id FROM article_state WHERE starred")]
    assert starred == [article]
    assert store_marks(sample_db) == 0


# -- two real users, as the README sets it up ---------------------------------------------

# Named per test process (the suite runs in parallel), and removed afterwards.
GROUP = f"brt{os.getpid() % 1_000_000}"
USERS = (f"brta{os.getpid() % 1_000_000}", f"brtb{os.getpid() % 1_000_000}")


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("creating Unix users needs root (CI runs as root)")
    subprocess.run(["groupadd", "--force", GROUP], check=True)
    for user in USERS:
        if subprocess.run(["id", user], capture_output=True).returncode != 0:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--gid", GROUP, user], check=True
            )
    base = Path(tempfile.mkdtemp(prefix="briefing-shared-"))
    base.chmod(0o755)
    shared = base / "shared"
    shared.mkdir()
    shutil.chown(shared, group=GROUP)
    shared.chmod(0o2770)  # the group shares the directory, as the README sets it up
    try:
        yield shared
    finally:
        shutil.rmtree(base)
        for user in USERS:
            subprocess.run(["userdel", user], check=False, capture_output=True)
        subprocess.run(["groupdel", GROUP], check=False, capture_output=True)


def system_python() -> str:
    """An interpreter other users may run: the test's own may live under /root (pyenv).
    The system's of the same version runs briefing from this checkout and its venv."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    path = Path("/usr/bin") / version
    if not path.exists():
        pytest.skip(f"no /usr/bin/{version} that other users can run")
    return str(path)


def as_unix_user(user: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home.mkdir(exist_ok=True)
    shutil.chown(home, user=user)
    import briefing

    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "NO_COLOR": "1",
        "PYTHONPATH": os.pathsep.join(
            [str(Path(briefing.__file__).parent.parent), *site.getsitepackages()]
        ),
    }
    return subprocess.run(
        [
            "runuser",
            "-u",
            user,
            "--",
            "env",
            "-i",
            *(f"{k}={v}" for k, v in env.items()),
            system_python(),
            "-m",
            "briefing",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_two_unix_users_share_a_group_readable_store(shared_dir: Path, sample_db: Path) -> None:
    store = shared_dir / "briefing.db"
    shutil.copy(sample_db, store)
    shutil.chown(store, group=GROUP)
    store.chmod(0o660)
    homes = shared_dir.parent

    ann = as_unix_user(USERS[0], homes / "ann", "mark", "--star", "1", "--db", str(store))
    assert ann.returncode == 0, ann.stderr
    ben = as_unix_user(USERS[1], homes / "ben", "list", "--starred", "--json", "--db", str(store))
    assert ben.returncode == 0, ben.stderr
    assert json.loads(ben.stdout) == []
    ann_list = as_unix_user(
        USERS[0], homes / "ann", "list", "--starred", "--json", "--db", str(store)
    )
    assert [row["id"] for row in json.loads(ann_list.stdout)] == [1], ann_list.stderr
    # The readers' marks are in their own databases: the store's content is unchanged.
    assert "will not be saved" not in ann.stderr + ben.stderr
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT count(*) FROM article_state").fetchone()[0] == 0


def test_unix_users_read_while_the_owner_ingests(shared_dir: Path, sample_db: Path) -> None:
    store_path = shared_dir / "briefing.db"
    shutil.copy(sample_db, store_path)
    shutil.chown(store_path, group=GROUP)
    store_path.chmod(0o660)
    homes = shared_dir.parent
    news = shared_dir.parent / "incoming"
    news.mkdir()
    (news / "late.txt").write_text(
        f"date {dt.date.today()} Harbour authorities reopened the northern locks after the storm.\n"
    )
    # The owner's ingest leaves its write-ahead log open while the readers read.
    with Store.open(store_path) as owner:
        assert ingest(owner, [news]).added == 1
        assert Path(f"{store_path}-wal").exists()
        for user, home in ((USERS[0], homes / "ann"), (USERS[1], homes / "ben")):
            done = as_unix_user(user, home, "list", "-n", "1", "--json", "--db", str(store_path))
            assert done.returncode == 0, done.stderr
            assert "Harbour authorities" in json.loads(done.stdout)[0]["title"]
        starred = as_unix_user(
            USERS[1], homes / "ben", "mark", "--star", "1", "--db", str(store_path)
        )
        assert starred.returncode == 0, starred.stderr
        assert owner.db.execute("SELECT count(*) FROM article_state").fetchone()[0] == 0


def test_unix_users_follow_an_ingest_that_starts_after_they_opened(
    shared_dir: Path, sample_db: Path
) -> None:
    """The owner's ingest ran and closed (no -wal left) before a reader started; the
    next ingest must still reach readers, with no "malformed" from a stale view."""
    store_path = shared_dir / "briefing.db"
    shutil.copy(sample_db, store_path)
    shutil.chown(store_path, group=GROUP)
    store_path.chmod(0o660)
    homes = shared_dir.parent
    assert not Path(f"{store_path}-wal").exists()
    first = as_unix_user(USERS[0], homes / "ann", "stats", "--json", "--db", str(store_path))
    assert first.returncode == 0, first.stderr
    before = json.loads(first.stdout)["articles"]

    news = homes / "incoming"
    news.mkdir()
    (news / "late.txt").write_text(
        f"date {dt.date.today()} Ferry crews in Piraeus began a strike.\n"
    )
    with Store.open(store_path) as owner:
        assert ingest(owner, [news]).added == 1
    for user, home in ((USERS[0], homes / "ann"), (USERS[1], homes / "ben")):
        done = as_unix_user(user, home, "stats", "--json", "--db", str(store_path))
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["articles"] == before + 1
        assert "malformed" not in done.stderr and "read-only" not in done.stderr


# -- the README's recipe, step by step, with the umasks people really have -------------------


class Setup:
    """The README's shared store: a group, an ingest account and two readers, each with a
    primary group of their own and the shared group added (``usermod -aG``), and the
    set-group-id directory made with ``install -d -o news -g briefing -m 2770``."""

    def __init__(self, base: Path) -> None:
        suffix = str(os.getpid())[-6:]
        self.group = f"brf{suffix}"
        self.news, self.ann, self.ben = (f"brf{name}{suffix}" for name in ("n", "a", "b"))
        self.base = base
        self.srv = base / "srv"
        self.incoming = self.srv / "incoming"
        self.db = self.srv / "briefing.db"

    def create(self) -> None:
        subprocess.run(["groupadd", self.group], check=True)
        for user in (self.news, self.ann, self.ben):
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--user-group", user], check=True
            )
            subprocess.run(["usermod", "-aG", self.group, user], check=True)
        directories = [str(self.srv), str(self.incoming)]
        install = ["install", "-d", "-o", self.news, "-g", self.group, "-m", "2770"]
        subprocess.run([*install, *directories], check=True)

    def remove(self) -> None:
        for user in (self.news, self.ann, self.ben):
            subprocess.run(["userdel", user], check=False, capture_output=True)
            subprocess.run(["groupdel", user], check=False, capture_output=True)
        subprocess.run(["groupdel", self.group], check=False, capture_output=True)

    def command(self, user: str, umask: str, *args: str) -> list[str]:
        """``briefing ARGS`` as ``user`` with ``umask``, from a neutral directory (runuser
        keeps the caller's, and a checkout there would shadow the one under test)."""
        home = self.base / user
        home.mkdir(exist_ok=True)
        shutil.chown(home, user=user)
        import briefing

        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "NO_COLOR": "1",
            "TERM": "xterm-256color",
            "PYTHONPATH": os.pathsep.join(
                [str(Path(briefing.__file__).parent.parent), *site.getsitepackages()]
            ),
        }
        python = system_python()
        script = f'umask {umask} && cd "$HOME" && exec {python} -m briefing "$@"'
        return [
            "runuser", "-u", user, "--", "env", "-i",
            *(f"{k}={v}" for k, v in env.items()),
            "sh", "-c", script, "briefing", *args,
        ]  # fmt: skip

    def run(self, user: str, umask: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(user, umask, *args), capture_output=True, text=True, timeout=120
        )

    def ingest(self, umask: str, name: str, text: str) -> subprocess.CompletedProcess[str]:
        """As news: a briefing lands in incoming/, and the cron line runs."""
        path = self.incoming / name
        path.write_text(f"date {dt.date.today()} {text}\n")
        shutil.chown(path, user=self.news, group=self.group)
        return self.run(self.news, umask, "--db", str(self.db), "ingest", str(self.incoming))


@pytest.fixture
def readme_setup() -> Iterator[Setup]:
    if os.geteuid() != 0:
        pytest.skip("creating Unix users needs root (CI runs as root)")
    base = Path(tempfile.mkdtemp(prefix="briefing-readme-"))
    base.chmod(0o755)
    setup = Setup(base)
    try:
        setup.create()
        yield setup
    finally:
        setup.remove()
        shutil.rmtree(base)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.slow
@pytest.mark.parametrize(("news_umask", "expected_mode"), [("007", 0o660), ("022", 0o664)])
def test_the_readme_recipe_keeps_working_whoever_opens_the_store_first(
    readme_setup: Setup,
    pty: Callable[..., Terminal],
    news_umask: str,
    expected_mode: int,
) -> None:
    """The README's steps, literally: news ingests from cron; ann (umask 022) keeps the
    reader open, so the store's -wal and -shm are hers; news ingests meanwhile and
    after; ben (umask 077) reads. Every ingest must succeed (before the fix the second
    failed: "attempt to write a readonly database", and kept failing after ann left)."""
    setup = readme_setup
    first = setup.ingest(news_umask, "first.txt", "Harbour cranes stopped in the gale.")
    assert first.returncode == 0, first.stderr
    assert mode(setup.db) == expected_mode  # group-writable, whatever the umask
    assert setup.db.stat().st_gid == grp.getgrnam(setup.group).gr_gid
    assert not Path(f"{setup.db}-wal").exists()  # the ingest closed: SQLite removed them

    reader = pty(setup.command(setup.ann, "022", "--db", str(setup.db), "read"), 100, 30)
    reader.wait_for("Harbour cranes", timeout=60)
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{setup.db}{suffix}")
        assert pwd.getpwuid(companion.stat().st_uid).pw_name == setup.ann
        assert mode(companion) == expected_mode  # SQLite copies the database's mode

    during = setup.ingest(news_umask, "second.txt", "Ferry crews in Piraeus began a strike.")
    assert during.returncode == 0 and "read-only" not in during.stderr, during.stderr
    reader.send("q")
    assert reader.wait_exit(timeout=30) == 0

    after = setup.ingest(news_umask, "third.txt", "Grain prices rose at Ostria.")
    assert after.returncode == 0, after.stderr
    listed = setup.run(setup.ben, "077", "--db", str(setup.db), "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {row["title"][:14] for row in json.loads(listed.stdout)} >= {
        "Harbour cranes",
        "Ferry crews in",
        "Grain prices r",
    }
    again = setup.ingest(news_umask, "fourth.txt", "Dockworkers returned to Valdora.")
    assert again.returncode == 0, again.stderr
