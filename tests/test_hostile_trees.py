"""Hostile folders: links out of the tree, other users' hard links, deep trees, empty paths.

In the README's shared setup any member of the group can put files in the
incoming folder the ingest account reads. These tests are what such a member
might try, and what a careless cron line does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.ingest.discover import FOREIGN_HARD_LINK, MAX_DEPTH, OUTSIDE, Boundary, Refused
from briefing.ingest.files import IngestOptions, ingest
from briefing.store import Store

SECRET = "date 2026-01-01 The private key of the ingest account, never to be shown."
NEWS = "date 2026-01-02 Harbour cranes stopped in the gale at Ostria."


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path]:
    """An incoming folder with one briefing, and a private file beside it."""
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "news.txt").write_text(NEWS)
    private = tmp_path / "private"
    private.mkdir()
    (private / "id_ed25519.txt").write_text(SECRET)
    return incoming, private


def stored_bodies(store: Store) -> str:
    return " ".join(
        article.body
        for summary in store.articles.newest_first(limit=100)
        if (article := store.articles.get(summary.id))
    )


def test_a_link_to_a_file_outside_the_folder_is_skipped_and_named(
    shared: tuple[Path, Path], fresh_store: Store
) -> None:
    incoming, private = shared
    (incoming / "notes.txt").symlink_to(private / "id_ed25519.txt")
    report = ingest(fresh_store, [incoming], IngestOptions(jobs=1))
    assert report.added == 1
    assert [(Path(p).name, reason) for p, reason in report.skipped] == [("notes.txt", OUTSIDE)]
    assert "private key" not in stored_bodies(fresh_store)


def test_a_link_to_a_folder_outside_is_not_walked(
    shared: tuple[Path, Path], fresh_store: Store
) -> None:
    incoming, private = shared
    (incoming / "more").symlink_to(private, target_is_directory=True)
    report = ingest(fresh_store, [incoming], IngestOptions(jobs=1))
    assert report.added == 1
    assert [(Path(p).name, reason) for p, reason in report.skipped] == [("more", OUTSIDE)]
    assert "private key" not in stored_bodies(fresh_store)


def test_links_inside_the_folders_given_are_followed(
    shared: tuple[Path, Path], fresh_store: Store
) -> None:
    incoming, private = shared
    (incoming / "sub").mkdir()
    (incoming / "sub" / "later.txt").write_text("date 2026-01-03 Ferry crews struck in Piraeus.")
    (incoming / "alias.md").symlink_to(incoming / "sub" / "later.txt")
    report = ingest(fresh_store, [incoming], IngestOptions(jobs=1))
    assert not report.skipped and report.added == 2  # the link is a duplicate of its target
    # Named on the command line, even a link elsewhere is read: the person chose it.
    report = ingest(fresh_store, [incoming, private / "id_ed25519.txt"], IngestOptions(jobs=1))
    assert report.added == 1 and not report.skipped


def test_a_watched_folder_names_its_files_but_a_link_there_stays_outside(
    shared: tuple[Path, Path], fresh_store: Store
) -> None:
    """``watch`` hands the files an event names to the ingest, with the watched folders
    as its roots: the event names the link, not where it points."""
    incoming, private = shared
    link = incoming / "evil.txt"
    link.symlink_to(private / "id_ed25519.txt")
    report = ingest(fresh_store, [link], IngestOptions(jobs=1), roots=[incoming])
    assert report.skipped == [(str(link), OUTSIDE)] and report.added == 0


def test_a_file_swapped_for_a_link_after_the_walk_is_refused_when_opened(
    shared: tuple[Path, Path],
) -> None:
    incoming, private = shared
    boundary = Boundary([incoming])
    target = incoming / "news.txt"
    os.close(boundary.open(target))
    target.unlink()
    target.symlink_to(private / "id_ed25519.txt")
    with pytest.raises(Refused, match="outside"):
        boundary.open(target)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_another_users_hard_link_is_refused(shared: tuple[Path, Path], fresh_store: Store) -> None:
    incoming, private = shared
    secret = private / "id_ed25519.txt"
    os.chown(secret, 65534, 65534)  # nobody's file, as another user's would be
    os.link(secret, incoming / "copy.txt")
    report = ingest(fresh_store, [incoming], IngestOptions(jobs=1))
    assert [(Path(p).name, reason) for p, reason in report.skipped] == [
        ("copy.txt", FOREIGN_HARD_LINK)
    ]
    # The ingest account's own hard links are its business.
    os.chown(secret, os.geteuid(), os.getegid())
    assert ingest(fresh_store, [incoming], IngestOptions(jobs=1)).added == 1


@pytest.fixture
def deep_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder for a deep tree, removed from the bottom up afterwards: pytest's own
    clean-up of old temporary folders recurses, and would fail on it."""
    top = tmp_path / "deep"
    yield top
    stack, found = [top], []
    while stack:  # every folder, found without recursion
        folder = stack.pop()
        found.append(folder)
        stack.extend(entry for entry in folder.iterdir() if entry.is_dir())
    for folder in reversed(found):  # deepest first
        for entry in folder.iterdir():
            entry.unlink()
        folder.rmdir()


def test_a_tree_a_thousand_folders_deep_stores_what_it_can(
    deep_folder: Path, fresh_store: Store
) -> None:
    top = deep_folder
    folder = top
    for depth in range(1000):
        folder = folder / "d"
        if depth in (3, MAX_DEPTH - 1):
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"at-{depth}.txt").write_text(f"date 2026-01-04 Level {depth} report.")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bottom.txt").write_text(NEWS)
    report = ingest(fresh_store, [top], IngestOptions(jobs=1))
    assert report.added == 2  # the two within reach
    [(name, reason)] = report.skipped
    assert reason == f"too deep (over {MAX_DEPTH} folders down)"
    assert len(Path(name).relative_to(top).parts) == MAX_DEPTH + 1


def test_an_empty_path_is_refused_not_taken_for_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "here.txt").write_text(NEWS)
    db = tmp_path / "b.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", ""])
    assert result.exit_code == 2
    assert "an empty path is not a file or folder" in result.output
    assert not db.exists()


def test_jobs_beyond_the_cores_are_clamped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(NEWS)
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "b.db"), "ingest", "-j", "600", str(tmp_path / "in")]
    )
    cores = os.cpu_count() or 1
    assert result.exit_code == 0, result.output
    assert f"--jobs 600 is more than this machine's {cores} cores; using {cores}" in result.output
