"""How the CLI prints: rich tables on a terminal, tab-separated lines in a pipe, JSON on request.

Article text is untrusted. Nothing here hands a string to Rich as markup: cells
are :class:`rich.text.Text`, the console has markup, emoji and highlighting
off, Markdown is rendered without OSC 8 hyperlinks, and every field passes
through :mod:`briefing.sanitize` first.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from briefing.models import MATCH_END, MATCH_START, Article, ArticleSummary, KeywordCount, SearchHit
from briefing.sanitize import clean_line, clean_text


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
