"""``/reload`` with the kernel's journal of the cards folder (``bot.catalog.journal``): only the
files it names are looked at, and every change is still picked up; whenever the journal cannot
vouch for what it saw, the whole folder is listed as before."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.catalog.journal import LOCAL_FILE_SYSTEMS, Journal, file_system
from bot.catalog.service import JOURNAL_FROM, CatalogService
from bot.catalog.store import Store
from tests.conftest import minimal_card


@pytest_asyncio.fixture
async def journaled(shipped_copy: Path, tmp_path: Path) -> AsyncIterator[CatalogService]:
    """The shipped cards served with a journal (as from ``JOURNAL_FROM`` cards on); the
    first reload lists the folder and opens it."""
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        service.journal_from = 1
        await service.start()
        first = await service.reload()
        assert first.listed and first.applied
        yield service


def _episodes(folder: Path, slug: str, episodes: int) -> None:
    path = folder / f"{slug}.yaml"
    text = path.read_text("utf-8")
    line = next(line for line in text.splitlines() if line.startswith("episodes:"))
    path.write_text(text.replace(line, f"episodes: {episodes}"), "utf-8")


async def test_only_named_files_are_looked_at_and_every_change_is_picked_up(
    journaled: CatalogService, shipped_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _episodes(shipped_copy, "vincenzo", 99)
    report = await journaled.reload()
    assert not report.listed and report.diff.changed == ("vincenzo",)
    assert journaled.catalog.cards["vincenzo"].episodes == 99

    (shipped_copy / "new-show.yaml").write_text(minimal_card("New Show"), "utf-8")
    report = await journaled.reload()
    assert not report.listed and report.diff.added == ("new-show",)

    os.rename(shipped_copy / "new-show.yaml", shipped_copy / "renamed-show.yaml")
    report = await journaled.reload()
    assert (report.diff.added, report.diff.removed) == (("renamed-show",), ("new-show",))

    (shipped_copy / "renamed-show.yaml").unlink()
    report = await journaled.reload()
    assert not report.listed and report.diff.removed == ("renamed-show",)

    # Files that are not cards (an editor's swap file, notes) change nothing and list nothing.
    (shipped_copy / ".vincenzo.yaml.swp").write_bytes(b"\0")
    (shipped_copy / "NOTES.md").write_text("to do", "utf-8")
    report = await journaled.reload()
    assert not report.listed and report.applied and not report.diff.changed

    # What the journal led to is what listing the folder and reading every file finds.
    full = await journaled.reload(full=True)
    assert full.listed and not (full.diff.added or full.diff.changed or full.diff.removed)
    # The listings after each reload found nothing the journal had not named.
    await journaled.flush()
    assert "not reported by the folder's events" not in caplog.text


async def test_a_touched_file_with_the_same_card_changes_nothing(
    journaled: CatalogService, shipped_copy: Path
) -> None:
    path = shipped_copy / "run-on.yaml"
    os.utime(path, ns=(path.stat().st_mtime_ns + 5 * 10**9,) * 2)
    report = await journaled.reload()
    assert not report.listed and report.applied and not report.diff.changed


async def test_after_a_refusal_the_next_reload_lists_the_folder_again(
    journaled: CatalogService, shipped_copy: Path
) -> None:
    """The removals that made the guard refuse are not forgotten by the next reload, with or
    without ``confirm``."""
    total = len(journaled.catalog)
    doomed = sorted(shipped_copy.glob("*.yaml"))[: total * 3 // 4]
    for path in doomed:
        path.unlink()
    refused = await journaled.reload()
    assert refused.refused and not refused.listed
    again = await journaled.reload()
    assert again.refused and again.listed and len(again.diff.removed) == len(doomed)
    confirmed = await journaled.reload(confirm=True)
    assert confirmed.applied and len(confirmed.diff.removed) == len(doomed)
    assert len(journaled.catalog) == total - len(doomed)


async def test_a_card_like_name_that_is_not_a_card_is_reported_by_listing_the_folder(
    journaled: CatalogService, shipped_copy: Path
) -> None:
    (shipped_copy / "Odd.YAML").write_text(minimal_card("Odd"), "utf-8")
    report = await journaled.reload()
    assert report.listed and not report.applied
    assert any("Odd.YAML" in error.path for error in report.errors)
    (shipped_copy / "Odd.YAML").unlink()
    assert (await journaled.reload()).applied


async def test_a_broken_card_then_its_fix_are_both_seen(
    journaled: CatalogService, shipped_copy: Path
) -> None:
    path = shipped_copy / "vincenzo.yaml"
    good = path.read_text("utf-8")
    path.write_text("title: Vincenzo\nyear: soon\ncast: []\n", "utf-8")
    broken = await journaled.reload()
    assert not broken.applied and not broken.listed and broken.errors
    path.write_text(good.replace("episodes: 20", "episodes: 21"), "utf-8")
    fixed = await journaled.reload()
    assert fixed.applied and fixed.diff.changed == ("vincenzo",)
    assert journaled.catalog.cards["vincenzo"].episodes == 21


async def test_a_folder_replaced_under_the_journal_is_listed_again(
    journaled: CatalogService, shipped_copy: Path, tmp_path: Path
) -> None:
    os.rename(shipped_copy, tmp_path / "old-cards")
    shutil.copytree(tmp_path / "old-cards", shipped_copy)
    _episodes(shipped_copy, "vincenzo", 77)
    report = await journaled.reload()
    assert report.listed and report.diff.changed == ("vincenzo",)
    _episodes(shipped_copy, "vincenzo", 78)  # and the new folder has a journal of its own
    report = await journaled.reload()
    assert not report.listed and journaled.catalog.cards["vincenzo"].episodes == 78


async def test_small_folders_are_listed_without_a_journal(
    shipped_copy: Path, tmp_path: Path
) -> None:
    assert len(list(shipped_copy.glob("*.yaml"))) < JOURNAL_FROM
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        await service.start()
        await service.reload()
        _episodes(shipped_copy, "vincenzo", 33)
        report = await service.reload()
        assert report.listed and report.diff.changed == ("vincenzo",)


def test_a_journal_is_kept_only_on_local_file_systems(tmp_path: Path) -> None:
    assert file_system(tmp_path) in LOCAL_FILE_SYSTEMS  # (this machine's temporary folder)
    journal = Journal.open(tmp_path)
    assert journal is not None
    (tmp_path / "a.yaml").write_text("x", "utf-8")
    assert journal.changes() == {"a.yaml"}
    assert journal.changes() == set()
    journal.close()
    assert file_system(Path("/proc/self")) == "proc"
    assert Journal.open(Path("/proc/self")) is None
    assert Journal.open(tmp_path / "missing") is None


async def test_a_card_reached_through_a_link_keeps_the_folder_listed(
    journaled: CatalogService, shipped_copy: Path
) -> None:
    """An edit made through another name (the link's target in a subfolder, or another hard
    link of the file) shows no event in the cards folder: with such a card, every reload
    lists the folder."""
    drafts = shipped_copy / "drafts"
    drafts.mkdir()
    (drafts / "linked-show.yaml").write_text(minimal_card("Linked Show", episodes="8"), "utf-8")
    (shipped_copy / "linked-show.yaml").symlink_to(Path("drafts") / "linked-show.yaml")
    added = await journaled.reload()
    assert added.diff.added == ("linked-show",)
    assert (await journaled.reload()).listed  # (the listing saw the link: no journal now)
    target = drafts / "linked-show.yaml"
    target.write_text(target.read_text("utf-8").replace("episodes: 8", "episodes: 9"), "utf-8")
    changed = await journaled.reload()
    assert changed.listed and changed.diff.changed == ("linked-show",)
    assert journaled.catalog.cards["linked-show"].episodes == 9


async def test_an_edit_no_event_reports_is_found_by_the_listing_after_the_reload(
    journaled: CatalogService, shipped_copy: Path, tmp_path: Path
) -> None:
    """A hard link made elsewhere after the folder was listed, and the card edited in place
    through it: the cards folder sees no event (nor does the watcher). The reload that trusted
    the journal misses it; the listing that follows it, in the background, reloads it."""
    outside = tmp_path / "run-on-elsewhere.yaml"
    os.link(shipped_copy / "run-on.yaml", outside)
    _episodes(tmp_path, "run-on-elsewhere", 55)  # written in place, through the other name
    missed = await journaled.reload()
    assert not missed.listed and not missed.diff.changed
    found = asyncio.ensure_future(journaled.next_reload())
    await journaled.flush()
    assert (await found).diff.changed == ("run-on",)
    assert journaled.catalog.cards["run-on"].episodes == 55
    assert (await journaled.reload()).listed  # (then a listing, which sees the hard link)
    assert (await journaled.reload()).listed
