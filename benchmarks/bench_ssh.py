"""Bytes on the wire and first screens, side by side with newsboat, on the same articles.

The same N generated articles go to newsboat as an RSS feed served on
127.0.0.1 (newsboat fetches it once to fill its cache) and to briefing as a
store. Both run in a pty of 100x30; every byte they write is counted. Keys
are typed as a terminal types them: newsboat (curses) turns on application
cursor keys, so its Down arrow arrives as ESC O B (until 2026-11-25 this
benchmark sent ESC [ B, which newsboat ignores: its "27 B per Down" was a key
that did nothing).

* per cursor-down: one Down arrow in the article list, bytes until the
  program is quiet again. By default briefing's reader keeps the article
  opened with Enter, as newsboat's list does; with ``preview = "follow"`` the
  reader follows the cursor, so a Down also draws the next article. briefing
  is measured as it runs (``output = "diff"``: only changed cells are sent)
  and, following the cursor, with ``output = "full"`` (Textual's own output)
  for scale.
* per article read: what it takes to get the next article's text on screen:
  newsboat Enter (open) and q (back to the list); briefing Enter, Escape and
  Down, or, following the cursor, one Down arrow.
* held: 30 Down arrows at key-repeat speed, bytes per key.
* first screen: launch to the article list on screen (newsboat opens on its
  feed list; its first screen is that list, showing the feed).
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import subprocess
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from benchmarks.bench_reader import FOLLOW, first_screen, open_reader
from benchmarks.corpus import generate
from benchmarks.report import Figure, Report, median, ms
from benchmarks.terminal import KEYS, Terminal
from briefing.ingest.parse import parse_briefing
from briefing.store import Store


def write_feed(count: int, folder: Path) -> Path:
    items = []
    for index in range(count):
        text, _ = generate(index)
        article = parse_briefing(text.encode(), Path(f"{index}.txt"))
        day = dt.date.fromisoformat(article.date or "2026-01-01")
        published = f"{day:%a, %d %b %Y} 12:00:00 +0000"
        body = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
        items.append(
            f"<item><title>{html.escape(article.title)}</title>"
            f"<link>http://127.0.0.1/{index}</link><guid>generated-{index}</guid>"
            f"<pubDate>{published}</pubDate><description>{html.escape(body)}</description></item>"
        )
    feed = folder / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Generated Wire</title><link>http://127.0.0.1/</link><description>bench"
        "</description>" + "".join(items) + "</channel></rss>",
        encoding="utf-8",
    )
    return feed


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def newsboat_cache(count: int, folder: Path) -> list[str]:
    """Serve the feed on 127.0.0.1, let newsboat fetch it; returns newsboat's argv."""
    write_feed(count, folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        (folder / "urls").write_text(f"http://127.0.0.1:{server.server_port}/feed.xml\n")
        (folder / "config").write_text("auto-reload no\nshow-read-feeds yes\n")
        argv = [
            "newsboat",
            "-u",
            str(folder / "urls"),
            "-c",
            str(folder / "cache.db"),
            "-C",
            str(folder / "config"),
        ]
        subprocess.run([*argv, "-x", "reload"], check=True, timeout=600, capture_output=True)
    finally:
        server.shutdown()
    return argv


def measure_newsboat(argv: list[str], home: str) -> dict[str, float]:
    result: dict[str, float] = {}
    starts = []
    for _ in range(3):
        with Terminal(argv, 100, 30, env={"HOME": home}) as terminal:
            starts.append(terminal.wait_for(lambda s: "Generated Wire" in s, timeout=120))
            terminal.settle(0.3)
    result["first_screen"] = median(starts)
    with Terminal(argv, 100, 30, env={"HOME": home}) as terminal:
        terminal.wait_for(lambda s: "Generated Wire" in s, timeout=120)
        terminal.settle(0.3)
        terminal.send(KEYS["enter"])
        terminal.settle(0.5)
        result.update(_per_key(terminal))
        result["per_article"] = _open_next(terminal, back="q")
    return result


def _open_next(terminal: Terminal, back: str | bytes) -> float:
    """Median bytes to open the article under the cursor, go back, and move on."""
    reads: list[float] = []
    for _ in range(10):
        before = terminal.bytes_read
        for key in (KEYS["enter"], back, KEYS["down"]):
            terminal.send(key)
            terminal.settle(0.25)
        reads.append(terminal.bytes_read - before)
    return median(reads)


def _per_key(terminal: Terminal) -> dict[str, float]:
    singles: list[float] = []
    for _ in range(20):
        before = terminal.bytes_read
        terminal.send(KEYS["down"])
        terminal.settle(0.25)
        singles.append(terminal.bytes_read - before)
    terminal.settle(0.5)
    before = terminal.bytes_read
    for _ in range(30):
        terminal.send(KEYS["down"])
        terminal.pump(1 / 30)
    terminal.settle(0.5)
    return {"per_down": median(singles), "held": (terminal.bytes_read - before) / 30}


def measure_briefing(db: Path, config: str = "") -> dict[str, float]:
    """briefing's figures with ``config`` as its config file. By default an article
    is read as in newsboat (Enter, back with Escape, Down); with ``preview =
    "follow"`` the reader follows the cursor and one Down reads the next article."""
    result: dict[str, float] = {}
    with Store.open(db) as store:
        newest = store.articles.newest_first(limit=1)[0].title[:24]
    with tempfile.TemporaryDirectory() as state, open_reader(db, state, config) as terminal:
        terminal.wait_for(lambda s: newest in s, timeout=120)
        terminal.settle(1.5)  # past the mark-read delay, so no redraw is left pending
        result.update(_per_key(terminal))
        if FOLLOW in config:
            result["per_article"] = result["per_down"]
        else:
            result["per_article"] = _open_next(terminal, back=KEYS["escape"])
    return result


def run(report: Report, db: Path, count: int) -> None:
    if shutil.which("newsboat") is None:
        report.add(Figure("newsboat comparison", "skipped: newsboat is not installed"))
        return
    with tempfile.TemporaryDirectory() as folder:
        argv = newsboat_cache(count, Path(folder))
        theirs = measure_newsboat(argv, folder)
    ours = measure_briefing(db)
    following = measure_briefing(db, FOLLOW)
    full = measure_briefing(db, FOLLOW + 'output = "full"\n')
    label = f"{count // 1000}k articles"
    report.add(
        Figure(
            f"bytes per cursor-down following, only changed cells sent, {label}",
            f"{following['per_down']:.0f} B",
            f"Textual's own output {full['per_down']:.0f} B",
            f"{following['per_down'] / full['per_down']:.2f}",
        )
    )
    # The targets are for the reader as it comes; following the cursor is
    # a choice (p, or the config) that draws an article per key, shown for scale.
    for name, figures, key, target in (
        ("bytes per cursor-down", ours, "per_down", True),
        ("bytes per cursor-down, key held", ours, "held", True),
        ("bytes per article read (Enter, Esc, Down)", ours, "per_article", True),
        ("bytes per cursor-down, preview = follow", following, "per_down", False),
        ("bytes per cursor-down, key held, preview = follow", following, "held", False),
        ("bytes per article read, preview = follow (Down)", following, "per_article", True),
    ):
        ratio = figures[key] / theirs[key] if theirs[key] else float("inf")
        report.add(
            Figure(
                f"{name}, {label}",
                f"{figures[key]:.0f} B",
                f"newsboat {theirs[key]:.0f} B",
                f"{ratio:.2f}",
                "<= 1.0" if target else "",
                ratio <= 1.0 if target else None,
            )
        )
    ours_first_screen, _ = first_screen(db)
    ratio = ours_first_screen / theirs["first_screen"]
    report.add(
        Figure(
            f"first screen, {label}",
            ms(ours_first_screen),
            f"newsboat {ms(theirs['first_screen'])}",
            f"{ratio:.2f}",
        )
    )
