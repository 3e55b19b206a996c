"""How the CLI prints: rich tables on a terminal, tab-separated lines in a pipe, JSON on request.

Every command prints through here, so a terminal, a pipe and ``--json`` look
alike across commands. (The digest's documents, Markdown, JSON and HTML, are
:mod:`briefing.cli.digest_formats`.)

Article text is untrusted. Nothing here hands a string to Rich as markup: cells
are :class:`rich.text.Text`, the console has markup, emoji and highlighting
off, Markdown is rendered without OSC 8 hyperlinks, and every field passes
through :mod:`briefing.sanitize` first.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import click
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from briefing.ingest.files import IngestReport
from briefing.insight.trends import SPARK_BLOCKS
from briefing.models import (
    MATCH_END,
    MATCH_START,
    Article,
    ArticleSummary,
    KeywordCount,
    KeywordSeries,
    NewKeyword,
    RelatedArticle,
    RisingKeyword,
    SearchHit,
    Story,
)
from briefing.sanitize import clean_line, clean_text

SPARK_PIPE_WIDTH = 40  # characters of a rising keyword's line in a pipe


def make_console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


# What json.dumps leaves raw with ensure_ascii=False but a terminal would act on:
# DEL, the C1 controls (U+009B is CSI, U+009D OSC) and the bidirectional overrides.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def print_json(data: Any) -> None:
    """JSON as stored (the data is not cleaned), but with nothing a terminal would obey.

    json.dumps escapes C0 controls (ESC becomes \\u001b) but not C1 ones; those
    only occur inside strings, where a \\u escape means the same character.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(text + "\n")


def flags(article: ArticleSummary) -> str:
    """'N' for unread and '*' for starred, as newsboat does."""
    return ("N" if not article.read else " ") + ("*" if article.starred else " ")


def print_articles(console: Console, articles: Sequence[ArticleSummary]) -> None:
    if not console.is_terminal:
        for a in articles:
            fields = [str(a.id), a.date or "undated", flags(a).strip(), clean_line(a.title)]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    if not articles:
        console.print("No articles.", style="dim")
        return
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("id", justify="right", style="dim", no_wrap=True, min_width=3)
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("", no_wrap=True, min_width=2)
    table.add_column("title", overflow="ellipsis", no_wrap=True, ratio=1)
    table.add_column("source", overflow="ellipsis", no_wrap=True, style="dim", max_width=20)
    for a in articles:
        title = Text(clean_line(a.title), style="bold" if not a.read else "")
        table.add_row(
            Text(str(a.id)),
            Text(a.date or "undated"),
            Text(flags(a), style="yellow"),
            title,
            Text(clean_line(a.source or "")),
        )
    console.print(table)


def print_article(console: Console, article: Article, markdown: bool) -> None:
    """The whole article: as Markdown text in a pipe, rendered on a terminal."""
    keywords = ", ".join(clean_line(k.display) for k in article.keywords)
    byline = " · ".join(
        part for part in (article.date or "undated", clean_line(article.source or "")) if part
    )
    if markdown or not console.is_terminal:
        lines = [f"# {clean_line(article.title)}", "", f"*{byline}*", ""]
        if keywords:
            lines += [f"Keywords: {keywords}", ""]
        sys.stdout.write("\n".join(lines) + "\n" + clean_text(article.body).rstrip() + "\n")
        return
    console.print(Text(clean_line(article.title), style="bold"))
    console.print(Text(byline, style="dim"))
    if keywords:
        console.print(Text("Keywords: " + keywords, style="cyan"))
    console.print()
    console.print(Markdown(clean_text(article.body), hyperlinks=False))


def highlighted_snippet(snippet: str) -> Text:
    """A snippet with the search's matches in bold, the markers removed."""
    text = Text()
    in_match = False
    for piece in _split_markers(clean_snippet(snippet)):
        if piece == MATCH_START:
            in_match = True
        elif piece == MATCH_END:
            in_match = False
        else:
            text.append(piece, style="bold reverse" if in_match else "")
    return text


