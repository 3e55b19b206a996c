"""Turn the HTML of a feed entry into the Markdown briefing stores, and into plain text.

Feed HTML is untrusted and often messy. What a reader could never see in a
terminal, or should never be handed, goes before conversion: scripts, styles,
frames, forms, embedded objects, and images carried inline as ``data:`` URIs
(megabytes of base64 that would flood the text). Links keep only addresses a
person could open (http, https, mailto). Text stays text: Markdown's special
characters in it are escaped, so a ``*`` or a ``<script>`` written in an
article is shown as written, not interpreted.

The conversion itself is markdownify's (on BeautifulSoup's tree); the plain
text for titles and keywords is read from the same cleaned tree, so it never
holds Markdown escapes or link targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from bs4.element import (
    CData,
    Comment,
    Declaration,
    Doctype,
    PageElement,
    ProcessingInstruction,
    Tag,
)
from markdownify import ATX, MarkdownConverter

from briefing.sanitize import clean_line, clean_text

# Elements whose content is never article text.
DROPPED_ELEMENTS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "svg",
    "math",
    "canvas",
    "head",
    "title",
    "meta",
    "link",
    "base",
)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})

# Elements that end a run of text: each becomes a paragraph of its own in the plain text.
_BLOCKS = (
    "p",
    "div",
    "li",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "figcaption",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "ul",
    "ol",
    "dl",
    "hr",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Deeper trees are not parsed: BeautifulSoup's tree building is quadratic in the depth
# (100,000 nested <b> take minutes), and markdownify recurses once per level.
MAX_NESTING = 150
# Every pattern that runs on a feed's HTML must take time linear in its length. A tag's
# parts are possessive (no way to split them twice), and patterns ending in ">" only ever
# run up to the last ">" of the text (see _before_last_tag_end): beyond it every start
# would scan to the end and fail, once per "<".
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*+)([^>]*+)>")  # self-closing: group 3 ends in /
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_DROPPED_CONTENT = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg|math|textarea|title)\b.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAG = re.compile(rf"</?(?:{'|'.join(_BLOCKS)})\b[^>]*+>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*+>")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
# How far up inline elements to look for the block a run of text belongs to.
BLOCK_SEARCH_DEPTH = 64
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")


@dataclass
class Converted:
    """An HTML fragment as Markdown, with the plain text of its headings and paragraphs."""

    markdown: str
    headings: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def html_to_markdown(html: str) -> Converted:
    """Convert an untrusted HTML fragment; the result is free of control characters."""
    html = _drop_unfinished_tag(clean_text(html))
    if _nesting_exceeds(html, MAX_NESTING):
        blocks = _stripped_text_blocks(html)
        return Converted("\n\n".join(escape_plain_text(b) for b in blocks), [], blocks)
    soup = BeautifulSoup(html, "html.parser")
    _clean_tree(soup)
    blocks = _plain_blocks(soup)
    try:
        markdown = _Converter().convert_soup(soup)
    except RecursionError:  # elements nested hundreds deep: keep the words, lose the layout
        markdown = "\n\n".join(escape_plain_text(block) for block in blocks)
    headings = [h for h in (clean_line(h.get_text(" ")) for h in soup.find_all(_HEADINGS)) if h]
    heading_set = set(headings)
    paragraphs = [p for p in blocks if p not in heading_set]
    return Converted(_tidy(markdown), headings, paragraphs)


def plain_text(html: str) -> str:
    """The text of an HTML fragment on one line (for titles, which feeds may mark up)."""
    html = _drop_unfinished_tag(clean_text(html))
    if _nesting_exceeds(html, MAX_NESTING):
        return " ".join(_stripped_text_blocks(html))
    soup = BeautifulSoup(html, "html.parser")
    _clean_tree(soup)
    return clean_line(soup.get_text(" "))


def _nesting_exceeds(html: str, limit: int) -> bool:
    """Whether the tree BeautifulSoup would build is more than ``limit`` elements deep.

    Follows html.parser's rules as BeautifulSoup applies them: void elements
    hold nothing, an end tag closes its most recent open namesake and all
    inside it, and an end tag with none open is ignored. Stops at the limit,
    so it costs at most ``limit`` steps per tag.
    """
    stack: list[str] = []
    for match in _TAG.finditer(html, 0, html.rfind(">") + 1):
        name = match.group(2).lower()
        if not match.group(1):
            if name not in _VOID and not match.group(3).endswith("/"):
                stack.append(name)
                if len(stack) > limit:
                    return True
        elif name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name) :]
    return False


def _stripped_text_blocks(html: str) -> list[str]:
    """The text of HTML too deeply nested to parse: dropped elements cut out, tags
    removed, entities decoded. Crude, but linear, and it only ever yields text."""
    text = _DROPPED_CONTENT.sub(" ", html)
    text = _before_last_tag_end(_BLOCK_TAG, "\n\n", text)
    text = unescape(_before_last_tag_end(_ANY_TAG, "", text))
    return [line for line in (clean_line(b) for b in re.split(r"\n\s*\n", text)) if line]


def _before_last_tag_end(pattern: re.Pattern[str], replacement: str, text: str) -> str:
    """``pattern.sub`` for a pattern that ends in ">": no match can end after the last one."""
    cut = text.rfind(">") + 1
    return pattern.sub(replacement, text[:cut]) + text[cut:]


def _drop_unfinished_tag(html: str) -> str:
    """HTML without a tag left open at its very end (``<a href="x`` and no ``>``).

    HTML drops a tag cut off by the end of the text; CPython's html.parser
    (3.11.7, for one) re-reads such a tail once per ``<`` in it, which is
    quadratic. A ``<`` that starts no tag (``a < b``) is text, and stays.
    """
    cut = html.rfind(">") + 1
    start = _TAG_START.search(html, cut)
    return html if start is None else html[: start.start()]


def escape_plain_text(text: str) -> str:
    """Plain text as Markdown that shows it as written: blank lines still part paragraphs."""
    escaped = _Converter().escape(clean_text(text), set())
    return _tidy(escaped)


def _clean_tree(soup: BeautifulSoup) -> None:
    """Drop what is never text, keep only safe addresses, and clean every piece of text.

    Text is cleaned after parsing as well as before: ``&#27;[2J`` is harmless
    until the parser turns the reference into an ESC character.
    """
    for element in soup.find_all(DROPPED_ELEMENTS):
        if not element.decomposed:  # not already gone with an enclosing one
            element.decompose()
    for string in soup.find_all(string=True):
        cleaned = clean_text(str(string))
        if cleaned != string:
            string.replace_with(type(string)(cleaned))
    for image in soup.find_all("img"):
        if _scheme(image.get("src")) not in IMAGE_SCHEMES:
            alt = clean_line(_attribute(image, "alt"))
            if alt:
                image.replace_with(alt)
            else:
                image.decompose()
        else:
            image["src"] = safe_address(_attribute(image, "src"))
            image["alt"] = clean_line(_attribute(image, "alt"))
            if image.has_attr("title"):
                del image["title"]
    for link in soup.find_all("a"):
        if _scheme(link.get("href")) in LINK_SCHEMES:
            link["href"] = safe_address(_attribute(link, "href"))
        elif link.has_attr("href"):
            del link["href"]  # javascript:, data:, relative leftovers: keep the words only
        if link.has_attr("title"):
            del link["title"]


def _attribute(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value or ""


def _scheme(address: object) -> str:
    if not isinstance(address, str):
        return ""
    try:
        return urlsplit(address.strip()).scheme.lower()
    except ValueError:
        return ""


def safe_address(address: str) -> str:
    """An address that cannot end a Markdown link early or break its line."""
    address = "".join(clean_text(address).split())  # whitespace has no place in one
    return address.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def _plain_blocks(soup: BeautifulSoup) -> list[str]:
    """Every block's text on one line, in document order.

    Runs of text with the same nearest block element make one block. Read
    without changing the tree, in one pass: hostile HTML nested thousands deep
    must not make this quadratic (BeautifulSoup's inserts walk the tree).
    """
    blocks: list[list[str]] = []
    current: object = None
    for string in soup.find_all(string=True):
        if isinstance(string, (Comment, Doctype, Declaration, ProcessingInstruction, CData)):
            continue
        block = _nearest_block(string)
        if block is not current or not blocks:
            blocks.append([])
            current = block
        blocks[-1].append(str(string))
    return [line for line in (clean_line("".join(b)) for b in blocks) if line]


def _nearest_block(element: PageElement) -> object:
    parent = element.parent
    for _ in range(BLOCK_SEARCH_DEPTH):
        if parent is None or parent.name in _BLOCKS:
            break
        parent = parent.parent
    return parent


def _tidy(markdown: str) -> str:
    markdown = clean_text(markdown).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in markdown.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


class _Converter(MarkdownConverter):
    """markdownify with briefing's Markdown style: # headings, - bullets, text escaped."""

    def __init__(self) -> None:
        super().__init__(heading_style=ATX, bullets="-", escape_misc=True, autolinks=True)

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """Text made safe for Markdown (markdownify's own escaping, typed)."""
        escaped: str = super().escape(text, parent_tags)  # type: ignore[misc]
        return escaped
