"""Reloading: all or nothing, counts for the admin, last good catalog kept on errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.answering.notices import reload_notice, reload_summary
from bot.answering.render import render
from bot.catalog.service import CatalogService
from bot.catalog.settings import SettingsBook
from bot.catalog.store import Store
from tests.catalog_helpers import start_once, started_service
from tests.conftest import minimal_card


async def test_start_loads_the_cards_and_reload_counts_changes(
    shipped_copy: Path, tmp_path: Path
) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        first = await service.start()
        total = first.total
        assert first.applied and len(first.diff.added) == total >= 60

        (shipped_copy / "vincenzo.yaml").unlink()
        (shipped_copy / "new-show.yaml").write_text(minimal_card("New Show"), "utf-8")
        run_on = shipped_copy / "run-on.yaml"
        run_on.write_text(
            run_on.read_text("utf-8").replace("episodes: 16", "episodes: 17"), "utf-8"
        )

        report = await service.reload()
        assert report.applied
        assert (report.diff.added, report.diff.changed, report.diff.removed) == (
            ("new-show",),
            ("run-on",),
            ("vincenzo",),
        )
        assert service.catalog.cards["run-on"].episodes == 17
        notice = reload_notice(report)
        assert notice.text == f"Reloaded {total} cards: 1 added, 1 changed, 1 removed."
        assert "Added: New Show" in notice.lines
        assert "Removed: Vincenzo" in notice.lines


async def test_broken_card_keeps_the_last_good_catalog_entirely(
    shipped_copy: Path, tmp_path: Path
) -> None:
    async with started_service(shipped_copy, tmp_path / "bot.sqlite3") as service:
        before = service.catalog
        (shipped_copy / "new-show.yaml").write_text(minimal_card("New Show"), "utf-8")
        (shipped_copy / "vincenzo.yaml").write_text(
            "title: Vincenzo\nyear: soon\ncast: []\n", "utf-8"
        )
        report = await service.reload()
        assert not report.applied
        assert service.catalog is before  # nothing half-applied: not even the valid new card
        assert "new-show" not in service.catalog.cards
        assert service.catalog.cards["vincenzo"].year == 2021
        errors = [str(e) for e in report.errors]
        assert (
            f"{shipped_copy / 'vincenzo.yaml'}:2: year: expected a whole number, got text" in errors
        )
        payload = render(reload_notice(report), 1)
        assert payload["flags"] == 64
        description = payload["embeds"][0]["description"]
        assert "vincenzo.yaml:2: year" in description and "last good catalog" in description
        # and the answers still come from the old catalog
        result = answer(service.catalog, parse_command_line("/drama vincenzo"))
        assert result.card_slug == "vincenzo"


async def test_restart_with_broken_cards_serves_the_stored_catalog(
    shipped_copy: Path, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    await start_once(shipped_copy, database)
    (shipped_copy / "run-on.yaml").write_text("title: [\n", "utf-8")
    async with Store.open(database) as store:
        service = CatalogService(store, shipped_copy)
        report = await service.start()
        assert not report.applied and report.errors
        assert "run-on" in service.catalog.cards


async def test_deleting_the_database_rebuilds_the_catalog_but_loses_settings(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """What README says deleting the database costs: no card, but every server's settings."""
    database = tmp_path / "bot.sqlite3"
    guild = 123456789012345678
    async with Store.open(database) as store:
        await CatalogService(store, shipped_copy).start()
        await SettingsBook(store).set_region(guild, "KR")
    async with Store.open(database) as store:  # kept across restarts while the file lives
        assert (await SettingsBook(store).get(guild)).region == "KR"
    for path in tmp_path.glob("bot.sqlite3*"):
        path.unlink()
    async with Store.open(database) as store:
        service = CatalogService(store, shipped_copy)
        await service.start()
        assert len(service.catalog) == len(list(shipped_copy.glob("*.yaml")))
        assert (await SettingsBook(store).get(guild)).region is None


