"""Which writing system a text is in, for the parts of briefing that treat Chinese and
Japanese apart: keywords (no spaces between words) and search (no words to index)."""

from __future__ import annotations

import functools
import re

# Han ideographs (with extension A and the compatibility block), kana, Hangul, and the
# ideographic punctuation and full-width forms around them. Compiled on first use:
# classes this wide take re 4-5 ms to compile, which the reader's start (it imports
# the store, hence this module) need not pay.
_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
_KANA = r"[\u3040-\u30ff]"
_CJK_RUN = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


@functools.cache
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


SAMPLE = 4000  # characters looked at: the head of a text says what it is written in


def has_cjk(text: str) -> bool:
    return _pattern(_CJK).search(text) is not None


def mostly_cjk(text: str) -> bool:
    """True when most letters in the head of the text are Chinese or Japanese
    characters (Korean, which puts spaces between words, is left to YAKE)."""
    head = text[:SAMPLE]
    cjk = len(_pattern(_CJK_RUN).findall(head))
    if cjk < 2:
        return False
    letters = sum(1 for c in head if c.isalpha())
    return cjk * 2 >= letters


def cjk_language(text: str) -> str | None:
    """'ja' (kana among the characters), 'zh', or None for a text not mostly CJK."""
    if not mostly_cjk(text):
        return None
    head = text[:SAMPLE]
    return (
        "ja"
        if len(_pattern(_KANA).findall(head)) * 20 >= len(_pattern(_CJK_RUN).findall(head))
        else "zh"
    )
