"""RSS and Atom feeds and OPML lists, served from 127.0.0.1 and ingested through the CLI.

Each test starts a small HTTP server in a thread (ephemeral port), runs
``briefing ingest`` on its addresses as a person would, and reads the result
back with ``briefing list`` and ``briefing show``. Failures (broken XML, no
answer, too large, HTTP errors) must be named in one line while the other
feeds are stored. Every wait is bounded: the server's stalls end when the test
does, and fetches run with a short ``--timeout``.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import os
import re
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from briefing.cli import cli

STALL_LIMIT = 30.0  # seconds a stalling response may hold its thread, at most


@dataclass
class Response:
    body: bytes = b""
    status: int = 200
    reason: str | None = None  # the status line's words, when not the standard ones
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    stall: bool = False  # accept, then never answer (until the test ends)
    stream_bytes: int = 0  # send this many bytes of an endless feed, no Content-Length
    trickle: float = 0.0  # send the whole answer, headers too, a byte every so many seconds
    trickle_body: bool = False  # ... but the status line and headers at once
    authorization: str | None = None  # answer 401 to a request without this Authorization


class FeedServer(ThreadingHTTPServer):
    """An HTTP server whose answers the test sets by path."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), _Handler)
        self.host = host
        self.scheme = "http"
        self.routes: dict[str, Response] = {}
        self.requests: list[str] = []
        self.authorizations: list[str | None] = []  # each request's Authorization header
        self.release = threading.Event()

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.host}:{self.server_address[1]}{path}"

    def serve(self, path: str, body: str | bytes, **options: object) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = Response(data, **options)  # type: ignore[arg-type]
        return self.url(path)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up mid-answer is what some tests do on purpose


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        self.server.authorizations.append(self.headers.get("Authorization"))
        response = self.server.routes.get(
            self.path, Response(b"no such feed", 404, content_type="text/plain")
        )
        if response.authorization and self.headers.get("Authorization") != response.authorization:
            response = Response(b"who are you?", 401, content_type="text/plain")
        if response.stall:
            self.server.release.wait(STALL_LIMIT)
            return
        if response.trickle:
            self._trickle(response)
            return
        self.send_response(response.status, response.reason)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.stream_bytes:
            self.end_headers()
            self._stream(response.stream_bytes)
            return
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def _trickle(self, response: Response) -> None:
        head = (
            f"HTTP/1.1 {response.status} OK\r\nContent-Type: {response.content_type}\r\n"
            f"Content-Length: {len(response.body)}\r\n\r\n"
        )
        deadline = time.monotonic() + STALL_LIMIT
        slow = head.encode() + response.body
        if response.trickle_body:
            self.wfile.write(head.encode())
            self.wfile.flush()
            slow = response.body
        for byte in slow:
            if self.server.release.wait(response.trickle) or time.monotonic() > deadline:
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return  # the reader gave up

    def _stream(self, total: int) -> None:
        item = rss_item(title="Filler", guid="filler", text="x" * 4000).encode()
        self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>')
        sent = 0
        try:
            while sent < total:
                self.wfile.write(item)
                sent += len(item)
        except OSError:
            pass  # the reader stopped at its cap and hung up

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def running(host: str, tls: ssl.SSLContext | None = None) -> Iterator[FeedServer]:
    httpd = FeedServer(host)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
        httpd.scheme = "https"
    # A short poll: shutdown() waits for it, and every test stops one or two servers.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with running("127.0.0.1") as httpd:
        yield httpd


PUBLIC = "127.0.0.2"  # stands for an address on the internet, see `internet` below


