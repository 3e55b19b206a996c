"""Turn the bytes of one briefing file into an article, or a one-line reason why not.

Three shapes are briefings:

* the reference format: ``date YYYY-MM-DD`` then the body on the same line, no
  title line, section headings as short bare lines between paragraphs;
* plain text as news is saved: a headline line (its own block, then the title),
  perhaps a byline, and a body that opens with a wire-service dateline
  (``WASHINGTON (Reuters) -``), which stays in the body but is no keyword text;
* Markdown, with or without YAML front matter (title, date, source, tags);
* any other UTF-8 text, stored undated with a warning.

Parsing is pure (bytes in, article out) so that it can run in worker processes
and be tested without a database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import PurePath
from typing import Any

import yaml

from briefing.dates import too_far_ahead
from briefing.models import ParsedArticle
from briefing.sanitize import clean_line, clean_text
from briefing.scripts import mostly_cjk

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
BRIEFING_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES

TITLE_MAX = 90  # a title made from the text
TITLE_LIMIT = 300  # an authored title (front matter, a heading, a feed entry) is kept to this
SOURCE_LIMIT = 120
TAG_LIMIT = 60  # characters of one tag
TAGS_MAX = 30

# YAKE's sentence splitter (segtok) is quadratic in the length of a word and slow
# on megabytes of text: a 5 MB file of one "word" would hang an ingest for hours.
# Keywords come from the first KEYWORD_TEXT_MAX characters (thousands of words,
# more than any briefing), and tokens longer than KEYWORD_WORD_MAX characters
# (hashes, URLs, junk) never become keywords, so they are left out.
KEYWORD_TEXT_MAX = 100_000
KEYWORD_WORD_MAX = 64
# Chinese and Japanese put no spaces between words, so a sentence is one "word" to the
# rule above; their keywords come from a dictionary segmenter instead of YAKE (see
# briefing.insight.cjk), which is slower per character: a news story is a few thousand.
CJK_KEYWORD_TEXT_MAX = 20_000
_OVERLONG_WORD = re.compile(rf"\S{{{KEYWORD_WORD_MAX + 1},}}")

_DATE_HEADER = re.compile(r"\A\s*date[ \t]+(\S+)[ \t]*", re.IGNORECASE)
_ISO_DATE = re.compile(r"\A(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z ]*)?\Z")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# The closing hashes of "# Title ##" are stripped in Python: a lazy ".+?" beside
# "[ \t#]*" would try every split of a long line (quadratic).
_H1 = re.compile(r"^#[ \t]+(.+)$", re.MULTILINE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
# Abbreviations that end in a period without ending a sentence.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.){2,}$|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|No|vs|Jr|Sr)\.$"
)
# Lead-ins that a wire story opens with before getting to its news.
_INTRO_PHRASE = re.compile(
    r"^(?:In|Amid|After|As|Following|Despite|With|Over|During|On|At|Ahead of|"
    r"Against|Under|Before|Since|For|Meanwhile|Earlier|Later|Today|Yesterday)\b[^,]{3,110},\s+"
)


# A wire-service dateline opening a paragraph: a city in capitals (a few words), perhaps
# a region or date after a comma, perhaps the agency in brackets or slashes, then a dash:
# "SAN FRANCISCO (AP) —", "BEIJING, Nov 3 (Reuters) -", "JACKSON, Miss. (AP) —",
# "PITTSBURGH, March 3, 2026 /PRNewswire/ --", "BOSTON--(BUSINESS WIRE)--"; or the agency
# alone: "(AP) -". Anchored and every part bounded, so each paragraph costs a constant.
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’\-]{1,20}(?: [A-Z][A-Z.'’\-]{0,20}){0,3}"
    r"(?:,[^,()/\n—–]{1,25}){0,4}[ ]?(?:--|—|–)?[ ]?)?"
    r"(?:\([A-Za-z][A-Za-z. ]{0,29}\)|/[A-Za-z][A-Za-z. -]{0,29}/)?"
    r"[ ]?(?:--|—|–|-)[ ]?(?=\S)"
)
# Lines around a headline that are furniture, not text: a byline, the agency alone on a
# line, the release notice of a press release.
_BYLINE = re.compile(r"By [A-Z][^\n.!?]{1,60}|By:? [A-Z][A-Za-z.'’ -]{1,60}")
_AGENCY_LINE = re.compile(
    r"(?:The )?(?:Associated Press|AP|Reuters|AFP|Agence France-Presse|Bloomberg|"
    r"Bloomberg News|CNN|BBC News|Press Association|PA)",
    re.IGNORECASE,
)
_RELEASE_LINE = re.compile(
    r"(?:FOR IMMEDIATE RELEASE|NEWS RELEASE|PRESS RELEASE|MEDIA ADVISORY|MEDIA RELEASE)"
    r"[ \t:]*",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"(?:Media |Press |Investor )?Contacts?:", re.IGNORECASE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")
# A headline ending in one of these is a wrapped line of prose cut mid-sentence.
_FUNCTION_WORDS = frozenset(
    "a an the of to in on at for with by and or but from as that than into its their his her"
    " our your".split()
)
HEADLINE_MAX = 150


# "on Friday" says nothing in a headline shown beside its date.
# Only a comma or the first blank of a run may start a match, so a long run of blanks
# is not tried from each of its characters.
_WEEKDAY = re.compile(
    r"(?:,|(?<![\s,]))\s+(?:(?:late|early)\s+)?on\s+"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# A Markdown link or image, its text kept: no "[" in the text, one level of (...) in the
# address; so no "[" starts a scan to the end of the text that a later "[" repeats.
_PLAIN_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
# A block marker at a line's start; blanks only, never a newline, so each line is
# looked at once.
_PLAIN_MARKER = re.compile(r"^[^\S\n]*(?:#{1,6}|>|[-*+]|\d+[.)])[^\S\n]*", re.MULTILINE)


class Rejected(Exception):
    """The file is not a briefing; ``reason`` says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def keyword_text(article: ParsedArticle) -> str:
    """The text YAKE sees: every heading and paragraph a sentence of its own.

    YAKE joins lines before splitting sentences, so a heading without a
    full stop would glue onto the first sentence after it. Bounded in size
    (see :data:`KEYWORD_TEXT_MAX`), so that no file can stall the keyword step.
    """
    cjk = mostly_cjk(" ".join([article.title, *article.paragraphs[:3]]))
    proper = _proper_nouns(article.paragraphs)
    parts = [p if cjk else _sentence_case(p, proper) for p in [article.title, *article.headings]]
    parts += article.paragraphs
    limit = CJK_KEYWORD_TEXT_MAX if cjk else KEYWORD_TEXT_MAX
    kept: list[str] = []
    size = 0
    for part in parts:
        part = part[: limit - size]
        if not cjk:
            part = _OVERLONG_WORD.sub(" ", part)
        part = " ".join(part.split())
        if part:
            kept.append(_terminated(part))
            size += len(kept[-1]) + 2
        if size >= limit:
            break
    return "\n\n".join(kept)


