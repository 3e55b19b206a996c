"""Keywords for news text: YAKE's statistics, with the repairs news text needs.

Raw YAKE on a briefing has four faults a reader notices at once, and each has
its fix here:

* Headings glue onto the next sentence, because YAKE joins lines before it
  splits sentences. The parser hands us every heading as its own sentence
  (:func:`briefing.ingest.parse.keyword_text`).
* Dotted acronyms ("U.S.", "U.N.") and names with digits or hyphens
  ("COVID-19", "F-35", "G7") are tagged "unusual" by YAKE and can never be
  keywords. They are swapped for letter-only stand-ins before YAKE runs and
  swapped back afterwards; punctuation that glues a stand-in to a word
  ("U.S.-China", "COVID-19.vaccines") is spaced off first, so no stand-in can
  hide inside a token and reach a keyword.
* Its top 10 repeats itself ("Prime Minister Benjamin", "Minister Benjamin
  Netanyahu", "Prime Minister"). Fragments of longer names, titles glued to
  names and phrases that straddle a clause are dropped, and a phrase that
  shares most of its words with a better one is skipped.
* It swallows its own exceptions and returns an empty list, so a failure
  looks like an article with no keywords. We drive YAKE's ``DataCore``
  ourselves, and errors surface as :class:`KeywordError`.

Chinese and Japanese text, which has no spaces for YAKE to find words by, is
segmented by a dictionary instead (:mod:`briefing.insight.cjk`).

Each keyword also gets a normalised key (:func:`briefing.keys.keyword_key`) shared across
articles, so "U.S." and "US", "Sanctions" and "sanction" are one keyword.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefing.insight import cjk
from briefing.keys import keyword_key
from briefing.models import Keyword
from briefing.scripts import cjk_language

TOP_N = 10
MAX_NGRAM = 3

# Words YAKE's English list lacks that make poor keyword edges in news copy.
NEWS_STOPWORDS = frozenset(
    """
    amid according also among across additional another around despite including many
    may might much must new next number officials official percent per said say says
    several since statement still told today tuesday monday wednesday thursday friday
    saturday sunday week weeks weekend year years month months day days yesterday would
    could should will within without while whether yet last first second third however
    although though part set made make makes making expected recent recently early
    earlier late later potential significant key major held began rose fell surged
    jumped climbed slipped dropped agreed warned announced reported remain remains
    remained told called added noted urged approved launched raised lowered signed met
    took came left seen sent gave kept says sought showed began begun become became
    continue continued expects expected sailing gathered fall falls higher lower million
    billion trillion
    january february march april june july august september october november december
    """.split()
)

# Common words that are poor tags on their own: "countries", "report", "data".
# A one-word keyword from this list is pushed down, not banned.
GENERIC_WORDS = frozenset(
    """
    country countries people person report reports data plan plans rule rules measure
    measures service services company companies conference international national
    government governments official price prices cost costs group groups number level
    levels rate system systems area areas part parts issue issues case cases point
    points way ways time times world state states city cities region change changes
    support move moves deal talks effort efforts program programme project projects
    package operators operator industry sector market markets member members leader
    leaders source sources team work use use users user decision decisions statement
    meeting meetings agency agencies department ministry office today update updated
    estimated total share shares value growth risk risks result results analysts analyst
    experts expert adults children cut increase decrease rise fall
    """.split()
)
GENERIC_PENALTY = 4.0
# Lone participles and adjectives ("rescheduled", "diplomatic") describe, they do not tag.
_ADJECTIVAL = re.compile(r"(?:ed|ic|ical|ive|ous)$")
MIXED_CASE_PENALTY = 2.5

# Words that title a person; "Prime Minister" before a name is not the name.
TITLE_WORDS = frozenset(
    """
    prime minister president vice secretary chancellor governor senator representative
    spokesperson spokesman spokeswoman chief director chair chairman chairwoman ceo king
    queen prince general admiral commissioner ambassador envoy mr mrs ms dr sir lord
    premier mayor deputy foreign defense defence finance interior health trade energy
    treasury state gov govs sen sens rep reps lt gen col capt sgt supt atty prof
    secretary-general under-secretary supervisor justice judge professor brigadier
    goalkeeper boss coach manager officer exchequer attorney sheriff superintendent
    councilmember councilman councilwoman assemblyman assemblywoman congressman
    congresswoman lawmaker striker midfielder defender substitute captain skipper
    """.split()
)
# Titles written abbreviated ("Gov.", "Sen."): a phrase ending in one was cut off
# before the name it belongs to ("Mississippi Gov").
TITLE_ABBREVIATIONS = frozenset(
    "gov govs sen sens rep reps lt gen col capt sgt supt atty prof".split()
)
# After a title word these start the name of a body, not of a person: "Justice
# Department", "State Council", "Secretary General Assembly".
INSTITUTION_WORDS = frozenset(
    """
    department court council committee ministry office agency commission party league
    union bank fund assembly house board authority service institute university
    """.split()
)
# Words that are never a tag on their own, however YAKE ranks them.
NEVER_ALONE = frozenset(
    """
    people person place places minutes minute products product things thing way ways
    officials statement year years week weeks time times lot lots taking losing making
    country countries
    getting saying showing
    """.split()
)
# Verb forms that end a clause, not a name: "index gained", "people spoke", "report
# showing". Regular pasts are caught by their "-ed".
IRREGULAR_PAST = frozenset(
    """
    spoke said told rose fell took gave kept left went came saw sold bought won lost ran
    began grew drew met paid sent shut spent stood struck thought brought caught fought
    sought taught wrote became overtook hit
    """.split()
)
CLAUSE_ING = frozenset(
    """
    showing saying making taking giving seeking calling leaving putting setting getting
    coming going trying using asking telling keeping bringing pushing raising losing
    adding holding urging including according following citing leading helping allowing
    rising falling reaching meaning starting warning expecting hoping looking
    """.split()
)
_NOT_PAST = frozenset({"red", "bed", "shed", "speed", "feed", "seed", "need", "greed", "hundred"})

# Starts only where a run of dotted letters starts (not inside one), and takes the run
# whole (possessive): tried from each letter of a long run, it was quadratic.
_DOTTED_ACRONYM = re.compile(
    r"(?:(?<![A-Za-z]\.)\b|(?<=\w[A-Za-z]\.))(?:[A-Za-z]\.){2,}+(?![A-Za-z])"
)
# The second form takes any hyphened run of letters, accented too ("Vásquez-Moreno",
# "Port-au-Prince"); :meth:`_Protector._name_stand_in` keeps it only when its first and
# last parts are capitalised. Possessive throughout: one try per token start.
_DIGIT_OR_HYPHEN_NAME = re.compile(
    r"(?<![\w./-])(?=[\w-]*\d)[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![\w-])"
    r"|(?<![\w./-])[^\W\d_]++(?:-[^\W\d_][^\W_]*+)++(?![\w-])"
)


# A stand-in, wherever it ends up inside a token: the last guard against one leaking.
_STAND_IN = re.compile(r"qzx[a-z]+qz", re.IGNORECASE)
# Punctuation that glues a stand-in to a word: YAKE would keep "Qzxaqz-China" or
# "Qzxcqz.vaccines" as one token, which no restore of whole words can undo. A dash or a
# slash becomes a comma (a break between candidates: "U.S.-China talks" gives "U.S." and
# "China talks"), and a lowercase word hyphened on ("COVID-19-era", "U.N.-backed") is a
# modifier and goes with it; other punctuation is spaced off. "'s" YAKE drops itself.
_DASH = r"\-‐‑–—/"
_GLUED_TAIL = re.compile(rf"(Qzx[a-z]+qz)[{_DASH}][a-z]+(?![\w{_DASH}])")
_GLUED_AFTER = re.compile(rf"(Qzx[a-z]+qz)(?:([{_DASH}])|([^\s\w'’]+))(?=\w)")
_GLUED_BEFORE = re.compile(rf"(?<=\w)(?:([{_DASH}])|([^\s\w]+))(Qzx[a-z]+qz)")


def _unglue_after(match: re.Match[str]) -> str:
    stand_in, dash, other = match.groups()
    return f"{stand_in} , " if dash is not None else f"{stand_in} {other} "


def _unglue_before(match: re.Match[str]) -> str:
    dash, other, stand_in = match.groups()
    return f" , {stand_in}" if dash is not None else f" {other} {stand_in}"


# A possessive ends a name: YAKE drops the "'s" and would read "Belgium's Thibaut
# Vandersteen" as one name, "Britain's FTSE 100" as another. A comma after it keeps them
# apart.
_POSSESSIVE_BEFORE_NAME = re.compile(r"(?<=\w)['’]s(?= [A-Z])")
# "OPEC+", "C++": a name whose plus sign YAKE would drop. Not a stand-in already made
# ("U.S.+" is "Qzxaqz+" by now): a stand-in for a stand-in would be restored only once.
_PLUS_NAME = re.compile(r"(?<![\w+])(?!Qzx[a-z]+qz\+)[A-Z][A-Za-z]*\++(?![\w+])")
_MODIFIER_TAIL = re.compile(r"(?:-[a-z]{2,})+$")
# A name and a short number: "Nova 7", "Model 3S", "Phase 3", "PASI 90". YAKE would drop
# the number and keep "Nova" or "Phase" alone. Not a year, score or decimal ("Angels 2-1").
_NUMBERED_NAME = re.compile(
    r"(?<![\w.'’-])(?:[A-Z][a-z]++|[A-Z]{2,}+) \d[A-Za-z\d]{0,2}+(?![\w%'’-]|[.,:/]\d)"
)
_MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
# A stopword capitalised mid-sentence before another capitalised word starts a name:
# "New Mexico", "First Meridian Bancorp", "Will Smith"; not an article.
_CAPITALISED_STOPWORD = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]++(?= [A-Z][a-z])")
_CALENDAR = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """.split()
)


