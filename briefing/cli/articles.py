"""The commands on articles: list, show, search, keywords, mark, stats."""

from __future__ import annotations

import click

from briefing.cli import output
from briefing.cli.options import (
    ARTICLE_ID,
    COUNT,
    build_filter,
    db_option,
    filter_options,
    json_option,
    open_store,
)
from briefing.store import QueryError


@click.command("list")
@db_option
@filter_options
@click.option("--limit", "-n", type=COUNT, default=50, show_default=True)
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
    articles = store.articles.newest_first(article_filter, limit=limit)
    if as_json:
        output.print_json([a.to_dict() for a in articles])
    else:
        output.print_articles(output.make_console(), articles)


@click.command("show")
@db_option
@click.argument("article_id", type=ARTICLE_ID)
@click.option("--markdown", is_flag=True, help="Print Markdown even on a terminal.")
@json_option
@click.pass_context
def show_command(ctx: click.Context, article_id: int, markdown: bool, as_json: bool) -> None:
    """Show one article: Markdown in a pipe, rendered on a terminal."""
    store = open_store(ctx)
    article = store.articles.get(article_id)
    if article is None:
        raise click.BadParameter(f"no article with id {article_id}", param_hint="ARTICLE_ID")
    if as_json:
        data = article.to_dict()
        data["keywords"] = [k.__dict__ for k in article.keywords]
        output.print_json(data)
    else:
        output.print_article(output.make_console(), article, markdown)


@click.command("search")
@db_option
@click.argument("query")
@filter_options
@click.option("--limit", "-n", type=COUNT, default=20, show_default=True)
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
        hits = store.articles.search(query, article_filter, limit=limit)
    except QueryError as error:
        raise click.UsageError(str(error), ctx) from error
    if as_json:
        output.print_json([hit.to_dict() for hit in hits])
    else:
        output.print_hits(output.make_console(), hits)


@click.command("keywords")
@db_option
@click.option(
    "--article", "article_id", type=ARTICLE_ID, help="The keywords of one article, by rank."
)
@filter_options
@click.option("--limit", "-n", type=COUNT, default=30, show_default=True)
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
    console = output.make_console()
    if article_id is not None:
        article = store.articles.get(article_id)
        if article is None:
            raise click.BadParameter(f"no article with id {article_id}", param_hint="--article")
        if as_json:
            output.print_json([k.__dict__ for k in article.keywords])
        else:
            output.print_article_keywords(console, article)
        return
    article_filter = build_filter(store, keywords, since, until, unread, starred)
    top = store.keywords.top(limit, article_filter)
    if as_json:
        output.print_json([k.to_dict() for k in top])
    else:
        output.print_keywords(console, top)


@click.command("mark")
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
    missing = [i for i in article_ids if store.articles.get(i) is None]
    if missing:
        raise click.BadParameter(
            f"no article with id {', '.join(map(str, missing))}", param_hint="ARTICLE_IDS"
        )
    with store.state_transaction():
        for article_id in article_ids:
            if read is not None:
                store.marks.set_read(article_id, read)
            if star is not None:
                store.marks.set_starred(article_id, star)


@click.command("stats")
@db_option
@json_option
@click.pass_context
def stats_command(ctx: click.Context, as_json: bool) -> None:
    """Counts of articles, keywords, read and starred, and the date range."""
    store = open_store(ctx)
    stats = store.stats()
    if as_json:
        output.print_json(stats)
    else:
        output.print_stats(output.make_console(), stats)
