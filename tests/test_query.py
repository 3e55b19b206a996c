"""ListQuery: what the reader's list shows, as one value, in words and in JSON."""

from __future__ import annotations

from briefing.models import ArticleFilter
from briefing.store.views import SavedView
from briefing.tui.query import KeywordFilter, ListQuery, StoryFilter


def test_each_key_makes_a_new_query_and_backspace_undoes_the_narrowings() -> None:
    query = ListQuery().with_keyword("gaza", "Gaza").with_keyword("rafah", "Rafah")
    assert query.with_keyword("gaza") is query  # a keyword already chosen adds nothing
    query = query.toggled("unread_only").toggled("starred_only")
    assert query.unread_only and query.starred_only
    expanded = query.toggled("stories_collapsed").expanding(7, "Ceasefire vote")
    assert expanded.collapsed is False and expanded.article_filter.story == 7
    assert expanded.toggled("stories_collapsed").story is None  # S leaves the story
    dated = ListQuery(since="2026-11-01", until="2026-11-30").with_keyword("oil")
    assert dated.step_back() == ListQuery(since="2026-11-01", until="2026-11-30")
    assert ListQuery(since="2026-11-01").step_back() == ListQuery()
    assert expanded.step_back() == query.toggled("stories_collapsed")
    assert ListQuery(unread_only=True).step_back() is None


def test_it_describes_itself_in_words_from_the_same_fields() -> None:
    assert ListQuery().describe() == "all articles"
    query = ListQuery(
        keywords=(KeywordFilter("gaza", "Gaza"), KeywordFilter("rafah")),
        unread_only=True,
        search="aid\x1b[31m",
    )
    assert query.describe() == "filter: Gaza › rafah · unread only · search: aid"  # no escapes
    assert "Escape" in query.empty_message()
    assert "Backspace" in ListQuery(starred_only=True).empty_message()
    assert "briefing ingest" in ListQuery().empty_message()


def test_json_round_trip_and_damage() -> None:
    query = ListQuery(
        keywords=(KeywordFilter("gaza", "Gaza"),),
        search="oil",
        since="2026-11-01",
        starred_only=True,
        stories_collapsed=True,
        story=StoryFilter(3, "Port strike"),
    )
    back = ListQuery.from_json(query.to_json())
    assert back == query and back.keywords[0].display == "Gaza" and back.story
    assert back.story.title == "Port strike"
    assert ListQuery.from_json("nonsense") == ListQuery()
    damaged = {"keywords": [[1], "x", ["ok"]], "unread_only": "yes", "story": ["7"]}
    assert ListQuery.from_json(damaged) == ListQuery(keywords=(KeywordFilter("ok"),))


def test_a_saved_view_becomes_a_query_and_back() -> None:
    view = SavedView("Oil", ArticleFilter(keywords=("oil",), unread_only=True), "tanker")
    query = ListQuery.from_view(view)
    assert query == ListQuery(keywords=(KeywordFilter("oil"),), search="tanker", unread_only=True)
    assert query.as_view("Oil") == view
