"""``briefing read`` and ``briefing serve``: the reader, in a terminal or in web browsers.

``read`` starts the Textual app (:mod:`briefing.tui`); ``serve`` publishes it to
web browsers with textual-serve, which starts one ``briefing read`` per browser
tab and relays its screen and keys over a websocket. Both load their libraries
only when run, so every other command starts without them.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from briefing.cli.options import ConfigProblem, db_option, load_settings_config, open_store
from briefing.config import ConfigError

DEFAULT_PORT = 8000
LOOPBACK = "127.0.0.1"
DEFAULT_MAX_SESSIONS = 4
MAX_SESSIONS_LIMIT = 64


@click.command("read")
@db_option
@click.pass_context
def read_command(ctx: click.Context) -> None:
    """Open the full-screen reader: article list, reader and keywords.

    Keys: j/k move, Enter opens, / searches, s stars, r toggles read, ? lists
    every key, q quits.
    """
    # Start-up makes objects that live as long as the reader (Textual, the widgets, the
    # styles): collecting them finds nothing and cost 30-40 ms of the first screen. The
    # app collects again after its first frame (briefing.tui.app._after_first_frame).
    gc.disable()
    try:
        _read(ctx)
    finally:
        gc.enable()  # whatever stopped the reader, and wherever read_command was called from


def _read(ctx: click.Context) -> None:
    config = load_settings_config()
    notices: list[str] = []  # shown in the reader: its screen would cover them on stderr
    store = open_store(ctx, state=True, seed_notice=notices.append)
    # Textual redraws at most 60 times a second by default: a key press then waits
    # up to 17 ms for its frame. 120 halves that; TEXTUAL_FPS set by the user wins.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    # How long a lone Esc waits for the rest of a key's escape sequence (ms): Textual's
    # 100 made going back feel slow. A key's bytes come in one write, over SSH too;
    # tmux (3.5) waits 10 ms by default for the same reason.
    os.environ.setdefault("ESCDELAY", "10")
    from briefing.tui.run import run_reader  # Textual is loaded only for the reader

    try:
        run_reader(store, config, notices)
    except ConfigError as error:
        raise ConfigProblem(str(error)) from error


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    import ipaddress  # serve's, not the reader's

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def browser_url(host: str, port: int) -> str:
    """The address a browser uses: this machine's name when listening on every interface."""
    if host in ("", "0.0.0.0", "::"):
        import socket  # serve's, not the reader's

        host = socket.gethostname()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"


def remote_warning(host: str, port: int, db: Path) -> str:
    where = "every network interface" if host in ("", "0.0.0.0", "::") else host
    return (
        f"warning: serving on {where}, port {port}, over plain HTTP: nothing is encrypted, "
        "so anyone who can watch the network sees the address with its token, the "
        "articles read and the keys typed, and with the token can open the reader, read "
        f"every article in {db} and change your read and star marks. Prefer the default "
        f"{LOOPBACK} with an SSH tunnel (ssh -L {port}:{LOOPBACK}:{port} HOST)."
    )


@click.command("serve")
@db_option
@click.option("--host", default=LOOPBACK, show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--public-url",
    help="The address browsers use to reach the server, if not http://HOST:PORT "
    "(behind a proxy, or with --host 0.0.0.0). The server answers to this host name, "
    "HOST and loopback names, and refuses any other.",
)
@click.option(
    "--max-sessions",
    type=click.IntRange(1, MAX_SESSIONS_LIMIT),
    default=DEFAULT_MAX_SESSIONS,
    show_default=True,
    help="Readers open at once, at most. Each browser tab runs its own reader process "
    "(about 70 MB), so this bounds what the browsers can make the machine carry; one "
    "tab more is told to close another.",
)
@click.option(
    "--yes",
    "-y",
    is_flag=True,
    help="Listen on an address other than loopback without asking.",
)
@click.pass_context
def serve_command(
    ctx: click.Context,
    host: str,
    port: int,
    public_url: str | None,
    max_sessions: int,
    yes: bool,
) -> None:
    """Publish the reader to web browsers at http://HOST:PORT until Ctrl-C (exit 0).

    Each browser tab runs its own reader on the same database, with the read
    and star marks of the account running this command. The address printed
    holds a token made for this run: only a browser given it can open the
    reader, and only from that address (pages from other sites are refused).
    Only this machine can connect unless --host says otherwise; any other
    address is warned about and needs --yes (or a yes at the prompt).
    """
    store = open_store(ctx, state=True)  # says now if the database cannot be used
    assert store.path is not None  # a file, never an in-memory store
    db = store.path.absolute()
    store.close()  # each browser's reader opens the database itself
    if not is_loopback(host):
        click.echo(remote_warning(host, port, db), err=True)
        if not yes:
            if not (sys.stdin.isatty() and sys.stderr.isatty()):
                raise click.UsageError(f"not serving on {host} without --yes", ctx)
            if not click.confirm("Serve anyway?", default=False, err=True):
                raise click.ClickException(f"not serving on {host}")
    import shlex

    from briefing.tui.serve import serve_reader  # loads aiohttp and textual-serve

    # exec: the shell textual-serve starts becomes the reader, one process per browser tab.
    command = "exec " + shlex.join([sys.executable, "-m", "briefing", "--db", str(db), "read"])
    try:
        serve_reader(
            command,
            host=host,
            port=port,
            public_url=public_url or browser_url(host, port),
            named_url=public_url is not None,
            max_sessions=max_sessions,
        )
    except OSError as error:  # aiohttp's message repeats the address: say it once
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise click.ClickException(f"cannot serve on {host}:{port}: {reason}") from error