class KeywordError(Exception):
    """YAKE failed on a text; the message says how."""


class _Protector:
    """Swap tokens YAKE would throw away for letter-only stand-ins, and back."""

    def __init__(self, stopwords: frozenset[str] = frozenset()) -> None:
        self.to_original: dict[str, str] = {}
        self._by_key: dict[str, str] = {}
        self.stopwords = stopwords

    def _stand_in(self, match: re.Match[str] | str) -> str:
        original = match if isinstance(match, str) else match.group(0)
        # A later pattern may take in an earlier stand-in ("U.S.+" is "Qzxaqz+" by the
        # time the plus names are found): what it stands for is the text as written.
        original = _STAND_IN.sub(lambda m: self.to_original.get(m.group(0).lower(), ""), original)
        key = keyword_key(original)
        if key not in self._by_key:
            index = len(self._by_key)
            letters = ""
            while True:
                letters = chr(ord("a") + index % 26) + letters
                index //= 26
                if not index:
                    break
            stand_in = "Qzx" + letters + "qz"
            self._by_key[key] = stand_in
            self.to_original[stand_in.lower()] = original
        return self._by_key[key]

    def _name_stand_in(self, match: re.Match[str]) -> str:
        """A name with digits or hyphens, less a lowercase word hyphened on at its end
        ("COVID-19-era", "H5N1-infected"), which is left after it to be unglued."""
        name = match.group(0)
        if not any(c.isdigit() for c in name):
            parts = name.split("-")
            if not (parts[0][:1].isupper() and parts[-1][:1].isupper()):
                return name  # "well-known", "U.S.-backed" are no names
        core = _MODIFIER_TAIL.sub("", name)
        if core == name or not core:
            return self._stand_in(match)
        return self._stand_in(core) + name[len(core) :]

    def _numbered_stand_in(self, match: re.Match[str]) -> str:
        name = match.group(0).split(" ")[0].lower()
        if name in self.stopwords or name in _MONTH_ABBREVIATIONS or name.endswith("ly"):
            return match.group(0)  # "May 5", "Nov 3", "Nearly 300"
        return self._stand_in(match)

    def _stopword_stand_in(self, match: re.Match[str]) -> str:
        word = match.group(0).lower()
        if word not in self.stopwords or word in _CALENDAR or word in ("the", "an"):
            return match.group(0)  # "in May", "The U.S." of a quote left unmarked
        return self._stand_in(match)

    def protect(self, text: str) -> str:
        text = _NUMBERED_NAME.sub(self._numbered_stand_in, text)
        # Names first: after "U.S." became a stand-in, "Qzxaqz-China" would pass for one.
        text = _DIGIT_OR_HYPHEN_NAME.sub(self._name_stand_in, text)
        text = _DOTTED_ACRONYM.sub(self._stand_in, text)
        text = _POSSESSIVE_BEFORE_NAME.sub(r"\g<0> ,", text)
        if "+" in text:
            text = _PLUS_NAME.sub(self._stand_in, text)
        if self.stopwords:
            text = _CAPITALISED_STOPWORD.sub(self._stopword_stand_in, text)
        if "Qzx" not in text:
            return text
        text = _GLUED_TAIL.sub(r"\1 ,", text)
        text = _GLUED_AFTER.sub(_unglue_after, text)
        return _GLUED_BEFORE.sub(_unglue_before, text)

    def restore(self, phrase: str) -> str:
        """The phrase with its stand-ins swapped back, found inside words too; an
        unknown one (the text itself held such a token) is dropped, never shown."""
        restored = _STAND_IN.sub(lambda m: self.to_original.get(m.group(0).lower(), ""), phrase)
        return " ".join(restored.split())


