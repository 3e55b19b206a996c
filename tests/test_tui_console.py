"""On the Linux console (TERM=linux) every character the reader draws is in the console's
font, and the cursor row is readable in its 16 colours."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.style import Style
from textual.widgets import OptionList

from briefing.tui.app import BODY_DELAY
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.sidebar import KeywordSidebar

# What the kernel's built-in font (cp437.uni) and console-setup's Lat15 and Uni2 fonts
# all have, besides ASCII: an unknown character is drawn as a box or a question mark.
CONSOLE_SAFE = set("─│┌┐└┘├┤┬┴┼═║╔╗╚╝╠╣╦╩╬█░▒·↑↓←→▲▼")


def unsafe(text: str) -> set[str]:
    return {c for c in text if ord(c) > 126 and c not in CONSOLE_SAFE}


@pytest.mark.parametrize(
    "keys",
    [(), ("question_mark",), ("slash",), ("t",), ("l",), ("w",), ("ctrl+p",), ("enter",)],
    ids=["main", "help", "search", "trends", "links", "save-view", "palette", "reader"],
)
async def test_the_linux_console_is_drawn_with_its_own_glyphs(
    sample_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    screen_text: Callable[..., str],
    keys: tuple[str, ...],
) -> None:
    monkeypatch.setenv("TERM", "linux")
    async with running(sample_db, size=(80, 24)) as (app, pilot):  # narrow: meta line cut
        await pilot.pause(BODY_DELAY + 0.1)
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        app.notify("A toast")  # its left border
        await settle(pilot)
        text = screen_text(app)
        assert not unsafe(text), text


async def test_filters_and_lists_in_an_article_use_the_console_font_too(
    sample_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    screen_text: Callable[..., str],
    add_article: Callable[..., int],
) -> None:
    """The breadcrumb between filter keywords and Markdown's bullets."""
    monkeypatch.setenv("TERM", "linux")
    add_article(
        sample_db,
        "2099-01-01",
        ["ports", "grain"],
        title="Ports reopen",
        body="Ships wait:\n\n- grain\n- steel\n  - coils\n",
    )
    async with running(sample_db, size=(120, 30)) as (app, pilot):
        await pilot.pause(BODY_DELAY + 0.1)
        await settle(pilot)
        app.post_message(KeywordSidebar.Chosen("ports", "ports"))
        await settle(pilot)
        app.post_message(KeywordSidebar.Chosen("grain", "grain"))
        await pilot.pause(BODY_DELAY + 0.1)
        await settle(pilot)
        text = screen_text(app)
        assert "ports > grain" in text and "* grain" in text, text
        assert not unsafe(text), text


# The Linux console's palette (VGA): colours 0-7 for backgrounds, 0-15 for text.
VGA = [
    (0, 0, 0), (170, 0, 0), (0, 170, 0), (170, 85, 0),
    (0, 0, 170), (170, 0, 170), (0, 170, 170), (170, 170, 170),
    (85, 85, 85), (255, 85, 85), (85, 255, 85), (255, 255, 85),
    (85, 85, 255), (255, 85, 255), (85, 255, 255), (255, 255, 255),
]  # fmt: skip


def contrast(style: Style) -> float:
    """WCAG's contrast ratio of a style's text on its background, as the console draws
    them: a bold foreground is the bright one, a background is one of the first eight."""
    assert style.color is not None and style.bgcolor is not None, style
    foreground, background = style.color.number, style.bgcolor.number
    assert foreground is not None and background is not None, style
    if style.bold and foreground < 8:
        foreground += 8
    background %= 8

    def luminance(index: int) -> float:
        linear = [
            c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in VGA[index]
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


async def test_the_cursor_reads_well_in_the_console_palette_with_focus_and_without(
    sample_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    monkeypatch.setenv("TERM", "linux")
    monkeypatch.delenv("NO_COLOR")
    async with running(sample_db) as (app, pilot):
        article_list = app.query_one(ArticleList)
        keywords = app.query_one("#top-keywords", OptionList)
        keywords.highlighted = 0
        focused = article_list.get_component_rich_style("article-list--cursor")
        blurred = keywords.get_component_rich_style("option-list--option-highlighted")
        keywords.focus()
        await settle(pilot)
        assert contrast(focused) >= 4.5
        assert contrast(keywords.get_component_rich_style("option-list--option-highlighted")) >= 4.5
        for list_without_focus in (
            article_list.get_component_rich_style("article-list--cursor"),
            blurred,
        ):
            row = article_list.rich_style
            assert list_without_focus.color != row.color, "the cursor row looks like any other"
            assert contrast(list_without_focus) >= 4.5


async def test_rows_still_loading_use_the_console_font(
    sample_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    screen_text: Callable[..., str],
) -> None:
    """A row whose page is still being fetched shows a placeholder mark."""
    monkeypatch.setenv("TERM", "linux")
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        article_list = app.query_one(ArticleList)
        monkeypatch.setattr(article_list, "_request_page", lambda number: None)  # never comes
        article_list._pages.clear()
        article_list.refresh()
        await settle(pilot)
        text = screen_text(app)
        assert "   ~" in text and not unsafe(text), text


@pytest.mark.parametrize("keys", [(), ("enter",), ("K",)], ids=["list", "reader", "keywords"])
async def test_a_stack_on_the_console_draws_no_line_between_panes(
    sample_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    screen_text: Callable[..., str],
    keys: tuple[str, ...],
) -> None:
    """One pane at a time: no divider at either edge (the console's own borders did)."""
    monkeypatch.setenv("TERM", "linux")
    async with running(sample_db, size=(80, 24)) as (app, pilot):
        await pilot.press(*keys)
        await settle(pilot)
        rows = screen_text(app).splitlines()[1:-1]
        assert not [row for row in rows if row.rstrip().endswith("│")], rows
        assert not [row for row in rows if row.startswith("│")], rows
