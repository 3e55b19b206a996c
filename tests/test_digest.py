"""``briefing digest``: a period's briefings grouped by story, as Markdown, JSON and HTML.

Articles are built for each test with chosen arrival times, keywords and
stories; the HTML digest is rendered in headless Chromium, looked at as a
screenshot (size, not blank, light and dark) and read back as a DOM.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
import subprocess
import zlib
from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.store import Store

NOW = dt.datetime.now(dt.UTC)
HOSTILE_TITLE = '<script>alert("pwned")</script> <img src=x onerror=alert(1)> Gulf [b]ships[/b]'
HOSTILE_BODY = (
    'Ships queued at the strait, <img src="https://tracker.example/x.png" onerror="alert(2)">'
    "[a link](javascript:alert(3)) and `code` stayed as words.<script>alert(4)</script>\n\n"
    "A second paragraph."
)
CHROMIUM_TIMEOUT = 120


def hours_ago(hours: float) -> str:
    return (NOW - dt.timedelta(hours=hours)).isoformat(timespec="seconds")


def set_stories(db: Path, stories: dict[int, Sequence[int]]) -> None:
    """Replace every story with the ones given (story id -> its article ids)."""
    with Store.open(db) as store, store.transaction():
        store.db.execute("UPDATE articles SET story_id = NULL")
        store.db.execute("DELETE FROM stories")
        for story, members in stories.items():
            store.db.execute(
                "INSERT INTO stories (id, size, newest_article_id) VALUES (?, ?, ?)",
                [story, len(members), max(members)],
            )
            marks = ", ".join("?" for _ in members)
            store.db.execute(
                f"UPDATE articles SET story_id = ? WHERE id IN ({marks})", [story, *members]
            )


@pytest.fixture
def news(tmp_path: Path, add_article: Callable[..., int]) -> Path:
    """Two articles that arrived days ago, four in the last hours; story 7 spans both."""
    db = tmp_path / "digest.db"
    ids = {
        "weighs": add_article(
            db, "2026-01-20", ["OPEC", "oil"], "OPEC weighs a cut", arrived=hours_ago(72)
        ),
        "harbour": add_article(
            db, "2026-01-21", ["harbour"], "Harbour fees rise", arrived=hours_ago(50)
        ),
        "agrees": add_article(
            db,
            "2026-01-27",
            ["OPEC", "Brent"],
            "OPEC agrees to cut output",
            body="OPEC and its allies agreed to cut output. *Brent* rose at once.\n\nMore.",
            source="Wire One",
            arrived=hours_ago(5),
        ),
        "jumps": add_article(
            db,
            "2026-01-28",
            ["Brent", "OPEC", "oil"],
            "Brent jumps after OPEC cut",
            arrived=hours_ago(3),
        ),
        "truce": add_article(
            db,
            "2026-01-28",
            ["Kessari", "ceasefire"],
            "Kessari truce holds",
            arrived=hours_ago(2),
        ),
        "hostile": add_article(
            db, "2026-01-29", ["strait"], HOSTILE_TITLE, body=HOSTILE_BODY, arrived=hours_ago(1)
        ),
    }
    set_stories(db, {7: [ids["weighs"], ids["agrees"], ids["jumps"]]})
    return db


def digest(runner: CliRunner, db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["--db", str(db), "digest", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_markdown_digest_groups_the_last_day_by_story(runner: CliRunner, news: Path) -> None:
    code, out, err = digest(runner, news, "--since", "24h")
    assert code == 0 and err == ""
    assert out.startswith("# Briefing digest\n")
    assert "4 briefings: 1 story and 2 single articles." in out
    # The story comes first, headed by its newest article, with the older one under it.
    story = out.index("## Brent jumps after OPEC cut")
    assert "Story: 2 of its 3 briefings. Keywords: Brent (2), OPEC (2), oil." in out
    assert story < out.index("### OPEC agrees to cut output") < out.index("## Kessari truce holds")
    assert "2026-01-27 · Wire One · article 3" in out
    # The excerpt is the first paragraph, as plain text.
    assert "OPEC and its allies agreed to cut output. Brent rose at once.\n" in out
    # What arrived before the period is not there.
    assert "OPEC weighs a cut" not in out and "Harbour" not in out
    # Untrusted text cannot make Markdown: the brackets and tags are escaped.
    assert "\\<script\\>" in out and "\\[b\\]ships\\[/b\\]" in out and "<script>" not in out


def test_a_longer_period_and_a_keyword(runner: CliRunner, news: Path) -> None:
    _, out, _ = digest(runner, news, "--since", "7d")
    assert "6 briefings" in out and "Story: 3 briefings" in out and "Harbour fees rise" in out
    _, out, _ = digest(runner, news, "--since", "7d", "--keyword", "opec")
    assert "3 briefings: 1 story." in out
    assert "Kessari" not in out and "Harbour" not in out
    _, out, _ = digest(runner, news, "--since", "7d", "-k", "opec", "-k", "oil")
    assert "2 briefings: 1 story." in out and "OPEC agrees to cut output" not in out


def test_by_date_uses_the_articles_own_dates(runner: CliRunner, news: Path) -> None:
    code, out, _ = digest(runner, news, "--since", "2026-01-28", "--by", "date", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["by"] == "date" and data["since"] == "2026-01-28"
    titles = [a["title"] for g in data["groups"] for a in g["articles"]]
    # Arrived in the last hours but dated 2026-01-27: not in this period.
    assert "OPEC agrees to cut output" not in titles
    assert {"Brent jumps after OPEC cut", "Kessari truce holds"} <= set(titles)
    assert len(titles) == 3


def test_json_digest_is_stable_and_complete(runner: CliRunner, news: Path) -> None:
    code, out, _ = digest(runner, news, "--since", "24h", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "format", "version", "by", "since", "until", "keyword_filter", "article_count",
        "keywords", "groups",
    ]  # fmt: skip
    assert (data["format"], data["version"], data["by"]) == ("briefing-digest", 1, "ingested")
    since = dt.datetime.fromisoformat(data["since"])
    assert abs(since - (NOW - dt.timedelta(hours=24))) < dt.timedelta(minutes=10)
    assert data["article_count"] == 4
    story = data["groups"][0]
    assert list(story) == ["story_id", "title", "story_size", "keywords", "articles"]
    assert (story["story_id"], story["story_size"], story["title"]) == (
        7,
        3,
        "Brent jumps after OPEC cut",
    )
    # Most articles first; a tie goes to the better ranks (here equal), then the key.
    assert story["keywords"] == [
        {"key": "brent", "display": "Brent", "article_count": 2},
        {"key": "opec", "display": "OPEC", "article_count": 2},
        {"key": "oil", "display": "oil", "article_count": 1},
    ]
    first = story["articles"][1]
    assert list(first) == [
        "id", "title", "date", "source", "ingested_at", "excerpt", "keywords",
    ]  # fmt: skip
    assert first["source"] == "Wire One" and first["keywords"] == ["OPEC", "Brent"]
    assert [g["story_id"] for g in data["groups"][1:]] == [None, None]
    # An article outside a story is a group of its own, newest first.
    assert data["groups"][1]["articles"][0]["date"] == "2026-01-29"


def test_empty_period_says_so_and_still_writes_a_valid_document(
    runner: CliRunner, news: Path
) -> None:
    code, out, err = digest(runner, news, "--since", "2099-01-01", "--format", "json")
    assert code == 0
    assert "none; the digest is empty" in err
    data = json.loads(out)
    assert data["groups"] == [] and data["article_count"] == 0
    code, out, err = digest(runner, news, "--since", "2099-01-01")
    assert code == 0 and "No briefings in this period." in out and "empty" in err
    code, out, err = digest(runner, news, "-k", "atlantis", "-f", "html")
    assert code == 0 and "No article has the keyword 'atlantis'" in err
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert "No briefings in this period." in out


def test_digest_of_a_new_empty_store(runner: CliRunner, tmp_path: Path) -> None:
    Store.open(tmp_path / "new.db").close()
    code, out, err = digest(runner, tmp_path / "new.db", "--format", "json")
    assert code == 0 and "the digest is empty" in err
    assert json.loads(out)["groups"] == []


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("yesterdayish", "'yesterdayish' is not an age (24h, 7d, 2w) or a date"),
        ("2026-13-45", "'2026-13-45' is not an age"),
        ("9999999w", "'9999999w' reaches back before the year 1"),
    ],
)
def test_bad_since_is_a_usage_error(
    runner: CliRunner, news: Path, since: str, message: str
) -> None:
    code, out, err = digest(runner, news, "--since", since)
    assert code == 2 and out == ""
    error = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "Invalid value for '--since'" in error[0] and message in error[0]


def test_output_file_is_replaced_whole(runner: CliRunner, news: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "digest.json"
    target.parent.mkdir()
    target.write_text("old contents that are longer than nothing at all " * 100)
    code, out, _ = digest(runner, news, "-f", "json", "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["article_count"] == 4
    assert [p.name for p in target.parent.iterdir()] == ["digest.json"]  # no temp file left
    code, _, err = digest(runner, news, "--output", str(tmp_path / "missing" / "d.md"))
    assert code == 1 and "missing/d.md" in err


def test_real_story_assignment_groups_two_reports_of_one_event(
    runner: CliRunner, sample_db: Path
) -> None:
    """The sample briefings (among them second-source reports), grouped by ingest's own
    stories."""
    code, out, _ = digest(runner, sample_db, "--since", "1h", "-f", "json")
    assert code == 0
    groups = json.loads(out)["groups"]
    opec = [
        g
        for g in groups
        if any(a["title"].startswith("Oil prices surged after OPEC") for a in g["articles"])
    ]
    assert len(opec) == 1 and opec[0]["story_id"] is not None
    titles = [a["title"] for a in opec[0]["articles"]]
    assert len(titles) == 2 and titles[0].startswith("Brent crude held near $84")
    # Stories come before the articles that stand alone.
    kinds = [g["story_id"] is None for g in groups]
    assert kinds == sorted(kinds) and kinds.count(False) >= 2


# -- the HTML digest, in a real browser -----------------------------------------------------


class Markup(HTMLParser):
    """The elements and attributes a page really has, and its style sheet."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=CHROMIUM_TIMEOUT,
        check=False,
    )


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) pixel bytes of an 8-bit, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    position, chunks, header = 8, [], b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        content = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = content
        elif kind == b"IDAT":
            chunks.append(content)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * step
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                near = min(
                    (abs(guess - left), 0, left),
                    (abs(guess - up), 1, up),
                    (abs(guess - corner), 2, corner),
                )
                line[x] = (line[x] + near[2]) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def pixels(rows: list[bytes], step: int = 3) -> set[bytes]:
    return {row[x : x + 3] for row in rows for x in range(0, len(row), step)}


