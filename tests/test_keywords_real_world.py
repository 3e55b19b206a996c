"""Keywords and text from files as people really save them: headlines, datelines, casing,
protected names in punctuation, fragments, titles before names."""

from __future__ import annotations

import string
from pathlib import Path, PurePath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.ingest.parse import keyword_text, parse_briefing, strip_dateline
from briefing.insight.keywords import extract_keywords
from briefing.keys import keyword_key
from briefing.models import ParsedArticle

EVAL = Path(__file__).resolve().parent.parent / "benchmarks" / "keywords_eval" / "briefings"

WIRE = """Twitter tax deal creates classic San Francisco row
SAN FRANCISCO (AP) - In the shadow of City Hall, a payroll tax break for Twitter has split \
San Francisco. The Board of Supervisors approved the tax break on Tuesday, and critics said \
the payroll tax exemption would do little for the Tenderloin.

Supporters of the tax break said Twitter would bring 3,000 jobs to Market Street."""


def parse(text: str, name: str = "a.txt") -> ParsedArticle:
    return parse_briefing(text.encode(), PurePath(name))


def keywords(text: str, name: str = "a.txt", top: int = 10) -> list[str]:
    return [k.display for k in extract_keywords(keyword_text(parse(text, name)), top=top)]


# -- headlines and datelines ---------------------------------------------------------------


def test_a_headline_line_is_the_title_and_not_glued_to_the_first_sentence() -> None:
    article = parse(WIRE)
    assert article.title == "Twitter tax deal creates classic San Francisco row"
    assert article.paragraphs[0].startswith("In the shadow of City Hall")
    # The reader shows the title above the body: it is not repeated there.
    assert not article.body.startswith("Twitter tax deal")
    text = keyword_text(article)
    assert text.startswith("Twitter tax deal creates classic San Francisco row.\n\n")


def test_the_dateline_stays_in_the_body_but_is_no_keyword_text() -> None:
    article = parse(WIRE)
    assert article.body.startswith("SAN FRANCISCO (AP) - In the shadow")
    assert "(AP)" not in keyword_text(article) and "SAN FRANCISCO" not in keyword_text(article)
    assert not any(k.isupper() or "AP" in k.split() for k in keywords(WIRE))


@pytest.mark.parametrize(
    ("paragraph", "rest"),
    [
        ("WASHINGTON (Reuters) - The Federal Reserve held.", "The Federal Reserve held."),
        ("BEIJING, Nov 3 (Reuters) - Two days of talks.", "Two days of talks."),
        ("JACKSON, Miss. (AP) — Gov. Dale Hargrove spoke.", "Gov. Dale Hargrove spoke."),
        ("LOS ANGELES — Los Angeles County supervisors.", "Los Angeles County supervisors."),
        ("NEW DELHI, June 4 (Reuters) - India's demand.", "India's demand."),
        ("PITTSBURGH, March 3, 2026 /PRNewswire/ -- Korvath.", "Korvath."),
        ("BOSTON--(BUSINESS WIRE)--Helixa Therapeutics.", "Helixa Therapeutics."),
        ("(AP) - In the shadow of City Hall.", "In the shadow of City Hall."),
        (
            "CHARLOTTE, N.C. and JACKSONVILLE, Fla., Jan. 20, 2027 (GLOBE NEWSWIRE) -- Banks.",
            "Banks.",
        ),
    ],
)
def test_wire_datelines_are_recognised(paragraph: str, rest: str) -> None:
    assert strip_dateline(paragraph) == rest


@pytest.mark.parametrize(
    "paragraph",
    [
        "The Federal Reserve - as expected - held rates.",
        "Mississippi Gov. Dale Hargrove declared an emergency.",
        "- a list item, not a dateline",
        "NATO leaders met in Ankara.",
        "U.S. stocks fell on Thursday.",
    ],
)
def test_text_that_is_no_dateline_is_kept(paragraph: str) -> None:
    assert strip_dateline(paragraph) == paragraph


def test_a_byline_under_the_headline_is_no_keyword_text() -> None:
    text = (
        "Ohio Supreme Court strikes down congressional map\nBy SAMUEL ARCHER-DUNN\n"
        "Associated Press\nCOLUMBUS, Ohio (AP) — The Ohio Supreme Court on Friday struck "
        "down the state's congressional map, ruling that it favored Republicans."
    )
    article = parse(text)
    assert article.title == "Ohio Supreme Court strikes down congressional map"
    assert "By SAMUEL ARCHER-DUNN" in article.body
    assert "ARCHER" not in keyword_text(article) and "Associated Press" not in keyword_text(article)


