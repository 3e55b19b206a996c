"""Keywords for Chinese and Japanese text, which YAKE cannot split into words.

YAKE finds words by spaces, so on Chinese or Japanese it takes a whole clause
for a word and returns sentences. Here the text is segmented by a dictionary
(Janome for Japanese, jieba through rjieba for Chinese), the nouns are joined
into the compounds they form ("金融政策決定会合", "消費者物価指数"), and each
compound and its sub-compounds is scored by C-value: how often it occurs, less
how often as part of a longer compound, weighted by its length; then by where
it first occurs (the title and opening count most). A person's name ends a
compound ("森下和彦", not "森下和彦総裁"); Latin-script names inside the text
("G7", "COVID-19", "Mette Lundgaard") are kept whole.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from typing import Any

from briefing.keys import keyword_key
from briefing.models import Keyword

NOUN, NAME, PREFIX, SUFFIX, NUMBER, BREAK = "noun", "name", "prefix", "suffix", "number", "break"
MAX_TOKENS = 6  # tokens in one compound
# Latin-script words inside CJK text, kept whole: "COVID-19", "H3N2", "OPEC+", and
# runs of capitalised words ("Mette Lundgaard"). Every part bounded or possessive.
_LATIN = re.compile(
    r"[A-Za-z][A-Za-z0-9]*+(?:[-.&][A-Za-z0-9]++)*+\+?"
    r"(?: [A-Z][A-Za-z0-9]*+(?:[-.&][A-Za-z0-9]++)*+){0,3}"
)
# A full stop ends a sentence, but not the one in "0.75%".
_SENTENCE_END = re.compile(r"[。！？!?\n]|(?<!\d)\.|\.(?!\d)")
_SENTENCE_SPLIT = re.compile(r"([。！？!?\n]|(?<!\d)\.|\.(?!\d))")
Token = tuple[str, str]  # (surface, kind)


@functools.cache
def _janome() -> Any:
    from janome.tokenizer import Tokenizer

    return Tokenizer()


def _japanese(chunk: str) -> Iterator[Token]:
    for token in _janome().tokenize(chunk):
        pos = token.part_of_speech.split(",")
        surface = token.surface
        if pos[0] == "名詞":
            if pos[1] == "数":
                yield surface, NUMBER
            elif pos[1] == "接尾":
                yield surface, SUFFIX
            elif pos[1] in {"非自立", "代名詞", "副詞可能"}:
                yield surface, BREAK
            elif pos[1] == "固有名詞" and pos[2] == "人名":
                yield surface, NAME
            else:
                yield surface, NOUN
        elif pos[0] == "接頭詞":
            yield surface, PREFIX
        elif surface == "・":
            yield surface, SUFFIX  # "アジア・ゼロエミッション": a joint inside a name
        else:
            yield surface, BREAK


def _chinese(chunk: str) -> Iterator[Token]:
    import rjieba

    for surface, flag in rjieba.tag(chunk):
        if flag == "nr" and len(surface) >= 2:
            yield surface, NAME
        elif flag.startswith("n") or flag in {"vn", "j", "an", "b", "eng"}:
            yield surface, NOUN
        elif flag == "m":
            yield surface, NUMBER
        elif flag == "q":
            yield surface, SUFFIX
        else:
            yield surface, BREAK


def tokens(text: str, language: str) -> list[Token]:
    """The text as (surface, kind) tokens; Latin-script words are nouns, kept whole."""
    segment = _japanese if language == "ja" else _chinese
    found: list[Token] = []
    start = 0
    for match in _LATIN.finditer(text):
        found.extend(_segment(text[start : match.start()], segment))
        # A name of its own: "COVID-19", not "COVID-19疫情".
        found += [("", BREAK), (match.group(0), NOUN), ("", BREAK)]
        start = match.end()
    found.extend(_segment(text[start:], segment))
    return found


def _segment(chunk: str, segment: Any) -> list[Token]:
    out: list[Token] = []
    # Sentence ends are kept as breaks: a compound never runs over one.
    for part in _SENTENCE_SPLIT.split(chunk):
        if not part:
            continue
        if _SENTENCE_END.fullmatch(part):
            out.append(("\n", BREAK))
        else:
            out.extend(segment(part))
    return out


def compounds(found: list[Token]) -> list[tuple[list[str], int]]:
    """Runs of nouns ("政策", "金利" -> "政策金利"), each with its sentence number.

    A number stays in a run only before a counter ("台風14号"); a prefix only before a
    noun; a person's name is a run of its own."""
    runs: list[tuple[list[str], int]] = []
    current: list[Token] = []
    sentence = 0

    def close() -> None:
        while current and current[-1][1] in {PREFIX, NUMBER}:
            current.pop()
        while current and current[0][1] in {SUFFIX, NUMBER}:
            current.pop(0)
        if current:
            runs.append(([surface for surface, _ in current], sentence))
        current.clear()

    for index, (surface, kind) in enumerate(found):
        if kind == BREAK or (surface and not surface.strip()):
            close()
            sentence += surface == "\n"
            continue
        if kind == NUMBER:
            following = found[index + 1][1] if index + 1 < len(found) else BREAK
            if following != SUFFIX:
                close()
                continue
        if current and (kind == NAME) != (current[-1][1] == NAME) and current[-1][1] != PREFIX:
            close()  # a name starts or ends: "森下和彦" | "総裁"
        current.append((surface, kind))
    close()
    return runs


