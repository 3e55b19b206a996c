"""``briefing watch`` and ``briefing serve``: the commands that keep running.

``watch`` ingests files as they land (see :mod:`briefing.watch`); ``serve``
publishes the reader to web browsers with textual-serve, which starts one
``briefing read`` per browser tab and relays its screen and keys over a
websocket. Both load their libraries only when run, so every other command
starts as fast as before.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import socket
import sys
from pathlib import Path

import click

from briefing.cli import db_option, ingest_options, open_store, print_report
from briefing.ingest import IngestOptions, display_path

DEFAULT_PORT = 8000
LOOPBACK = "127.0.0.1"


@click.command("watch")
@db_option
@click.argument(
    "directories",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@ingest_options
@click.pass_context
def watch_command(
    ctx: click.Context, directories: tuple[Path, ...], lang: str, max_size: int, jobs: int
) -> None:
    """Ingest briefing files as they land in DIRECTORIES, until Ctrl-C or SIGTERM.

    First ingests what is already there, then every new or changed file within
    a second of it landing, with one summary line per batch, as `briefing
    ingest` prints it. Broken files are named and skipped; deleted files are
    reported, and their articles stay. Ctrl-C exits 130, SIGTERM exits 0.
    """
    store = open_store(ctx, seed=False, write="watch and ingest")
    options = IngestOptions(language=lang, max_bytes=max_size * 1024, jobs=jobs)
    from briefing.watch import Stopped, StopSignal, watch_and_ingest  # loads watchfiles

    names = ", ".join(display_path(directory) for directory in directories)
    with StopSignal() as stop:
        try:
            for batch in watch_and_ingest(store, list(directories), options, stop):
                for path in batch.deleted:
                    click.echo(f"deleted: {path} (its article stays in the database)", err=True)
                if batch.catch_up or not batch.report_is_empty:
                    print_report(batch.report)
                if batch.catch_up:
                    click.echo(f"Watching {names} for new briefings (Ctrl-C to stop).", err=True)
        except Stopped:
            click.echo(
                "Stopped in the middle of a batch; what was committed is kept, "
                "the rest is ingested on the next start.",
                err=True,
            )
            return
    click.echo("Stopped watching.", err=True)


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def browser_url(host: str, port: int) -> str:
    """The address a browser uses: this machine's name when listening on every interface."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.gethostname()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"


def remote_warning(host: str, port: int, db: Path) -> str:
    where = "every network interface" if host in ("", "0.0.0.0", "::") else host
    return (
        f"warning: serving on {where}, port {port}: anyone who can reach this machine "
        f"can open the reader, read every article in {db} and change your read and "
        "star marks. There is no password and no encryption (plain HTTP). Prefer the "
        f"default {LOOPBACK} with an SSH tunnel (ssh -L {port}:{LOOPBACK}:{port} HOST)."
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
    "(behind a proxy, or with --host 0.0.0.0).",
)
@click.option(
    "--yes",
    "-y",
    is_flag=True,
    help="Listen on an address other than loopback without asking.",
)
@click.pass_context
def serve_command(
    ctx: click.Context, host: str, port: int, public_url: str | None, yes: bool
) -> None:
    """Publish the reader to web browsers at http://HOST:PORT until Ctrl-C (exit 0).

    Each browser tab runs its own reader on the same database, with the read
    and star marks of the account running this command. Only this machine can
    connect unless --host says otherwise; any other address is warned about
    and needs --yes (or a yes at the prompt).
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
    from briefing.tui.serve import serve_reader  # loads aiohttp and textual-serve

    command = shlex.join([sys.executable, "-m", "briefing", "--db", str(db), "read"])
    try:
        serve_reader(command, host, port, public_url or browser_url(host, port))
    except OSError as error:  # aiohttp's message repeats the address: say it once
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise click.ClickException(f"cannot serve on {host}:{port}: {reason}") from error
