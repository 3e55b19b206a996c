"""The reader, driven with Textual's pilot the way a person drives it: keys in, screen out."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from briefing.config import Config, ConfigError
from briefing.models import ArticleFilter
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.query import KeywordFilter, ListQuery
from briefing.tui.screens.help import HelpScreen
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.markdown_body import MarkdownBody
from briefing.tui.widgets.reader_pane import ReaderPane
from briefing.tui.widgets.search_bar import SearchBar
from briefing.tui.widgets.sidebar import KeywordSidebar

FOLLOW = Config(preview="follow")  # the reader shows the row under the cursor as it moves

# The newest date an article may have (a later one is refused as undated): at the top.
TODAY = dt.date.today().isoformat()


async def all_rows_loaded(
    app: BriefingApp, pilot: Pilot[None], settle: Callable[..., Awaitable[None]]
) -> None:
    """Wait (a few seconds at most) until every row's page has been fetched: pages are
    fetched when rows are drawn, which on a loaded machine may follow the last worker."""
    article_list = app.query_one(ArticleList)
    for _ in range(50):
        if all(article_list.summary_at(i) for i in range(article_list.article_count)):
            return
        await pilot.pause(0.1)
        await settle(pilot)


async def test_start_shows_newest_article_in_list_and_reader(
    sample_db: Path, screen_text: Callable[..., str], running: Callable[..., Any]
) -> None:
    async with running(sample_db, size=(120, 30)) as (app, _pilot):  # panes side by side
        with Store.open(sample_db) as store:
            newest = store.articles.newest_first(limit=1)[0]
            count = store.articles.count()
        text = screen_text(app)
        assert count >= 30 and f"{count} articles" in text
        assert "Yesterday" in text or "November" in text  # date headings
        assert app.article is not None and app.article.id == newest.id
        title_start = newest.title[:25]
        assert text.count(title_start) >= 2  # in the list and in the reader


async def test_cursor_keys_move_and_update_the_reader(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    with Store.open(sample_db) as store:
        order = [a.id for a in store.articles.newest_first(limit=100)]
    async with running(sample_db, config=FOLLOW) as (app, pilot):
        await pilot.press("j")
        await settle(pilot)
        assert app.article is not None and app.article.id == order[1]
        assert app.article.title[:30] in screen_text(app)
        await pilot.press("G")
        await settle(pilot)
        assert app.article.id == order[-1]
        await pilot.press("g")
        await settle(pilot)
        assert app.article.id == order[0]
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert app.article.id == order[app.query_one(ArticleList).size.height // 2]
        await pilot.press("k")
        await settle(pilot)
        assert app.article.id == order[app.query_one(ArticleList).size.height // 2 - 1]


@pytest.mark.slow
async def test_keyword_filters_narrow_with_and_and_come_off_with_backspace(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    async with running(sample_db, size=(160, 48)) as (app, pilot):
        sidebar = app.query_one(KeywordSidebar)
        assert sidebar.display  # wide enough for the sidebar
        # Tab from the list to the reader, its related briefings, then to this article's
        # keywords in the sidebar.
        await pilot.press("tab", "tab", "tab")
        await settle(pilot)
        first_keyword = app.article.keywords[0] if app.article else None
        assert first_keyword is not None
        await pilot.press("enter")
        await settle(pilot)
        with Store.open(sample_db) as store:
            expected = {
                a.id
                for a in store.articles.newest_first(
                    ArticleFilter(keywords=(first_keyword.key,)), limit=500
                )
            }
        assert set(listed_ids(app)) == expected
        assert f"filter: {first_keyword.display}" in screen_text(app)
        # A second keyword from the top keywords of the selection narrows further.
        await pilot.press("tab", "tab", "tab", "tab")
        await settle(pilot)
        top = app.query_one("#top-keywords")
        assert app.focused is top
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.list_query.keywords) == 2
        keys = tuple(keyword.key for keyword in app.list_query.keywords)
        with Store.open(sample_db) as store:
            both = {
                a.id for a in store.articles.newest_first(ArticleFilter(keywords=keys), limit=500)
            }
        assert set(listed_ids(app)) == both and both <= expected
        assert " › " in screen_text(app)
        await pilot.press("backspace")
        await settle(pilot)
        assert set(listed_ids(app)) == expected
        await pilot.press("backspace")
        await settle(pilot)
        assert len(listed_ids(app)) >= 30


async def test_search_finds_highlights_and_escape_returns(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    async with running(sample_db, config=FOLLOW) as (app, pilot):
        before = listed_ids(app)
        await pilot.press("slash")
        await pilot.press(*"OPEC")
        await pilot.press("enter")
        await settle(pilot)
        with Store.open(sample_db) as store:
            hits = [h.article.id for h in store.articles.search("OPEC", limit=500)]
        assert listed_ids(app) == hits
        assert app.article is not None and app.article.id == hits[0]
        text = screen_text(app)
        assert "search: OPEC" in text
        assert app.article.date is not None and app.article.date in text  # ranked rows: full date
        body = app.query_one(MarkdownBody)
        highlighted = [
            block.plain[span.start : span.end]
            for block in body.contents
            for span in block.spans
            if span.style == "reverse"
        ]
        assert highlighted and all(word.lower().startswith("opec") for word in highlighted)
        await pilot.press("escape")  # closes the search box, leaves the search
        await settle(pilot)
        assert listed_ids(app) == before
        assert not app.query_one(SearchBar).display


async def test_malformed_search_shows_inline_message(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    async with running(sample_db) as (app, pilot):
        before = listed_ids(app)
        await pilot.press("slash", *'"unbalanced', "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "bad search query" in text
        assert listed_ids(app) == before
        assert app.query_one(SearchBar).display


@pytest.mark.slow
async def test_star_and_read_persist_across_a_restart(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    config = Config(mark_read="never", preview="follow")
    async with running(sample_db, size=(120, 30), config=config) as (
        app,
        pilot,
    ):  # the reader shows
        await pilot.press("j")
        await settle(pilot)
        assert app.article is not None
        article_id = app.article.id
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "starred" in screen_text(app)
    with Store.open(sample_db) as store:
        article = store.articles.get(article_id)
        assert article is not None and article.starred and article.read
    async with running(sample_db) as (app, pilot):
        assert app.article is not None and app.article.id == article_id  # last article is back
        await pilot.press("asterisk")
        await settle(pilot)
        assert listed_ids(app) == [article_id]
    async with running(sample_db) as (app, pilot):
        assert app.list_query.starred_only  # the filter came back too
        assert listed_ids(app) == [article_id]


@pytest.mark.slow
async def test_opening_marks_read_and_select_marks_after_a_moment(
    sample_db: Path, settle: Callable[..., Awaitable[None]], running: Callable[..., Any]
) -> None:
    async with running(sample_db, config=Config(mark_read="open")) as (app, pilot):
        assert app.article is not None and not app.article.read
        await pilot.press("enter")
        await settle(pilot)
        assert app.article.read
        assert isinstance(app.focused, ReaderPane)
    follow = Config(mark_read="select", preview="follow")
    async with running(sample_db, size=(120, 30), config=follow) as (app, pilot):  # reader shown
        await pilot.press("j")
        await settle(pilot)
        assert app.article is not None and not app.article.read
        await pilot.pause(1.3)
        await settle(pilot)
        assert app.article.read


async def test_help_lists_the_bindings_with_remapped_keys(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    config = Config(keymap={"toggle_star": "f"})
    async with running(sample_db, config=config) as (app, pilot):
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("Search", "Toggle the star", "Unread articles only", "Quit"):
            assert words in text
        assert "f " in text.split("Toggle the star")[0].splitlines()[-1]
        await pilot.press("G")  # the help scrolls like the reader
        await settle(pilot)
        text = screen_text(app)
        for words in ("Close the dialog", "Filter the list by the keyword", "ctrl+p"):
            assert words in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f")  # the remapped key stars
        await settle(pilot)
        assert app.article is not None and app.article.starred


async def test_command_palette_lists_every_action(
    sample_db: Path, running: Callable[..., Any]
) -> None:
    async with running(sample_db) as (app, _pilot):
        titles = {command.title for command in app.get_system_commands(app.screen)}
    for title in (
        "Toggle the star",
        "Search",
        "Unread articles only",
        "Back where you came from",
        "Next",
        "Help",
    ):
        assert title in titles


def test_unknown_keymap_entry_is_a_config_error(sample_db: Path) -> None:
    with Store.open(sample_db) as store, pytest.raises(ConfigError, match=r"keymap\.nope"):
        BriefingApp(store, Config(keymap={"nope": "x"}))


async def test_layout_panes_keeps_list_and_reader_side_by_side_at_80x24(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db, size=(80, 24), config=Config(layout="panes")) as (app, pilot):
        article_list = app.query_one(ArticleList)
        reader = app.query_one(ReaderPane)
        assert article_list.region.width >= 30 and reader.region.width >= 40
        assert not app.query_one(KeywordSidebar).display
        text = screen_text(app)
        assert all(len(line) <= 80 for line in text.splitlines())
        await pilot.press("K")
        await settle(pilot)
        assert app.query_one(KeywordSidebar).display
        assert "Top keywords" in screen_text(app)


async def test_links_are_copied_not_opened(
    sample_db: Path,
    tmp_path: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "l.md").write_text(
        f"---\ntitle: Linked\ndate: {TODAY}\n---\n\nSee [the report](https://example.org/r).\n"
    )
    from briefing.ingest.files import ingest

    with Store.open(sample_db) as store:
        ingest(store, [folder])
    async with running(sample_db) as (app, pilot):
        assert app.article is not None and app.article.title == "Linked"
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.clipboard == "https://example.org/r"
        assert "Copied link" in screen_text(app)


HOSTILE = (
    f"date {TODAY} Breaking [bold]news[/] [@click=app.quit]now[/] \x1b[31mred\x1b[0m "
    "about the ceasefire talks.\n\n"
    "Body text with [link](javascript:alert) and [b]markup[/b] and $variables and "
    "\x1b]0;title\x07 escapes, about the ceasefire talks.\n"
)


async def test_hostile_article_renders_literally(
    sample_db: Path,
    tmp_path: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    from briefing.ingest.files import ingest

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "h.txt").write_text(HOSTILE)
    with Store.open(sample_db) as store:
        ingest(store, [tmp_path / "in"])
    async with running(sample_db, size=(160, 48)) as (app, pilot):
        text = screen_text(app)
        assert "[bold]news[/]" in text  # in the list and the reader, as typed
        assert "[@click=app.quit]now[/]" in text
        assert "[b]markup[/b]" in text
        assert "\x1b" not in text
        await pilot.click(ReaderPane, offset=(5, 1))  # a click on the title does nothing bad
        await settle(pilot)
        assert app.is_running


async def test_empty_result_leaves_nothing_to_star(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    async with running(sample_db) as (app, pilot):
        await pilot.press("slash", *"zyzzyva", "enter")
        await settle(pilot)
        assert listed_ids(app) == [] and app.article is None
        assert "Nothing matches this search" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
    with Store.open(sample_db) as store:
        assert store.articles.newest_first(ArticleFilter(starred_only=True)) == []


async def test_star_right_after_a_move_stars_the_article_under_the_cursor(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    async with running(sample_db, config=Config(mark_read="never")) as (app, pilot):
        await pilot.press("G", "k", "s")  # no pause: the reader may not have caught up
        await settle(pilot)
        current = app.query_one(ArticleList).current
        assert current is not None and current.starred
    with Store.open(sample_db) as store:
        starred = store.articles.newest_first(ArticleFilter(starred_only=True))
        second_oldest = store.articles.newest_first(limit=2, offset=store.articles.count() - 2)[0]
    assert [a.id for a in starred] == [second_oldest.id]


@pytest.mark.slow
async def test_bad_query_after_a_good_one_changes_nothing(
    sample_db: Path,
    screen_text: Callable[..., str],
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    # No article turns read by resting on screen while the test runs (a loaded machine
    # may take over a second), so "unread only" selects what the test expects.
    async with running(sample_db, config=Config(mark_read="never")) as (app, pilot):
        await pilot.press("slash", *"oil", "enter")
        await settle(pilot)
        results = listed_ids(app)
        await pilot.press("slash", "ctrl+a", *"NEAR(", "enter")
        await settle(pilot)
        assert app.list_query.search == "oil" and listed_ids(app) == results
        assert "bad search query" in screen_text(app)
        await pilot.press("escape")  # close the box: back to the oil results' list
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await all_rows_loaded(app, pilot, settle)
        assert app.list_query.unread_only and all(
            not app.query_one(ArticleList).summary_at(i).read  # type: ignore[union-attr]
            for i in range(app.query_one(ArticleList).article_count)
        )


async def test_sidebar_follows_resizes_and_takes_the_readers_place_when_narrow(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
) -> None:
    panes = Config(layout="panes")  # stacked, 80 columns show one pane at a time
    async with running(sample_db, size=(160, 48), config=panes) as (app, pilot):
        sidebar, reader = app.query_one(KeywordSidebar), app.query_one(ReaderPane)
        assert sidebar.display and reader.display
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not sidebar.display and reader.display
        await pilot.press("K")
        await settle(pilot)
        assert sidebar.display and not reader.display
        assert sidebar.region.width >= 30
        await pilot.press("K")
        await settle(pilot)
        assert reader.display and not sidebar.display
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert reader.display


async def test_search_combines_with_a_keyword_and_the_sidebar_counts_the_results(
    sample_db: Path,
    settle: Callable[..., Awaitable[None]],
    running: Callable[..., Any],
    listed_ids: Callable[..., list[int]],
) -> None:
    with Store.open(sample_db) as store:
        keyword = store.keywords.top(1)[0]
        expected = [
            h.article.id
            for h in store.articles.search("oil", ArticleFilter(keywords=(keyword.key,)), 500)
        ]
    async with running(sample_db, size=(160, 48)) as (app, pilot):
        app.list_query = ListQuery(keywords=(KeywordFilter(keyword.key, keyword.display),))
        await settle(pilot)
        await pilot.press("slash", *"oil", "enter")
        await settle(pilot)
        assert listed_ids(app) == expected
        top = app.query_one("#top-keywords", OptionList)
        counts = [
            str(top.get_option_at_index(i).prompt).split()[-1] for i in range(top.option_count)
        ]
        assert counts and all(int(count) <= len(expected) for count in counts)


@pytest.mark.slow
async def test_list_scrolls_by_jumps_and_keeps_the_cursor_in_view(
    sample_db: Path, settle: Callable[..., Awaitable[None]], running: Callable[..., Any]
) -> None:
    async with running(sample_db) as (app, pilot):
        article_list = app.query_one(ArticleList)
        offsets = []
        for _ in range(28):
            await pilot.press("j")
            await pilot.pause()
            offsets.append(int(article_list.scroll_y))
            row = article_list.listing.layout.row_of(article_list.cursor)
            assert offsets[-1] <= row < offsets[-1] + article_list.size.height
        await settle(pilot)
        jumps = sum(1 for before, after in itertools.pairwise(offsets) if before != after)
        assert 1 <= jumps <= 3  # a row-by-row scroll would move on most of the 28 presses
