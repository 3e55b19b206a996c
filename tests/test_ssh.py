"""The reader over a real SSH connection that drops: OpenSSH's sshd on 127.0.0.1.

sshd runs from a temporary config (its own host key, one authorized user key,
port chosen free), and ``ssh -tt`` runs ``briefing read`` on it from a local
pseudo-terminal, as a person on a server would. The test stars an article, then
kills the ssh client with SIGKILL, as a dropped Wi-Fi or a closed laptop would.
The remote briefing must then end on its own, with no traceback, the star
saved and the database intact.

Textual draws on stderr, so the remote stderr cannot simply go to a file. The
remote side runs briefing under a small launcher (written by the test) that
copies everything Python writes to ``sys.stderr`` (tracebacks, Textual's
crash report), thread and "exception ignored" tracebacks, and faulthandler's
dumps into a log, and records how ``main()`` ended.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from briefing.store import Store
from briefing.tui.app import HANGUP_EXIT

LAUNCHER = '''\
"""Run briefing's CLI with every traceback it might print also written to a log."""
import faulthandler
import signal
import sys
import threading
import traceback

log = open(sys.argv[1], "a", buffering=1)
status_path = sys.argv[2]
faulthandler.enable(log)
faulthandler.register(signal.SIGUSR1, file=log, all_threads=True)  # the test asks when stuck


