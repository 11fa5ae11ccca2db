"""The reload's folder listing (``bot.catalog.listing``) finds exactly what
``bot.cards.loader.scan_folder`` finds, and keeps the stamps it already knew."""

from __future__ import annotations

import os
from pathlib import Path

from bot.cards.loader import FileStamp, scan_folder
from bot.catalog.listing import list_cards, list_folder, list_folder_apart, listed_apart
from tests.conftest import minimal_card
from tests.hostile import HOSTILE, build_hostile


def _same_as_scan(folder: Path) -> None:
    scanned = scan_folder(folder)
    # (in this process, and in another one, as a start lists a big folder)
    for listed in (list_folder(folder), list_folder_apart(folder, apart_from=0)):
        assert list(listed.files.items()) == list(scanned.files.items())  # (the same order)
        assert [str(e) for e in listed.errors] == [str(e) for e in scanned.errors]
        assert listed.ok == scanned.ok
        assert [str(w) for w in listed.warnings] == [str(w) for w in scanned.warnings]
    apart = listed_apart(folder)
    if apart is not None:  # (None: a name to report on, or no folder: listed here instead)
        here = list_cards(folder)
        assert list(apart[0].files.items()) == list(here[0].files.items())
        assert apart[1] == here[1]


def test_a_plain_folder_is_listed_in_the_same_order_with_the_same_stamps(tmp_path: Path) -> None:
    # '-' sorts before '.', so "a-b.yaml" comes before "a.yaml" though slug "a" < "a-b".
    for slug in ("a", "a-b", "b", "z-2", "z", "0-first"):
        (tmp_path / f"{slug}.yaml").write_text(minimal_card(slug.title()), "utf-8")
    (tmp_path / ".hidden.yaml").write_text("x", "utf-8")
    (tmp_path / "README.md").write_text("notes", "utf-8")
    (tmp_path / "b.review-draft.yaml").write_text(minimal_card("B"), "utf-8")  # never a card
    (tmp_path / "folder.yaml").mkdir()  # not a regular file: stamped as unknown, read later
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    _same_as_scan(tmp_path)
    assert list(list_folder(tmp_path).files)[:3] == ["0-first", "a-b", "a"]
    assert list_folder(tmp_path).files["folder"] == FileStamp(-1, -1)


def test_the_hostile_corpus_is_listed_as_scan_folder_lists_it(tmp_path: Path) -> None:
    build_hostile(tmp_path, HOSTILE)
    (tmp_path / "good.yaml").write_text(minimal_card("Good"), "utf-8")
    _same_as_scan(tmp_path)
    assert list_folder(tmp_path).errors  # (odd names such as .YAML or .yml are reported)


def test_a_missing_folder_is_reported_as_scan_folder_reports_it(tmp_path: Path) -> None:
    _same_as_scan(tmp_path / "gone")
    assert not list_folder(tmp_path / "gone").ok


def test_known_stamps_are_kept_only_while_size_and_mtime_match(tmp_path: Path) -> None:
    same, touched, grown = (tmp_path / f"{slug}.yaml" for slug in ("same", "touched", "grown"))
    for path in (same, touched, grown):
        path.write_text(minimal_card(path.stem), "utf-8")
    known = {
        slug: FileStamp(stamp.size, stamp.mtime_ns, f"hash-of-{slug}")
        for slug, stamp in scan_folder(tmp_path).files.items()
    }
    os.utime(touched, ns=(known["touched"].mtime_ns + 10**9,) * 2)
    grown.write_text(minimal_card("grown") + "# one more line\n", "utf-8")
    os.utime(grown, ns=(known["grown"].mtime_ns,) * 2)  # same mtime, another size
    listed = list_folder(tmp_path, known)
    assert listed.files["same"] is known["same"]
    assert listed.files["touched"] == scan_folder(tmp_path).files["touched"]
    assert listed.files["grown"] == scan_folder(tmp_path).files["grown"]
    assert listed.files["grown"].size != known["grown"].size


def test_another_process_lists_a_plain_folder_and_sees_its_links(tmp_path: Path) -> None:
    """What another process lists (a start's big folder) is what this one lists: the same
    stamps in the same order, and whether a card file is a link (symbolic or hard)."""
    for slug in ("b", "a", "a-b", "c"):
        (tmp_path / f"{slug}.yaml").write_text(minimal_card(slug.title()), "utf-8")
    (tmp_path / "README.md").write_text("notes", "utf-8")
    apart = listed_apart(tmp_path)
    assert apart is not None and apart == list_cards(tmp_path)
    assert list(apart[0].files) == ["a-b", "a", "b", "c"] and apart[1] is False
    os.link(tmp_path / "c.yaml", tmp_path.parent / "elsewhere.yaml")  # a hard link elsewhere
    assert listed_apart(tmp_path) == list_cards(tmp_path) == (list_cards(tmp_path)[0], True)
    (tmp_path.parent / "elsewhere.yaml").unlink()
    (tmp_path / "d.yaml").symlink_to(tmp_path / "a.yaml")
    assert listed_apart(tmp_path) == list_cards(tmp_path) == (list_cards(tmp_path)[0], True)
    # A review draft or an odd card-like name is reported by this process (the long way).
    (tmp_path / "e.review-draft.yaml").write_text(minimal_card("E"), "utf-8")
    assert listed_apart(tmp_path) is None
    _same_as_scan(tmp_path)
