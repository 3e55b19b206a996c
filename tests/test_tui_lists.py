"""Every list of the reader moves with j and k (and g, G), as the article list does;
q closes a dialog as Escape does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from briefing.tui.widgets.related_list import RelatedList


@pytest.mark.slow
@pytest.mark.parametrize("where", ["related", "article-keywords", "top-keywords"])
async def test_j_k_g_and_G_move_in_every_list(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    where: str,
) -> None:
    async with running(sample_db, size=(120, 40)) as (app, pilot):
        found = app.query_one(RelatedList) if where == "related" else app.query_one(f"#{where}")
        assert isinstance(found, OptionList) and found.option_count >= 3
        found.focus()
        found.highlighted = 0
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert found.highlighted == 1
        await pilot.press("j", "k")
        await settle(pilot)
        assert found.highlighted == 1
        await pilot.press("G")
        await settle(pilot)
        assert found.highlighted == found.option_count - 1
        await pilot.press("g")
        await settle(pilot)
        assert found.highlighted == 0
        assert app.focused is found


@pytest.mark.parametrize("opens", ["question_mark", "l", "t", "v"])
async def test_q_closes_a_dialog_as_escape_does_and_leaves_the_reader_open(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    opens: str,
) -> None:
    async with running(sample_db) as (app, pilot):
        main = app.screen
        await pilot.press(opens)
        await settle(pilot)
        assert app.screen is not main
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is main and app.is_running
