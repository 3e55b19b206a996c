"""The ``briefing`` command: everything that needs no screen.

Exit codes: 0 success, 1 when ingest skipped some files or the database cannot
be used (damaged, from a newer version, read-only for a command that writes),
2 for usage errors (bad options, a malformed search query, a missing article),
130 when interrupted.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from briefing import __version__, render
from briefing.config import Config, ConfigError, load_config
from briefing.dates import check_date_or_age, resolve_date_or_age
from briefing.feed_sources import DEFAULT_MAX_FEED_BYTES, DEFAULT_TIMEOUT, split_sources
from briefing.ingest import DEFAULT_MAX_BYTES, IngestOptions, IngestReport, ingest
from briefing.keywords import language_is_supported
from briefing.models import ArticleFilter
from briefing.paths import DB_ENV, db_path_from_env, default_db_path, sample_data_dir
from briefing.personal_state import personal_state_path, wants_own_state
from briefing.store import QueryError, Store, StoreError, describe_error

F = TypeVar("F", bound=Callable[..., Any])

SEEDED_META_KEY = "seeded_with_samples"

# The database this command opened, to name it when a query finds it damaged.
_opened: list[Path] = []


@dataclass
class Settings:
    """Global options, from the group and from each command (the command wins)."""

    db: Path | None = None


def db_option(func: F) -> F:
    """``--db PATH``, accepted before or after the command name."""

    def remember(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
        if value is not None:
            ctx.ensure_object(Settings).db = value

    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        expose_value=False,
        callback=remember,
        is_eager=True,
        help=f"Database file (default: in your data directory; or set {DB_ENV}).",
    )(func)


def open_store(
    ctx: click.Context, *, seed: bool = True, write: str | None = None, state: bool = False
) -> Store:
    """Open the chosen database. The default one, when new, gets the sample briefings.

    A database this process may not write is opened read-only with a one-line
    notice; a command that must write (``write`` says what it does) then stops,
    unless it writes only the reader's own state (``state``) and that is kept
    in a database of the user's own (config ``state``).
    """
    settings = ctx.ensure_object(Settings)
    config = load_settings_config()
    path = settings.db or db_path_from_env() or config.database
    is_default = path is None
    path = path or default_db_path()
    state_path = personal_state_path(path) if wants_own_state(config.state, path) else None
    try:
        store = Store.open(
            path, notice=lambda message: click.echo(message, err=True), state_path=state_path
        )
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    ctx.call_on_close(store.close)
    _opened[:] = [path]
    if store.read_only and state and not store.state_read_only:
        pass  # only the reader's own database is written
    elif store.read_only:
        if write is not None:
            raise click.ClickException(
                f"cannot {write}: {path} is read-only (check the permissions of the file "
                "and of its directory)"
            )
        if store.state_read_only:
            click.echo(
                f"note: {path} is read-only; opened read-only "
                "(read and star marks will not be saved)",
                err=True,
            )
    elif is_default:
        _seed_samples_once(store, seed)
    return store


class ConfigProblem(click.ClickException):
    """The config file is wrong: say where and which key, exit 2 like a usage error."""

    exit_code = 2


def load_settings_config() -> Config:
    try:
        return load_config()
    except ConfigError as error:
        raise ConfigProblem(str(error)) from error


def _seed_samples_once(store: Store, seed: bool) -> None:
    """Give a new default database the sample briefings, so a first look shows something.

    The meta key records the outcome, so an interrupted first run finishes on
    the next command, and a database whose first command was an ingest of the
    user's own files never gets the samples mixed in.
    """
    state = store.get_meta(SEEDED_META_KEY)
    if state == "done" or state == "skipped":
        return
    if not seed or (state is None and store.article_count() > 0):
        store.set_meta(SEEDED_META_KEY, "skipped")
        return
    store.set_meta(SEEDED_META_KEY, "pending")
    report = ingest(store, [sample_data_dir()])
    store.set_meta(SEEDED_META_KEY, "done")
    click.echo(
        f"First run: created {store.path} with {report.added} sample briefings "
        f"(add your own with `briefing ingest DIR`).",
        err=True,
    )


class DateOrAge(click.ParamType[str]):
    """A date (YYYY-MM-DD) or an age back from today (36h, 7d, 2w), as a date; or,
    with ``keep_ages``, an age kept as typed (for saved views)."""

    name = "DATE"

    def __init__(self, keep_ages: bool = False) -> None:
        self.keep_ages = keep_ages

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            if self.keep_ages:
                return check_date_or_age(str(value))
            return resolve_date_or_age(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def filter_options(func: F) -> F:
    """The options that narrow an article list, shared by list and search."""
    return _filter_options(func, DateOrAge())


def filter_options_keeping_ages(func: F) -> F:
    """The same, with ages kept as typed ("7d"): a saved view's week stays the last week."""
    return _filter_options(func, DateOrAge(keep_ages=True))