def test_a_press_release_notice_and_letterhead_are_not_the_title() -> None:
    text = (
        "NEWS RELEASE\nFOR IMMEDIATE RELEASE\nBayview University Office of Communications\n\n"
        "Microplastics found in every sample of human placenta tested\n\n"
        "Researchers at Bayview University found microplastics in every placenta tested."
    )
    article = parse(text)
    assert article.title == "Microplastics found in every sample of human placenta tested"
    assert "FOR IMMEDIATE RELEASE" in article.body
    assert "RELEASE" not in keyword_text(article)


@pytest.mark.parametrize(
    "text",
    [
        # A paragraph wrapped at a width: its first line is no headline.
        "The government of Valdora cancelled a planned visit by a trade\n"
        "delegation to Ostria on Monday, after Ostria abstained in a vote on\n"
        "port fees at the regional council. The talks may resume next month.",
        "Officials in Valdora met the trade delegation from Ostria on Monday\n"
        "Arlo Venn, the prime minister, said the port fees would stay as they\n"
        "are until the regional council votes again in the spring next year.",
        # A first sentence on a line of its own ends with punctuation.
        "The port reopened on Monday.\nShips queued outside the harbour.",
    ],
)
def test_prose_is_not_taken_for_a_headline(text: str) -> None:
    article = parse(text)
    assert article.paragraphs[0].startswith(text.split("\n")[0])


def test_headlines_of_the_evaluation_files_are_their_titles() -> None:
    """Every plain-text file of the evaluation set that opens with a headline line
    (wire, headline, press, cjk) gets it as its title."""
    files = sorted(
        p for p in EVAL.glob("*.txt") if p.name.split("-")[1] in {"wire", "headline", "cjk"}
    )
    assert len(files) >= 25
    for path in files:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0].strip()
        article = parse_briefing(path.read_bytes(), path)
        assert article.title == " ".join(first.split()), path.name
        assert not article.paragraphs[0].startswith(first), path.name


def test_keywords_do_not_straddle_the_headline_and_the_dateline() -> None:
    text = (
        "Rockets Bombard Slumping Spurs In Houston\n"
        "HOUSTON (AP) - Yao Ming scored 20 points and the Houston Rockets beat the San Antonio "
        "Spurs 101-90 on Friday night. Yao Ming added 12 rebounds for Houston."
    )
    found = keywords(text)
    assert found
    for k in found:
        assert "HOUSTON" not in k and "Spurs Houston" not in k and "Houston Houston" not in k


# -- protected names in punctuation -------------------------------------------------------

PROTECTED = ["U.S.", "U.N.", "E.U.", "COVID-19", "F-35", "G7", "H5N1", "TOI-4410", "Tianwen-3"]
PUNCTUATION = [*string.punctuation, "—", "–", "‐", "’", "‘", "“", "”", "…", "«", "»", "·"]


def assert_no_stand_in(text: str) -> None:
    for k in extract_keywords(text, top=30):
        assert "qzx" not in k.display.lower() and "qzx" not in k.key, (text, k)


@pytest.mark.parametrize("form", PROTECTED)
def test_no_stand_in_leaks_whatever_punctuation_touches_a_protected_form(form: str) -> None:
    for mark in PUNCTUATION:
        glued = [
            f"{form}{mark}China",
            f"China{mark}{form}",
            f"{mark}{form}{mark}",
            f"{form}{mark}era",
        ]
        assert_no_stand_in(
            f"Talks on {glued[0]} resumed. The {glued[1]} row went on, and {glued[2]} "
            f"officials met {glued[3]} leaders. {form} and China said {glued[0]} was over."
        )


@settings(max_examples=150, deadline=None)
@given(
    form=st.sampled_from(PROTECTED),
    before=st.text(alphabet=PUNCTUATION, max_size=3),
    after=st.text(alphabet=PUNCTUATION, max_size=3),
    word=st.sampled_from(["", "China", "vaccines", "era", "backed", "s", "2026"]),
    other=st.sampled_from(PROTECTED),
)
def test_no_stand_in_leaks_from_any_mix_of_punctuation(
    form: str, before: str, after: str, word: str, other: str
) -> None:
    token = f"{before}{form}{after}{word}"
    assert_no_stand_in(
        f"Officials discussed {token} on Monday. The {token} question came back with "
        f"{other}{after}{form}. {form} officials met {word} leaders over {token}"
    )