async def test_first_start_with_broken_cards_serves_the_valid_ones(
    shipped_copy: Path, tmp_path: Path
) -> None:
    shutil.copy(shipped_copy / "run-on.yaml", shipped_copy / "run-on-copy.yaml")
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        report = await service.start()
        assert report.errors
        assert "start-up" in service.catalog.cards
        # the copy is the error; the file named for the title keeps serving (docs/cards.md)
        assert "run-on" in service.catalog.cards and "run-on-copy" not in service.catalog.cards


async def test_reload_report_lists_every_broken_card_within_discord_limits(
    shipped_copy: Path, tmp_path: Path
) -> None:
    async with started_service(shipped_copy, tmp_path / "bot.sqlite3") as service:
        for number in range(3):
            (shipped_copy / f"broken-{number}.yaml").write_text("title: X\nyear: x\ncast: 1\n")
        report = await service.reload()
        notice = reload_notice(report)
        assert len(notice.lines) == 3
        assert all("(+1 more in this card)" in line for line in notice.lines)
        for number in range(3, 400):
            (shipped_copy / f"broken-{number}.yaml").write_text("title: X\nyear: x\ncast: 1\n")
        payload = render(reload_notice(await service.reload()), 1)
        description = payload["embeds"][0]["description"]
        assert len(description) <= 4096
        assert "broken-0.yaml:2: year" in description
        assert description.rstrip().endswith("more")


async def test_an_empty_cards_folder_is_refused_unless_confirmed(
    shipped_copy: Path, tmp_path: Path
) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        total = (await service.start()).total
        before = service.catalog
        for path in shipped_copy.glob("*.yaml"):
            path.unlink()  # a failed mount shows an empty folder
        report = await service.reload()
        assert not report.applied and report.needs_confirmation and not report.errors
        assert service.catalog is before and len(service.catalog) == total
        notice = reload_notice(report)
        assert notice.title == "Reload refused"
        assert notice.text == (
            f"Nothing changed: the cards folder has no cards; it would remove all {total}. "
            f"Still serving the last good catalog ({total} cards). If this is what you want, "
            "run /reload confirm:true."
        )
        assert str(shipped_copy) not in notice.text  # admins see no server paths
        confirmed = await service.reload(confirm=True)
        assert confirmed.applied and len(service.catalog) == 0
        assert len(confirmed.diff.removed) == total


