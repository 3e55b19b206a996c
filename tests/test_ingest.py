"""Ingesting directories: idempotence, changes, broken files, duplicates, interruption."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.ingest import files as ingest_module
from briefing.ingest.files import IngestOptions, ingest
from briefing.store import Store
from briefing.store.keywords import Keywords

GOOD = "date 2025-03-0{n} Officials in Brussels agreed on new rules for grain exports {n}.\n\n" + (
    "The agreement covers wheat and maize shipped through the Black Sea. " * 5
)


def good_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"good{n}.txt" for n in range(1, count + 1)]
    for n, path in enumerate(paths, start=1):
        path.write_text(GOOD.format(n=n))
    return paths


def test_reference_briefing_is_stored_with_date_headings_and_keywords(
    tmp_path: Path, ceasefire_briefing: Path
) -> None:
    with Store.open(tmp_path / "b.db") as store:
        report = ingest(store, [ceasefire_briefing])
        assert report.added == 1 and not report.skipped
        (summary,) = store.articles.newest_first()
        article = store.articles.get(summary.id)
    assert article is not None
    assert article.date == "2026-10-02"
    assert article.body.count("\n## ") == 3
    keys = {k.key for k in article.keywords}
    assert {"un", "ceasefire", "marduna", "kessari liberation front"} <= keys
    assert len(article.keywords) == 10


def test_mixed_directory_stores_every_good_file_and_names_every_broken_one(
    tmp_path: Path, write: Callable[[Path, str | bytes], Path]
) -> None:
    folder = tmp_path / "in"
    good_files(folder, 3)
    write(folder / "sub" / "deep.md", "---\ntitle: Deep\ndate: 2025-01-01\n---\n\nDeep text here.")
    broken = {
        "binary.txt": b"\x00\x01\x02garbage",
        "latin1.txt": "date 2025-01-01 caf\xe9".encode("latin-1"),
        "empty.txt": b"",
        "blank.md": b"   \n\n  ",
    }
    for name, data in broken.items():
        write(folder / name, data)
    write(folder / "ignored.png", b"\x89PNG")
    with Store.open(tmp_path / "b.db") as store:
        report = ingest(store, [folder])
        assert store.articles.count() == 4
    assert report.added == 4
    skipped = {Path(path).name: reason for path, reason in report.skipped}
    assert set(skipped) == set(broken)
    assert "NUL" in skipped["binary.txt"] and "UTF-8" in skipped["latin1.txt"]


def test_reingest_of_unchanged_files_does_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good_files(tmp_path / "in", 3)
    with Store.open(tmp_path / "b.db") as store:
        ingest(store, [tmp_path / "in"])

        def no_parsing(*args: object) -> object:
            raise AssertionError("an unchanged file was parsed again")

        monkeypatch.setattr(ingest_module, "_process", no_parsing)
        report = ingest(store, [tmp_path / "in"])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 3)


def test_touched_but_identical_file_is_unchanged(tmp_path: Path) -> None:
    (path,) = good_files(tmp_path / "in", 1)
    with Store.open(tmp_path / "b.db") as store:
        ingest(store, [path])
        os.utime(path, ns=(1, 1))
        report = ingest(store, [path])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 1)


def test_changed_file_updates_its_article_and_keeps_read_state(
    tmp_path: Path, write: Callable[[Path, str | bytes], Path]
) -> None:
    (path,) = good_files(tmp_path / "in", 1)
    with Store.open(tmp_path / "b.db") as store:
        ingest(store, [path])
        (summary,) = store.articles.newest_first()
        store.marks.set_read(summary.id)
        store.marks.set_starred(summary.id)
        write(path, "date 2025-04-01 Tanker traffic through the canal resumed on Friday.")
        report = ingest(store, [path])
        article = store.articles.get(summary.id)
        assert store.articles.count() == 1
    assert report.updated == 1
    assert article is not None and article.date == "2025-04-01"
    assert "canal" in article.title and article.read and article.starred
    assert "tanker traffic" in {k.key for k in article.keywords}


def test_copies_are_reported_as_duplicates(
    tmp_path: Path, write: Callable[[Path, str | bytes], Path]
) -> None:
    (path,) = good_files(tmp_path / "in", 1)
    write(tmp_path / "in" / "copy.txt", path.read_bytes())
    with Store.open(tmp_path / "b.db") as store:
        report = ingest(store, [tmp_path / "in"])
        assert store.articles.count() == 1
    assert len(report.duplicates) == 1


def test_parallel_ingest_matches_serial(tmp_path: Path) -> None:
    files = good_files(tmp_path / "in", 9)
    results = []
    for jobs in (1, 2):
        with Store.open(tmp_path / f"{jobs}.db") as store:
            report = ingest(store, files, IngestOptions(jobs=jobs))
            assert report.added == 9
            results.append(
                [
                    (a.title, [k.key for k in store.keywords.of_article(a.id)])
                    for a in store.articles.newest_first()
                ]
            )
    assert results[0] == results[1]


def test_interrupted_ingest_leaves_no_half_article_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = good_files(tmp_path / "in", 5)
    monkeypatch.setattr(ingest_module, "BATCH_SIZE", 2)
    real_link = Keywords.link
    calls = 0

    def crash_on_third(self: Keywords, *args: object, **kwargs: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        real_link(self, *args, **kwargs)  # type: ignore[arg-type]

    db = tmp_path / "b.db"
    with Store.open(db) as store:
        monkeypatch.setattr(Keywords, "link", crash_on_third)
        with pytest.raises(KeyboardInterrupt):
            ingest(store, files, IngestOptions(jobs=1))
    monkeypatch.setattr(Keywords, "link", real_link)
    with Store.open(db) as store:
        # The first batch of two committed; the third article rolled back whole.
        assert store.articles.count() == 2
        orphans = store.db.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_keywords WHERE article_id = a.id)"
        ).fetchone()[0]
        fts_rows = store.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        assert orphans == 0 and fts_rows == 2
        report = ingest(store, files, IngestOptions(jobs=1))
        assert (report.added, report.unchanged) == (3, 2)
        assert store.articles.count() == 5


def test_missing_path_is_reported(tmp_path: Path) -> None:
    with Store.open(tmp_path / "b.db") as store:
        report = ingest(store, [tmp_path / "nope"])
    assert report.skipped == [(str(tmp_path / "nope"), "no such file or directory")]


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    good_files(tmp_path / "in", 1)
    (tmp_path / "in" / "loop").symlink_to(tmp_path / "in")
    with Store.open(tmp_path / "b.db") as store:
        report = ingest(store, [tmp_path / "in"])
    assert report.added == 1


def test_special_files_are_skipped_without_reading(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    good_files(folder, 1)
    os.mkfifo(folder / "pipe.txt")
    with Store.open(tmp_path / "b.db") as store:
        report = ingest(store, [folder, Path("/dev/zero")], IngestOptions(max_bytes=1024))
    assert report.added == 1
    reasons = {Path(p).name: r for p, r in report.skipped}
    assert reasons == {"pipe.txt": "not a regular file", "zero": "not a regular file"}


def test_one_file_crashing_the_parser_does_not_stop_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = good_files(tmp_path / "in", 3)
    real_parse = ingest_module.parse_briefing

    def parse_or_crash(data: bytes, path: Path, max_bytes: int) -> object:
        if path.name == "good2.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real_parse(data, path, max_bytes)

    monkeypatch.setattr(ingest_module, "parse_briefing", parse_or_crash)
    with Store.open(tmp_path / "b.db") as store:
        report = ingest(store, files, IngestOptions(jobs=1))
    assert report.added == 2
    ((path, reason),) = report.skipped
    assert path.endswith("good2.txt") and "RecursionError" in reason


def test_the_same_file_twice_is_one_article(tmp_path: Path) -> None:
    (path,) = good_files(tmp_path / "in", 1)
    with Store.open(tmp_path / "b.db") as store:
        report = ingest(store, [path, path, tmp_path / "in"])
    assert report.added == 1 and not report.duplicates


def test_stored_file_edited_into_a_copy_of_another_is_updated(
    tmp_path: Path, write: Callable[[Path, str | bytes], Path]
) -> None:
    first, second = good_files(tmp_path / "in", 2)
    with Store.open(tmp_path / "b.db") as store:
        ingest(store, [tmp_path / "in"])
        write(second, first.read_bytes())
        report = ingest(store, [tmp_path / "in"])
        titles = [a.title for a in store.articles.newest_first()]
    assert report.updated == 1 and not report.duplicates
    assert titles[0] == titles[1]


def test_too_large_names_both_sizes(
    tmp_path: Path, write: Callable[[Path, str | bytes], Path]
) -> None:
    path = write(tmp_path / "big.txt", "date 2024-01-01 " + "word " * 400)
    with Store.open(tmp_path / "b.db") as store:
        report = ingest(store, [path], IngestOptions(max_bytes=1000))
    assert report.skipped == [(str(path), "too large (2 KB, limit 1000 B)")]
