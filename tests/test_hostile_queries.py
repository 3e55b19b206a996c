"""Hostile search queries: a clear message and exit 2, never a traceback.

FTS5 has a query language of its own, and most strings a person types by
accident (an apostrophe, a hyphen, a colon) are errors in it. Each must come
back as :class:`QueryError` from the store and as a usage error from the CLI.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.cli import cli
from briefing.ingest.files import IngestOptions, ingest
from briefing.models import ArticleFilter
from briefing.store import QueryError, Store

ARTICLES = [
    "date 2025-01-0{n} Officials in Brussels agreed on new grain rules {n}.\n\n"
    "The agreement covers wheat and maize shipped through the Black Sea, F-35 jets and U.S. ports.",
    "date 2025-02-0{n} Oil prices rose after OPEC cut output {n}.\n\n"
    'Brent crude climbed in London while the "white house" said nothing about Gaza.',
    "date 2025-03-0{n} Café owners in Zürich welcome tourists {n}.\n\n"
    "日本語のニュース and emoji 🎉 in a body, with NEAR and AND as plain words.",
]

MALFORMED = [
    '"unbalanced',
    'grain "white house',
    '"',
    "AND",
    "OR",
    "NOT",
    "grain AND",
    "OR grain",
    "grain NOT",
    "AND OR NOT",
    "NEAR(",
    "NEAR(grain",
    "NEAR(grain oil, x)",
    "NEAR(grain oil, -1)",
    "NEAR()",
    "*",
    "**",
    "grain**",
    "title:",
    "nosuch:x",
    "title:x:y",
    "{title body}:",
    "{nosuch}:grain",
    "-",
    "-grain",
    "- grain",
    "(grain OR oil) AND NOT wheat",
    "^",
    "^^grain",
    "grain ^",
    "(",
    ")",
    "(grain",
    "grain)",
    "(grain OR (oil",
    "((((((((((((((((((((((((((((((((((((((((grain",
    "F-35",
    "U.S.",
    "don't",
    "a:b",
    "grain, oil",
    "+",
    "grain + +",
    "\x00",
    "grain\x00oil",
    "\udcff",
    " ",
    "",
    "\t\n",
]

# Well-formed queries with odd content: these must run (exit 0), not fail.
WELL_FORMED = [
    '"F-35"',
    '"U.S."',
    "title:grain",
    "body:wheat",
    "{title body}:oil",
    "grain*",
    "^officials",
    "NEAR(grain rules, 5)",
    "grain OR oil NOT gaza",
    '"white house" AND gaza',
    '""""" "',
    "NEAR(grain oil, 99999999999999999999999)",
    "Zürich",
    "日本語",
    '"🎉"',
    "near",
    "and",
    "(grain OR oil) NOT wheat",
]


@pytest.fixture(scope="module")
def small_db(
    tmp_path_factory: pytest.TempPathFactory, write: Callable[[Path, str | bytes], Path]
) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for index, text in enumerate(ARTICLES):
        for n in (1, 2):
            write(folder / f"a{index}-{n}.txt", text.format(n=n))
    path = folder / "small.db"
    with Store.open(path) as store:
        report = ingest(store, [folder], IngestOptions(jobs=1))
        assert report.added == 6 and not report.skipped
    return path


@pytest.fixture(scope="module")
def store(small_db: Path) -> Iterator[Store]:
    with Store.open(small_db) as opened:
        yield opened


def search_cli(runner: CliRunner, db: Path, query: str, *options: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["--db", str(db), "search", *options, "--", query])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("query", MALFORMED, ids=[repr(q) for q in MALFORMED])
def test_malformed_query_is_a_clear_usage_error(
    runner: CliRunner, small_db: Path, store: Store, query: str
) -> None:
    with pytest.raises(QueryError) as raised:
        store.articles.search(query)
    assert str(raised.value) and "\n" not in str(raised.value)
    for options in ((), ("--json",), ("--since", "2025-01-01", "--unread")):
        code, out, err = search_cli(runner, small_db, query, *options)
        assert code == 2, (query, options, out, err)
        assert out == ""
        assert "Traceback" not in err
        (message,) = [line for line in err.splitlines() if line.startswith("Error:")]
        assert "search query" in message and 'near ""' not in message
        assert "\x00" not in err


