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

import importlib
import sqlite3
import sys
from typing import Any

import click

from briefing import __version__
from briefing.cli import options, streams
from briefing.cli.options import Settings, db_option
from briefing.store import StoreError, describe_error

# Each command: where it lives, and its summary for --help. A command's module (and
# what it imports) is loaded only when that command runs, so `briefing --help` and
# `briefing list` load neither YAKE, nor feeds, nor Textual. (A test checks that
# each summary is the first sentence of the command's own help.)
COMMANDS = {
    "read": (
        "briefing.cli.reader:read_command",
        "Open the full-screen reader: article list, reader and keywords.",
    ),
    "serve": (
        "briefing.cli.reader:serve_command",
        "Publish the reader to web browsers at http://HOST:PORT until Ctrl-C (exit 0).",
    ),
    "ingest": (
        "briefing.cli.ingest:ingest_command",
        "Ingest briefing files and directories (recursively: .txt, .md, .markdown), and "
        "RSS/Atom feeds and OPML lists of them (URLs, or .rss/.atom/.xml/.opml files).",
    ),
    "watch": (
        "briefing.cli.ingest:watch_command",
        "Ingest briefing files as they land in DIRECTORIES, until Ctrl-C or SIGTERM.",
    ),
    "list": (
        "briefing.cli.articles:list_command",
        "List articles, newest first (N: unread, *: starred).",
    ),
    "show": (
        "briefing.cli.articles:show_command",
        "Show one article: Markdown in a pipe, rendered on a terminal.",
    ),
    "search": (
        "briefing.cli.articles:search_command",
        "Full-text search of titles and bodies, best match first.",
    ),
    "keywords": (
        "briefing.cli.articles:keywords_command",
        "Top keywords with their article counts (in a selection, with the filter options).",
    ),
    "mark": (
        "briefing.cli.articles:mark_command",
        "Mark articles read or unread, starred or not.",
    ),
    "stats": (
        "briefing.cli.articles:stats_command",
        "Counts of articles, keywords, read and starred, and the date range.",
    ),
    "views": (
        "briefing.cli.views:views_command",
        "Saved views: named sets of filters and a search (the reader's `w` saves one).",
    ),
    "stories": (
        "briefing.cli.stories:stories_command",
        "Stories: articles about one event from several sources and days, newest first.",
    ),
    "related": (
        "briefing.cli.stories:related_command",
        "Articles related to ARTICLE_ID: those sharing its rarest and strongest keywords.",
    ),
    "trends": (
        "briefing.cli.trends:trends_command",
        "Keyword trends: rising keywords (the default), new ones, one keyword's days.",
    ),
    "digest": (
        "briefing.cli.digest:digest_command",
        "The briefings of a period, grouped by story, with their top keywords.",
    ),
}


class LazyGroup(click.Group):
    """A group that imports a command's module when the command is wanted (click's
    documented pattern for lazy subcommands), and lists them in --help from their
    summaries, without importing any."""

    def __init__(
        self, *args: Any, lazy_commands: dict[str, tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_commands:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = self.lazy_commands[cmd_name][0].split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}:{attribute} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader of our output went away (`briefing list | head`): not an error,
            # as for `ls | head`. (Left to click, it would exit 1.)
            streams.silence_stdout()
            raise click.exceptions.Exit(0) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, short_help(self.lazy_commands[name][1], limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def short_help(summary: str, limit: int) -> str:
    """The summary cut to ``limit`` characters at a word, as click shortens a command's help."""
    if len(summary) <= limit:
        return summary
    import textwrap

    return textwrap.shorten(summary, max(limit, 3), placeholder="...", break_on_hyphens=False)


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@db_option
@click.version_option(__version__, prog_name="briefing")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """A terminal reader for news briefings.

    With no command: the reader on a terminal, the newest articles in a pipe.
    """
    ctx.ensure_object(Settings)
    if ctx.invoked_subcommand is None:
        wanted = "read" if sys.stdin.isatty() and sys.stdout.isatty() else "list"
        command = cli.get_command(ctx, wanted)
        assert command is not None
        ctx.invoke(command)


def main() -> None:
    """Entry point of the console script.

    Runs click outside its standalone mode so that Ctrl-C exits 130 with a word
    on what was kept, instead of click's "Aborted!" and exit 1 (which means
    "some files were skipped" here).
    """
    try:
        streams.prepare()
    except streams.ClosedOutput as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
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
    except BrokenPipeError:  # raised outside a command (the flush at the end of one)
        streams.silence_stdout()
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)