def brightness(pixel: bytes) -> float:
    return sum(pixel[:3]) / 3


@pytest.mark.needs("chromium")
@pytest.mark.slow
def test_html_digest_renders_in_chromium_on_phone_and_desktop(
    runner: CliRunner, news: Path, tmp_path: Path, program: Callable[[str], str]
) -> None:
    browser = program("chromium")
    page = tmp_path / "digest.html"
    code, _, _ = digest(runner, news, "--since", "24h", "--format", "html", "-o", str(page))
    assert code == 0
    source = page.read_text()
    # One self-contained file: nothing to fetch, nothing to run.
    markup = Markup()
    markup.feed(source)
    assert markup.tags <= {
        "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "h1",
        "h2", "h3", "p", "ul", "li", "span", "section", "article", "code",
    }  # fmt: skip
    assert markup.attributes <= {"lang", "charset", "name", "content", "http-equiv", "class",
                                 "id", "aria-label"}  # fmt: skip
    assert "url(" not in markup.style and "@import" not in markup.style
    assert "prefers-color-scheme: dark" in markup.style

    for width, height, dark in ((390, 844, False), (1280, 900, False), (390, 844, True)):
        shot = tmp_path / f"digest-{width}-{'dark' if dark else 'light'}.png"
        extra = ["--force-dark-mode"] if dark else []
        result = chromium(
            browser, tmp_path, *extra, f"--screenshot={shot}", f"--window-size={width},{height}",
            page.as_uri(),
        )  # fmt: skip
        assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
        png_width, png_height, rows = read_png(shot)
        assert (png_width, png_height) == (width, height)
        # Text was drawn: antialiased type makes many colours; a blank page has one.
        assert len(pixels(rows[: height // 2])) > 50
        background = rows[height - 3][:3]  # the page's margin, below or beside the cards
        if dark:
            assert brightness(background) < 60, background
        else:
            assert brightness(background) > 200, background

    result = chromium(browser, tmp_path, "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    for title in ("Brent jumps after OPEC cut", "OPEC agrees to cut output", "Kessari truce holds"):
        assert title in dom
    # The hostile article is there, as text: no element came out of it.
    assert '&lt;script&gt;alert("pwned")&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;' in dom
    # Raw HTML in the body is dropped from the excerpt; a javascript: "link" stays text.
    assert "<p>Ships queued at the strait, [a link](javascript:alert(3)) and code stayed" in dom
    rendered = Markup()
    rendered.feed(dom)
    assert not rendered.tags & {"script", "img", "a", "iframe", "object"}
    assert not any(name.startswith("on") or name in ("src", "href") for name in rendered.attributes)
    assert dom.count("<section") == 3