@functools.cache
def _stopwords(language: str) -> frozenset[str]:
    from yake.core.yake import KeywordExtractor

    base = KeywordExtractor(lan=language).stopword_set
    extra = NEWS_STOPWORDS if language.startswith("en") else frozenset()
    return frozenset(w for w in base | extra if w)


def prepare_keywords(language: str = "en") -> None:
    """Import YAKE and load the stopwords now: each ingest worker does so as it
    starts, rather than on its first file."""
    import yake.data
    import yake.data.utils  # noqa: F401

    _stopwords(language)


def raw_yake(text: str, language: str = "en", top: int = TOP_N) -> list[tuple[str, float]]:
    """YAKE as it comes, for the evaluation's baseline."""
    from yake import KeywordExtractor

    return list(KeywordExtractor(lan=language, top=top).extract_keywords(text))


def extract_keywords(text: str, language: str = "en", top: int = TOP_N) -> list[Keyword]:
    """The top keywords of a text, best first. Raises :class:`KeywordError` on failure."""
    if not text.strip():
        return []
    script = cjk_language(text)
    if script is not None:
        try:
            return cjk.extract(text, script, top)
        except Exception as error:  # the segmenter's innards, as YAKE's below
            raise KeywordError(
                f"{script} segmenter failed: {type(error).__name__}: {error}"
            ) from error
    text, shown_as = _recase(text, _stopwords(language))
    protector = _Protector(_stopwords(language))
    protected = protector.protect(text)
    candidates, sentences = _yake_candidates(protected, language)
    stopwords = _stopwords(language)
    chosen: list[tuple[str, list[str], float]] = []
    for phrase, score, proper in _ranked(candidates, unsure=shown_as):
        words = phrase.split()
        if not _acceptable(words, proper, sentences, stopwords):
            continue
        if proper and len(words) == 1:
            words = _full_name(words[0], sentences, stopwords)
        display = protector.restore(_usual_form(words, sentences))
        if shown_as:
            display = " ".join(shown_as.get(w, w) for w in display.split())
        if _titled(display.split()):
            continue  # a protected title ("Secretary-General") before a name
        content = _content_keys(display, stopwords)
        if not content or any(_redundant(content, other) for _, other, _ in chosen):
            continue
        chosen.append((display, content, score))
        if len(chosen) == top:
            break
    return [
        Keyword(key=keyword_key(display), display=display, score=score, rank=rank)
        for rank, (display, _, score) in enumerate(chosen, start=1)
    ]