def _filter_options(func: F, dates: DateOrAge) -> F:
    options = [
        click.option(
            "--keyword",
            "-k",
            "keywords",
            multiple=True,
            help="Only articles with this keyword; repeat to require several.",
        ),
        click.option("--since", type=dates, help="Only articles on or after DATE or age."),
        click.option("--until", type=dates, help="Only articles on or before DATE."),
        click.option("--unread", is_flag=True, help="Only unread articles."),
        click.option("--starred", is_flag=True, help="Only starred articles."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_filter(
    store: Store,
    keywords: tuple[str, ...],
    since: str | None,
    until: str | None,
    unread: bool,
    starred: bool,
) -> ArticleFilter:
    for keyword in keywords:
        if store.keyword(keyword) is None:
            click.echo(
                f"No article has the keyword {keyword!r} (see `briefing keywords`).", err=True
            )
    return ArticleFilter(
        keywords=tuple(keywords),
        since=since,
        until=until,
        unread_only=unread,
        starred_only=starred,
    )


def json_option(func: F) -> F:
    """``--json``: print JSON, for scripts."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")(func)


# SQLite integers are 64-bit; a larger id is a usage error, not an OverflowError.
ARTICLE_ID = click.IntRange(min=1, max=2**63 - 1)


def check_language(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if not language_is_supported(value):
        raise click.BadParameter(
            f"no keyword support for language {value!r}; use a two-letter code such as en, fr, de"
        )
    return value


def feed_options(func: F) -> F:
    """The options of ``ingest`` that only feeds use."""
    func = click.option(
        "--max-feed-size",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_FEED_BYTES // 1_048_576,
        show_default=True,
        help="Skip feeds larger than this many MB.",
    )(func)
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0.1, max=3600),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        help="Seconds to wait for a feed's server to connect or send more.",
    )(func)


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


@cli.command("read")
@db_option
@click.pass_context
def read_command(ctx: click.Context) -> None:
    """Open the full-screen reader: article list, reader and keywords.

    Keys: j/k move, Enter opens, / searches, s stars, r toggles read, ? lists
    every key, q quits.
    """
    config = load_settings_config()
    store = open_store(ctx, state=True)
    # Textual redraws at most 60 times a second by default: a key press then waits
    # up to 17 ms for its frame. 120 halves that; TEXTUAL_FPS set by the user wins.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    from briefing.tui.app import run_reader  # Textual is loaded only for the reader

    try:
        run_reader(store, config)
    except ConfigError as error:
        raise ConfigProblem(str(error)) from error


def ingest_options(func: F) -> F:
    """``--lang``, ``--max-size`` and ``--jobs``: how files are ingested, by ``ingest``
    and ``watch`` alike."""
    func = click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        default=0,
        help="Worker processes (0: one per core).",
    )(func)
    func = click.option(
        "--max-size",
        type=click.IntRange(min=1),
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


@cli.command("ingest")
@db_option
@click.argument("paths", nargs=-1, required=True)
@ingest_options
@feed_options  # feeds: --timeout, --max-feed-size (briefing/feed_sources.py)
@json_option
@click.pass_context
def ingest_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    lang: str,
    max_size: int,
    jobs: int,
    timeout: float,
    max_feed_size: int,
    as_json: bool,
) -> None:
    """Ingest briefing files and directories (recursively: .txt, .md, .markdown),
    and RSS/Atom feeds and OPML lists of them (URLs, or .rss/.atom/.xml/.opml files).

    Unchanged files and feed entries are skipped at almost no cost; changed
    ones update their article and keep its read and starred state. Exits 1
    when some files or feeds were skipped (the rest are stored all the same).
    """
    store = open_store(ctx, seed=False, write="ingest")
    options = IngestOptions(language=lang, max_bytes=max_size * 1024, jobs=jobs)
    files, feeds = split_sources(paths)
    report = _ingest_with_progress(store, files, options, quiet=as_json)
    if feeds:  # feedparser and its company are loaded only when a feed is named
        from briefing.feed_ingest import FeedOptions, ingest_feeds
        from briefing.fetch import FetchOptions

        fetching = FetchOptions(timeout=timeout, max_bytes=max_feed_size * 1_048_576)
        ingest_feeds(store, feeds, FeedOptions(language=lang, fetch=fetching), report)
    if as_json:
        render.print_json(report.to_dict())
    else:
        print_report(report)
    if report.skipped:
        ctx.exit(1)


def _ingest_with_progress(
    store: Store, paths: list[Path], options: IngestOptions, quiet: bool
) -> IngestReport:
    console = render.make_console(stderr=True)
    if quiet or not console.is_terminal:
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


def print_report(report: IngestReport) -> None:
    for path, warning in report.warnings:
        click.echo(f"warning: {path}: {warning}", err=True)
    for path, reason in report.skipped:
        click.echo(f"skipped: {path}: {reason}", err=True)
    for path, first in report.duplicates:
        click.echo(f"duplicate: {path}: same content as {first}", err=True)
    click.echo(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.duplicates)} duplicates, {len(report.skipped)} skipped"
    )


@cli.command("list")
@db_option
@filter_options
@click.option("--limit", "-n", type=click.IntRange(min=1), default=50, show_default=True)
@json_option
@click.pass_context
def list_command(
    ctx: click.Context,
    keywords: tuple[str, ...] = (),
    since: str | None = None,
    until: str | None = None,
    unread: bool = False,
    starred: bool = False,
    limit: int = 50,
    as_json: bool = False,
) -> None:
    """List articles, newest first (N: unread, *: starred)."""
    store = open_store(ctx)
    article_filter = build_filter(store, keywords, since, until, unread, starred)
    articles = store.list_articles(article_filter, limit=limit)
    if as_json:
        render.print_json([a.to_dict() for a in articles])
    else:
        render.print_articles(render.make_console(), articles)


@cli.command("show")
@db_option
@click.argument("article_id", type=ARTICLE_ID)
@click.option("--markdown", is_flag=True, help="Print Markdown even on a terminal.")
@json_option
@click.pass_context
def show_command(ctx: click.Context, article_id: int, markdown: bool, as_json: bool) -> None:
    """Show one article: Markdown in a pipe, rendered on a terminal."""
    store = open_store(ctx)
    article = store.article(article_id)
    if article is None:
        raise click.BadParameter(f"no article with id {article_id}", param_hint="ARTICLE_ID")
    if as_json:
        data = article.to_dict()
        data["keywords"] = [k.__dict__ for k in article.keywords]
        render.print_json(data)
    else:
        render.print_article(render.make_console(), article, markdown)


@cli.command("search")
@db_option
@click.argument("query")
@filter_options
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True)
@json_option
@click.pass_context
def search_command(
    ctx: click.Context,
    query: str,
    keywords: tuple[str, ...],
    since: str | None,
    until: str | None,
    unread: bool,
    starred: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search of titles and bodies, best match first.

    QUERY is SQLite FTS5 syntax: words (all must match), "exact phrases",
    OR, NOT, prefix* and NEAR(a b).
    """
    store = open_store(ctx)
    article_filter = build_filter(store, keywords, since, until, unread, starred)
    try:
        hits = store.search(query, article_filter, limit=limit)
    except QueryError as error:
        raise click.UsageError(str(error), ctx) from error
    if as_json:
        render.print_json([hit.to_dict() for hit in hits])
    else:
        render.print_hits(render.make_console(), hits)


@cli.command("keywords")
@db_option
@click.option(
    "--article", "article_id", type=ARTICLE_ID, help="The keywords of one article, by rank."
)
@filter_options
@click.option("--limit", "-n", type=click.IntRange(min=1), default=30, show_default=True)
@json_option
@click.pass_context
def keywords_command(
    ctx: click.Context,
    article_id: int | None,
    keywords: tuple[str, ...],
    since: str | None,
    until: str | None,
    unread: bool,
    starred: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Top keywords with their article counts (in a selection, with the filter options)."""
    store = open_store(ctx)
    console = render.make_console()
    if article_id is not None:
        article = store.article(article_id)
        if article is None:
            raise click.BadParameter(f"no article with id {article_id}", param_hint="--article")
        if as_json:
            render.print_json([k.__dict__ for k in article.keywords])
        else:
            render.print_article_keywords(console, article)
        return
    article_filter = build_filter(store, keywords, since, until, unread, starred)
    top = store.top_keywords(limit, article_filter)
    if as_json:
        render.print_json([k.to_dict() for k in top])
    else:
        render.print_keywords(console, top)


@cli.command("mark")
@db_option
@click.argument("article_ids", nargs=-1, required=True, type=ARTICLE_ID)
@click.option("--read/--unread", default=None, help="Mark read or unread.")
@click.option("--star/--unstar", default=None, help="Star or unstar.")
@click.pass_context
def mark_command(
    ctx: click.Context, article_ids: tuple[int, ...], read: bool | None, star: bool | None
) -> None:
    """Mark articles read or unread, starred or not."""
    if read is None and star is None:
        raise click.UsageError("say what to mark: --read, --unread, --star or --unstar", ctx)
    store = open_store(ctx, write="mark articles", state=True)
    missing = [i for i in article_ids if store.article(i) is None]
    if missing:
        raise click.BadParameter(
            f"no article with id {', '.join(map(str, missing))}", param_hint="ARTICLE_IDS"
        )
    with store.state_transaction():
        for article_id in article_ids:
            if read is not None:
                store.set_read(article_id, read)
            if star is not None:
                store.set_starred(article_id, star)


@cli.command("stats")
@db_option
@json_option
@click.pass_context
def stats_command(ctx: click.Context, as_json: bool) -> None:
    """Counts of articles, keywords, read and starred, and the date range."""
    store = open_store(ctx)
    stats = store.stats()
    if as_json:
        render.print_json(stats)
    else:
        render.print_stats(render.make_console(), stats)


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
        name = f" {_opened[0]}" if _opened else ""
        click.echo(f"Error: database{name}: {describe_error(error)}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        # The reader of our output went away (`briefing list | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)


# -- commands kept in modules of their own (they import the helpers above) ----------------

from briefing.commands_views import views_command  # noqa: E402

cli.add_command(views_command)

# watch and serve (issue 7): commands that keep running, in briefing/commands_live.py
from briefing.commands_live import serve_command, watch_command  # noqa: E402

cli.add_command(watch_command)
cli.add_command(serve_command)

# digest and trends (issue 6, keyword intelligence): briefing/commands_digest.py, commands_trends.py
from briefing.commands_digest import digest_command  # noqa: E402
from briefing.commands_trends import trends_command  # noqa: E402

cli.add_command(digest_command)
cli.add_command(trends_command)

# stories and related (issue 6, keyword intelligence): briefing/commands_stories.py
from briefing.commands_stories import related_command, stories_command  # noqa: E402

cli.add_command(stories_command)
cli.add_command(related_command)