async def test_a_reload_removing_more_than_the_allowed_share_needs_confirmation(
    shipped_copy: Path, tmp_path: Path
) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy, max_removed_share=0.25)
        total = (await service.start()).total
        paths = sorted(shipped_copy.glob("*.yaml"))
        for path in paths[: total // 4]:  # exactly the share: allowed
            path.unlink()
        allowed = await service.reload()
        assert allowed.applied and len(allowed.diff.removed) == total // 4
        remaining = total - total // 4
        for path in paths[total // 4 : total // 4 + remaining // 4 + 1]:
            path.unlink()
        refused = await service.reload()
        assert not refused.applied and len(service.catalog) == remaining
        assert refused.refused == (
            f"it would remove {remaining // 4 + 1} of {remaining} cards (more than 25%)"
        )
        assert (await service.reload(confirm=True)).applied
        assert len(service.catalog) == remaining - remaining // 4 - 1


@pytest.mark.parametrize("fault", ["empty", "missing", "mostly gone"])
async def test_a_start_keeps_serving_the_stored_catalog_when_the_folder_lost_it(
    shipped_copy: Path, tmp_path: Path, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "bot.sqlite3"
    total = (await start_once(shipped_copy, database)).total
    paths = sorted(shipped_copy.glob("*.yaml"))
    if fault == "missing":
        shutil.rmtree(shipped_copy)
    else:
        for path in paths if fault == "empty" else paths[: total * 3 // 4]:
            path.unlink()
    async with Store.open(database) as store:
        service = CatalogService(store, shipped_copy)
        report = await service.start()
        assert not report.applied and len(service.catalog) == total
        assert answer(service.catalog, parse_command_line("/drama Run On")).card_slug == "run-on"
    said = caplog.text
    assert f"serving the {total} cards stored in the database" in said or (
        f"serving the last good catalog ({total} cards) from the database" in said
    )
    # and the next start still has them: nothing was written
    async with Store.open(database) as store:
        assert len(await store.load_catalog()) == total


async def test_the_guard_refusal_is_said_in_the_admins_language(
    shipped_copy: Path, tmp_path: Path
) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        total = (await service.start()).total
        for path in shipped_copy.glob("*.yaml"):
            path.unlink()
        report = await service.reload()
    english = render(reload_notice(report), 1)["embeds"][0]["description"]
    korean = render(reload_notice(report), 1, "ko")["embeds"][0]["description"]
    assert english.startswith("Nothing changed: the cards folder has no cards;")
    assert f"카드 폴더에 카드가 하나도 없어서 {total}개를 모두 지우게 돼요" in korean
    assert "Nothing changed" not in korean and "/새로고침 확인:true" in korean


async def test_a_reload_with_nothing_to_apply_says_the_catalog_is_unchanged(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """Broken cards and no other change: nothing was refused, so the report is not headed
    "Reload refused" and does not start "Nothing changed:"; it says the catalog is as it was
    and how many cards still have errors, in the admin's language, and /about agrees."""
    (shipped_copy / "broken-1.yaml").write_text("title: X\nyear: x\n")
    (shipped_copy / "broken-2.yaml").write_text("title: Y\nyear: y\ncast: 1\n")
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        total = (await service.start()).total
        report = await service.reload()
    assert not report.applied and len(report.errors) == 4
    notice = reload_notice(report)
    assert notice.title == "Catalog unchanged"
    assert notice.text.startswith(
        f"The catalog is unchanged ({total} cards): no other card was added, changed or "
        "removed. 2 cards still have errors (4 errors); fix them"
    )
    assert "refused" not in notice.text.casefold() and "Nothing changed" not in notice.text
    assert [line.split(":")[0] for line in notice.lines] == ["`broken-1.yaml", "`broken-2.yaml"]
    korean = render(notice, 1, "ko")["embeds"][0]
    assert korean["title"] == "카탈로그 변경 없음"
    assert korean["description"].startswith(f"카탈로그는 그대로예요 (카드 {total}개).")
    assert "카드 2개에 아직 오류가 있어요 (오류 4개)" in korean["description"]
    assert "바뀐 것이 없어요" not in korean["description"]
    assert reload_summary(report) == f"unchanged; 2 cards still have errors; serving {total} cards"
    assert reload_summary(report).said("ko") == (
        f"변경 없음, 카드 2개에 아직 오류가 있어요, 카드 {total}개로 운영 중"
    )


async def test_a_reload_held_back_by_a_broken_card_is_still_refused(
    shipped_copy: Path, tmp_path: Path
) -> None:
    async with started_service(shipped_copy, tmp_path / "bot.sqlite3") as service:
        run_on = shipped_copy / "run-on.yaml"
        run_on.write_text(run_on.read_text("utf-8").replace("Run On", "Run On Again", 1))
        (shipped_copy / "broken-1.yaml").write_text("title: X\nyear: x\n")
        report = await service.reload()
    notice = reload_notice(report)
    assert report.diff.changed == ("run-on",)
    assert notice.title == "Reload refused"
    assert notice.text.startswith("Nothing changed: 2 errors in 1 card.")
    assert reload_summary(report).startswith("refused (2 card errors)")


async def test_an_edit_that_breaks_a_served_card_is_refused_not_unchanged(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """Its last good version is still served and the edit waits: that is a refusal."""
    async with started_service(shipped_copy, tmp_path / "bot.sqlite3") as service:
        (shipped_copy / "run-on.yaml").write_text("title: Run On\nyear: soon\n")
        report = await service.reload()
        served = service.catalog.cards
        assert "run-on" in served and not report.diff.changed
        notice = reload_notice(report, served=served)
        assert notice.title == "Reload refused"
        assert notice.text.startswith("Nothing changed: 2 errors in 1 card.")
        assert reload_summary(report, served=served).startswith("refused (2 card errors)")
