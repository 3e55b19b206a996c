"""``briefing views``: saved views from the command line (list, save, show, delete).

The reader saves and reopens views with keys; these commands make the same
views usable from scripts and cron (``briefing views show "gulf shipping"``).
"""

from __future__ import annotations

import click

from briefing.cli import output
from briefing.cli.options import (
    COUNT,
    build_filter,
    db_option,
    filter_options_keeping_ages,
    json_option,
    open_store,
)
from briefing.store import QueryError
from briefing.store.views import SavedView, ViewError


@click.group("views", invoke_without_command=True)
@db_option
@json_option
@click.pass_context
def views_command(ctx: click.Context, as_json: bool) -> None:
    """Saved views: named sets of filters and a search (the reader's `w` saves one)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_views, as_json=as_json)


@views_command.command("list")
@db_option
@json_option
@click.pass_context
def list_views(ctx: click.Context, as_json: bool) -> None:
    """List the saved views with what each selects."""
    store = open_store(ctx)
    views = store.views.all()
    if as_json:
        output.print_json([view.to_dict() for view in views])
        return
    if not views:
        click.echo("No saved views yet (save one with `briefing views save NAME ...`).", err=True)
    for view in views:
        click.echo(f"{output.clean_snippet(view.name)}\t{view.describe()}")


@views_command.command("save")
@db_option
@click.argument("name")
@filter_options_keeping_ages
@click.option("--search", "query", help="A full-text query the view also runs.")
@click.pass_context
def save_view(
    ctx: click.Context,
    name: str,
    keywords: tuple[str, ...],
    since: str | None,
    until: str | None,
    unread: bool,
    starred: bool,
    query: str | None,
) -> None:
    """Save the filters (and search) given under NAME, replacing a view of that name."""
    store = open_store(ctx, write="save a view", state=True)
    article_filter = build_filter(store, keywords, since, until, unread, starred)
    if query:
        try:
            store.articles.search(
                query, SavedView(name, article_filter).resolved().article_filter, 1
            )
        except QueryError as error:
            raise click.BadParameter(str(error), param_hint="--search") from error
    try:
        view = store.views.save(SavedView(name, article_filter, query))
    except ViewError as error:
        raise click.BadParameter(str(error), param_hint="NAME") from error
    click.echo(f"Saved view {view.name!r}: {view.describe()}")


@views_command.command("show")
@db_option
@click.argument("name")
@click.option("--limit", "-n", type=COUNT, default=50, show_default=True)
@json_option
@click.pass_context
def show_view(ctx: click.Context, name: str, limit: int, as_json: bool) -> None:
    """List the articles a saved view selects (its search, best first, if it has one)."""
    store = open_store(ctx)
    view = store.views.get(name)
    if view is None:
        raise click.BadParameter(f"no saved view named {name!r}", param_hint="NAME")
    view = view.resolved()
    if view.query:
        try:
            hits = store.articles.search(view.query, view.article_filter, limit=limit)
        except QueryError as error:
            raise click.ClickException(f"view {view.name!r}: {error}") from error
        if as_json:
            output.print_json([hit.to_dict() for hit in hits])
        else:
            output.print_hits(output.make_console(), hits)
        return
    articles = store.articles.newest_first(view.article_filter, limit=limit)
    if as_json:
        output.print_json([article.to_dict() for article in articles])
    else:
        output.print_articles(output.make_console(), articles)


@views_command.command("delete")
@db_option
@click.argument("name")
@click.pass_context
def delete_view(ctx: click.Context, name: str) -> None:
    """Forget the saved view NAME."""
    store = open_store(ctx, write="delete a view", state=True)
    if not store.views.delete(name):
        raise click.BadParameter(f"no saved view named {name!r}", param_hint="NAME")
    click.echo(f"Deleted view {name!r}")
