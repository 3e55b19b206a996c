"""``briefing ingest`` and ``briefing watch``: files, directories and feeds into the store.

Both load the ingest machinery (YAKE, the parsers) only when run, and feeds'
libraries only when a feed is named, so every other command starts without them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefing.cli import output
from briefing.cli.options import F, db_option, json_option, open_store
from briefing.ingest.feeds.sources import (
    DEFAULT_MAX_FEED_BYTES,
    DEFAULT_MAX_FETCH_SECONDS,
    DEFAULT_TIMEOUT,
    split_sources,
)
from briefing.ingest.limits import DEFAULT_MAX_BYTES
from briefing.ingest.paths import display_path
from briefing.insight.keywords import language_is_supported
from briefing.store import Store

if TYPE_CHECKING:
    from briefing.ingest.files import IngestOptions, IngestReport


def check_language(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if not language_is_supported(value):
        raise click.BadParameter(
            f"no keyword support for language {value!r}; use a two-letter code such as en, fr, de"
        )
    return value


def check_paths(
    _ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    """An empty argument (an unset variable in a cron line) must not mean "here"."""
    if any(not path.strip() for path in value):
        raise click.BadParameter(
            "an empty path is not a file or folder (is a variable unset?); nothing was ingested"
        )
    return value


def check_jobs(_ctx: click.Context, _param: click.Parameter, value: int) -> int:
    """More worker processes than cores make an ingest no faster, only bigger."""
    cores = os.cpu_count() or 1
    if value > cores:
        click.echo(
            f"warning: --jobs {value} is more than this machine's {cores} cores; using {cores}",
            err=True,
        )
        return cores
    return value


def ingest_options(func: F) -> F:
    """``--lang``, ``--max-size`` and ``--jobs``: how files are ingested, by ``ingest``
    and ``watch`` alike."""
    func = click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0, max=2**31 - 1),
        default=0,
        callback=check_jobs,
        help="Worker processes (0: one per core; at most one per core).",
    )(func)
    func = click.option(
        "--max-size",
        type=click.IntRange(min=1, max=1_048_576),
        default=DEFAULT_MAX_BYTES // 1024,
        show_default=True,
        help="Skip files larger than this many KB.",
    )(func)
    return click.option(
        "--lang",
        default="en",
        show_default=True,
        callback=check_language,
        help="Language of the keywords (applies to new and changed files).",
    )(func)


def feed_options(func: F) -> F:
    """The options of ``ingest`` that only feeds use."""
    func = click.option(
        "--max-feed-size",
        type=click.IntRange(min=1, max=4096),
        default=DEFAULT_MAX_FEED_BYTES // 1_048_576,
        show_default=True,
        help="Skip feeds larger than this many MB.",
    )(func)
    func = click.option(
        "--max-fetch-time",
        type=click.FloatRange(min=0.1, max=86_400),
        default=DEFAULT_MAX_FETCH_SECONDS,
        show_default=True,
        help="Seconds one feed may take in all (connecting, redirects and reading), "
        "however steadily its server trickles.",
    )(func)
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0.1, max=3600),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        help="Seconds to wait for a feed's server to connect or send more. (Looking up "
        "a server's name is bounded by the system's resolver, not by this.)",
    )(func)


@click.command("ingest")
@db_option
@click.argument("paths", nargs=-1, required=True, callback=check_paths)
@ingest_options
@feed_options
@json_option
@click.pass_context
def ingest_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    lang: str,
    max_size: int,
    jobs: int,
    timeout: float,
    max_fetch_time: float,
    max_feed_size: int,
    as_json: bool,
) -> None:
    """Ingest briefing files and directories (recursively: .txt, .md, .markdown),
    and RSS/Atom feeds and OPML lists of them (URLs, or .rss/.atom/.xml/.opml files).

    Unchanged files and feed entries are skipped at almost no cost; changed
    ones update their article and keep its read and starred state. Exits 1
    when some files or feeds were skipped (the rest are stored all the same).
    """
    from briefing.ingest.files import IngestOptions  # the parsers, on demand

    store = open_store(ctx, seed=False, write="ingest", create=True)
    options = IngestOptions(language=lang, max_bytes=max_size * 1024, jobs=jobs)
    files, feeds = split_sources(paths)
    report = _ingest_with_progress(store, files, options, quiet=as_json)
    if feeds:  # feedparser and its company are loaded only when a feed is named
        from briefing.ingest.feeds.fetch import FetchOptions
        from briefing.ingest.feeds.ingest import FeedOptions, ingest_feeds

        fetching = FetchOptions(
            timeout=timeout, max_bytes=max_feed_size * 1_048_576, max_seconds=max_fetch_time
        )
        ingest_feeds(store, feeds, FeedOptions(language=lang, fetch=fetching), report)
    if as_json:
        output.print_json(report.to_dict())
    else:
        output.print_report(report)
    if report.skipped:
        ctx.exit(1)


def _ingest_with_progress(
    store: Store, paths: list[Path], options: IngestOptions, quiet: bool
) -> IngestReport:
    from briefing.ingest.files import ingest

    console = output.make_console(stderr=True)
    if quiet or isinstance(console, output.Pipe):
        return ingest(store, paths, options)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Ingesting", total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return ingest(store, paths, options, progress=update)


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
    from briefing.ingest.files import IngestOptions

    store = open_store(ctx, seed=False, write="watch and ingest", create=True)
    options = IngestOptions(language=lang, max_bytes=max_size * 1024, jobs=jobs)
    from briefing.ingest.watch import Stopped, StopSignal, watch_and_ingest  # loads watchfiles

    names = ", ".join(display_path(directory) for directory in directories)
    with StopSignal() as stop:
        try:
            for batch in watch_and_ingest(
                store, list(directories), options, stop, lambda line: click.echo(line, err=True)
            ):
                for path in batch.deleted:
                    click.echo(f"deleted: {path} (its article stays in the database)", err=True)
                if batch.catch_up or not batch.report_is_empty:
                    output.print_report(batch.report)
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
