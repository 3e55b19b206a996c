"""Parsing briefing files: the reference format, Markdown, plain text, and rejections."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from briefing.ingest.parse import TITLE_MAX, Rejected, derive_title, parse_briefing


def parse(text: str | bytes, name: str = "a.txt") -> object:
    data = text.encode() if isinstance(text, str) else text
    return parse_briefing(data, PurePath(name))


def test_reference_briefing_has_its_date_headings_and_paragraphs(
    ceasefire_briefing: Path,
) -> None:
    article = parse_briefing(ceasefire_briefing.read_bytes(), ceasefire_briefing)
    assert article.date == "2026-10-02"
    assert article.format == "reference"
    assert article.headings == [
        "Weeks of Negotiation",
        "Reactions in Washington and Brussels",
        "Humanitarian Toll Mounts",
    ]
    for heading in article.headings:
        assert f"\n## {heading}\n" in article.body
    # Every paragraph of the file is in the body, word for word.
    source_paragraphs = ceasefire_briefing.read_text().split("\n\n")[1:]
    assert len(source_paragraphs) == 8
    for paragraph in source_paragraphs:
        if paragraph.strip() not in article.headings:
            assert paragraph.strip() in article.body
    assert "date 2026-10-02" not in article.body
    assert not article.warnings


def test_reference_title_is_readable_and_short(ceasefire_briefing: Path) -> None:
    article = parse_briefing(ceasefire_briefing.read_bytes(), ceasefire_briefing)
    # The opening sentence, without its weekday, cut at a word boundary.
    assert article.title == (
        "The U.N. Security Council adopted a resolution demanding an immediate ceasefire in the…"
    )
    assert len(article.title) <= TITLE_MAX


def test_title_drops_a_long_lead_in() -> None:
    title = derive_title(
        "In a sharp turn after weeks of quarrels over port fees at the regional council, "
        "Valdora has cancelled a planned visit by a trade delegation to Ostria. More."
    )
    assert title == "Valdora has cancelled a planned visit by a trade delegation to Ostria"


def test_long_title_is_cut_at_a_word_boundary() -> None:
    sentence = " ".join(["Negotiators"] + ["extraordinarily"] * 12) + " today."
    title = derive_title(sentence)
    assert len(title) <= TITLE_MAX
    assert title.endswith("…")
    assert title[:-1].split()[-1] == "extraordinarily"


def test_title_is_not_fooled_by_dotted_acronyms() -> None:
    assert derive_title("The U.S. and the U.N. agreed on a plan. Then more.") == (
        "The U.S. and the U.N. agreed on a plan"
    )


def test_leading_whitespace_and_case_of_date_header() -> None:
    article = parse("\n  Date 2025-01-02 Markets rose sharply on Monday.\n\nMore text here.")
    assert article.date == "2025-01-02"
    assert article.title == "Markets rose sharply on Monday"


def test_invalid_date_is_a_warning_and_undated() -> None:
    article = parse("date 2024-13-45 Something happened today in the capital.")
    assert article.date is None
    assert any("2024-13-45" in w for w in article.warnings)


def test_plain_text_without_date_is_undated_with_warning() -> None:
    article = parse("Ministers met in Geneva to discuss grain exports.\n\nThey agreed.")
    assert article.date is None
    assert article.format == "text"
    assert any("undated" in w for w in article.warnings)


def test_markdown_front_matter() -> None:
    article = parse(
        '---\ntitle: "G7 Agrees"\ndate: 2026-11-12\nsource: Wire\ntags: [g7, debt]\n---\n\n'
        "Body text.\n\n## Section\n\nMore.",
        "a.md",
    )
    assert (article.title, article.date, article.source) == ("G7 Agrees", "2026-11-12", "Wire")
    assert article.tags == ["g7", "debt"]
    assert article.body.startswith("Body text.")
    assert article.headings == ["Section"]


def test_markdown_title_from_first_h1_which_leaves_the_body() -> None:
    article = parse("# The Headline\n\nFirst paragraph.", "a.md")
    assert article.title == "The Headline"
    assert "# The Headline" not in article.body
    assert article.date is None


def test_markdown_with_broken_front_matter_keeps_the_text() -> None:
    article = parse("---\ntitle: [unclosed\n---\n\n# Real Title\n\nText.", "a.md")
    assert article.title == "Real Title"
    assert any("front matter" in w for w in article.warnings)


def test_utf8_bom_and_crlf_are_fine() -> None:
    article = parse(b"\xef\xbb\xbfdate 2025-02-03 Caf\xc3\xa9 prices rose.\r\n\r\nMore.\r\n")
    assert article.date == "2025-02-03"
    assert "Café" in article.title
    assert "\r" not in article.body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n ", "only whitespace"),
        (b"date 2024-01-01 abc\x00def", "NUL"),
        ("date 2024-01-01 caf\u00e9".encode("latin-1"), "not UTF-8"),
        ("date 2024-01-01 hi".encode("utf-16"), "UTF-16"),
        (b"\x1b[2J\x07", "no readable text"),
    ],
)
def test_rejections_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(Rejected) as caught:
        parse(data)
    assert reason in caught.value.reason
    assert "\n" not in caught.value.reason


def test_too_large_is_rejected() -> None:
    with pytest.raises(Rejected, match="too large"):
        parse_briefing(b"date 2024-01-01 " + b"word " * 1000, Path("big.txt"), max_bytes=1000)


def test_terminal_escapes_are_removed_from_text() -> None:
    article = parse("date 2024-01-01 Evil \x1b]52;c;aGk=\x07title\x1b[2J here.\n\nBody \x9b31m.")
    assert "\x1b" not in article.title + article.body
    assert "Evil title here" in article.title
    assert "[2J" not in article.title
    assert "\x9b" not in article.body


def test_plain_text_markdown_syntax_is_escaped() -> None:
    article = parse("date 2024-01-01 Opening line here.\n\n# not a heading in the source text.")
    assert "\\# not a heading" in article.body


def test_list_items_stay_a_list() -> None:
    article = parse("date 2024-01-01 Intro here.\n\n- first item\n- second item\n\nEnd.")
    assert "- first item\n- second item" in article.body


@pytest.mark.parametrize("date", ["2024-13-45", "2024-02-30", "'2024-00-10'", "soon"])
def test_impossible_front_matter_date_is_a_warning(date: str) -> None:
    article = parse(f"---\ntitle: T\ndate: {date}\n---\n\nSome text here.", "a.md")
    assert article.date is None
    assert article.title == "T"
    assert article.warnings


def test_front_matter_date_that_is_a_list_is_named_plainly() -> None:
    article = parse("---\ndate: [2024-01-01, 2024-01-02]\n---\n\nSome text here.", "a.md")
    assert article.date is None
    assert article.warnings == ["date is a list, not a date; stored as undated"]


def test_front_matter_aliases_are_refused_quickly() -> None:
    laughs = "\n".join(
        [
            "---",
            "a0: &a0 [x, x, x, x, x, x, x, x, x]",
            *(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 8)),
            "title: *a7",
            "---",
            "",
            "# Plain Title",
            "",
            "Body text.",
        ]
    )
    article = parse(laughs, "a.md")
    assert article.title == "Plain Title"
    assert any("aliases" in w or "front matter" in w for w in article.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle:\n---\n***",
        "![](image.png)",
        "<!-- only a comment -->",
        "---\ntitle: Only a title\n---\n",
    ],
)
def test_markdown_without_text_is_rejected(text: str) -> None:
    with pytest.raises(Rejected, match="no text"):
        parse(text, "a.md")


@pytest.mark.parametrize("text", ["date 2024-01-01 .", "date 2024-01-01 - ", "...\n\n---"])
def test_text_without_words_is_rejected(text: str) -> None:
    with pytest.raises(Rejected, match="no text"):
        parse(text)


def test_plain_text_inline_markup_stays_literal() -> None:
    article = parse("date 2024-01-01 A *starred* word, a_b, `tick`, [x](http://e) and <b>hi</b>.")
    assert "\\*starred\\*" in article.body
    assert "\\[x\\](http://e)" in article.body
    assert "\\<b\\>hi\\</b\\>" in article.body


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-12", "2026-11-12"),
        ("2026-11-12T10:30:00Z", "2026-11-12"),
        ("'2026-11-12'", "2026-11-12"),
    ],
)
def test_front_matter_dates_and_times(value: str, expected: str) -> None:
    article = parse(f"---\ndate: {value}\n---\n\nText here.", "a.md")
    assert article.date == expected and not article.warnings


def test_code_only_markdown_is_stored_not_crashed() -> None:
    article = parse("```\ncode only\n```", "a.md")
    assert article.title == "code only"


def test_title_of_a_paragraph_opening_with_punctuation() -> None:
    assert derive_title(". U.S.") == "U.S."
    assert derive_title("... ---") == "Untitled briefing"


def test_a_name_written_only_as_a_possessive_keeps_its_capital_in_the_headline() -> None:
    from briefing.ingest.parse import keyword_text

    data = (
        b"Soap Star Cassidy Vane Fights In A Very San Francisco Row\n\n"
        b"Cassidy Vane looked radiant on Sunday. Fans of San Francisco's waterfront saw "
        b"her, and the show will write Cassidy's story into the next season.\n"
    )
    headline = keyword_text(parse_briefing(data, PurePath("a.txt"))).split("\n")[0]
    assert "Cassidy" in headline and "San Francisco" in headline
    assert "Row" not in headline  # an ordinary word still loses its headline capital