@pytest.fixture
def internet(server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    """A server "on the internet": 127.0.0.2 counts as a public address, every other
    address (127.0.0.1 and the rest of this machine's) as what it is, internal."""
    from briefing.ingest.feeds import fetch

    real = fetch.is_internal
    monkeypatch.setattr(fetch, "is_internal", lambda ip: ip != PUBLIC and real(ip))
    with running(PUBLIC) as httpd:
        yield httpd


# -- feeds -------------------------------------------------------------------------------


def rss_item(
    *,
    title: str,
    guid: str | None = None,
    text: str = "",
    date: str | None = None,
    link: str | None = None,
) -> str:
    parts = [f"<title>{escape(title)}</title>"]
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{escape(guid)}</guid>')
    if link is not None:
        parts.append(f"<link>{escape(link)}</link>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    parts.append(f"<description>{escape(text)}</description>")
    return "<item>" + "".join(parts) + "</item>"


def rss(title: str, *items: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.org/</link>"
        + "".join(items)
        + "</channel></rss>"
    )


GRAIN = (
    "<p>Officials in <b>Brussels</b> agreed on new rules for grain exports through the "
    "Black Sea on Tuesday.</p><p>Ports in Odesa will reopen next week, and wheat "
    "shipments are expected to resume.</p>"
)
# Escape sequences arrive as character references in the HTML (raw ESC is not valid XML):
# harmless until an HTML parser turns them into characters.
HOSTILE = (
    "<p>Shipping insurers raised premiums for tankers crossing the Strait of Hormuz."
    "<script>document.write('SCRIPTED')</script></p>"
    "<style>p { color: STYLED }</style>"
    '<iframe src="http://tracker.example/"><p>FRAMED</p></iframe>'
    '<form action="http://evil.example/"><input value="FORMED"><p>FORMTEXT</p></form>'
    '<img src="data:image/png;base64,QkFTRTY0SU1BR0U=">'
    "<p>Lloyd's said rates &#27;[2J doubled &#27;]52;c;ZXZpbA==&#7; in a week. "
    '<a href="javascript:alert(1)">Details</a> [bold]not markup[/bold]</p>'
)

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Energy &lt;i&gt;Wire&lt;/i&gt;</title>
  <id>urn:energy-wire</id>
  <updated>2025-05-02T10:00:00Z</updated>
  <entry>
    <title>OPEC agrees output cut</title>
    <id>urn:energy-wire:1</id>
    <updated>2025-05-02T10:00:00Z</updated>
    <published>2025-05-01T23:30:00-05:00</published>
    <link href="/stories/opec"/>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
      <h2>Vienna meeting</h2>
      <p>OPEC ministers meeting in Vienna agreed to cut oil output by a million barrels.</p>
      <ul><li>Saudi Arabia leads the cut</li><li>Russia joins</li></ul>
    </div></content>
  </entry>
  <entry>
    <title>Gas prices fall in Europe</title>
    <id>urn:energy-wire:2</id>
    <updated>2025-04-28T08:00:00Z</updated>
    <summary>European gas prices fell as storage sites filled ahead of winter.</summary>
  </entry>
</feed>
"""


def opml(*addresses: str) -> str:
    outlines = "".join(
        f'<outline text="feed {n}" type="rss" xmlUrl="{escape(a)}"/>'
        for n, a in enumerate(addresses)
    )
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>My feeds</title></head>'
        f'<body><outline text="News">{outlines}</outline></body></opml>'
    )


# -- driving the CLI ---------------------------------------------------------------------


def run(runner: CliRunner, db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def listing(runner: CliRunner, db: Path) -> list[list[str]]:
    """`briefing list` in a pipe: id, date, flags, title per line."""
    code, out, _ = run(runner, db, "list", "--limit", "5000")
    assert code == 0
    return [line.split("\t") for line in out.splitlines()]


def show(runner: CliRunner, db: Path, title: str) -> str:
    (row,) = [row for row in listing(runner, db) if row[3] == title]
    code, out, _ = run(runner, db, "show", row[0])
    assert code == 0
    return out


SUMMARY = re.compile(
    r"(\d+) added, (\d+) updated, (\d+) unchanged, (\d+) duplicates, (\d+) skipped"
)


def summary(out: str) -> tuple[int, ...]:
    match = SUMMARY.search(out)
    assert match, out
    return tuple(int(n) for n in match.groups())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "feeds.db"


# -- the tests ---------------------------------------------------------------------------


def test_rss_and_atom_entries_become_articles(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    news = server.serve(
        "/news.rss",
        rss(
            "World & News",
            rss_item(
                title="Grain deal agreed in Brussels",
                guid="grain-1",
                text=GRAIN,
                date="Tue, 03 Jun 2025 23:30:00 -0500",
                link="http://example.org/grain",
            ),
            rss_item(
                title="Insurers &#27;]0;pwned&#7;raise <b>Hormuz</b> premiums",
                guid="hormuz-1",
                text=HOSTILE,
                date="Mon, 02 Jun 2025 09:00:00 GMT",
            ),
        ),
    )
    energy = server.serve("/energy.atom", ATOM, content_type="application/atom+xml")
    code, out, err = run(runner, db, "ingest", news, energy)
    assert code == 0, err
    assert summary(out) == (4, 0, 0, 0, 0)
    assert err == ""

    rows = listing(runner, db)
    assert [(date, title) for _, date, _, title in rows] == [
        ("2025-06-03", "Grain deal agreed in Brussels"),  # the day in the feed's own zone
        ("2025-06-02", "Insurers raise Hormuz premiums"),
        ("2025-05-01", "OPEC agrees output cut"),  # published, not updated
        ("2025-04-28", "Gas prices fall in Europe"),  # no published date: updated
    ]
    assert all(flags == "N" for _, _, flags, _ in rows)

    grain = show(runner, db, "Grain deal agreed in Brussels")
    assert "*2025-06-03 · World & News*" in grain
    assert "Officials in **Brussels** agreed on new rules" in grain
    assert "\n\nPorts in Odesa will reopen next week" in grain
    assert "[Original article](http://example.org/grain)" in grain
    assert re.search(r"Keywords: .*Brussels", grain)

    hostile = show(runner, db, "Insurers raise Hormuz premiums")
    assert "Strait of Hormuz" in hostile and "rates doubled in a week" in hostile
    for leftover in ("SCRIPTED", "STYLED", "FRAMED", "FORMED", "FORMTEXT", "base64", "javascript"):
        assert leftover not in hostile
    assert "Details" in hostile and r"\[bold\]not markup\[/bold\]" in hostile
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", hostile)

    opec = show(runner, db, "OPEC agrees output cut")
    assert "*2025-05-01 · Energy Wire*" in opec  # the HTML feed title, as text
    assert "## Vienna meeting" in opec and "- Saudi Arabia leads the cut" in opec
    # A relative link is read against the feed's address.
    assert f"[Original article]({server.url('/stories/opec')})" in opec
    code, out, _ = run(runner, db, "search", "barrels")
    assert code == 0 and "OPEC agrees output cut" in out


def test_reingest_stores_nothing_twice_and_a_changed_entry_keeps_its_star(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    def publish(grain_text: str) -> str:
        return server.serve(
            "/news.rss",
            rss(
                "World News",
                rss_item(title="Grain deal agreed", guid="grain-1", text=grain_text),
                rss_item(
                    title="Port strike ends",
                    guid="port-1",
                    text="<p>Dockers in Rotterdam"
                    " went back to work after a week-long strike over pay.</p>",
                ),
            ),
        )

    address = publish(GRAIN)
    assert summary(run(runner, db, "ingest", address)[1]) == (2, 0, 0, 0, 0)
    code, out, _ = run(runner, db, "ingest", address)
    assert code == 0 and summary(out) == (0, 0, 2, 0, 0)
    assert len(listing(runner, db)) == 2

    (grain_id,) = [row[0] for row in listing(runner, db) if row[3] == "Grain deal agreed"]
    assert run(runner, db, "mark", grain_id, "--star", "--read")[0] == 0
    publish("<p>Update: the grain deal was <em>suspended</em> after a dispute over rail fees.</p>")
    code, out, _ = run(runner, db, "ingest", address)
    assert code == 0 and summary(out) == (0, 1, 1, 0, 0)

    rows = listing(runner, db)
    assert len(rows) == 2
    starred = [row for row in rows if row[2] == "*"]
    assert [(row[0], row[3]) for row in starred] == [(grain_id, "Grain deal agreed")]
    text = show(runner, db, "Grain deal agreed")
    assert "*suspended*" in text and "Odesa" not in text


def test_opml_list_ingests_every_feed_it_names(
    runner: CliRunner,
    server: FeedServer,
    db: Path,
    tmp_path: Path,
    write: Callable[[Path, str | bytes], Path],
) -> None:
    server.serve(
        "/a.rss",
        rss(
            "Feed A",
            rss_item(
                title="Alpha story", guid="a1", text="<p>Alpha text about elections in Poland.</p>"
            ),
        ),
    )
    server.serve("/feeds/b.atom", ATOM, content_type="application/atom+xml")
    secret = write(tmp_path / "local.rss", rss("Local", rss_item(title="Local secret", guid="s")))
    listed = server.serve(
        "/lists/mine.opml",
        opml(server.url("/a.rss"), "../feeds/b.atom", secret.as_uri()),
        content_type="text/x-opml",
    )
    code, out, err = run(runner, db, "ingest", listed)
    assert code == 0, err
    assert summary(out) == (3, 0, 0, 0, 0)
    assert f"warning: {listed}: ignored 1 feed not on the web (such as {secret.as_uri()})" in err
    titles = {row[3] for row in listing(runner, db)}
    # A list on the web cannot make briefing read local files.
    assert titles == {"Alpha story", "OPEC agrees output cut", "Gas prices fall in Europe"}
    assert "*undated · Feed A*" in show(runner, db, "Alpha story")

    # A local list, given by name, works the same; its feeds are not stored twice, and a
    # feed named twice is fetched once.
    local_list = write(tmp_path / "subscriptions.opml", opml(server.url("/a.rss")))
    fetched_before = server.requests.count("/a.rss")
    code, out, _ = run(runner, db, "ingest", str(local_list), server.url("/a.rss"))
    assert code == 0 and summary(out) == (0, 0, 1, 0, 0)
    assert server.requests.count("/a.rss") == fetched_before + 1


def test_broken_feeds_are_named_and_the_others_still_stored(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    good = server.serve(
        "/good.rss",
        rss(
            "Good",
            rss_item(
                title="Good story",
                guid="g",
                text="<p>Farmers in France protested against new import quotas.</p>",
            ),
        ),
    )
    broken = server.serve("/broken.rss", "<rss><channel><title>Broken</title><<<>>>")
    page = server.serve(
        "/page.html", "<html><body><p>Not a feed</p></body></html>", content_type="text/html"
    )
    # Recoverable: well-formed up to its last entry, then cut off (and an ESC inside).
    truncated = server.serve(
        "/truncated.rss",
        rss(
            "Cut",
            rss_item(
                title="Kept \x1b[2J story",
                guid="k",
                text="<p>Kept words about rail freight in Germany.</p>",
            ),
        )[: -len("</channel></rss>")],
    )
    code, out, err = run(runner, db, "ingest", good, broken, page, truncated)
    assert code == 1
    assert summary(out) == (2, 0, 0, 0, 2)
    assert re.search(
        rf"skipped: {re.escape(broken)}: not a valid feed \(.+ at line 1, column \d+\)", err
    )
    assert f"skipped: {page}: not an RSS or Atom feed" in err
    assert re.search(
        rf"warning: {re.escape(truncated)}: the feed is not well-formed .*"
        r"stored what could be read \(1 entry\)",
        err,
    )
    assert {row[3] for row in listing(runner, db)} == {"Good story", "Kept story"}
    assert "\x1b" not in show(runner, db, "Kept story")

    code, out, _ = run(runner, db, "ingest", "--json", broken)
    assert code == 1
    (skipped,) = json.loads(out)["skipped"]
    assert skipped["path"] == broken and skipped["reason"].startswith("not a valid feed")


def test_http_errors_are_reported(runner: CliRunner, server: FeedServer, db: Path) -> None:
    server.serve("/error.rss", "oops", status=500, content_type="text/plain")
    server.serve("/gone.rss", "", status=410, reason="Gone \x1b]0;pwned\x07for good")
    good = server.serve(
        "/good.rss",
        rss(
            "Good",
            rss_item(
                title="Still here",
                guid="s",
                text="<p>Rain fell across Spain for the first time in months.</p>",
            ),
        ),
    )
    code, out, err = run(
        runner,
        db,
        "ingest",
        server.url("/missing.rss"),
        server.url("/error.rss"),
        server.url("/gone.rss"),
        good,
        "ftp://127.0.0.1/feed.rss",
    )
    assert code == 1
    assert summary(out) == (1, 0, 0, 0, 4)
    # The server's words are quoted, but nothing in them reaches the terminal as a command.
    assert f"skipped: {server.url('/gone.rss')}: HTTP 410 Gone for good" in err
    assert "\x1b" not in err and "\x07" not in err
    assert f"skipped: {server.url('/missing.rss')}: HTTP 404 Not Found" in err
    assert f"skipped: {server.url('/error.rss')}: HTTP 500 Internal Server Error" in err
    assert "skipped: ftp://127.0.0.1/feed.rss: unsupported address scheme 'ftp'" in err
    assert [row[3] for row in listing(runner, db)] == ["Still here"]


def test_redirect_to_a_local_file_is_refused(
    runner: CliRunner,
    server: FeedServer,
    db: Path,
    tmp_path: Path,
    write: Callable[[Path, str | bytes], Path],
) -> None:
    secret = write(tmp_path / "secret.rss", rss("Secret", rss_item(title="Secret", guid="x")))
    sneaky = server.serve("/moved.rss", "", status=302, headers={"Location": secret.as_uri()})
    code, _, err = run(runner, db, "ingest", sneaky)
    assert code == 1
    assert f"skipped: {sneaky}: redirected to a non-web address" in err
    assert listing(runner, db) == []
    # An ordinary redirect is followed.
    server.serve(
        "/new.rss",
        rss(
            "New",
            rss_item(
                title="Moved story",
                guid="m",
                text="<p>The feed moved to a new address in March.</p>",
            ),
        ),
    )
    moved = server.serve("/old.rss", "", status=301, headers={"Location": server.url("/new.rss")})
    code, out, _ = run(runner, db, "ingest", moved)
    assert code == 0 and summary(out) == (1, 0, 0, 0, 0)


INSIDE = rss(
    "Admin",
    rss_item(title="Internal admin page", guid="admin", text="<p>Only for this network.</p>"),
)
STORY = rss(
    "Outside",
    rss_item(title="Harbour reopens", guid="h", text="<p>Ships left Ostria at dawn.</p>"),
)
REFUSED = "is on this machine or a private network, and a feed from the internet may not lead there"


def test_a_feed_on_the_internet_cannot_redirect_inside(
    runner: CliRunner, server: FeedServer, internet: FeedServer, db: Path
) -> None:
    secret = server.serve("/secret.rss", INSIDE)
    port = server.server_address[1]
    to_inside = internet.serve("/to-inside", "", status=302, headers={"Location": secret})
    by_name = internet.serve(
        "/by-name", "", status=307, headers={"Location": f"http://localhost:{port}/secret.rss"}
    )
    metadata = internet.serve(
        "/metadata", "", status=301, headers={"Location": "http://169.254.169.254/latest/"}
    )
    outside = internet.serve("/story.rss", STORY)
    code, out, err = run(runner, db, "ingest", to_inside, by_name, metadata, outside)
    assert code == 1 and summary(out) == (1, 0, 0, 0, 3)
    assert f"skipped: {to_inside}: refused: 127.0.0.1 {REFUSED}" in err
    assert re.search(rf"skipped: {re.escape(by_name)}: refused: localhost \(.+\) {REFUSED}", err)
    assert f"skipped: {metadata}: refused: 169.254.169.254 {REFUSED}" in err
    assert server.requests == []  # never reached
    assert [row[3] for row in listing(runner, db)] == ["Harbour reopens"]


def test_a_feed_inside_may_redirect_inside(
    runner: CliRunner, server: FeedServer, internet: FeedServer, db: Path
) -> None:
    """The person named an address on their own machine: that and its redirects are theirs."""
    secret = server.serve("/secret.rss", INSIDE)
    hop = server.serve("/hop", "", status=302, headers={"Location": secret})
    to_outside = server.serve(
        "/to-outside", "", status=302, headers={"Location": internet.serve("/s.rss", STORY)}
    )
    code, out, err = run(runner, db, "ingest", hop, to_outside)
    assert code == 0, err
    assert summary(out) == (2, 0, 0, 0, 0)


def test_a_list_on_the_internet_cannot_name_feeds_inside(
    runner: CliRunner,
    server: FeedServer,
    internet: FeedServer,
    db: Path,
    tmp_path: Path,
    write: Callable[[Path, str | bytes], Path],
) -> None:
    secret = server.serve("/secret.rss", INSIDE)
    outside = internet.serve("/story.rss", STORY)
    listed = internet.serve("/list.opml", opml(secret, outside), content_type="text/x-opml")
    code, out, err = run(runner, db, "ingest", listed)
    assert code == 1 and summary(out) == (1, 0, 0, 0, 1)
    assert f"skipped: {secret}: refused: 127.0.0.1 {REFUSED}" in err
    assert server.requests == []
    # A list inside (on this machine, or a file) may name feeds inside.
    inside_list = server.serve("/list.opml", opml(secret), content_type="text/x-opml")
    local_list = write(tmp_path / "mine.opml", opml(secret))
    code, out, err = run(runner, db, "ingest", inside_list)
    assert code == 0 and summary(out) == (1, 0, 0, 0, 0), err
    code, out, err = run(runner, db, "ingest", str(local_list))
    assert code == 0 and summary(out) == (0, 0, 1, 0, 0), err


def test_through_a_proxy_the_address_names_are_checked(
    runner: CliRunner,
    server: FeedServer,
    internet: FeedServer,
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The proxy connects, not briefing: the names in the addresses are resolved and checked."""
    outside, secret = internet.url("/story.rss"), server.url("/secret.rss")
    # The proxy (on this machine, as proxies often are) answers for every address.
    server.routes[outside] = Response(STORY.encode())
    server.routes[internet.url("/to-inside")] = Response(status=302, headers={"Location": secret})
    server.routes[secret] = Response(INSIDE.encode())
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", server.url(""))
    code, out, err = run(runner, db, "ingest", outside, internet.url("/to-inside"))
    assert code == 1 and summary(out) == (1, 0, 0, 0, 1)
    assert f"skipped: {internet.url('/to-inside')}: refused: 127.0.0.1 {REFUSED}" in err
    assert secret not in server.requests


def test_the_address_checked_is_the_address_connected_to(
    internet: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name is resolved once per connection, and only an allowed answer is connected to:
    a name whose answers change (DNS rebinding) cannot slip in an internal one."""
    from briefing.ingest.feeds import fetch

    port = internet.server_address[1]
    answers = [[("127.0.0.1", port), (PUBLIC, port)], [("127.0.0.1", port)]]

    def resolve(host: str, port: object, *args: object, **kwargs: object) -> list[tuple]:
        assert host == "rebinding.example"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", a) for a in answers.pop(0)]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", resolve)
    guard = fetch._Guard(False, fetch.FetchOptions(timeout=5))
    with guard.connect(("rebinding.example", port), 5) as sock:
        assert sock.getpeername() == (PUBLIC, port)
    with pytest.raises(fetch.FetchError, match=f"rebinding.example \\(127.0.0.1\\) {REFUSED}"):
        guard.connect(("rebinding.example", port), 5)


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("::1", True),
        ("fe80::1%eth0", True),
        ("fd00::1", True),
        ("::ffff:127.0.0.1", True),
        ("::", True),
        ("93.184.215.14", False),
        ("2606:4700::6810:84e5", False),
    ],
)
def test_which_addresses_are_internal(address: str, internal: bool) -> None:
    from briefing.ingest.feeds.fetch import is_internal

    assert is_internal(address) is internal


def test_a_feed_that_never_answers_times_out(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    server.routes["/stalls.rss"] = Response(stall=True)
    good = server.serve(
        "/good.rss",
        rss(
            "Good",
            rss_item(
                title="On time", guid="t", text="<p>Trains in Italy ran on time all week.</p>"
            ),
        ),
    )
    code, out, err = run(runner, db, "ingest", "--timeout", "0.5", server.url("/stalls.rss"), good)
    assert code == 1
    assert summary(out) == (1, 0, 0, 0, 1)
    assert (
        f"skipped: {server.url('/stalls.rss')}: timed out (no answer within 0.5 s; see --timeout)"
        in err
    )
    assert [row[3] for row in listing(runner, db)] == ["On time"]


@pytest.mark.slow
def test_a_feed_that_trickles_ends_at_the_deadline(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    """A byte every 0.2 s never trips a 1 s timeout; the whole fetch still ends in time."""
    story = STORY.encode()
    server.routes["/trickle.rss"] = Response(story, trickle=0.2)
    server.routes["/hop"] = Response(status=302, headers={"Location": server.url("/trickle.rss")})
    server.routes["/body.rss"] = Response(story, trickle=0.2, trickle_body=True)
    for address in (server.url("/trickle.rss"), server.url("/hop"), server.url("/body.rss")):
        started = time.monotonic()
        code, out, err = run(
            runner, db, "ingest", "--timeout", "1", "--max-fetch-time", "2", address
        )
        took = time.monotonic() - started
        assert code == 1 and summary(out) == (0, 0, 0, 0, 1)
        assert (
            f"skipped: {address}: took too long (more than 2 s for the whole feed; "
            "see --max-fetch-time)" in err
        )
        assert 1.9 < took < 6
    # Within the deadline, a trickle is read whole, however long it takes past the timeout.
    server.routes["/slow.rss"] = Response(story, trickle=0.003)
    started = time.monotonic()
    code, out, err = run(runner, db, "ingest", "--timeout", "0.5", server.url("/slow.rss"))
    assert code == 0 and summary(out) == (1, 0, 0, 0, 0), err
    assert time.monotonic() - started > 0.5


@pytest.mark.slow
@pytest.mark.needs("openssl")  # to make the server's certificate
def test_https_feeds_are_read_and_trickles_end_at_the_deadline(
    runner: CliRunner,
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    program: Callable[[str], str],
) -> None:
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *(program("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(certificate), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(certificate, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))  # this test's server is trusted
    with running("127.0.0.1", tls) as secure:
        secure.routes["/story.rss"] = Response(STORY.encode())
        secure.routes["/trickle.rss"] = Response(STORY.encode(), trickle=0.2)
        started = time.monotonic()
        code, out, err = run(
            runner,
            db,
            "ingest",
            "--timeout",
            "1",
            "--max-fetch-time",
            "2",
            secure.url("/story.rss"),
            secure.url("/trickle.rss"),
        )
    assert code == 1 and summary(out) == (1, 0, 0, 0, 1)
    assert f"skipped: {secure.url('/trickle.rss')}: took too long" in err
    assert time.monotonic() - started < 8


def test_a_feed_over_the_size_cap_is_refused(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    # No Content-Length: the reader must stop at the cap by itself (20 MB by default).
    server.routes["/endless.rss"] = Response(stream_bytes=21 * 1_048_576)
    # An honest Content-Length over the cap is refused before reading the body.
    server.serve("/declared.rss", b" " * (3 * 1_048_576))
    code, out, err = run(runner, db, "ingest", server.url("/endless.rss"))
    assert code == 1 and summary(out) == (0, 0, 0, 0, 1)
    assert (
        f"skipped: {server.url('/endless.rss')}: too large (more than 20.0 MB, limit 20.0 MB; "
        "see --max-feed-size)" in err
    )
    code, _, err = run(runner, db, "ingest", "--max-feed-size", "2", server.url("/declared.rss"))
    assert code == 1
    assert f"skipped: {server.url('/declared.rss')}: too large (3.0 MB, limit 2.0 MB" in err
    assert listing(runner, db) == []


def test_compressed_answers_are_read_asked_or_not(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    def story(n: int) -> bytes:
        text = f"<p>Ships number {n} left the harbour of Ostria at dawn on Tuesday.</p>"
        return rss(
            f"Port {n}", rss_item(title=f"Harbour story {n}", guid=f"s{n}", text=text)
        ).encode()

    gzipped = server.serve(
        "/gzip.rss", gzip.compress(story(1)), headers={"Content-Encoding": "gzip"}
    )
    deflated = server.serve(
        "/deflate.rss", zlib.compress(story(2)), headers={"Content-Encoding": "deflate"}
    )
    members = server.serve(
        "/members.rss",
        gzip.compress(story(3)[:100]) + gzip.compress(story(3)[100:]),
        headers={"Content-Encoding": "x-gzip"},
    )
    brotli = server.serve("/br.rss", b"\x0b\x02\x80", headers={"Content-Encoding": "br"})
    damaged = server.serve(
        "/damaged.rss", b"\x1f\x8b\x08\x00" + b"\xff" * 40, headers={"Content-Encoding": "gzip"}
    )
    cut = server.serve(
        "/cut.rss", gzip.compress(story(4))[:-30], headers={"Content-Encoding": "gzip"}
    )
    code, out, err = run(runner, db, "ingest", gzipped, deflated, members, brotli, damaged, cut)
    assert code == 1 and summary(out) == (3, 0, 0, 0, 3)
    assert (
        f"skipped: {brotli}: the server compressed the feed as 'br', which briefing does not "
        "read (only gzip and deflate)" in err
    )
    assert f"skipped: {damaged}: damaged compressed data (" in err
    assert f"skipped: {cut}: damaged compressed data (cut short)" in err
    titles = {row[3] for row in listing(runner, db)}
    assert titles == {"Harbour story 1", "Harbour story 2", "Harbour story 3"}


def test_a_zip_bomb_is_refused_within_the_cap(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    """50 MB of zeros compress to 50 KB: the cap counts what they decompress to, and no more
    than the cap is ever decompressed."""
    bomb = gzip.compress(b"<rss>" + b"\0" * (50 * 1_048_576), compresslevel=9)
    assert len(bomb) < 100_000
    address = server.serve("/bomb.rss", bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        code, out, err = run(runner, db, "ingest", "--max-feed-size", "2", address)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 1 and summary(out) == (0, 0, 0, 0, 1)
    assert (
        f"skipped: {address}: too large once decompressed (more than 2.0 MB, limit 2.0 MB; "
        "see --max-feed-size)" in err
    )
    assert peak < 12 * 1_048_576, f"peak {peak / 1_048_576:.1f} MB"


@pytest.mark.slow
def test_a_large_feed_within_the_cap_is_ingested(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    countries = ["Chile", "Kenya", "Norway", "Vietnam", "Canada", "Egypt", "Peru", "Japan"]
    items = [
        rss_item(
            title=f"Report {n}: harvest figures from {countries[n % 8]}",
            guid=f"report-{n}",
            text=f"<p>The ministry in {countries[n % 8]} published harvest figure {n} for "
            "wheat, maize and rice, and exporters welcomed the numbers.</p>",
            date=f"Sun, {1 + n % 28:02d} Jun 2025 12:00:00 GMT",
        )
        for n in range(2000)
    ]
    address = server.serve("/large.rss", rss("Harvest Daily", *items))
    code, out, _ = run(runner, db, "ingest", address)
    assert code == 0 and summary(out) == (2000, 0, 0, 0, 0)
    rows = listing(runner, db)
    assert len(rows) == 2000 and rows[0][1] == "2025-06-28"
    assert "*2025-06-12 · Harvest Daily*" in show(
        runner, db, "Report 1999: harvest figures from Japan"
    )
    code, out, _ = run(runner, db, "ingest", address)
    assert code == 0 and summary(out) == (0, 0, 2000, 0, 0)


def test_local_feed_files_are_told_from_briefings(
    runner: CliRunner, db: Path, tmp_path: Path, write: Callable[[Path, str | bytes], Path]
) -> None:
    by_suffix = write(tmp_path / "saved.xml", ATOM)
    by_content = write(
        tmp_path / "export.txt",
        rss(
            "Exported",
            rss_item(title="Exported story", guid="e", text="<p>Copper prices rose in Chile.</p>"),
        ),
    )
    briefing = write(
        tmp_path / "note.txt", "date 2025-02-01 Lawmakers in Ottawa passed the budget on Friday."
    )
    code, out, err = run(runner, db, "ingest", str(by_suffix), str(by_content), str(briefing))
    assert code == 0, err
    assert summary(out) == (4, 0, 0, 0, 0)
    titles = {row[3] for row in listing(runner, db)}
    assert {"OPEC agrees output cut", "Exported story"} <= titles
    assert any(title.startswith("Lawmakers in Ottawa passed the budget") for title in titles)
    assert "*undated · Exported*" in show(runner, db, "Exported story")
    # A relative link in a saved feed would point into the local disk: it is left out.
    assert "Original article" not in show(runner, db, "OPEC agrees output cut")
    code, out, _ = run(runner, db, "ingest", str(by_suffix), str(by_content), str(briefing))
    assert code == 0 and summary(out) == (0, 0, 4, 0, 0)
    # A pipe named like a feed is refused at once, not read forever.
    pipe = tmp_path / "pipe.rss"
    os.mkfifo(pipe)
    code, out, err = run(runner, db, "ingest", str(pipe))
    assert code == 1 and f"skipped: {pipe}: not a regular file" in err


def test_hostile_nesting_and_undated_entries(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    deep = "<b>" * 50_000 + "Buried words about fisheries in Iceland." + "</b>" * 50_000
    address = server.serve(
        "/hostile.rss",
        rss(
            "Hostile",
            rss_item(title="Deep story", guid="deep", text=deep),
            rss_item(title="Bad date", guid="bad", text="<p>Text.</p>", date="the day after"),
            rss_item(
                title="",
                guid="untitled",
                text="<p>Whales were sighted off the coast of Maine this week.</p>",
            ),
            rss_item(title="", guid="empty", text=""),
        ),
    )
    code, out, err = run(runner, db, "ingest", address)
    assert code == 1
    assert summary(out) == (3, 0, 0, 0, 1)
    assert f"skipped: feed:{address}#empty: entry has no title and no text" in err
    assert (
        f"warning: {address}: 3 entries have no date (e.g. unreadable date 'the day after'); "
        "stored as undated" in err
    )
    assert "Buried words about fisheries in Iceland." in show(runner, db, "Deep story")
    titles = {row[3] for row in listing(runner, db)}
    assert "Whales were sighted off the coast of Maine this week" in titles


SECRETS = ("KEY456", "hunter2", "SIGNED789", "T0KEN")


def everything_shown(runner: CliRunner, db: Path) -> str:
    """What every command that shows articles prints, JSON included."""
    shown = []
    for row in listing(runner, db):
        shown.append(run(runner, db, "show", row[0])[1])
        shown.append(run(runner, db, "show", "--json", row[0])[1])
    for command in (["list", "--json"], ["stats", "--json"], ["stats"]):
        shown.append(run(runner, db, *command)[1])
    return "\n".join(shown)


def test_secrets_in_feed_addresses_are_never_stored_nor_shown(
    runner: CliRunner, server: FeedServer, db: Path
) -> None:
    signed = rss(
        "Signed",
        rss_item(
            title="Signed story",
            guid="http://example.org/item?id=1&sig=SIGNED789",
            text="<p>Dockers in Ostria went back to work.</p>",
            link="#comments",  # made absolute against the feed's address
        ),
    )
    server.serve("/keyed.rss", signed)
    keyed = server.url("/keyed.rss?api_key=KEY456&x=1")
    server.routes["/keyed.rss?api_key=KEY456&x=1"] = server.routes["/keyed.rss"]
    untitled = (
        '<rss version="2.0"><channel>'
        + rss_item(title="Private story", guid="p1", text="<p>Only for subscribers.</p>")
        + "</channel></rss>"
    )
    token = base64.b64encode(b"alice:hunter2").decode()
    server.serve("/private.rss", untitled, authorization=f"Basic {token}")
    private = server.url("/private.rss").replace("http://", "http://alice:hunter2@")
    missing = server.url("/missing.rss?token=T0KEN&page=2")
    sneaky = server.serve(
        "/sneaky.rss", "", status=302, headers={"Location": "file:///etc/passwd?token=T0KEN"}
    )
    code, out, err = run(runner, db, "ingest", keyed, private, missing, sneaky)
    assert code == 1 and summary(out) == (2, 0, 0, 0, 2)
    port = server.server_address[1]
    assert f"skipped: http://127.0.0.1:{port}/missing.rss?token=***&page=2: HTTP 404" in err
    assert (
        f"skipped: {sneaky}: redirected to a non-web address (file:///etc/passwd?token=***)" in err
    )
    # A user and password are sent as HTTP Basic authorization, to that server only.
    assert server.authorizations[server.requests.index("/private.rss")] == f"Basic {token}"

    shown = out + err + everything_shown(runner, db)
    for secret in SECRETS:
        assert secret not in shown
    (row,) = [r for r in listing(runner, db) if r[3] == "Signed story"]
    keyed_story = json.loads(run(runner, db, "show", "--json", row[0])[1])
    assert keyed_story["path"] == (
        f"feed:http://127.0.0.1:{port}/keyed.rss?api_key=***&x=1"
        "#http://example.org/item?id=1&sig=***"
    )
    assert f"(http://127.0.0.1:{port}/keyed.rss?api_key=***&x=1#comments)" in keyed_story["body"]
    # A feed without a title is named after its host, never its user and password.
    (row,) = [r for r in listing(runner, db) if r[3] == "Private story"]
    assert f"· 127.0.0.1:{port}*" in run(runner, db, "show", row[0])[1]

    # Fetched again, with the key changed (a new key for the same feed): nothing is new.
    server.routes["/keyed.rss?api_key=NEWKEY&x=1"] = server.routes["/keyed.rss"]
    code, out, err = run(runner, db, "ingest", keyed.replace("KEY456", "NEWKEY"), private)
    assert code == 0 and summary(out) == (0, 0, 2, 0, 0), err


def test_entries_stored_with_secrets_before_are_masked_and_not_stored_twice(
    runner: CliRunner, server: FeedServer, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store written before secrets were masked gets its paths masked by a schema step
    when opened; its entries are still known, and a changed one still updates its article."""
    from briefing.ingest.feeds import ingest

    def publish(text: str) -> str:
        server.serve(
            "/keyed.rss?token=T0KEN",
            rss("Keyed", rss_item(title="Keyed story", guid="k1", text=f"<p>{text}</p>")),
        )
        return server.url("/keyed.rss?token=T0KEN")

    address = publish("Ferries to Ostria were cancelled.")
    with monkeypatch.context() as before:
        before.setattr(ingest, "redact_secrets", lambda text: text)
        assert summary(run(runner, db, "ingest", address)[1]) == (1, 0, 0, 0, 0)
    with sqlite3.connect(db) as conn:  # as a store of the version before the masking step
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_mask_feed_secrets'")
        assert "T0KEN" in conn.execute("SELECT path FROM articles").fetchone()[0]
    (story_id,) = [row[0] for row in listing(runner, db)]
    code, out, err = run(runner, db, "ingest", address)
    assert code == 0 and summary(out) == (0, 0, 1, 0, 0), err
    with sqlite3.connect(db) as conn:
        paths = [row[0] for row in conn.execute("SELECT path FROM articles")]
    assert len(paths) == 1 and "T0KEN" not in paths[0] and "token=***" in paths[0]
    publish("Ferries to Ostria run again.")
    code, out, err = run(runner, db, "ingest", address)
    assert code == 0 and summary(out) == (0, 1, 0, 0, 0), err
    assert [row[0] for row in listing(runner, db)] == [story_id]
    assert "T0KEN" not in out + err


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://a:b@h/f", "http://***@h/f"),
        ("http://a:p@ss@h:81/f", "http://***@h:81/f"),  # an @ in the password
        (
            "https://[::1]:8080/f?Token=1&TOKEN=2&token",
            "https://[::1]:8080/f?Token=***&TOKEN=***&token",
        ),
        (
            "http://h/f?key=&apiKey=x;x-amz-signature=y",
            "http://h/f?key=&apiKey=***;x-amz-signature=***",
        ),
        (
            "http://h/f?api%5Fkey=1&page=2#access_token=3",
            "http://h/f?api%5Fkey=***&page=2#access_token=***",
        ),
        ("http://h/f?monkey=1&keyword=2&auth=3", "http://h/f?monkey=1&keyword=2&auth=***"),
        (
            "feed:http://h/f?sig=1#http://e/i?signature=2",
            "feed:http://h/f?sig=***#http://e/i?signature=***",
        ),
        ("nothing@to hide = here", "nothing@to hide = here"),
    ],
)
def test_what_is_masked_in_an_address(text: str, shown: str) -> None:
    from briefing.sanitize import redact_secrets

    assert redact_secrets(text) == shown


def test_commands_load_the_feed_machinery_only_for_feeds() -> None:
    """feedparser and BeautifulSoup would cost every command a tenth of a second to load."""
    code = (
        "import sys, briefing.cli;"
        "sys.exit(any(m in sys.modules for m in ('feedparser', 'bs4', 'markdownify',"
        " 'briefing.ingest.feeds.parse', 'briefing.ingest.feeds.ingest')))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
