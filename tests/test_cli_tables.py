"""What `briefing list` shows on a terminal: every id, whatever the width; the source when
there is room for it after the title."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from briefing.cli import cli
from briefing.store import Store


@pytest.mark.parametrize("width", [60, 80, 100, 120, 200])
def test_every_row_keeps_its_id_at_any_width(
    sample_db: Path, record_terminals: Callable[..., list[Console]], width: int
) -> None:
    recorded = record_terminals(width=width)
    result = CliRunner().invoke(cli, ["--db", str(sample_db), "list", "-n", "10"])
    assert result.exit_code == 0, result.output
    lines = recorded[-1].export_text().splitlines()
    with Store.open(sample_db) as store:
        ids = [a.id for a in store.articles.newest_first(limit=10)]
    assert lines[0].split()[:2] == ["id", "date"]
    assert [int(line.split()[0]) for line in lines[1:]] == ids
    assert all(len(line) <= width for line in lines)


def test_the_source_shows_whole_where_there_is_room(
    sample_db: Path, record_terminals: Callable[..., list[Console]]
) -> None:
    with Store.open(sample_db) as store:
        articles = store.articles.newest_first(limit=50)
    with_source = next(a for a in articles if a.source)
    recorded = record_terminals(width=200)
    CliRunner().invoke(cli, ["--db", str(sample_db), "list", "-n", "50"])
    text = recorded[-1].export_text()
    assert with_source.source in text and "source" in text.splitlines()[0]
    recorded = record_terminals(width=80)  # 80 columns: the title first, no source
    CliRunner().invoke(cli, ["--db", str(sample_db), "list", "-n", "50"])
    assert "source" not in recorded[-1].export_text().splitlines()[0]
