"""Scores of one article's keyword list against its gold, and the junk in it.

Matching: a keyword hits a gold tag when their keys are equal, ``exact`` by
:func:`briefing.keys.keyword_key` (case, dots, a final plural, a possessive
ignored), ``stemmed`` with every word of that key Porter-stemmed as well
("rate cuts" = "rate cutting"). Each gold tag is found at most once, and a
repeated prediction counts once. P@k is hits among the first k over k (a list
shorter than k is not excused), R@k hits over the gold tags, F1 their harmonic
mean, each averaged over articles.

Junk, counted in the first ten keywords, each kind found mechanically:

* ``fragment``: a phrase that runs over a line break in the file (a headline
  glued to the first sentence: "drop boosts stocks"), or that ends in a verb
  ("index gained", "report showing", "people spoke"), or a lone verb form
  ("taking", "losing"); in Chinese and Japanese, a keyword with punctuation or a
  space inside or longer than 12 characters (a clause, not a word);
* ``placeholder``: an internal stand-in token ("Qzxaqz-China");
* ``caps``: an ALL-CAPS form of words the text writes in lower or mixed case
  elsewhere ("SAN FRANCISCO", "LOS ANGELES"), or of words found only in shouted
  runs (a dateline, an ALL-CAPS headline); acronyms ("NATO", "FDA": capitals
  beside ordinary words) are not junk;
* ``titled``: a title glued to a name ("Secretary-General Ban Ki-moon",
  "Mississippi Gov", "Mayor Teresa Calloway");
* ``generic``: a lone generic word (the list in TAGGING.md: "people", "place",
  "minutes", "products", ...);
* ``empty``: an article with no keywords at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from briefing.keys import keyword_key

JUNK_KINDS = ("fragment", "placeholder", "caps", "titled", "generic", "empty")

# From TAGGING.md's "No generic words", with the ones seen ranked high on real news.
GENERIC = frozenset(
    """
    people officials official report reports data minutes minute place places year years
    week weeks statement company companies government governments market markets country
    countries plan plans deal deals shares share analysts analyst products product time
    times day days thing things way ways number numbers percent month months today
    """.split()
)
IRREGULAR_PAST = frozenset(
    """
    spoke said told rose fell took gave kept left went came saw sold bought won lost ran
    began grew drew made met paid sent held led shut spent stood struck
    thought brought caught fought sought taught wrote became overtook
    """.split()
)
# -ing forms that are nearly always verbs in news copy (unlike "hearing", "funding").
ING_VERBS = frozenset(
    """
    showing saying making taking giving seeking calling leaving putting setting getting
    coming going trying using asking telling keeping bringing pushing raising losing
    adding holding urging including according following citing leading helping allowing
    rising falling reaching meaning starting saying warning expecting hoping looking
    """.split()
)
NOT_PAST = frozenset({"red", "bed", "shed", "speed", "feed", "seed", "need", "greed", "hundred"})
TITLES = re.compile(
    r"\b(?:Gov|Govs|Sen|Rep|Mayor|President|Prime Minister|Minister|Secretary|"
    r"Secretary-General|Chancellor|Governor|Senator|Chairman|Chair|CEO|Chief Executive|"
    r"Supervisor|Commissioner|Director|Dr|Mr|Mrs|Ms|Judge|Justice|Coach|Manager|Premier|"
    r"King|Queen|Pope|General|Gen|Ambassador|Spokesperson|Spokesman)\b"
)
INSTITUTIONS = frozenset(
    "Assembly Council Court Office Department Ministry Committee Commission Motors Electric"
    " League".split()
)
_TOKEN = re.compile(r"[\w][\w'’.&+\-]*")
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<https?://[^>]*>|https?://\S+|[*_`#>|]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


@functools.cache
def _porter() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("porter")


def stem_key(phrase: str) -> str:
    stemmer = _porter()
    return " ".join(stemmer.stemWords(keyword_key(phrase).split()))  # type: ignore[attr-defined]


@dataclass
class Scores:
    """Per-article figures; averaged by :func:`mean`."""

    values: dict[str, float] = field(default_factory=dict)
    junk: dict[str, list[str]] = field(default_factory=dict)
    multiword: int = 0
    predicted: int = 0


def prf(predicted: list[str], gold: list[str], k: int, key: object) -> tuple[float, float, float]:
    keyf = key  # a function phrase -> key
    seen: list[str] = []
    for p in predicted:
        pk = keyf(p)  # type: ignore[operator]
        if pk not in seen:
            seen.append(pk)
    top = seen[:k]
    gold_keys = {keyf(g) for g in gold}  # type: ignore[operator]
    hits = len(set(top) & gold_keys)
    precision = hits / k
    recall = hits / len(gold_keys) if gold_keys else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def score(predicted: list[str], gold: list[str], source: str) -> Scores:
    result = Scores()
    for k in (5, 10):
        for name, keyf in (("exact", keyword_key), ("stemmed", stem_key)):
            p, r, f = prf(predicted, gold, k, keyf)
            result.values[f"P@{k} {name}"] = p
            result.values[f"R@{k} {name}"] = r
            result.values[f"F1@{k} {name}"] = f
    top = predicted[:10]
    result.predicted = len(top)
    result.multiword = sum(1 for p in top if len(p.split()) > 1)
    result.junk = junk(top, source)
    return result


def junk(keywords: list[str], source: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {kind: [] for kind in JUNK_KINDS}
    if not keywords:
        found["empty"].append("(no keywords)")
    lines = _visible_lines(source)
    shouted = _shouted_words(source)
    for keyword in keywords:
        if "qzx" in keyword.lower():
            found["placeholder"].append(keyword)
        if _is_fragment(keyword, lines):
            found["fragment"].append(keyword)
        if any(w in shouted for w in _caps_words(keyword)):
            found["caps"].append(keyword)
        if _is_titled(keyword):
            found["titled"].append(keyword)
        if len(keyword.split()) == 1 and keyword.lower() in GENERIC:
            found["generic"].append(keyword)
    return found


def _norm(token: str) -> str:
    token = token.lower().replace("’", "'")
    token = re.sub(r"'s$", "", token)
    return token.rstrip(".'-")


def _visible_lines(source: str) -> list[list[str]]:
    return [
        [_norm(t) for t in _TOKEN.findall(_MARKUP.sub(r" \1 ", line))]
        for line in source.split("\n")
    ]


def _is_fragment(keyword: str, lines: list[list[str]]) -> bool:
    if _CJK.search(keyword):
        # A clause, not a word: punctuation or spaces inside, or longer than any name.
        return bool(re.search(r"[\s\W]", keyword.replace("・", ""))) or len(keyword) > 12
    words = [_norm(t) for t in _TOKEN.findall(keyword)]
    if not words:
        return False
    size = len(words)
    if not any(line[i : i + size] == words for line in lines for i in range(len(line) - size + 1)):
        return True  # runs over a line break, or is not in the text at all
    last = keyword.split()[-1]
    if not last.islower():
        return False
    verb = (
        last in IRREGULAR_PAST
        or last in ING_VERBS
        or (len(last) > 4 and last.endswith("ed") and last not in NOT_PAST)
    )
    return verb and (size > 1 or last in ING_VERBS or last in IRREGULAR_PAST)


def _caps_words(keyword: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", keyword) if len(w) >= 2 and w.isupper()]


def _shouted_words(source: str) -> set[str]:
    """Words in capitals that are not acronyms: the text also writes them in lower or
    mixed case, or every time they appear in capitals a neighbour is in capitals too
    (a dateline, a byline, an ALL-CAPS headline). Link targets are not text."""
    source = _MARKUP.sub(r" \1 ", source)
    words = re.findall(r"[^\W\d_]+", source)
    mixed = {w.upper() for w in words if not w.isupper()}
    alone: set[str] = set()
    caps: set[str] = set()
    for line in source.split("\n"):
        tokens = re.findall(r"[^\W\d_]+", line)
        for i, token in enumerate(tokens):
            if len(token) < 2 or not token.isupper():
                continue
            caps.add(token)
            before = tokens[i - 1] if i else ""
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            if not (before.isupper() and len(before) > 1) and not (
                after.isupper() and len(after) > 1
            ):
                alone.add(token)
    return {w for w in caps if w in mixed or w not in alone}


def _is_titled(keyword: str) -> bool:
    match = TITLES.search(keyword)
    if not match:
        return False
    rest = keyword[match.end() :].strip(" .")
    before = keyword[: match.start()].strip()
    if rest.split(" ")[0] in INSTITUTIONS:
        return False  # "General Assembly", "Director General" are names of bodies
    # A title word then a capitalised name, or a place glued before an abbreviated title.
    return bool(rest[:1].isupper()) or (bool(before) and match.group(0) in {"Gov", "Sen", "Rep"})


def mean(rows: Iterable[Scores]) -> dict[str, float]:
    rows = list(rows)
    if not rows:
        return {}
    out = {name: sum(r.values[name] for r in rows) / len(rows) for name in rows[0].values}
    for kind in JUNK_KINDS:
        out[kind] = sum(len(r.junk[kind]) for r in rows)
    out["junk"] = sum(out[kind] for kind in JUNK_KINDS)
    predicted = sum(r.predicted for r in rows)
    out["multiword"] = sum(r.multiword for r in rows) / predicted if predicted else 0.0
    return out
