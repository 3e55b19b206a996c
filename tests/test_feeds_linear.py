"""Hostile feed text takes time linear in its length, in every pattern the feed modules run.

Each case is timed on about 10,000 and 100,000 characters in a child process,
which is killed after a minute (the exponential and cubic patterns these
tests were written for never finished). Linear code takes about 10 times as
long on ten times the text, quadratic 100 times: the bound (40) sits between,
so it holds on a busy machine without letting quadratic code through.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

RATIO_LIMIT = 40.0
CHILD_TIMEOUT = 60.0

TIMER = """
import math, time
from briefing.ingest.feeds import html, parse, sources

def per_call(function, data, repeats):
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeats):
            function(data)
        best = min(best, (time.perf_counter() - start) / repeats)
    return best

function = {function}
make = {make}
small, large = make(10_000), make(100_000)
once = per_call(function, small, 1)
repeats = max(1, int(0.05 / max(once, 1e-7)))  # at least 50 ms per measure of the small
small_time = per_call(function, small, repeats)
large_time = per_call(function, large, max(1, repeats // 10))
print(large_time / small_time)
"""

# (what is timed, how its input of about n characters is made)
CASES = {
    "OPML sniff: empty comments": (
        "parse._OPML_START.match",
        'lambda n: b"<!---->" * (n // 7) + b"x"',
    ),
    "OPML sniff: an unclosed comment after closed ones": (
        "parse._OPML_START.match",
        'lambda n: b"<!-- a -->" * (n // 20) + b"<!--" + b"-" * (n // 2)',
    ),
    "tag scan: tags never closed": (
        "lambda s: html._nesting_exceeds(s, 150)",
        'lambda n: "<a" * (n // 2)',
    ),
    "tag scan: one tag closed at the very end": (
        "lambda s: html._nesting_exceeds(s, 150)",
        'lambda n: "<a " * (n // 3) + ">"',
    ),
    "stripped text: block tags never closed": (
        "html._stripped_text_blocks",
        'lambda n: "<p" * (n // 2)',
    ),
    "stripped text: lone <": ("html._stripped_text_blocks", 'lambda n: "<" * n'),
    "stripped text: unclosed script": (
        "html._stripped_text_blocks",
        'lambda n: "<script></script " * (n // 17)',
    ),
    "HTML to Markdown: attributes never closed": (
        "html.html_to_markdown",
        'lambda n: "<a " * (n // 3)',
    ),
    "HTML to Markdown: < in text": ("html.html_to_markdown", 'lambda n: "x<p" * (n // 3)'),
    "HTML to Markdown: deep nesting": (
        "html.html_to_markdown",
        'lambda n: "<b>" * (n // 7) + "word" + "</b>" * (n // 7)',
    ),
    "plain text of a title: attributes never closed": (
        "html.plain_text",
        'lambda n: "<a " * (n // 3)',
    ),
    "feed sniff: spaces": ("sources.looks_like_feed", 'lambda n: b" " * n'),
}


@pytest.mark.parametrize("case", list(CASES))
def test_time_grows_linearly_with_hostile_text(case: str) -> None:
    function, make = CASES[case]
    code = TIMER.format(function=function, make=make)
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: 10,000 characters took more than {CHILD_TIMEOUT:.0f} s")
    ratio = float(result.stdout.split()[-1])
    assert ratio < RATIO_LIMIT, f"{case}: ten times the text took {ratio:.0f} times as long"


def test_a_feed_behind_hundreds_of_comments_is_ingested(tmp_path: Path) -> None:
    """280 bytes of empty comments used to hang ``briefing ingest`` (the OPML sniff)."""
    feed = tmp_path / "evil.xml"
    feed.write_bytes(
        b"<?xml version='1.0'?>"
        + b"<!---->" * 585
        + textwrap.dedent(
            """
            <rss version="2.0"><channel><title>Evil</title>
            <item><guid>1</guid><title>Comments galore</title>
            <description>Ports in Ostria reopened after the strike.</description></item>
            </channel></rss>
            """
        ).encode()
    )
    code = (
        "from briefing.cli import cli; "
        f"cli.main(['--db', {str(tmp_path / 'f.db')!r}, 'ingest', {str(feed)!r}])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout


@pytest.mark.parametrize(
    ("html_text", "kept"),
    [
        ("<p>Prices rose 3% as 2 < 5.</p>", "Prices rose 3% as 2 < 5."),
        ("<p>Prices rose</p> as 2 < 5", "as 2 < 5"),  # a < that starts no tag is text
        ("<p>Prices rose</p> then <a href='x", "Prices rose"),  # a tag cut off is dropped
    ],
)
def test_text_around_unfinished_tags(html_text: str, kept: str) -> None:
    from briefing.ingest.feeds.html import html_to_markdown

    converted = html_to_markdown(html_text)
    assert kept in " ".join(converted.paragraphs)
    assert "href" not in converted.markdown


def test_the_opml_sniff_still_knows_lists() -> None:
    from briefing.ingest.feeds.parse import is_opml

    assert is_opml(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- mine -->\n<!DOCTYPE x>\n<OPML>")
    assert is_opml(b"<!-- a -- b --><opml version='2.0'>")
    assert not is_opml(b"<!-- a --> junk <!-- b --><opml>")  # junk is no comment
    assert not is_opml(b"<rss><!-- <opml> --></rss>")