_WORD = re.compile(r"[^\W\d_][\w'’&-]*+(?:\.[\w'’&-]++)*+")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’&-]*")
_LOWER = re.compile(r"\b[a-z][\w'’-]*")
_SHOUTED_WORD = re.compile(r"\b[A-Z][A-Z'’]{3,}\b")


def _recase(text: str, stopwords: frozenset[str]) -> tuple[str, dict[str, str]]:
    """The text with headline casing undone, and the form to show each word in.

    A Title Case or ALL-CAPS line ("Rockets Bombard Slumping Spurs In Houston",
    "SOAP STAR CASSIDY VANE SHOWS OFF ...") capitalises every word, so YAKE and the
    name rules below would take it all for one long name and keep nothing. Each of
    its words takes the case the rest of the text writes it in ("Cassidy", "shows");
    a word written nowhere else is lower-cased for the extraction and shown as the
    headline wrote it, capitalised. A word of four capitals or more in ordinary text
    ("NEWCASTLE have finally...") takes a mixed-case form written elsewhere; an
    acronym, written only in capitals, stays.
    """
    lines = text.split("\n")
    headline = [_headline_cased(line, stopwords) for line in lines]
    shouting = _SHOUTED_WORD.search(text) is not None
    if not any(headline) and not shouting:
        return text, {}
    forms: dict[str, dict[str, int]] = {}
    for line, skip in zip(lines, headline, strict=True):
        if skip:
            continue
        previous = "."
        for word in line.split():
            core = word.strip(".,;:!?\"'()“”‘’[]")
            if core and not previous.endswith((".", "!", "?", ":", '"', "“")):
                by_form = forms.setdefault(core.lower(), {})
                by_form[core] = by_form.get(core, 0) + 1
            previous = word
    usual = {lower: max(by_form, key=lambda f: by_form[f]) for lower, by_form in forms.items()}
    shown_as: dict[str, str] = {}

    def recase(match: re.Match[str], *, title_line: bool) -> str:
        word = match.group(0)
        lower = word.lower()
        form = usual.get(lower)
        if form is not None and not (form.isupper() and not word.isupper()):
            return form
        if not title_line or lower in stopwords:
            return word if not title_line else lower
        shown_as[lower] = word if not word.isupper() else word.capitalize()
        return lower

    out = []
    for line, title_line in zip(lines, headline, strict=True):
        if title_line:
            line = _WORD.sub(lambda m: recase(m, title_line=True), line)
        elif shouting:
            line = _SHOUTED_WORD.sub(
                lambda m: (
                    usual.get(m.group(0).lower(), m.group(0))
                    if not usual.get(m.group(0).lower(), "").isupper()
                    else m.group(0)
                ),
                line,
            )
        out.append(line)
    return "\n".join(out), shown_as