def _proper_nouns(paragraphs: list[str]) -> set[str]:
    """Words the body capitalises where a sentence does not start."""
    found: set[str] = set()
    for paragraph in paragraphs:
        words = paragraph.split()
        for before, word in itertools.pairwise(words):
            if word[:1].isupper() and before[-1:] not in '.!?:"“':
                found.add(_without_possessive(word.strip(".,;:!?\"'()“”’")))
    return found


def _without_possessive(word: str) -> str:
    """ "Francisco" of "Francisco's": the name a possessive is written on."""
    return word[:-2] if word.endswith(("'s", "’s")) and len(word) > 2 else word


def _sentence_case(line: str, proper: set[str]) -> str:
    """Title Case and ALL-CAPS headings would pass for names; keep capitals only on
    real names, written as the body writes them ("CASSIDY" -> "Cassidy")."""
    by_lower = {p.lower(): p for p in proper}
    out = []
    for i, w in enumerate(line.split()):
        core = _without_possessive(w.strip(".,;:!?\"'()“”’"))
        known = by_lower.get(core.lower())
        if known is not None and ((core.isupper() and len(core) > 1) or core == known):
            out.append(w.replace(core, known))
        elif i == 0:
            out.append(w.capitalize() if core.isupper() and len(core) > 3 else w)
        else:
            out.append(w.lower() if w[:1].isupper() else w)
    return " ".join(out)


