"""Where the focus shows. A person must see which pane the keys go to: the reader's
title takes the accent colour while the reader has the focus. The reader restyles only
itself and its title when the focus moves (everything in it would cost 3 ms of each
Enter and Escape), so no rule may show its focus on anything else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.css.model import SelectorType
from textual.widgets import Static

from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane


async def test_the_reader_title_shows_where_the_keys_go(
    sample_db: Path, settle: Callable[..., Awaitable[None]], running: Callable[..., Any]
) -> None:
    async with running(sample_db, size=(160, 48)) as (app, pilot):
        title = app.query_one("#reader-title", Static)
        in_list = title.rich_style.color
        await pilot.press("tab")  # the keys go to the reader
        await settle(pilot)
        assert app.focused is app.query_one(ReaderPane)
        in_reader = title.rich_style.color
        assert in_reader != in_list
        app.query_one(ArticleList).focus()
        await settle(pilot)
        assert title.rich_style.color == in_list


async def test_no_rule_shows_the_reader_focus_outside_its_title(
    sample_db: Path, running: Callable[..., Any]
) -> None:
    async with running(sample_db, size=(160, 48)) as (app, _pilot):
        shown_in: list[str] = []
        for rule in app.stylesheet.rules:
            for selector_set in rule.selector_set:
                *ancestors, target = selector_set.selectors
                if any(
                    selector.name == "ReaderPane" and selector.pseudo_classes & {"focus"}
                    for selector in ancestors
                ):
                    shown_in.append(
                        f"#{target.name}" if target.type is SelectorType.ID else target.name
                    )
        assert shown_in and set(shown_in) == {"#reader-title"}, shown_in
