"""What a terminal shows: Rich tables and lines, cut to its width.

Only :mod:`briefing.cli.output` calls this module, and only when standard
output is a terminal, so a command in a pipe never loads Rich. Article text
reaches Rich as :class:`rich.text.Text` (never markup), cleaned by
:mod:`briefing.sanitize` first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from briefing.models import (
    MATCH_END,
    MATCH_START,
    Article,
    ArticleSummary,
    KeywordCount,
    NewKeyword,
    RelatedArticle,
    RisingKeyword,
    SearchHit,
    Story,
)
from briefing.sanitize import clean_line, clean_text


def make_console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


def _table() -> Table:
    return Table(box=None, pad_edge=False, show_edge=False, header_style="bold")


TITLE_FIRST = 60  # cells the title has before the source gets any
SOURCE_MAX = 30


def articles(console: Console, found: Sequence[ArticleSummary], flags: Any) -> None:
    """One line an article: id, date, flags, title and, where there is room after about
    sixty cells of title, the source. The id is never dropped (every other command takes
    ids), whatever the width; the title is cut with an ellipsis."""
    if not found:
        console.print("No articles.", style="dim")
        return
    id_width = max(2, *(len(str(a.id)) for a in found))
    sources = [clean_line(a.source or "") for a in found]
    available = console.width - (id_width + 2 + 10 + 2 + 2 + 2)
    room = available - TITLE_FIRST - 2
    longest = max((cell_len(source) for source in sources), default=0)
    source_width = min(longest, SOURCE_MAX, room) if room >= 8 else 0
    titles = [clean_line(a.title) for a in found]
    widest = max(cell_len(title) for title in titles)
    title_width = max(8, min(widest, available - (source_width + 2 if source_width else 0)))
    header = Text.assemble(
        ("id".rjust(id_width), "bold"), "  ", ("date".ljust(10), "bold"), "  " + "  " + "  "
    )
    header.append("title".ljust(title_width) if source_width else "title", style="bold")
    if source_width:
        header.append("  ")
        header.append("source", style="bold")
    console.print(header, no_wrap=True, overflow="crop")
    for a, text, source in zip(found, titles, sources, strict=True):
        title = Text(text, style="bold" if not a.read else "")
        title.truncate(title_width, overflow="ellipsis", pad=bool(source_width))
        line = Text.assemble(
            (str(a.id).rjust(id_width), "dim"),
            "  ",
            (a.date or "undated").ljust(10),
            "  ",
            (flags(a), "yellow"),
            "  ",
            title,
        )
        if source_width:
            shown = Text(source, style="dim")
            shown.truncate(source_width, overflow="ellipsis")
            line.append("  ")
            line.append_text(shown)
        console.print(line, no_wrap=True, overflow="crop")


def article(console: Console, shown: Article, byline: str, keywords: str) -> None:
    console.print(Text(clean_line(shown.title), style="bold"))
    console.print(Text(byline, style="dim"))
    if keywords:
        console.print(Text("Keywords: " + keywords, style="cyan"))
    console.print()
    from rich.markdown import Markdown  # markdown-it and its company, for `show` alone

    console.print(Markdown(clean_text(shown.body), hyperlinks=False))


def highlighted_snippet(pieces: Sequence[str]) -> Text:
    """A snippet with the search's matches in bold, from its pieces and markers."""
    text = Text()
    in_match = False
    for piece in pieces:
        if piece == MATCH_START:
            in_match = True
        elif piece == MATCH_END:
            in_match = False
        else:
            text.append(piece, style="bold reverse" if in_match else "")
    return text


def hits(console: Console, found: Sequence[SearchHit], pieces: Any) -> None:
    if not found:
        console.print("No matches.", style="dim")
        return
    for hit in found:
        a = hit.article
        heading = Text.assemble(
            (f"{a.id:>5} ", "dim"), (f"{a.date or 'undated'}  ", ""), (clean_line(a.title), "bold")
        )
        heading.truncate(console.width, overflow="ellipsis")
        console.print(heading)
        marked = highlighted_snippet(pieces(hit.snippet))
        marked.pad_left(6)
        console.print(marked)


