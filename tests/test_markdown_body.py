"""The reader's body widget: Markdown made into lines of text, never into markup."""

from __future__ import annotations

from textual.content import Content

from briefing.tui.widgets.markdown_body import blocks_of, render_block

ARTICLE = """# Big title

Intro with **bold**, *em*, `code` and a [link](https://example.org/a) that runs on.

## Second heading

- item one, long enough to wrap around the narrow width given here
- item two
  - nested
1. first
2. second

> a quote

```
code line
    indented
```

| name | value |
|------|-------|
| a    | 1     |

---

Not markup: [b]bold?[/b] [link=https://x]y[/link] and [x](javascript:alert(1))
"""


def lines(markdown: str, width: int = 50) -> list[str]:
    out: list[Content] = []
    for number, block in enumerate(blocks_of(markdown)):
        if number:
            out.extend(Content("") for _ in range(block.gap))
        out.extend(render_block(block, width, lambda content: content))
    return [line.plain.rstrip() for line in out]


def test_what_a_person_sees_headings_lists_quotes_code_tables() -> None:
    text = lines(ARTICLE)
    assert text[0].strip() == "Big title"
    assert all(len(line) <= 50 for line in text)
    assert "• item one, long enough to wrap around the narrow" in text
    assert "  width given here" in text  # a hanging indent under the bullet
    assert "  ▪ nested" in text
    assert "1. first" in text and "2. second" in text
    assert "│ a quote" in text
    assert "    indented" in text  # code keeps its spaces
    assert "name │ value" in text and "a    │ 1" in text
    assert "Second heading" in text


def test_article_text_is_never_markup_and_links_do_not_open() -> None:
    text = "\n".join(lines(ARTICLE, 100))
    assert "[b]bold?[/b] [link=https://x]y[/link]" in text
    assert "[x](javascript:alert(1))" in text  # markdown-it refuses the address: text
    link = next(b for b in blocks_of(ARTICLE) if "Intro" in b.content.plain)
    actions = [span.style for span in link.content.spans if not isinstance(span.style, str)]
    assert actions and all(  # a click asks the app to copy it, nothing else
        style.meta == {"@click": "link('https://example.org/a')"}  # type: ignore[union-attr]
        for style in actions
    )