class Tee:
    """sys.stderr: the terminal (while there is one) and the log."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        log.write(text)
        try:
            return self._stream.write(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self):
        log.flush()
        try:
            self._stream.flush()
        except (OSError, ValueError):
            pass

    def __getattr__(self, name):
        return getattr(self._stream, name)


def thread_hook(args):
    traceback.print_exception(args.exc_type, args.exc_value, args.exc_traceback, file=log)


def unraisable_hook(args):
    log.write(f"Exception ignored in: {args.object!r}\\n")
    traceback.print_exception(args.exc_type, args.exc_value, args.exc_traceback, file=log)


sys.stderr = Tee(sys.stderr)
threading.excepthook = thread_hook
sys.unraisablehook = unraisable_hook
sys.argv = ["briefing", *sys.argv[3:]]
outcome = "no exit"
try:
    from briefing.cli import main

    main()
    outcome = "0"
except SystemExit as exit:
    outcome = str(exit.code if exit.code is not None else 0)
except BaseException:
    traceback.print_exc(file=log)
    outcome = "traceback"
finally:
    with open(status_path, "w") as status:
        status.write(outcome + "\\n")
'''


# The terminal of a login: the session's controlling terminal (closing it hangs the
# program up), with colours on.
LOGIN: dict[str, Any] = {"controlling": True, "unset": ("NO_COLOR",)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    port: int
    user: str
    key: Path
    folder: Path


@pytest.fixture
def sshd(tmp_path: Path, program: Callable[[str], str]) -> Iterator[Server]:
    folder = tmp_path / "sshd"
    folder.mkdir()
    for name in ("host_key", "user_key"):
        subprocess.run(
            [program("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)],
            check=True,
            capture_output=True,
            timeout=30,
        )
    shutil.copy(folder / "user_key.pub", folder / "authorized_keys")
    if os.geteuid() == 0:
        # sshd run as root insists on its privilege separation directory.
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    log = open(folder / "sshd.log", "wb")  # noqa: SIM115 (closed below)
    # A port free a moment ago may be taken by another test run meanwhile: try another.
    for _attempt in range(3):
        port = free_port()
        config = folder / "sshd_config"
        config.write_text(
            f"ListenAddress 127.0.0.1\n"
            f"Port {port}\n"
            f"HostKey {folder / 'host_key'}\n"
            f"AuthorizedKeysFile {folder / 'authorized_keys'}\n"
            f"PidFile {folder / 'sshd.pid'}\n"
            "UsePAM no\n"
            "StrictModes no\n"
            "PermitRootLogin yes\n"
            "PubkeyAuthentication yes\n"
            "PasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\n"
            "PrintMotd no\n"
            "PrintLastLog no\n"
            "LogLevel VERBOSE\n"
        )
        server = subprocess.Popen(
            [program("sshd"), "-D", "-e", "-f", str(config)], stdout=log, stderr=log
        )
        if listening(server, port, folder / "sshd.log"):
            break
    else:
        log.close()
        pytest.fail(f"sshd found no free port: {(folder / 'sshd.log').read_text()}")
    try:
        yield Server(port, getpass.getuser(), folder / "user_key", folder)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def listening(server: subprocess.Popen[bytes], port: int, log: Path) -> bool:
    """Wait until sshd says it listens on ``port`` (a connection could reach another
    program's socket); False if it could not bind the port, in use."""
    deadline = time.monotonic() + 15
    while f"Server listening on 127.0.0.1 port {port}." not in log.read_text(errors="replace"):
        if server.poll() is not None:
            text = log.read_text(errors="replace")
            if f"Bind to port {port} on 127.0.0.1 failed: Address already in use" in text:
                return False
            pytest.fail(f"sshd exited: {text}")
        if time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"sshd never listened: {log.read_text(errors='replace')}")
        time.sleep(0.05)
    return True


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.needs("sshd", "ssh", "ssh-keygen")
def test_dropped_ssh_connection_keeps_the_star(
    sshd: Server,
    sample_db: Path,
    tmp_path: Path,
    program: Callable[[str], str],
    pty: Callable[..., Any],
) -> None:
    with Store.open(sample_db) as store:
        first, second = store.articles.newest_first(limit=2)
    remote = tmp_path / "remote"
    (remote / "home").mkdir(parents=True)
    launcher = remote / "launcher.py"
    launcher.write_text(LAUNCHER)
    log, status, pid_file = remote / "stderr.log", remote / "status", remote / "pid"
    wrapper = remote / "briefing.sh"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"export HOME='{remote / 'home'}' XDG_STATE_HOME='{remote / 'state'}'\n"
        f"export XDG_CONFIG_HOME='{remote / 'config'}' XDG_DATA_HOME='{remote / 'data'}'\n"
        f"echo $$ > '{pid_file}'\n"
        f"exec '{sys.executable}' '{launcher}' '{log}' '{status}' read --db '{sample_db}'\n"
    )
    wrapper.chmod(0o755)
    client_home = tmp_path / "client"
    client_home.mkdir()
    argv = [
        program("ssh"),
        "-tt",
        "-F",
        "/dev/null",
        "-p",
        str(sshd.port),
        "-i",
        str(sshd.key),
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "LogLevel=ERROR",
        f"{sshd.user}@127.0.0.1",
        str(wrapper),
    ]
    remote_pid = 0
    try:
        with pty(argv, env={"HOME": str(client_home)}, **LOGIN) as client:
            try:
                client.wait_for(first.title[:20], timeout=60)
            except AssertionError as error:
                sshd_log = (sshd.folder / "sshd.log").read_text(errors="replace")
                raise AssertionError(f"{error}\nsshd log:\n{sshd_log[-3000:]}") from None
            remote_pid = int(pid_file.read_text())
            client.settle(0.5)
            client.send("j", pause=0.5)
            client.send("\r", pause=0.5)  # open it: the reader's state line shows the star
            client.send("s")
            client.wait_for("starred", timeout=20)  # the reader's state line says so
            client.settle(0.5)
            os.kill(client.process.pid, signal.SIGKILL)  # the connection drops
            client.process.wait(timeout=5)
            deadline = time.monotonic() + 10
            while _alive(remote_pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            still_running = _alive(remote_pid)
            if still_running:
                os.kill(remote_pid, signal.SIGUSR1)  # where it is stuck, into the log
                time.sleep(0.5)
        stacks = log.read_text(errors="replace") if log.exists() else ""
        assert not still_running, f"briefing kept running after its connection dropped:\n{stacks}"
    finally:
        if remote_pid and _alive(remote_pid):
            os.kill(remote_pid, signal.SIGKILL)

    check_ended_quietly(remote, sample_db, second.id)


def check_ended_quietly(remote: Path, db_path: Path, starred_id: int) -> None:
    """No traceback, exit 129, the open article remembered, the star saved, the file intact."""
    log, status = remote / "stderr.log", remote / "status"
    written = log.read_text(errors="replace") if log.exists() else ""
    assert "Traceback" not in written, written
    assert "Exception ignored" not in written, written
    assert "Fatal Python error" not in written, written
    ended = status.read_text().strip() if status.exists() else "killed by a signal"
    assert ended == str(HANGUP_EXIT), f"the remote briefing ended with: {ended}\n{written}"
    # It left on its own terms: the open article was remembered.
    remembered = json.loads((remote / "state" / "briefing" / "reader.json").read_text())
    assert [entry["article_id"] for entry in remembered.values()] == [starred_id], remembered

    with sqlite3.connect(db_path) as db:
        starred = [
            row[0] for row in db.execute("SELECT article_id FROM article_state WHERE starred")
        ]
        assert starred == [starred_id]
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


@pytest.mark.slow
def test_terminal_hang_up_keeps_the_star(
    sample_db: Path, tmp_path: Path, pty: Callable[..., Any]
) -> None:
    """The same without sshd: the pty's master side closes under the reader."""
    with Store.open(sample_db) as store:
        first, second = store.articles.newest_first(limit=2)
    remote = tmp_path / "remote"
    (remote / "home").mkdir(parents=True)
    (remote / "launcher.py").write_text(LAUNCHER)
    argv = [
        sys.executable,
        str(remote / "launcher.py"),
        str(remote / "stderr.log"),
        str(remote / "status"),
        "read",
        "--db",
        str(sample_db),
    ]
    env = {
        "HOME": str(remote / "home"),
        "XDG_STATE_HOME": str(remote / "state"),
        "XDG_CONFIG_HOME": str(remote / "config"),
    }
    terminal = pty(argv, env=env, **LOGIN)
    try:
        terminal.wait_for(first.title[:20], timeout=60)
        terminal.settle(0.5)
        terminal.send("j", pause=0.5)
        terminal.send("\r", pause=0.5)
        terminal.send("s")
        terminal.wait_for("starred", timeout=20)
    except BaseException:
        terminal.close()
        raise
    terminal.hang_up()  # the terminal goes away: SIGHUP, then EIO on every write
    try:
        terminal.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.kill(terminal.process.pid, signal.SIGUSR1)  # where it is stuck, into the log
        time.sleep(0.5)
        terminal.process.kill()
        terminal.process.wait()
        stacks = (remote / "stderr.log").read_text(errors="replace")
        pytest.fail(f"briefing kept running after its terminal went away:\n{stacks}")
    check_ended_quietly(remote, sample_db, second.id)