def test_protected_forms_joined_by_punctuation_come_back_whole() -> None:
    text = (
        "U.S.-China chip talks ended without a deal. The U.S. and China disagreed on export "
        "controls. COVID-19.Vaccines were discussed, and COVID-19-era rules expired. The "
        "U.N.-backed truce held as U.N. envoys met. China and the U.S. will meet again."
    )
    displays = {k.display for k in extract_keywords(text, top=20)}
    assert {"U.S.", "China", "COVID-19"} <= displays
    assert not any("U.S.-China" in d or "-era" in d for d in displays)


# -- the display form a store keeps ---------------------------------------------------------


def test_the_store_prefers_a_mixed_case_display_to_all_caps(tmp_path: Path) -> None:
    from briefing.models import Keyword
    from briefing.store import Store

    def link(store: Store, article: int, display: str) -> None:
        store.db.execute(
            "INSERT INTO articles (id, path, content_hash, title, body, word_count, "
            "ingested_at) VALUES (?, ?, 'x', 't', 'b', 1, '')",
            [article, f"/{article}.txt"],
        )
        store.keywords.link(article, None, [Keyword(keyword_key(display), display, 0.1, 1)])

    with Store.open(tmp_path / "b.db") as store:
        link(store, 1, "SAN FRANCISCO")
        link(store, 2, "San Francisco")
        link(store, 3, "SAN FRANCISCO")
        link(store, 4, "NATO")
        link(store, 5, "nato")  # lower case is no better than the acronym
        shown = dict(store.db.execute("SELECT key, display FROM keywords").fetchall())
    assert shown == {"san francisco": "San Francisco", "nato": "NATO"}


# -- headline casing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ka'aihue Homer Powers Kansas City Past Angels 2-1", {"ka'aihue", "kansas"}),
        ("Rockets Bombard Slumping Spurs In Houston", {"houston", "spurs"}),
    ],
)
def test_title_case_text_alone_still_has_keywords(text: str, expected: set[str]) -> None:
    found = extract_keywords(text)
    assert len(found) >= 3
    assert expected <= {w for k in found for w in k.key.split()}


def test_an_all_caps_headline_takes_the_case_the_body_writes() -> None:
    text = (
        "SOAP STAR CASSIDY VANE SHOWS OFF BABY BUMP ON MALIBU BEACH\n\n"
        "The actress Cassidy Vane showed off her baby bump on a Malibu beach on Sunday. "
        "The soap star, who plays Delphine Ashworth on Harbour Lane, married Jonah "
        "Rutherford last week. NEWCASTLE fans will know Jonah Rutherford from Newcastle."
    )
    found = keywords(text, top=15)
    assert "Cassidy Vane" in found or "Cassidy" in found
    assert not any(len(w) > 3 and w.isupper() for k in found for w in k.split()), found


# -- fragments, generic words, titles before names ---------------------------------------

MARKETS = (
    "Stocks fell on Thursday after a report showing strong retail sales. The index gained "
    "early but the index gained nothing by the close. More than 200 people spoke at the "
    "hearing, and people spoke against the plan. Traders were taking profits and losing "
    "patience, a report showing weak demand said. OPEC+ meets next week; OPEC+ output is "
    "steady."
)
TITLES = (
    "Mississippi Gov. Dale Hargrove declared an emergency. U.N. Secretary-General Ban "
    "Ki-moon urged calm, and Mississippi Gov. Dale Hargrove asked for federal aid. Justice "
    "Carolyn Ostrowski wrote for the court; Justice Carolyn Ostrowski was joined by two. "
    "The Justice Department said Secretary-General Ban Ki-moon would visit."
)


def test_clause_fragments_and_generic_words_are_no_keywords() -> None:
    found = [k.display for k in extract_keywords(MARKETS, top=30)]
    for bad in ("index gained", "report showing", "people spoke", "people", "taking", "losing"):
        assert bad not in [k.lower() for k in found], found
    assert "OPEC+" in found


def test_titles_are_not_spliced_into_names() -> None:
    found = [k.display for k in extract_keywords(TITLES, top=30)]
    assert not any(k.endswith(("Gov", "Gov.")) for k in found), found
    assert not any(k.startswith(("Secretary-General ", "Justice Carolyn")) for k in found), found
    assert "Dale Hargrove" in found and "Carolyn Ostrowski" in found
    assert "Justice Department" in found