def _headline_cased(line: str, stopwords: frozenset[str]) -> bool:
    """Most of the line's words capitalised (Title Case or ALL CAPS), three or more."""
    capitalised = [w for w in _CAPITALISED.findall(line) if w.lower() not in stopwords]
    if len(capitalised) < 3:
        return False
    # Stop at the first lowercase word too many: a paragraph is settled in a few words.
    allowed = len(capitalised) // 4
    for match in _LOWER.finditer(line):
        if match.group(0) not in stopwords:
            allowed -= 1
            if allowed < 0:
                return False
    return True


def _ranked(
    candidates: list[Any], unsure: dict[str, str] | None = None
) -> Iterator[tuple[str, float, bool]]:
    """(phrase, score after penalties, seen as a name) best first, from YAKE's
    candidates best first, looking no further down YAKE's list than needed.

    A penalty only multiplies a score by 1 or more (YAKE's scores are not
    negative), so once the best penalised score waiting is no worse than the
    next raw score, nothing further down can beat it. The ten keywords come
    from the first few dozen of a thousand candidates, and the rest are never
    looked at. Ties keep YAKE's order, as a stable sort of them all would.
    """
    waiting: list[tuple[float, int, str, bool]] = []
    for index, candidate in enumerate(candidates):
        raw = float(candidate.h)
        while waiting and waiting[0][0] <= raw:
            score, _, phrase, proper = heapq.heappop(waiting)
            yield phrase, score, proper
        phrase = str(candidate.kw)
        proper = any(set(tag) <= {"n", "a"} for tag in candidate.tags)
        penalty = _penalty(phrase, proper)
        if unsure and " " in phrase and any(w.lower() in unsure for w in phrase.split()):
            # Words of a headline that the text writes nowhere else: whether "Kansas City"
            # is a name or "Bombard Slumping" a fragment is anyone's guess, the words alone
            # are safer.
            penalty *= MIXED_CASE_PENALTY
        heapq.heappush(waiting, (raw * penalty, index, phrase, proper))
    while waiting:
        score, _, phrase, proper = heapq.heappop(waiting)
        yield phrase, score, proper


def _penalty(phrase: str, proper: bool = False) -> float:
    """Push down one-word generic terms, and a name with a common noun glued on
    ("COVID-19 cases", "F-35 data"), which makes a worse tag than the name alone."""
    words = phrase.split()
    if len(words) == 1:
        lowered = phrase.lower()
        generic = lowered in GENERIC_WORDS or (not proper and _ADJECTIVAL.search(lowered))
        return GENERIC_PENALTY if generic else 1.0
    if words[0][:1].isupper() and words[-1].islower():
        return MIXED_CASE_PENALTY
    return 1.0