def keywords(console: Console, found: Sequence[KeywordCount]) -> None:
    table = _table()
    table.add_column("articles", justify="right")
    table.add_column("keyword")
    for k in found:
        table.add_row(Text(str(k.article_count)), Text(clean_line(k.display)))
    console.print(table)


def article_keywords(console: Console, shown: Article) -> None:
    console.print(Text(clean_line(shown.title), style="bold"))
    table = _table()
    table.add_column("rank", justify="right")
    table.add_column("keyword")
    table.add_column("score", justify="right", style="dim")
    table.add_column("articles", justify="right")
    for k in shown.keywords:
        table.add_row(
            Text(str(k.rank)),
            Text(clean_line(k.display)),
            Text(f"{k.score:.4f}"),
            Text(str(k.article_count)),
        )
    console.print(table)


def stats(console: Console, figures: dict[str, Any]) -> None:
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        shown = "-" if value is None else str(value)
        console.print(Text.assemble((f"{key:<{width}}  ", "bold"), shown))


def stories(
    console: Console, found: Sequence[Story], extent: Any, since: str | None = None
) -> None:
    if not found and since:
        console.print(f"No story has an article on or after {since}.", style="dim")
        return
    if not found:
        console.print("No stories: no two articles on one event yet.", style="dim")
        return
    for story in found:
        heading = Text.assemble(
            (f"{story.id:>5} ", "dim"),
            (f"{story.size:>3} articles  ", ""),
            (f"{extent(story.first_date, story.last_date)}  ", ""),
            (clean_line(story.newest.title), "bold"),
        )
        _line(console, heading)
        _line(console, _keywords_line(story.keywords))


def related(console: Console, article_id: int, title: str, found: Sequence[RelatedArticle]) -> None:
    heading = Text.assemble(("Related to ", "dim"), (f"{article_id} ", "dim"))
    heading.append(clean_line(title), style="bold")
    _line(console, heading)
    if not found:
        console.print("No related articles: none shares a keyword with it.", style="dim")
        return
    for item in found:
        a = item.article
        line = Text.assemble(
            (f"{a.id:>5} ", "dim"), (f"{a.date or 'undated'}  ", ""), clean_line(a.title)
        )
        _line(console, line)
        _line(console, _keywords_line(item.shared_keywords))


def _keywords_line(found: Sequence[str]) -> Text:
    line = Text(" " * 6)
    line.append(", ".join(clean_line(k) for k in found), style="cyan")
    return line


def _line(console: Console, line: Text) -> None:
    """One line, cut to the terminal's width with an ellipsis."""
    line.truncate(console.width, overflow="ellipsis")
    console.print(line, no_wrap=True)


def rising(
    console: Console, found: Sequence[RisingKeyword], lines: Sequence[str], days: int, span: int
) -> None:
    if not found:
        console.print(f"No keyword is rising in the last {days} days.", style="dim")
        return
    table = _table()
    for name in ("score", "recent", "before"):
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    table.add_column("keyword", overflow="ellipsis", no_wrap=True, ratio=1, min_width=10)
    width = max((len(line) for line in lines), default=8)
    table.add_column(f"last {span} days", no_wrap=True, style="cyan", min_width=width)
    for k, line in zip(found, lines, strict=True):
        table.add_row(
            Text(f"{k.score:.2f}"),
            Text(str(k.recent)),
            Text(str(k.before)),
            Text(clean_line(k.display)),
            Text(line),
        )
    console.print(table)


def new_keywords(console: Console, found: Sequence[NewKeyword], after: int) -> None:
    if not found:
        console.print(f"No new keyword after article {after}.", style="dim")
        return
    table = _table()
    table.add_column("articles", justify="right")
    table.add_column("first", justify="right", style="dim")
    table.add_column("keyword")
    for k in found:
        table.add_row(
            Text(str(k.article_count)), Text(str(k.first_article_id)), Text(clean_line(k.display))
        )
    console.print(table)


def keyword_series(console: Console, heading: str, line: str) -> None:
    console.print(Text(heading, style="bold"))
    console.print(Text(line, style="cyan"))