def _join(parts: list[str] | tuple[str, ...]) -> str:
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[:1].isascii():
            out += " "
        out += part
    return out


def extract(text: str, language: str, top: int) -> list[Keyword]:
    """The top keywords of a Chinese or Japanese text, best first."""
    runs = compounds(tokens(text, language))
    frequency: dict[tuple[str, ...], int] = {}
    first_seen: dict[tuple[str, ...], int] = {}
    for run, sentence in runs:
        size = len(run)
        for start in range(size):
            for end in range(start + 1, min(size, start + MAX_TOKENS) + 1):
                part = tuple(run[start:end])
                frequency[part] = frequency.get(part, 0) + 1
                first_seen.setdefault(part, sentence)
    # C-value: a part that mostly occurs inside one longer compound is that compound's.
    containers: dict[tuple[str, ...], list[int]] = {}
    for part, count in frequency.items():
        for start in range(len(part)):
            for end in range(start + 1, len(part) + 1):
                inner = part[start:end]
                if inner != part:
                    containers.setdefault(inner, []).append(count)
    scored: list[tuple[float, str, tuple[str, ...]]] = []
    for part, count in frequency.items():
        display = _join(part)
        if not _worth_showing(display):
            continue
        longer = containers.get(part)
        nested = sum(longer) / len(longer) if longer else 0.0
        # Longer compounds weigh more, but one seen once is less likely a term.
        value = (1 + math.log2(len(part)) / 2) * max(count - nested, 0.0)
        if count == 1 and len(part) > 2:
            value /= 2
        if value <= 0:
            continue
        # The headline and the opening say what the article is about.
        value *= 1 + 1.5 / (1 + first_seen[part])
        scored.append((-value, display, part))
    scored.sort()
    chosen: list[tuple[str, float]] = []
    for negative, display, _ in scored:
        if any(display in kept or kept in display for kept, _ in chosen):
            continue
        chosen.append((display, 1 / (1 - negative)))
        if len(chosen) == top:
            break
    return [
        Keyword(key=keyword_key(display), display=display, score=score, rank=rank)
        for rank, (display, score) in enumerate(chosen, start=1)
    ]


def _worth_showing(display: str) -> bool:
    """Two characters at least, some letter in it, and not a number with its unit."""
    if len(display) < 2 or not any(c.isalpha() for c in display):
        return False
    return not re.fullmatch(r"[\d.,%]+\D?", display)
