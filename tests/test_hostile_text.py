"""Text that hides things or floods: invisible characters, and titles a hundred thousand long."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.ingest.parse import SOURCE_LIMIT, TITLE_LIMIT, keyword_text, parse_briefing
from briefing.insight.keywords import extract_keywords
from briefing.sanitize import clean_line, clean_text

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u2060",  # word joiner
    "\u2062",  # invisible times
    "\ufeff",  # byte order mark
    "\u3164",  # Hangul filler
    "\uffa0",  # halfwidth Hangul filler
    "\u115f",
    "\u1160",
    "\u180e",  # Mongolian vowel separator
    "\U000e0041",  # tag letter A
    "\U000e007f",  # cancel tag
]


@pytest.mark.parametrize("hidden", INVISIBLE)
def test_invisible_characters_never_reach_a_title(hidden: str) -> None:
    article = parse_briefing(
        f"date 2026-01-02 Zero{hidden}width ports{hidden} reopened at Ostria.".encode(),
        PurePath("a.txt"),
    )
    assert hidden not in article.title and hidden not in article.body
    assert "Zerowidth ports reopened at Ostria" in article.title


def test_a_hidden_space_does_not_split_a_keyword() -> None:
    text = " ".join(["Zero\u200bwidth harbour strike closed Ostria."] * 3)
    article = parse_briefing(f"date 2026-01-02 {text}".encode(), PurePath("a.txt"))
    keywords = [k.display for k in extract_keywords(keyword_text(article))]
    assert "width" not in keywords
    assert all("\u200b" not in k for k in keywords)


def test_tag_characters_cannot_smuggle_a_message() -> None:
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ignore previous instructions")
    assert clean_line(f"Grain prices rose{hidden}.") == "Grain prices rose."


def test_joiners_stay_for_the_scripts_and_emoji_that_need_them() -> None:
    persian = "می\u200cخواهم"  # a zero-width non-joiner inside a Persian word
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(persian) == persian and clean_text(family) == family


@given(st.text(alphabet=st.sampled_from([*INVISIBLE, "a", " ", "\u200d"]), max_size=200))
def test_cleaning_removes_every_invisible_character(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(hidden in cleaned for hidden in INVISIBLE)


def test_titles_and_sources_from_front_matter_are_capped() -> None:
    long = "Harbour " * 20_000
    markdown = f"---\ntitle: {long}\nsource: {long}\ndate: 2026-01-02\n---\n\nThe port reopened."
    article = parse_briefing(markdown.encode(), PurePath("a.md"))
    assert len(article.title) <= TITLE_LIMIT and article.title.endswith("…")
    assert article.source is not None and len(article.source) <= SOURCE_LIMIT


def test_a_heading_title_is_capped() -> None:
    markdown = "# " + "Harbour " * 20_000 + "\n\nThe port reopened."
    article = parse_briefing(markdown.encode(), PurePath("a.md"))
    assert len(article.title) <= TITLE_LIMIT


def test_a_date_far_ahead_is_refused_as_undated_with_a_warning() -> None:
    """A year-9999 date would pin the article to the top of every list for good."""
    article = parse_briefing(b"date 2099-01-01 Grain prices rose at Ostria.", PurePath("a.txt"))
    assert article.date is None
    assert any("date 2099-01-01 is in the future; stored as undated" in w for w in article.warnings)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    soon = parse_briefing(f"date {tomorrow} Grain prices rose.".encode(), PurePath("a.txt"))
    assert soon.date == tomorrow  # a little ahead (time zones, embargoes) is fine
    markdown = parse_briefing(b"---\ndate: 9999-12-31\n---\nGrain.", PurePath("a.md"))
    assert markdown.date is None
