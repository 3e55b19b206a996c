"""YAKE's sentences, found a bounded piece of text at a time: no text can make segtok's
sentence joining quadratic, and ordinary prose splits as YAKE alone would split it."""

from __future__ import annotations

from pathlib import Path

import pytest
from yake.data.utils import pre_filter, tokenize_sentences

from briefing.ingest.parse import KEYWORD_TEXT_MAX, keyword_text, parse_briefing
from briefing.insight.keywords import extract_keywords
from briefing.insight.yake_core import PIECE, pieces, sentences

# Each sentence ends like an initial ("m. ") and the next starts in lower case: segtok
# joined them all into one sentence, matching a pattern against it at every join (20,000
# characters took 4.5 s, the 100,000 keyword extraction reads took minutes).
JOINED_FOREVER = ["\u00f0\u00a7m. ", "ab. ", "e. f. ", "x.) y. "]


@pytest.mark.parametrize("unit", JOINED_FOREVER)
def test_text_segtok_would_join_forever_is_cut_into_bounded_pieces(unit: str) -> None:
    text = "Start " + unit * (KEYWORD_TEXT_MAX // len(unit))
    cut = list(pieces(text))
    assert "".join(cut) == text  # nothing lost, nothing added
    assert max(len(piece) for piece in cut) <= PIECE + len(unit)
    assert len(cut) >= len(text) // (PIECE + len(unit))


def test_text_without_a_sentence_end_is_one_piece() -> None:
    text = "word " * 10_000
    assert list(pieces(text)) == [text]


def test_ordinary_prose_splits_as_yake_alone_splits_it(repo: Path) -> None:
    compared = 0
    for path in sorted((repo / "sample_data").iterdir()):
        article = parse_briefing(path.read_bytes(), path)
        if article is None:
            continue
        text = pre_filter(keyword_text(article).replace("\n", " "))
        assert sentences(text) == tokenize_sentences(text), path.name
        compared += 1
    assert compared >= 30


def test_the_keywords_of_endless_initials_come_back() -> None:
    """The text that hung ingest: extraction returns (with no keyword in it)."""
    text = ("Start " + JOINED_FOREVER[0] * 5_000)[:KEYWORD_TEXT_MAX]
    assert extract_keywords(text) == []
