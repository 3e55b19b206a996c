"""What the commands share: ``--db`` and opening the store, the filter options, ``--json``.

Every command module imports from here (never from :mod:`briefing.cli` itself),
so the command group can import the commands without an import circle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from briefing.dates import check_date_or_age, resolve_date_or_age
from briefing.paths import DB_ENV, db_path_from_env, default_db_path, sample_data_dir

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.models import ArticleFilter
    from briefing.store import Store

F = TypeVar("F", bound=Callable[..., Any])

SEEDED_META_KEY = "seeded_with_samples"

# SQLite integers are 64-bit: a larger number is a usage error, not an OverflowError.
MAX_ID = 2**63 - 1
ARTICLE_ID = click.IntRange(min=1, max=MAX_ID)
COUNT = click.IntRange(min=1, max=1_000_000)  # how many to list

# The database this command opened, to name it when a query finds it damaged.
opened: list[Path] = []


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


def json_option(func: F) -> F:
    """``--json``: print JSON, for scripts."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")(func)


class ConfigProblem(click.ClickException):
    """The config file is wrong: say where and which key, exit 2 like a usage error."""

    exit_code = 2


def load_settings_config() -> Config:
    from briefing.config import ConfigError, load_config

    try:
        return load_config()
    except ConfigError as error:
        raise ConfigProblem(str(error)) from error


def open_store(
    ctx: click.Context,
    *,
    seed: bool = True,
    write: str | None = None,
    state: bool = False,
    create: bool = False,
    seed_notice: Callable[[str], None] | None = None,
) -> Store:
    """Open the chosen database. The default one is created on first use (directory and
    all) and, when new, gets the sample briefings; another one is created only by a
    command that says so (``create``: ingest), and never its missing directories.

    A database this process may not write is opened read-only with a one-line
    notice; a command that must write (``write`` says what it does) then stops,
    unless it writes only the reader's own state (``state``) and that is kept
    in a database of the user's own (config ``state``).

    The line saying the samples were added goes to stderr, or to ``seed_notice``:
    the reader's screen covers the terminal, so it shows the line itself.
    """
    from briefing.store import Store, StoreError  # what the commands need, not --help
    from briefing.store.own_state import (
        belongs_to_another_user,
        personal_state_path,
        wants_own_state,
    )

    settings = ctx.ensure_object(Settings)
    config = load_settings_config()
    named = settings.db or db_path_from_env()
    is_default = named is None and config.database is None
    path = named or config.database or default_db_path()
    try:
        state_path = personal_state_path(path) if wants_own_state(config.state, path) else None
        # A reader of another user's store keeps marks in a database of their own, and so
        # never needs to write (or upgrade, or lock) the store: unless writing is the point.
        hands_off = (
            state_path is not None and (write is None or state) and belongs_to_another_user(path)
        )
    except OSError as error:  # a link that loops, a name too long
        raise click.BadParameter(f"{path}: {error.strerror or error}", param_hint="--db") from error
    try:
        store = Store.open(
            path,
            notice=lambda message: click.echo(message, err=True),
            state_path=state_path,
            # The database the config names is the user's default: made when first used.
            create=create or named is None,
            create_directories=is_default,
            read_only=hands_off,
        )
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    ctx.call_on_close(store.close)
    opened[:] = [path]
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
        _seed_samples_once(store, seed, seed_notice or (lambda line: click.echo(line, err=True)))
    return store


def _seed_samples_once(store: Store, seed: bool, notice: Callable[[str], None]) -> None:
    """Give a new default database the sample briefings, so a first look shows something.

    The meta key records the outcome, so an interrupted first run finishes on
    the next command, and a database whose first command was an ingest of the
    user's own files never gets the samples mixed in.
    """
    state = store.get_meta(SEEDED_META_KEY)
    if state == "done" or state == "skipped":
        return
    if not seed or (state is None and store.articles.count() > 0):
        store.set_meta(SEEDED_META_KEY, "skipped")
        return
    from briefing.ingest.files import ingest  # YAKE and company, on the first run only

    store.set_meta(SEEDED_META_KEY, "pending")
    report = ingest(store, [sample_data_dir()])
    store.set_meta(SEEDED_META_KEY, "done")
    notice(
        f"First run: created {store.path} with {report.added} sample briefings "
        f"(add your own with `briefing ingest DIR`)."
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


def warn_unknown_keywords(store: Store, keywords: tuple[str, ...]) -> None:
    """Say so on stderr for each keyword no article has (the list is then empty)."""
    for keyword in keywords:
        if store.keywords.find(keyword) is None:
            click.echo(
                f"No article has the keyword {keyword!r} (see `briefing keywords`).", err=True
            )


def build_filter(
    store: Store,
    keywords: tuple[str, ...],
    since: str | None,
    until: str | None,
    unread: bool,
    starred: bool,
) -> ArticleFilter:
    from briefing.models import ArticleFilter

    warn_unknown_keywords(store, keywords)
    return ArticleFilter(
        keywords=tuple(keywords),
        since=since,
        until=until,
        unread_only=unread,
        starred_only=starred,
    )