def _is_adverb(word: str) -> bool:
    return len(word) >= 6 and word.endswith("ly") and word.islower() and word not in _NOT_ADVERBS


_NOT_ADVERBS = frozenset({"supply", "assembly", "family", "monopoly", "anomaly", "italy"})


def _usual_form(words: list[str], sentences: _Sentences) -> str:
    """The phrase as the text usually writes it away from a sentence start.

    YAKE reports the first occurrence, so "Infections" opening a sentence
    would be shown capitalised although the text says "infections".
    """
    forms: dict[str, int] = {}
    for sentence, start in sentences.occurrences(words):
        if start > 0:
            form = " ".join(sentence[start : start + len(words)])
            forms[form] = forms.get(form, 0) + 1
    if not forms:
        return " ".join(words)
    return max(forms, key=lambda form: forms[form])


def _yake_candidates(text: str, language: str) -> tuple[list[Any], _Sentences]:
    """Every valid YAKE candidate (its ``ComposedWord``), best first, errors not
    swallowed; and the text's sentences as YAKE tokenised them, to look phrases up in.

    A candidate's ``tags`` say whether YAKE saw it as a name (capitalised
    mid-sentence, or an acronym) somewhere in the text.
    """
    from briefing.insight.yake_core import BoundedDataCore

    try:
        core = BoundedDataCore(
            text=text.replace("\n", " "),
            stopword_set=_stopwords(language),
            config={"windows_size": 1, "n": MAX_NGRAM},
        )
        _build_single_terms_features(core)
        # YAKE's build_mult_terms_features, with the valid candidates kept as they are
        # scored rather than found again by a second pass of is_valid.
        candidates = [c for c in core.candidates.values() if c.is_valid()]
        for candidate in candidates:
            candidate.update_h(features=None)
        candidates.sort(key=lambda c: c.h)
        sentences = _Sentences(core.sentences_str)
    except Exception as error:  # YAKE raises anything from its innards; name it.
        raise KeywordError(f"YAKE failed: {type(error).__name__}: {error}") from error
    return candidates, sentences


def _build_single_terms_features(core: Any) -> None:
    """YAKE's ``DataCore.build_single_terms_features``, the same scores to the bit, at
    a fifth of the cost.

    YAKE takes each word's median sentence with ``numpy.median`` and its graph degrees
    through networkx's edge views, whose fixed costs dwarf the few numbers involved and
    made this a quarter of the whole extraction. The document's statistics (mean and
    spread of the frequencies) still come from numpy, summed as YAKE sums them.
    """
    import numpy as np

    terms = list(core.terms.values())
    frequencies = np.array([term.tf for term in terms if not term.stopword])
    if not frequencies.size:
        return
    avg_tf = frequencies.mean()
    std_tf = frequencies.std()
    max_tf = max(term.tf for term in terms)
    sentence_count = core.number_of_sentences
    succ, pred = core.g.succ, core.g.pred
    for term in terms:
        data = term.data
        tf = data["tf"]
        right = succ[term.id]
        wdr = len(right)
        wir = sum(edge["tf"] for edge in right.values())
        pwr = wdr / wir if wir else 0
        left = pred[term.id]
        wdl = len(left)
        wil = sum(edge["tf"] for edge in left.values())
        pwl = wdl / wil if wil else 0
        data["pl"] = wdl / max_tf
        data["pr"] = wdr / max_tf
        wrel = data["wrel"] = (0.5 + pwl * (tf / max_tf)) + (0.5 + pwr * (tf / max_tf))
        wfreq = data["wfreq"] = tf / (avg_tf + std_tf)
        occurs = sorted(data["occurs"])
        wspread = data["wspread"] = len(occurs) / sentence_count
        wcase = data["wcase"] = max(data["tf_a"], data["tf_n"]) / (1.0 + math.log(tf))
        middle = len(occurs) // 2
        median = occurs[middle] if len(occurs) % 2 else (occurs[middle - 1] + occurs[middle]) / 2
        wpos = data["wpos"] = math.log(math.log(3.0 + median))
        data["h"] = (wpos * wrel) / (wcase + wfreq / wrel + wspread / wrel)