@pytest.mark.parametrize("query", WELL_FORMED, ids=[repr(q) for q in WELL_FORMED])
def test_well_formed_odd_query_runs(runner: CliRunner, small_db: Path, query: str) -> None:
    code, out, err = search_cli(runner, small_db, query, "--json")
    assert code == 0, (query, err)
    assert "Traceback" not in err and out.startswith("[")


def test_query_of_surrogate_bytes_from_the_command_line(small_db: Path, store: Store) -> None:
    """A non-UTF-8 argv byte becomes a lone surrogate: refused, not an encoding crash."""
    with pytest.raises(QueryError, match="not valid UTF-8"):
        store.articles.search("caf\udce9")
    with pytest.raises(QueryError, match="not valid UTF-8"):
        store.articles.search("caf\udce9", ArticleFilter(unread_only=True))


def test_very_long_and_deeply_nested_queries(small_db: Path, store: Store) -> None:
    for query in (
        "grain " * 20_000,
        "(" * 5000 + "grain" + ")" * 5000,
        "NOT grain " * 5000,
        '"' + "grain " * 20_000 + '"',
        "NEAR(" + "grain " * 5000 + ")",
        " OR ".join(["grain"] * 5000),
    ):
        started = time.monotonic()
        with pytest.raises(QueryError, match="too long"):
            store.articles.search(query)
        assert time.monotonic() - started < 1
    # Just under the limit, the worst shapes still answer quickly.
    for query in ("a " * 500, "NEAR(" + "a " * 497 + ")", " OR ".join(["a"] * 200)):
        started = time.monotonic()
        store.articles.search(query[:1000])
        assert time.monotonic() - started < 2


TOKENS = [
    '"',
    "'",
    "(",
    ")",
    "{",
    "}",
    ":",
    "*",
    "^",
    "-",
    "+",
    ",",
    ".",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "near",
    "title",
    "body",
    "title:",
    "body:",
    "nosuch:",
    "{title body}:",
    "rank",
    "rowid",
    "articles_fts",
    "grain",
    "oil",
    "gaza",
    "white house",
    "F-35",
    "U.S.",
    "10",
    "-1",
    "99999999999999999999",
    "\x00",
    "\\",
    "\udcff",
    "%",
    "_",
    ";",
    "--",
    "/*",
    "é",
    "日本語",
    "🎉",
    "\u200b",
    "\u202e",
    "\x1b[2J",
]
queries = st.one_of(
    st.lists(
        st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)),
        min_size=1,
        max_size=12,
    ).flatmap(lambda parts: st.sampled_from([" ".join(parts), "".join(parts)])),
    st.text(max_size=40),
)
filters = st.sampled_from(
    [None, ArticleFilter(unread_only=True), ArticleFilter(since="2025-02-01", until="2025-12-31")]
)


@pytest.mark.slow
@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(query=queries, article_filter=filters, snippets=st.booleans())
def test_random_queries_raise_nothing_but_query_error(
    store: Store, query: str, article_filter: ArticleFilter | None, snippets: bool
) -> None:
    try:
        hits = store.articles.search(query, article_filter, limit=5, snippets=snippets)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert len(hits) <= 5


@pytest.mark.slow
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(query=queries, as_json=st.booleans())
def test_random_queries_through_the_cli_exit_0_or_2(
    runner: CliRunner, small_db: Path, query: str, as_json: bool
) -> None:
    code, out, err = search_cli(runner, small_db, query, *(["--json"] if as_json else []))
    assert code in (0, 2), (query, code, err)
    assert "Traceback" not in out + err
    if code == 2:
        assert out == "" and err.count("Error:") == 1