def clean_snippet(snippet: str) -> str:
    """Sanitise a snippet but keep the two match markers (which are control characters)."""
    parts = snippet.split(MATCH_START)
    return MATCH_START.join(
        MATCH_END.join(_squeeze(p) for p in part.split(MATCH_END)) for part in parts
    ).strip()


def _squeeze(text: str) -> str:
    """Clean a piece of one line, keeping the spaces at its edges (unlike clean_line)."""
    return re.sub(r"\s+", " ", clean_text(text))


def _split_markers(snippet: str) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in snippet:
        if char in (MATCH_START, MATCH_END):
            pieces += [current, char]
            current = ""
        else:
            current += char
    return [*pieces, current]


def print_hits(console: Console, hits: Sequence[SearchHit]) -> None:
    if not console.is_terminal:
        for hit in hits:
            a = hit.article
            snippet = clean_snippet(hit.snippet).replace(MATCH_START, "[").replace(MATCH_END, "]")
            fields = [str(a.id), a.date or "undated", clean_line(a.title), snippet]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    if not hits:
        console.print("No matches.", style="dim")
        return
    for hit in hits:
        a = hit.article
        heading = Text.assemble(
            (f"{a.id:>5} ", "dim"), (f"{a.date or 'undated'}  ", ""), (clean_line(a.title), "bold")
        )
        heading.truncate(console.width, overflow="ellipsis")
        console.print(heading)
        marked = highlighted_snippet(hit.snippet)
        marked.pad_left(6)
        console.print(marked)


def print_keywords(console: Console, keywords: Sequence[KeywordCount]) -> None:
    if not console.is_terminal:
        for k in keywords:
            sys.stdout.write(f"{k.article_count}\t{clean_line(k.display)}\n")
        return
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("articles", justify="right")
    table.add_column("keyword")
    for k in keywords:
        table.add_row(Text(str(k.article_count)), Text(clean_line(k.display)))
    console.print(table)


def print_article_keywords(console: Console, article: Article) -> None:
    if not console.is_terminal:
        for k in article.keywords:
            line = f"{k.rank}\t{k.score:.4f}\t{k.article_count}\t{clean_line(k.display)}\n"
            sys.stdout.write(line)
        return
    console.print(Text(clean_line(article.title), style="bold"))
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("rank", justify="right")
    table.add_column("keyword")
    table.add_column("score", justify="right", style="dim")
    table.add_column("articles", justify="right")
    for k in article.keywords:
        table.add_row(
            Text(str(k.rank)),
            Text(clean_line(k.display)),
            Text(f"{k.score:.4f}"),
            Text(str(k.article_count)),
        )
    console.print(table)


def print_stats(console: Console, stats: dict[str, Any]) -> None:
    width = max(len(k) for k in stats)
    for key, value in stats.items():
        shown = "-" if value is None else str(value)
        if console.is_terminal:
            console.print(Text.assemble((f"{key:<{width}}  ", "bold"), shown))
        else:
            sys.stdout.write(f"{key}\t{shown}\n")


def print_report(report: IngestReport) -> None:
    """What an ingest did: a line per problem on stderr, then the counts."""
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


# -- stories and related articles ---------------------------------------------------------


def dates(first: str | None, last: str | None) -> str:
    """A story's extent: one date, or the first and last."""
    if first == last:
        return first or "undated"
    return f"{first or 'undated'} – {last or 'undated'}"


def print_stories(console: Console, stories: Sequence[Story]) -> None:
    if not console.is_terminal:
        for story in stories:
            fields = [
                str(story.id),
                str(story.size),
                story.first_date or "",
                story.last_date or "",
                str(story.newest.id),
                clean_line(story.newest.title),
                ", ".join(clean_line(k) for k in story.keywords),
            ]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    if not stories:
        console.print("No stories: no two articles on one event yet.", style="dim")
        return
    for story in stories:
        heading = Text.assemble(
            (f"{story.id:>5} ", "dim"),
            (f"{story.size:>3} articles  ", ""),
            (f"{dates(story.first_date, story.last_date)}  ", ""),
            (clean_line(story.newest.title), "bold"),
        )
        _print_line(console, heading)
        _print_line(console, _keywords_line(story.keywords))


