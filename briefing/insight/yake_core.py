"""YAKE's statistics over a text whose sentences are found a bounded piece at a time.

YAKE splits sentences with segtok, which joins a span to the sentence before it when
that one ends like an initial ("m. ") and the span starts in lower case, and matches a
pattern against the whole joined sentence at each join. A text such as "ab. cd. ef."
repeated is then one growing sentence, and the time is quadratic in its length: 4.5 s
for 20,000 characters, minutes for the 100,000 that keyword extraction reads. Here
segtok is given the text in pieces of about :data:`PIECE` characters, each cut just
after a sentence's end, so its work is bounded per piece and linear in the text.

A piece ends where a sentence plainly does: an ordinary lower-case word, its full stop,
then a capital ("... the talks. The ministers"), never after an abbreviation or an
initial ("Dr. Kapoor", "the U.S. Strategic Reserve"), which segtok would join. So
ordinary prose splits into the same sentences as before. Text with :data:`MANY_ENDS`
sentence ends in a piece and none of them plain is the kind that joins without end,
and is cut at any of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from yake.data import DataCore
from yake.data.utils import pre_filter, tokenize_sentences

PIECE = 600  # characters: a piece is cut at the first plain sentence end after this many
MANY_ENDS = 24  # sentence ends in a piece: past this many, it is cut at any of them

# A sentence's end as segtok's first split sees it: a terminal, an optional closing
# quote and brackets, then white space. One pass, no backtracking.
_SENTENCE_END = re.compile(r"[.!?‼‽⁇⁈⁉。﹒﹗！．？｡]['\u2019\"\u201d]?[\])]*\s+")


def pieces(text: str) -> Iterator[str]:
    """``text`` in consecutive pieces, each cut just after a sentence's end."""
    start = ends = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        ends += 1
        if end - start >= PIECE and (ends >= MANY_ENDS or _plain_end(text, match.start(), end)):
            yield text[start:end]
            start, ends = end, 0
    if start < len(text):
        yield text[start:]


def _plain_end(text: str, terminal: int, after: int) -> bool:
    """Whether the sentence end at ``terminal`` follows an ordinary word of four lower-case
    letters or more and comes before a capital: no abbreviation or initial segtok joins."""
    words = text[max(0, terminal - 40) : terminal].split()
    word = words[-1] if words else ""
    plain_word = len(word) >= 4 and word.isalpha() and word.islower()
    return plain_word and text[after : after + 1].isupper()


def sentences(text: str) -> list[list[str]]:
    """YAKE's ``tokenize_sentences``, a piece at a time: each sentence as its words."""
    return [sentence for piece in pieces(text) for sentence in tokenize_sentences(piece)]


class BoundedDataCore(DataCore):  # type: ignore[misc]
    """YAKE's ``DataCore``, its sentences found by :func:`sentences`; the rest of its
    ``_build`` as YAKE 0.7 has it."""

    def _build(self, text: str, windows_size: int, n: int) -> None:
        self.sentences_str = sentences(pre_filter(text))
        self.number_of_sentences = len(self.sentences_str)
        position = 0
        context: dict[str, Any] = {"windows_size": windows_size, "n": n}
        for sentence_id, sentence in enumerate(self.sentences_str):
            position = self._process_sentence(sentence, sentence_id, position, context)
        self.number_of_words = position
