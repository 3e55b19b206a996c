"""Every regular expression that sees article text runs in linear time.

Each parser is fed runs of every punctuation character, and the inputs that
once made a pattern quadratic, cubic or worse, at two sizes. The test is a
ratio, not a time limit, so a busy machine cannot fail it: linear work on four
(or ten) times the input takes about four (or ten) times as long; quadratic
work, sixteen (or a hundred) times.
"""

from __future__ import annotations

import string
import time
from collections.abc import Callable
from pathlib import PurePath

import pytest

from briefing.ingest.parse import (
    Rejected,
    derive_title,
    first_sentence,
    keyword_text,
    parse_briefing,
    strip_dateline,
)
from briefing.insight.keywords import _Protector, _stopwords
from briefing.models import ParsedArticle
from briefing.sanitize import clean_text
from briefing.tui.widgets.reader_pane import links_of


def seconds(work: Callable[[], object]) -> float:
    """The best of five runs: the least disturbed by whatever else the machine does."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def grows_linearly(
    build: Callable[[int], object], run: Callable[[object], object], n: int, factor: int
) -> None:
    small, large = build(n), build(n * factor)
    # Linear work grows `factor` times, quadratic `factor` squared: the bound lies between
    # (factor to the power 1.5), plus a constant for timings too small to compare. A busy
    # machine can spoil one comparison; super-linear work fails every one, so three tries.
    for _ in range(3):
        t_small = seconds(lambda: run(small))
        t_large = seconds(lambda: run(large))
        if t_large < factor**1.5 * t_small + 0.05:
            return
    raise AssertionError(f"{n * factor} took {t_large:.3f} s, {n} took {t_small:.4f} s")


def as_text_file(text: object) -> object:
    try:
        return parse_briefing(f"date 2026-01-02 {text}".encode(), PurePath("a.txt"))
    except Rejected:  # no words: refused, which must be quick too
        return None


def as_markdown_file(text: object) -> object:
    try:
        return parse_briefing(f"---\ndate: 2026-01-02\n---\n\n{text}".encode(), PurePath("a.md"))
    except Rejected:
        return None


def as_headline_file(text: object) -> object:
    """Plain text without a date header: the first line is tried as a headline."""
    try:
        return parse_briefing(f"{text}\n{text}\n\nBody.".encode(), PurePath("a.txt"))
    except Rejected:
        return None


PARSERS: dict[str, Callable[[object], object]] = {
    "text file": as_text_file,
    "headline file": as_headline_file,
    "dateline": lambda text: strip_dateline(str(text)),
    "markdown file": as_markdown_file,
    "keyword text": lambda text: (
        keyword_text(a) if isinstance(a := as_text_file(text), ParsedArticle) else None
    ),
    "keyword protection": lambda text: _Protector().protect(str(text)),
    "reader links": lambda text: links_of(str(text)),
    "sanitize": lambda text: clean_text(str(text)),
    "first sentence": lambda text: first_sentence(str(text)),
}


@pytest.mark.slow
@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_runs_of_every_punctuation_character_take_linear_time(parser: str) -> None:
    for char in string.punctuation:
        grows_linearly(lambda n, c=char: "a " + c * n + " b", PARSERS[parser], 10_000, 10)


def protect(text: object) -> object:
    return _Protector().protect(str(text))


# Inputs that were super-linear before, each with the parser that choked on it.
HOSTILE = [
    ("abbreviations in a text file", lambda n: "U.S. " * n, as_text_file),
    ("abbreviations in a title", lambda n: "U.S. " * n, first_sentence),
    ("a long heading line", lambda n: "# a" + " " * n + "b\n\nText.", as_markdown_file),
    ("unclosed link brackets", lambda n: "[" * n, as_markdown_file),
    ("empty links", lambda n: "[](" * n, as_markdown_file),
    ("ideographic blank lines", lambda n: "\n\u3000" * n + "x", as_markdown_file),
    ("a dotted run", lambda n: "a." * n + "a", lambda t: _Protector().protect(str(t))),
    ("punctuation after a stand-in", lambda n: "U.S." + "-." * n + "China", protect),
    ("stand-ins glued in a row", lambda n: "U.S.-COVID-19.G7/" * n, protect),
    ("a long hyphened run of letters", lambda n: "Vá-" * n + "1", protect),
    ("names and numbers in a row", lambda n: "Nova 7 " * n + "Ab 1-", protect),
    ("possessives in a row", lambda n: "a's " * n + "A's B", protect),
    ("capitals before a number", lambda n: "AB" * n + " 1.5", protect),
    (
        "capitalised stopwords in a row",
        lambda n: "a " + "New " * n + "York",
        lambda t: _Protector(_stopwords("en")).protect(str(t)),
    ),
    ("hyphened words in a row", lambda n: "Vásquez-Moreno-é " * n, protect),
    ("a dateline of capitals", lambda n: "AB " * n + "(AP) - x", lambda t: strip_dateline(str(t))),
    ("many headline lines", lambda n: "Headline Line\n" * n + "Body.", as_headline_file),
    ("brackets in the reader", lambda n: "[" * n, lambda t: links_of(str(t))),
    ("empty links in the reader", lambda n: "[](" * n, lambda t: links_of(str(t))),
    (
        "blanks before a weekday",
        lambda n: "a" + " " * n + "b on Monday",
        lambda t: derive_title(str(t)),
    ),
]


@pytest.mark.parametrize(("name", "build", "run"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_inputs_that_were_super_linear_are_linear(
    name: str, build: Callable[[int], object], run: Callable[[object], object]
) -> None:
    grows_linearly(build, run, 5_000, 4)


def test_the_reader_still_finds_links_the_old_pattern_found() -> None:
    text = (
        'See [the report](https://example.org/r), [a title](https://example.org/t "T"), '
        "[wiki](https://en.wikipedia.org/wiki/Foo_(bar)), <https://example.org/auto> and "
        "https://example.org/bare."
    )
    found = [address for _, address in links_of(text)]
    assert "https://example.org/r" in found and "https://example.org/t" in found
    assert "https://en.wikipedia.org/wiki/Foo_(bar)" in found
    assert any(address.startswith("https://example.org/bare") for address in found)


def test_titles_and_sentences_are_what_they_were() -> None:
    assert first_sentence("The U.S. and the U.N. met. Then talks ended.") == (
        "The U.S. and the U.N. met."
    )
    assert first_sentence("Dr. Reyes spoke first. Others followed.") == "Dr. Reyes spoke first."
    article = parse_briefing(b"# Port reopens ##\n\nThe port reopened.", PurePath("a.md"))
    assert article.title == "Port reopens"
    protected = _Protector().protect("The U.S.-China talks and the U.N. vote")
    assert "U.S." not in protected and "U.N." not in protected