def print_related(
    console: Console, article_id: int, title: str, found: Sequence[RelatedArticle]
) -> None:
    if not console.is_terminal:
        for item in found:
            a = item.article
            fields = [
                str(a.id),
                a.date or "undated",
                clean_line(a.title),
                ", ".join(clean_line(k) for k in item.shared_keywords),
            ]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    heading = Text.assemble(("Related to ", "dim"), (f"{article_id} ", "dim"))
    heading.append(clean_line(title), style="bold")
    _print_line(console, heading)
    if not found:
        console.print("No related articles: none shares a keyword with it.", style="dim")
        return
    for item in found:
        a = item.article
        line = Text.assemble(
            (f"{a.id:>5} ", "dim"), (f"{a.date or 'undated'}  ", ""), clean_line(a.title)
        )
        _print_line(console, line)
        _print_line(console, _keywords_line(item.shared_keywords))


def _keywords_line(keywords: Sequence[str]) -> Text:
    line = Text(" " * 6)
    line.append(", ".join(clean_line(k) for k in keywords), style="cyan")
    return line


def _print_line(console: Console, line: Text) -> None:
    """One line, cut to the terminal's width with an ellipsis."""
    line.truncate(console.width, overflow="ellipsis")
    console.print(line, no_wrap=True)


# -- trends -------------------------------------------------------------------------------


def use_ascii(force: bool) -> bool:
    """ASCII sparklines on the Linux console (its font has no blocks) or a non-UTF-8 output."""
    if force or os.environ.get("TERM") == "linux":
        return True
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        codecs.encode(SPARK_BLOCKS, encoding)
    except (UnicodeEncodeError, LookupError):
        return True
    return False


def sparkline_width(console: Console, span: int) -> int:
    """On a terminal the line takes what the numbers and a keyword leave of its width."""
    return max(8, min(span, console.width - 44)) if console.is_terminal else SPARK_PIPE_WIDTH


def print_rising(
    console: Console, rising: Sequence[RisingKeyword], lines: Sequence[str], days: int, span: int
) -> None:
    if not console.is_terminal:
        for k, line in zip(rising, lines, strict=True):
            fields = [f"{k.score:.2f}", str(k.recent), str(k.before), clean_line(k.display), line]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    if not rising:
        console.print(f"No keyword is rising in the last {days} days.", style="dim")
        return
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for name in ("score", "recent", "before"):
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    table.add_column("keyword", overflow="ellipsis", no_wrap=True, ratio=1, min_width=10)
    width = max((len(line) for line in lines), default=8)
    table.add_column(f"last {span} days", no_wrap=True, style="cyan", min_width=width)
    for k, line in zip(rising, lines, strict=True):
        table.add_row(
            Text(f"{k.score:.2f}"),
            Text(str(k.recent)),
            Text(str(k.before)),
            Text(clean_line(k.display)),
            Text(line),
        )
    console.print(table)


def print_new_keywords(console: Console, found: Sequence[NewKeyword], after: int) -> None:
    if not console.is_terminal:
        for k in found:
            fields = [str(k.article_count), str(k.first_article_id), clean_line(k.display)]
            sys.stdout.write("\t".join(fields) + "\n")
        return
    if not found:
        console.print(f"No new keyword after article {after}.", style="dim")
        return
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("articles", justify="right")
    table.add_column("first", justify="right", style="dim")
    table.add_column("keyword")
    for k in found:
        table.add_row(
            Text(str(k.article_count)), Text(str(k.first_article_id)), Text(clean_line(k.display))
        )
    console.print(table)


def print_keyword_series(console: Console, series: KeywordSeries, line: str) -> None:
    heading = (
        f"{clean_line(series.display)}: {series.total} articles from {series.start} "
        f"to {series.end}, peak {max(series.counts, default=0)} a day"
    )
    if console.is_terminal:
        console.print(Text(heading, style="bold"))
        console.print(Text(line, style="cyan"))
    else:
        sys.stdout.write(f"{heading}\n{line}\n")