class _Sentences:
    """Tokenised sentences with an index from each word to where it occurs.

    Checking a candidate's surroundings then costs its occurrences, not a scan
    of the whole text, which keeps the repairs cheap next to YAKE itself.
    """

    def __init__(self, sentences: list[list[str]]) -> None:
        self.sentences = [[w for w in sentence if w] for sentence in sentences]
        self.lowered = [[w.lower() for w in sentence] for sentence in self.sentences]
        self.positions: dict[str, list[tuple[int, int]]] = {}
        for number, sentence in enumerate(self.lowered):
            for position, word in enumerate(sentence):
                self.positions.setdefault(word, []).append((number, position))

    def occurrences(self, words: list[str]) -> list[tuple[list[str], int]]:
        """(sentence, start) of every occurrence of the phrase, case ignored."""
        target = [w.lower() for w in words]
        size = len(target)
        return [
            (self.sentences[number], start)
            for number, start in self.positions.get(target[0], ())
            if self.lowered[number][start : start + size] == target
        ]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _acceptable(
    words: list[str], proper: bool, sentences: _Sentences, stopwords: frozenset[str]
) -> bool:
    """Reject candidates a reader would not call a keyword.

    * a stopword inside a phrase is fine only between two capitalised words
      ("Strait of Hormuz"), not in "development amid escalating";
    * a capitalised word after a lowercase one means the phrase straddles a
      boundary ("minute by Prime");
    * a title glued to a name ("Minister Benjamin Netanyahu");
    * a name fragment: a capitalised phrase that, wherever it occurs, runs on
      into more capitalised words ("Prime Minister Benjamin").
    """
    lowered = [w.lower() for w in words]
    if any(_is_adverb(w) for w in words):
        return False
    if not proper and any(_headline_only(w, sentences) for w in lowered):
        return False
    if len(words) == 1 and lowered[0] in NEVER_ALONE:
        return False
    if _ends_a_clause(words):
        return False
    if len(words) > 1 and lowered[-1] in TITLE_ABBREVIATIONS:
        return False  # "Mississippi Gov" of "Mississippi Gov. Dale Hargrove"
    if any(w.endswith(".") for w in words):
        return False  # an abbreviation ("Nov.", "Corp."); dotted acronyms are protected already
    if len(words) > 1 and not proper and words[0].lower().endswith(("ing", "ed")):
        return False  # a verb phrase: "insuring oil tankers", "weakened immune systems"
    for i in range(1, len(words) - 1):
        if lowered[i] in stopwords and not (
            _is_capitalised(words[i - 1]) and _is_capitalised(words[i + 1])
        ):
            return False
    for before, after in itertools.pairwise(words):
        if not _is_capitalised(before) and _is_capitalised(after):
            return False
    if any(w in TITLE_WORDS for w in lowered[:-1]) and not all(w in TITLE_WORDS for w in lowered):
        # A title then a name; keep "Federal Reserve"-like names with no title word.
        first_name = next(i for i, w in enumerate(lowered) if w not in TITLE_WORDS)
        if (
            first_name > 0
            and _is_capitalised(words[first_name])
            and lowered[first_name] not in INSTITUTION_WORDS
        ):
            return False
    return not (
        _is_capitalised(words[0]) and _mostly_inside_longer_name(words, sentences, stopwords)
    )


def _full_name(word: str, sentences: _Sentences, stopwords: frozenset[str]) -> list[str]:
    """A surname with the first name the text gives it once: "Mads Kjærgaard" for
    "Kjærgaard", which news writes alone after the first mention.

    The two must stand alone, no capitalised word either side,
    and the word before must be a first name: capitalised, neither a stopword nor a title,
    and at least half the times the text writes it with this word after it (a quote may
    say "Marcus" alone; "West" of "West Texas" is a first name by this test too, and the
    longer name is no worse a tag). The word alone, when there is none.
    """
    if not _is_capitalised(word) or word.isupper():
        return [word]
    occurrences = sentences.occurrences([word])
    if sum(_is_capitalised(s[i]) for s, i in occurrences) * 2 <= len(occurrences):
        return [word]  # "health", capitalised in "Federal Health Ministry" only
    before: dict[str, int] = {}

    def name_word(token: str) -> bool:
        return _is_capitalised(token) and token.lower() not in stopwords

    for sentence, start in occurrences:
        if start == 0 or (start + 1 < len(sentence) and name_word(sentence[start + 1])):
            continue  # no word before; or a longer name ("National Taiwan University")
        first = sentence[start - 1]
        if start == 1 and not first.isalpha():
            continue  # capitalised for the sentence: "Hotter-than-expected U.S. data"
        title = sentence[start - 2].lower() in TITLE_WORDS if start > 1 else False
        if start > 1 and name_word(sentence[start - 2]) and not title:
            continue  # "World Conference Center Bonn": part of a longer name
        if (
            _is_capitalised(first)
            and not first.isupper()
            and not first.endswith(".")
            and first.lower() not in stopwords
            and first.lower() not in TITLE_WORDS
        ):
            before[first] = before.get(first, 0) + 1
    for first in sorted(before, key=lambda f: -before[f]):
        if len(sentences.occurrences([first])) <= 2 * before[first]:
            return [first, word]
    return [word]