def _terminated(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?" else text + "."


def decode(data: bytes, max_bytes: int) -> str:
    """Bytes to text, or :class:`Rejected` with the reason a person needs."""
    if len(data) > max_bytes:
        raise Rejected(f"too large ({human_size(len(data))}, limit {human_size(max_bytes)})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Rejected("UTF-16 text; briefings must be UTF-8")
    if b"\x00" in data:
        raise Rejected("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Rejected(
            f"not UTF-8 text (invalid byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise Rejected("empty file" if not text else "file holds only whitespace")
    return text


def human_size(n: int) -> str:
    """Bytes as a person reads them: 512 B, 12 KB, 5.0 MB."""
    if n < 1024:
        return f"{n} B"
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KB"


def parse_briefing(data: bytes, path: PurePath, max_bytes: int = 5 * 1_048_576) -> ParsedArticle:
    """Parse one file's bytes. Raises :class:`Rejected` for files that are not briefings."""
    text = clean_text(decode(data, max_bytes))
    if not text.strip():
        raise Rejected("no readable text (only control characters)")
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return _parse_markdown(text)
    return _parse_text(text)


def _parse_text(text: str) -> ParsedArticle:
    """The reference format, or plain text without a date header."""
    warnings: list[str] = []
    date: str | None = None
    fmt = "text"
    header = _DATE_HEADER.match(text)
    if header:
        fmt = "reference"
        date = _valid_date(header.group(1), warnings)
        text = text[header.end() :]
    else:
        warnings.append("no 'date YYYY-MM-DD' header; stored as undated")
    blocks = [b for b in _blocks(text) if _has_words(b)]
    if not blocks:
        raise Rejected("no text after the date header" if header else "no text")
    headline, furniture, blocks = _split_headline(blocks)
    body_parts: list[str] = [_escape_markdown(" ".join(line.split())) for line in furniture]
    headings: list[str] = []
    paragraphs: list[str] = []
    for index, block in enumerate(blocks):
        if index > 0 and index < len(blocks) - 1 and _is_heading(block):
            headings.append(block)
            body_parts.append("## " + _escape_markdown(block))
        elif all(_LIST_ITEM.match(line) for line in block.split("\n")):
            paragraphs.extend(
                " ".join(_LIST_ITEM.sub("", line).split()) for line in block.split("\n")
            )
            body_parts.append(
                "\n".join(
                    "- " + _escape_markdown(_LIST_ITEM.sub("", line)) for line in block.split("\n")
                )
            )
        else:
            paragraph = " ".join(block.split())
            # The body keeps the dateline; keywords and a derived title do without it.
            paragraphs.append(strip_dateline(paragraph))
            body_parts.append(_escape_markdown(paragraph))
    first_paragraph = paragraphs[0] if paragraphs else headings[0]
    return ParsedArticle(
        title=cap_title(headline) if headline else derive_title(first_paragraph),
        body="\n\n".join(body_parts),
        date=date,
        format=fmt,
        warnings=warnings,
        headings=headings,
        paragraphs=paragraphs,
    )


def strip_dateline(paragraph: str) -> str:
    """The paragraph without a wire-service dateline at its start ("LOS ANGELES —")."""
    match = _DATELINE.match(paragraph)
    if match is None or match.end() == 0 or not _has_words(paragraph[match.end() :]):
        return paragraph
    # A dash alone at the start is not a dateline, nor capitals that are the sentence
    # ("NATO - the alliance"): a dateline has a place in capitals and an agency, or a
    # place of two or more capitals and a long dash.
    head = paragraph[: match.end()]
    if not re.search(r"[A-Z]{2}", head) and "(" not in head:
        return paragraph
    return paragraph[match.end() :]


def _split_headline(blocks: list[str]) -> tuple[str | None, list[str], list[str]]:
    """(headline, furniture lines, the blocks of the body) of a plain-text file.

    A short first line with no end punctuation, followed by a line break and more
    text, is the headline: the title, and no part of the first paragraph. A press
    release's notice ("FOR IMMEDIATE RELEASE"), with the letterhead above it and
    the contacts below it, and a byline or agency line under the headline are
    furniture: kept in the body, not keyword text.
    """
    furniture: list[str] = []
    notice = next(
        (
            i
            for i, block in enumerate(blocks[:3])
            if any(_RELEASE_LINE.fullmatch(line.strip()) for line in block.split("\n"))
        ),
        None,
    )
    if notice is not None and notice + 1 < len(blocks):
        taken = notice + 1
        while taken + 1 < len(blocks) and _CONTACT.match(blocks[taken]):
            taken += 1
        furniture = [line for block in blocks[:taken] for line in block.split("\n")]
        blocks = blocks[taken:]
    lines = blocks[0].split("\n")
    first = " ".join(lines[0].split())
    following = [line for line in lines[1:] if line.strip()]
    if not (following or blocks[1:]) or not _is_headline(first, following):
        return None, furniture, blocks
    while following and (
        _BYLINE.fullmatch(following[0].strip()) or _AGENCY_LINE.fullmatch(following[0].strip())
    ):
        furniture.append(following.pop(0))
    if not (following or blocks[1:]):
        return None, furniture, blocks  # nothing under the headline but its byline
    body = ["\n".join(following)] if following else []
    return first, furniture, body + blocks[1:]


def _is_headline(line: str, following: list[str]) -> bool:
    """A headline, not the first line of a hard-wrapped paragraph."""
    words = line.split()
    if not _has_words(line):
        return False
    cjk = _CJK.search(line) is not None  # no spaces between words: one "word" may be all
    if not (2 if not cjk else 1) <= len(words) <= 25 or len(line) > HEADLINE_MAX:
        return False
    if line.rstrip("\"'”’)」』）")[-1:] in ".,;:!?-。，；：！？、" or line[0].islower():
        return False
    if not (line[0].isalnum() or line[0] in "\"'“‘「『("):
        return False
    if _LIST_ITEM.match(line) or words[-1].lower() in _FUNCTION_WORDS:
        return False
    if not following:
        return True  # a line of its own, a blank line after it
    if following[0][:1].islower():
        return False  # the sentence goes on
    # Lines of one length are a paragraph wrapped at a width; a headline is shorter
    # or longer than the lines of text under it.
    if len(following) >= 2:
        width = max(len(x) for x in [line, *following[:-1]])
        if all(len(x) >= 0.85 * width for x in [line, *following[:-1]]):
            return False
    return True


def _blocks(text: str) -> list[str]:
    """Blocks of text separated by blank lines, each stripped."""
    return [b.strip() for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def _is_heading(block: str) -> bool:
    """A section heading: one short line with no sentence punctuation at its end."""
    if "\n" in block or len(block) > 80:
        return False
    words = block.split()
    return 1 <= len(words) <= 10 and block[-1] not in ".!?,;:\"'”’)" and block[0].isupper()


def _escape_markdown(text: str) -> str:
    """Keep plain text plain: '*', '_', '`', '[', '<' and a leading '#', '>' or '1.'
    would otherwise turn into emphasis, code, links, HTML or headings."""
    text = _MARKDOWN_INLINE.sub(r"\\\g<0>", text)
    if re.match(r"#|>|\d+[.)]\s|[-+]\s|={3,}|-{3,}", text):
        return "\\" + text
    return text


_MARKDOWN_INLINE = re.compile(r"[\\*_`\[\]<>|~]")


def _valid_date(value: Any, warnings: list[str]) -> str | None:
    """An ISO date string, or None with a warning naming the bad value (one too far in the
    future included: see :func:`briefing.dates.too_far_ahead`)."""
    date = _as_date(value, warnings)
    if date is not None and too_far_ahead(date):
        warnings.append(f"date {date} is in the future; stored as undated")
        return None
    return date


def _as_date(value: Any, warnings: list[str]) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raw = _scalar(value)[:40]
    if not raw:
        warnings.append(f"date is a {type(value).__name__}, not a date; stored as undated")
        return None
    iso = _ISO_DATE.match(raw)
    if iso:
        try:
            return dt.date.fromisoformat(iso.group(1)).isoformat()
        except ValueError:
            pass
    warnings.append(f"invalid date {raw!r}; stored as undated")
    return None


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: a few hundred bytes of nested aliases
    ("billion laughs") would otherwise expand into gigabytes."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not allowed in front matter")
        return super().compose_node(parent, index)


# Dates stay strings, checked by _valid_date: PyYAML's own timestamp parsing
# throws away the whole front matter over one impossible date.
_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_front_matter(source: str, warnings: list[str]) -> dict[str, Any]:
    try:
        loaded = yaml.load(source, Loader=_FrontMatterLoader)  # a SafeLoader, aliases refused
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        warnings.append(f"front matter is not valid YAML{where}; ignored")
        return {}
    except ValueError as error:  # PyYAML turns 2024-13-45 into a date and fails
        warnings.append(f"front matter has an impossible value ({error}); ignored")
        return {}
    except RecursionError:  # PyYAML recurses once per level of [[[[...]]]]
        warnings.append("front matter is nested too deeply; ignored")
        return {}
    if isinstance(loaded, dict):
        return loaded
    if loaded is not None:
        warnings.append("front matter is not a mapping of keys to values; ignored")
    return {}


def _scalar(value: Any) -> str:
    """A front matter value as one clean line; lists and mappings are not titles."""
    if isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool):
        return clean_line(str(value))
    return ""


def _parse_markdown(text: str) -> ParsedArticle:
    warnings: list[str] = []
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        text = text[match.end() :]
        meta = _load_front_matter(match.group(1) or "", warnings)
    text = _HTML_COMMENT.sub("", text)
    title = cap_title(_scalar(meta.get("title")))
    if not title:
        h1 = _H1.search(text)
        if h1:
            title = cap_title(clean_line(h1.group(1).rstrip(" \t#") or h1.group(1)[:1]))
            text = text[: h1.start()] + text[h1.end() :]
    body = text.strip()
    blocks = _blocks(body)
    paragraphs = [
        p
        for p in (strip_dateline(_plain(b)) for b in blocks if not b.startswith("#"))
        if _has_words(p) and not _RELEASE_LINE.fullmatch(p)
    ]
    headings = [h for h in (_plain(b) for b in blocks if b.startswith("#")) if _has_words(h)]
    if not paragraphs and not headings:
        raise Rejected("no text besides the front matter" if match else "no text")
    if not _has_words(title):
        title = derive_title(paragraphs[0] if paragraphs else headings[0])
    date = None
    if "date" in meta:
        date = _valid_date(meta["date"], warnings)
    else:
        warnings.append("no date in front matter; stored as undated")
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = tags.split(",")
    tags = [_scalar(t)[:TAG_LIMIT] for t in tags[:TAGS_MAX]] if isinstance(tags, list) else []
    return ParsedArticle(
        title=title,
        body=body,
        date=date,
        source=cap_title(_scalar(meta.get("source")), SOURCE_LIMIT) or None,
        tags=[t for t in tags if t],
        format="markdown",
        warnings=warnings,
        headings=headings,
        paragraphs=paragraphs,
    )


def _has_words(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _plain(markdown_block: str) -> str:
    """Rough Markdown to text for titles and keywords: markers and link targets dropped."""
    text = _PLAIN_LINK.sub(r"\1", markdown_block)
    text = _PLAIN_MARKER.sub("", text)
    text = re.sub(r"[*_`]{1,3}", "", text)
    return " ".join(text.split())


def first_sentence(paragraph: str) -> str:
    """The paragraph's first sentence, not fooled by 'U.S.' or 'Dr.'."""
    for match in _SENTENCE_END.finditer(paragraph):
        # Only the last few characters can hold an abbreviation: looking at them alone
        # (not the whole text before, at every sentence end) keeps this linear.
        if not _ABBREVIATION.search(paragraph, max(0, match.start() - 8), match.start()):
            return paragraph[: match.start()].strip()
    return paragraph.strip()


def cap_title(title: str, limit: int = TITLE_LIMIT) -> str:
    """An authored title (or source) kept to ``limit`` characters, cut at a word."""
    if len(title) <= limit:
        return title
    cut = title.rfind(" ", 0, limit - 1)
    if cut < limit // 2:
        cut = limit - 1
    return title[:cut].rstrip() + "…"


def derive_title(paragraph: str) -> str:
    """A headline from the opening paragraph, at most ~90 characters.

    Wire copy opens with a lead-in ("In a notable development amid ..., Israel
    has agreed to ..."); the news starts after it, so a long lead-in is dropped.
    A long sentence is cut at a clause boundary, else at a word boundary with
    an ellipsis.
    """
    sentence = first_sentence(paragraph).rstrip(".")
    if not _has_words(sentence):  # ". U.S." splits into "." and the rest
        sentence = " ".join(paragraph.split()).lstrip(" .")
    if not _has_words(sentence):
        return "Untitled briefing"
    if len(sentence) > TITLE_MAX:
        sentence = _WEEKDAY.sub("", sentence)
    intro = _INTRO_PHRASE.match(sentence)
    if intro and len(sentence) > TITLE_MAX and len(sentence) - intro.end() > 25:
        rest = sentence[intro.end() :]
        sentence = rest[0].upper() + rest[1:]
    if len(sentence) <= TITLE_MAX:
        return sentence
    clause_cut = max(sentence.rfind(mark, 60, TITLE_MAX) for mark in (", ", "; ", " — ", " - "))
    if clause_cut > 0:
        return sentence[:clause_cut].rstrip()
    cut = sentence.rfind(" ", 0, TITLE_MAX - 1)
    if cut < 20:
        cut = TITLE_MAX - 1
    return sentence[:cut].rstrip(" ,;:-") + "…"
