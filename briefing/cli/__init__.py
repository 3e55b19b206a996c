"""The ``briefing`` command: everything that needs no screen, and the reader.

Exit codes: 0 success, 1 when ingest skipped some files or the database cannot
be used (damaged, from a newer version, read-only for a command that writes),
2 for usage errors (bad options, a malformed search query, a missing article),
130 when interrupted.

Each command group lives in a module of its own (``articles``, ``ingest``,
``reader``, ``views``, ``stories``, ``trends``, ``digest``); what they share
is in :mod:`briefing.cli.options`, and how they print in :mod:`briefing.cli.output`.
"""

from __future__ import annotations

import os
import sqlite3
import sys

import click

from briefing import __version__
from briefing.cli import options
from briefing.cli.articles import (
    keywords_command,
    list_command,
    mark_command,
    search_command,
    show_command,
    stats_command,
)
from briefing.cli.digest import digest_command
from briefing.cli.ingest import ingest_command, watch_command
from briefing.cli.options import Settings, db_option
from briefing.cli.reader import read_command, serve_command
from briefing.cli.stories import related_command, stories_command
from briefing.cli.trends import trends_command
from briefing.cli.views import views_command
from briefing.store import StoreError, describe_error


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.version_option(__version__, prog_name="briefing")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """A terminal reader for news briefings.

    With no command: the reader on a terminal, the newest articles in a pipe.
    """
    ctx.ensure_object(Settings)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            ctx.invoke(read_command)
        else:
            ctx.invoke(list_command)


for command in (
    read_command,
    ingest_command,
    watch_command,
    list_command,
    show_command,
    search_command,
    keywords_command,
    mark_command,
    stats_command,
    views_command,
    stories_command,
    related_command,
    trends_command,
    digest_command,
    serve_command,
):
    cli.add_command(command)


def main() -> None:
    """Entry point of the console script.

    Runs click outside its standalone mode so that Ctrl-C exits 130 with a word
    on what was kept, instead of click's "Aborted!" and exit 1 (which means
    "some files were skipped" here).
    """
    try:
        code = cli.main(prog_name="briefing", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo(
            "\nInterrupted; what was committed is kept. Run the same command again.", err=True
        )
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except StoreError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except sqlite3.DatabaseError as error:
        # Found only once a query reaches a damaged page (a truncated file opens).
        name = f" {options.opened[0]}" if options.opened else ""
        click.echo(f"Error: database{name}: {describe_error(error)}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        # The reader of our output went away (`briefing list | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)