def _headline_only(word: str, sentences: _Sentences) -> bool:
    """A word the headline uses and the text never repeats, in no form: headlines write
    verbs no report does ("clears", "stall", "slides"), and a phrase with one is a
    clause. A noun comes back in the report, if only in another form ("protests" as
    "protest", "hardening" as "harden")."""
    positions = sentences.positions.get(word)
    if positions is None or len(positions) > 1 or positions[0][0] != 0:
        return False
    if len(sentences.sentences) == 1:
        return False  # a headline alone: its words are all there is
    forms = [word + "s", word + "es"]
    for ending, stems in (("es", ("",)), ("s", ("",)), ("ing", ("", "e")), ("ed", ("", "e"))):
        if word.endswith(ending):
            forms += [word[: -len(ending)] + stem for stem in stems]
    return not any(form in sentences.positions for form in forms)


def _titled(words: list[str]) -> bool:
    """A title word first, then a capitalised name: "Secretary-General Ban Ki-moon"."""
    return (
        len(words) > 1
        and words[0].lower() in TITLE_WORDS
        and words[1][:1].isupper()
        and words[1].lower() not in INSTITUTION_WORDS
        and words[1].lower() not in TITLE_WORDS
    )


def _ends_a_clause(words: list[str]) -> bool:
    """A subject and its verb ("index gained", "people spoke", "report showing"), or a
    verb alone ("taking")."""
    last = words[-1]
    if not last.islower():
        return False
    if last in IRREGULAR_PAST or last in CLAUSE_ING:
        return True
    return len(words) > 1 and len(last) > 4 and last.endswith("ed") and last not in _NOT_PAST


def _mostly_inside_longer_name(
    words: list[str], sentences: _Sentences, stopwords: frozenset[str]
) -> bool:
    """True when most occurrences of the phrase run on into a further capitalised word.

    A title word before the phrase does not count ("Minister" before "Benjamin
    Netanyahu"), nor a capitalised stopword ("The White House").
    """
    size = len(words)
    seen = inside = 0
    for sentence, start in sentences.occurrences(words):
        seen += 1
        before = sentence[start - 1] if start > 0 else ""
        after = sentence[start + size] if start + size < len(sentence) else ""
        # "of" between names joins them: "Strait of Hormuz", "Bank of England".
        before_of = sentence[start - 2] if start > 1 and before == "of" else ""
        after_of = (
            sentence[start + size + 1] if after == "of" and start + size + 1 < len(sentence) else ""
        )
        extends_before = (
            start > 0
            and _is_capitalised(before)
            and before.lower() not in stopwords
            and before.lower() not in TITLE_WORDS
        ) or _is_capitalised(before_of)
        extends_after = (
            _is_capitalised(after) and after.lower() not in stopwords
        ) or _is_capitalised(after_of)
        inside += extends_before or extends_after
    return inside * 2 > seen


def _content_keys(phrase: str, stopwords: frozenset[str]) -> list[str]:
    return [keyword_key(w) for w in phrase.split() if w.lower() not in stopwords]


def _redundant(new: list[str], kept: list[str]) -> bool:
    """The new phrase repeats a kept one: most of its words are already there."""
    shared = len(set(new) & set(kept))
    return shared > 0 and shared * 2 > min(len(set(new)), len(set(kept)))


def language_is_supported(language: str) -> bool:
    """YAKE ships stopword lists by two-letter code; others fall back to no-language."""
    from yake import core

    folder = Path(core.__file__).parent / "StopwordsList"
    return (folder / f"stopwords_{language[:2].lower()}.txt").exists()
