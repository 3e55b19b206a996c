"""Keyword extraction on news text, and what it repairs in raw YAKE."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from briefing.ingest.parse import keyword_text, parse_briefing
from briefing.insight import keywords as kw
from briefing.insight.keywords import KeywordError, extract_keywords, raw_yake
from briefing.keys import keyword_key

VALDORA = """date 2026-03-28 The government of Valdora cancelled a planned visit by a trade \
delegation to Ostria on Monday, after Ostria abstained in a vote on port fees at the regional \
council. The delegation was to discuss container terminals and tariffs.

Background of the Cancellation

Arlo Venn, the prime minister, took the decision himself, aides said. Arlo Venn had been \
angered by the abstention, which he called a betrayal of the port agreement. Arlo Venn will \
speak on Tuesday.

Rescheduled Talks and Expectations

The talks may resume next month. Officials expect the container terminals and the port fees \
to dominate, and Arlo Venn to attend.
"""
# Phrases that would run from a heading into the sentence after it.
STRADDLING = ("cancellation arlo", "expectations the")


def keywords_of(path: Path, top: int = 10) -> list[str]:
    article = parse_briefing(path.read_bytes(), path)
    return [k.display for k in extract_keywords(keyword_text(article), top=top)]


def test_keywords_are_what_a_reader_would_pick(ceasefire_briefing: Path) -> None:
    found = {keyword_key(k) for k in keywords_of(ceasefire_briefing)}
    # The vote, the body that took it, the two sides and the crisis.
    assert {"un", "resolution", "ceasefire", "marduna", "humanitarian"} <= found
    assert any("kessari" in key for key in found)


def test_keywords_have_no_near_duplicates(ceasefire_briefing: Path) -> None:
    words = [set(keyword_key(k).split()) for k in keywords_of(ceasefire_briefing)]
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            assert len(a & b) * 2 <= min(len(a), len(b)), (a, b)


def test_raw_yake_repeats_itself_on_the_same_briefing(ceasefire_briefing: Path) -> None:
    """The baseline really has the fault we fix (guards the test above from being vacuous)."""
    raw = [k for k, _ in raw_yake(ceasefire_briefing.read_text())]
    assert "Kessari Liberation Front" in raw and "rebel Kessari Liberation" in raw


def test_headings_do_not_glue_onto_the_next_sentence() -> None:
    article = parse_briefing(VALDORA.encode(), PurePath("valdora.txt"))
    assert article.headings == [
        "Background of the Cancellation",
        "Rescheduled Talks and Expectations",
    ]
    for k in extract_keywords(keyword_text(article), top=30):
        assert not any(phrase in k.display.lower() for phrase in STRADDLING), k.display
    # Raw YAKE does glue them (so the test above can fail).
    raw = [k for k, _ in raw_yake(VALDORA.removeprefix("date 2026-03-28 "), top=30)]
    assert "Cancellation Arlo Venn" in raw


def test_ranks_and_scores(ceasefire_briefing: Path) -> None:
    article = parse_briefing(ceasefire_briefing.read_bytes(), ceasefire_briefing)
    found = extract_keywords(keyword_text(article))
    assert [k.rank for k in found] == list(range(1, len(found) + 1))
    assert len(found) == 10
    assert [k.score for k in found] == sorted(k.score for k in found)


TEXT_WITH_ACRONYMS = (
    "The U.S. and the E.U. discussed COVID-19 vaccines in Geneva. The U.S. said COVID-19 "
    "cases were falling. E.U. officials said the U.S. would share F-35 data with G7 allies. "
    "COVID-19 remains a concern for the U.S. and for G7 members, the E.U. said."
)


def test_dotted_acronyms_and_numbered_names_can_be_keywords() -> None:
    keys = {k.key for k in extract_keywords(TEXT_WITH_ACRONYMS)}
    assert {"us", "eu", "covid-19", "g7"} <= keys
    displays = {k.display for k in extract_keywords(TEXT_WITH_ACRONYMS)}
    assert "U.S." in displays and "COVID-19" in displays
    assert not any("Qzx" in d for d in displays)


def test_hyphened_names_stay_whole_accented_too() -> None:
    protector = kw._Protector()
    text = "Ricaurte Vásquez-Moreno met officials in Port-au-Prince on a well-known date."
    protected = protector.protect(text)
    assert "Vásquez" not in protected and "Port" not in protected
    assert "well-known" in protected  # not a name: its parts are not capitalised
    assert protector.restore(protected) == text


def test_raw_yake_cannot_see_those_terms() -> None:
    raw = {k.lower() for k, _ in raw_yake(TEXT_WITH_ACRONYMS, top=30)}
    assert "u.s." not in raw and "covid-19" not in raw


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("U.S.", "US"),
        ("u.s.", "US"),
        ("sanctions", "sanction"),
        ("White House", "white house"),
        ("policies", "policy"),
        ("taxes", "tax"),
        ("Netanyahu's", "Netanyahu"),
    ],
)
def test_keyword_keys_are_shared(a: str, b: str) -> None:
    assert keyword_key(a) == keyword_key(b)


@pytest.mark.parametrize(
    "word", ["crisis", "news", "gas", "bus", "analysis", "COVID-19", "Hamas", "Texas", "Athens"]
)
def test_keyword_keys_do_not_mangle_singulars(word: str) -> None:
    assert keyword_key(word) == word.lower()


def test_yake_failure_is_raised_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.insight import yake_core

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(yake_core.BoundedDataCore, "_build", broken)
    with pytest.raises(KeywordError, match="ZeroDivisionError"):
        extract_keywords("Some perfectly ordinary text about the White House.")


def test_empty_text_has_no_keywords() -> None:
    assert extract_keywords("   ") == []


def test_generic_words_are_pushed_below_specific_ones() -> None:
    assert kw._penalty("countries") > kw._penalty("ceasefire") == 1.0
    assert kw._penalty("diplomatic") > kw._penalty("Baltic", proper=True) == 1.0


def test_ranking_stops_early_but_orders_as_a_full_sort_would() -> None:
    """`_ranked` looks only as far down YAKE's list as it must; what it yields is
    the order of sorting every candidate by its penalised score (ties in YAKE's order)."""
    import random
    from types import SimpleNamespace

    phrases = ["Gaza", "countries", "diplomatic", "White House", "COVID cases", "talks", "Rafah"]
    rng = random.Random(7)
    for _ in range(200):
        candidates = sorted(
            (
                SimpleNamespace(
                    h=round(rng.uniform(0, 1), 1),  # coarse, so ties happen
                    kw=rng.choice(phrases),
                    tags=[rng.choice(["n", "p", "nn"])],
                )
                for _ in range(rng.randint(0, 30))
            ),
            key=lambda c: c.h,
        )
        proper = [any(set(t) <= {"n", "a"} for t in c.tags) for c in candidates]
        expected = sorted(
            (
                (c.kw, c.h * kw._penalty(c.kw, p), p)
                for c, p in zip(candidates, proper, strict=True)
            ),
            key=lambda item: item[1],
        )
        assert list(kw._ranked(candidates)) == expected


def test_single_word_features_are_yakes_to_the_bit(ceasefire_briefing: Path) -> None:
    """`_build_single_terms_features` replaces YAKE's own for speed; every word's
    features and score must come out exactly as YAKE computes them."""
    from yake.data import DataCore

    article = parse_briefing(ceasefire_briefing.read_bytes(), ceasefire_briefing)
    texts = [keyword_text(article).replace("\n", " "), VALDORA.replace("\n", " "), "One."]
    config = {"windows_size": 1, "n": kw.MAX_NGRAM}
    for text in texts:
        theirs = DataCore(text=text, stopword_set=kw._stopwords("en"), config=config)
        theirs.build_single_terms_features(features=None)
        ours = DataCore(text=text, stopword_set=kw._stopwords("en"), config=config)
        kw._build_single_terms_features(ours)
        assert ours.terms.keys() == theirs.terms.keys()
        for word, term in theirs.terms.items():
            for feature in ("pl", "pr", "wrel", "wfreq", "wspread", "wcase", "wpos", "h"):
                assert ours.terms[word].data[feature] == term.data[feature], (word, feature)


def test_a_surname_is_shown_with_the_first_name_given_once() -> None:
    text = (
        "Trade Commissioner Henrik Solvang met Indian officials in New Delhi on Monday. "
        "Solvang said the carbon levy would stay. Talks on the levy will resume, Solvang said. "
        "Indian exporters fear the levy. Solvang and the exporters disagree on the levy.\n\n"
        "The World Health Organization warned on health costs. Health budgets are strained, "
        "and health spending rose in the World Conference Center Bonn talks."
    )
    displays = [k.display for k in extract_keywords(text)]
    assert "Henrik Solvang" in displays and "Solvang" not in displays
    stopwords = kw._stopwords("en")
    sentences = kw._Sentences([s.split() for s in text.replace(".", " .").split(". ")])
    # Lowercase in most places, or inside a longer name: no first name to add.
    assert kw._full_name("Health", sentences, stopwords) == ["Health"]
    assert kw._full_name("Bonn", sentences, stopwords) == ["Bonn"]


def test_a_headline_verb_makes_no_phrase() -> None:
    text = (
        "Trade deal clears parliament despite farmer protests.\n\n"
        "The parliament approved the trade deal on Wednesday as farmers staged a protest. "
        "The trade deal cuts tariffs on beef. Farmers say the trade deal hurts them, and "
        "the parliament will vote on the trade deal rules again in June."
    )
    sentences = kw._yake_candidates(text, "en")[1]
    assert kw._headline_only("clears", sentences)
    assert not kw._headline_only("protests", sentences)  # "protest" in the report
    assert not kw._headline_only("deal", sentences)
    displays = [k.display.lower() for k in extract_keywords(text)]
    assert not any("clears" in d for d in displays)


def test_names_with_a_number_or_a_capitalised_stopword_stay_whole() -> None:
    protector = kw._Protector(kw._stopwords("en"))
    text = (
        "The Nova 7 Pro and the Model 3S entered Phase 3 trials in New Mexico, and First "
        "Meridian Bancorp said on May 5 and Nov 3 that nearly 300 fans saw the Angels "
        "2-1 win, a 3.5% rise, as The U.S. Open began."
    )
    protected = protector.protect(text)
    for name in ("Nova 7", "Model 3S", "Phase 3", "New", "First"):
        assert f"{name} " not in protected, name
    for kept in ("May 5", "Nov 3", "nearly 300", "Angels 2-1", "3.5%", "The Qzx"):
        assert kept in protected, kept
    assert protector.restore(protected) == text
    displays = {k.display for k in extract_keywords(text + " The Nova 7 Pro is a phone.")}
    assert "Nova" not in displays and "Pro" not in displays


def test_a_possessive_ends_a_name() -> None:
    text = (
        "Novo Nordisk's Wegovy and Eli Lilly's Zepbound are back in stock, and Belgium's "
        "Thibaut Vandersteen said so. Novo Nordisk and Eli Lilly make both drugs. Wegovy "
        "and Zepbound sold out last year; Novo Nordisk's shares rose."
    )
    displays = {k.display for k in extract_keywords(text)}
    assert {"Novo Nordisk", "Eli Lilly"} <= displays
    assert not any(d.startswith(("Novo Nordisk W", "Eli Lilly Z", "Belgium T")) for d in displays)
