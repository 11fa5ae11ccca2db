"""Faults while the unmodified ``drama-bot run`` serves (round 14, branch ``serve14``): its
database file deleted, emptied or made read-only, its cards folder replaced by a file, a
card made unreadable; then an admin's ``/reload`` and a fan's questions. Each time the last
good catalog keeps serving, the admin reads what happened in words, nothing crashes (no
traceback, no ERROR line, exit 0 at SIGTERM) and nothing is lost (the change made before
the fault is served, and after the next start too)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from errno import ENOTEMPTY
from pathlib import Path

import pytest

from tests.patience import patient
from tests.standins.discord import DiscordStandIn, StandInInteraction
from tests.test_hostile_cards import _drop_root_file_powers

from .harness import DEADLINE, copy_cards, visible_text
from .processes import drama_bot_serving, stopped, write_config

OLD = "headline: An unhurried romance about four people finding their own worth"
NEW = "headline: A gentle romance, now with a rewritten headline"


def _database(tmp_path: Path) -> Path:
    return tmp_path / "state" / "drama-bot.sqlite3"


def _delete(tmp_path: Path, cards: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{_database(tmp_path)}{suffix}").unlink(missing_ok=True)


def _delete_folder(tmp_path: Path, cards: Path) -> None:
    """Delete the database folder as an operator's ``rm -rf`` would, while the bot works in
    it: a file the bot itself removes between the listing and the unlink (SQLite drops
    ``-shm``/``-wal`` as a connection closes) is already gone, not an error (CI round 19
    failed once on that race in ``shutil.rmtree``)."""
    folder = _database(tmp_path).parent

    def gone_already(function: object, path: str, excinfo: tuple) -> None:
        error = excinfo[1]
        if not isinstance(error, FileNotFoundError) and getattr(error, "errno", 0) != ENOTEMPTY:
            raise error

    for _ in range(50):  # (a file made again meanwhile: the next pass takes it)
        shutil.rmtree(folder, onerror=gone_already)
        if not folder.exists():
            return
    raise AssertionError(f"{folder} kept coming back")


def _truncate(tmp_path: Path, cards: Path) -> None:
    os.truncate(_database(tmp_path), 0)


def _read_only(tmp_path: Path, cards: Path) -> None:
    for path in (_database(tmp_path).parent, *_database(tmp_path).parent.iterdir()):
        path.chmod(0o555 if path.is_dir() else 0o444)


def _folder_a_file(tmp_path: Path, cards: Path) -> None:
    shutil.move(cards, tmp_path / "cards-away")
    cards.write_text("not a folder\n", "utf-8")


def _card_unreadable(tmp_path: Path, cards: Path) -> None:
    (cards / "reply-1988.yaml").chmod(0o000)


REWRITTEN = "The bot wrote it again at the same place, with everything it held"
UNREADABLE = "`reply-1988.yaml:1: file: cannot be read: Permission denied`"
# fault -> (what it does, what the admin's /reload report says, the region kept at restart)
FAULTS: dict[str, tuple[Callable[[Path, Path], None], str, bool]] = {
    "database deleted": (_delete, REWRITTEN, True),
    "database folder deleted": (_delete_folder, REWRITTEN, True),
    "database emptied": (_truncate, "Reloaded 109 cards", True),
    "database read-only": (_read_only, "Reloaded 109 cards", True),
    "cards folder a file": (_folder_a_file, "`cards:1: data: is not a folder of cards", True),
    "card unreadable": (_card_unreadable, UNREADABLE, True),
}


async def _reload(standin: DiscordStandIn) -> str:
    interaction = await standin.send_slash("reload", {"confirm": True}, user=standin.owner)
    response = await interaction.wait_response(timeout=patient(5.0))
    assert response.latency < DEADLINE and response.ephemeral
    report = await interaction.wait_message(timeout=patient(60.0))
    return visible_text(report.raw)


async def _title(standin: DiscordStandIn, title: str) -> str:
    interaction: StandInInteraction = await standin.send_slash("drama", {"title": title})
    response = await interaction.wait_response(timeout=patient(5.0))
    assert response.type == 4 and response.latency < DEADLINE
    return str(response.embeds[0]["title"])


async def _headline(standin: DiscordStandIn) -> str:
    interaction: StandInInteraction = await standin.send_slash("drama", {"title": "Run On"})
    response = await interaction.wait_response(timeout=patient(5.0))
    assert response.type == 4 and response.latency < DEADLINE
    return response.embeds[0]["description"].split("\n\n")[0]


async def _settings(standin: DiscordStandIn, options: dict[str, str]) -> str:
    interaction = await standin.send_slash("settings", options, user=standin.owner)
    response = await interaction.wait_response(timeout=patient(5.0))
    assert response.latency < DEADLINE
    message = await interaction.wait_message(timeout=patient(30.0))
    return visible_text(message.raw)


def _open_up(tmp_path: Path) -> None:
    for path in (tmp_path, *tmp_path.rglob("*")):
        if not path.is_symlink():
            path.chmod(0o755)


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_a_fault_while_serving_keeps_the_last_good_catalog(
    standin: DiscordStandIn, tmp_path: Path, fault: str
) -> None:
    make, said, kept = FAULTS[fault]
    cards = copy_cards(tmp_path)
    config = write_config(tmp_path, standin, data_dir=str(cards), watch_cards=False)
    preexec = _drop_root_file_powers if os.geteuid() == 0 else None  # (chmod stops root not)
    try:
        async with drama_bot_serving(standin, tmp_path, config, preexec) as process:
            run_on = cards / "run-on.yaml"
            run_on.write_text(run_on.read_text("utf-8").replace(OLD, NEW), "utf-8")
            assert "1 changed" in await _reload(standin)
            make(tmp_path, cards)
            if cards.is_dir():  # (the reload reads the card made unreadable)
                reply = cards / "reply-1988.yaml"
                os.utime(reply, (reply.stat().st_atime, reply.stat().st_mtime + 5))
            report = await _reload(standin)
            assert NEW.split(": ")[1] in await _headline(standin)
            assert "Reply 1988" in await _title(standin, "reply 1988")
            assert "Japan (JP)" in await _settings(standin, {"region": "JP"})
            again = await _reload(standin)
            _, stderr = await stopped(process)
        _open_up(tmp_path)
        async with drama_bot_serving(standin, tmp_path, config, preexec) as process:
            await standin.state.changed.wait_for(
                lambda: len(standin.gateway.sessions) >= 2, patient(20.0), "the second start"
            )
            restarted = await _headline(standin)
            shown = await _settings(standin, {})
            _, stderr_after = await stopped(process)
    finally:
        _open_up(tmp_path)
    log = stderr.decode()
    assert said in report, report
    assert (said in again) is (said != REWRITTEN), again  # (written again once)
    assert NEW.split(": ")[1] in restarted  # the change made before the fault: not lost
    assert ("Default region for /stream: Japan (JP)" in shown) is kept, shown
    assert log.count("was deleted while the bot ran: written again") == (said == REWRITTEN), log
    for output in (log, stderr_after.decode()):
        assert "Traceback" not in output and " ERROR " not in output, output
    assert process.returncode == 0, log


CALLBACK = r"^/interactions/\d+/[^/]+/callback$"
FOLLOWUP = r"^/webhooks/\d+/[^/]+$"


async def test_discord_failing_mid_answer_still_gets_every_answer_through(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """The gateway dropped while an answer waits out a 429 on its callback (the answer goes
    by REST, the session resumes), then a 500 on the follow-up that carries a private
    answer (``defer_answers_after: 0``: every answer deferred first, as on a slow server)."""
    config = write_config(tmp_path, standin, defer_answers_after=0)
    async with drama_bot_serving(standin, tmp_path, config) as process:
        limited = standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=1.0)
        held = await standin.send_slash("drama", {"title": "Run On"})
        await standin.wait_for_request("POST", CALLBACK)  # (the 429)
        assert await standin.drop_connection() == 1
        assert (await held.wait_response(timeout=patient(5.0))).type == 5
        message = await held.wait_original(patient(5.0), edits=1)
        assert message.embeds[0]["title"] == "Run On (2020)"
        await standin.wait_resumed(timeout=patient(10.0))
        failed = standin.fail_next("POST", FOLLOWUP, count=1, status=500)
        missing = await standin.send_slash("drama", {"title": "zzqx nothing"})
        said = await missing.wait_followup(0, patient(10.0))
        assert said.ephemeral and (said.content or "").startswith("No drama called")
        after = await standin.send_slash("cast", {"title": "Start-Up"})
        assert (await after.wait_original(patient(5.0), edits=1)).embeds[0]["title"] == (
            "Cast of Start-Up (2020)"
        )
        _, stderr = await stopped(process)
    assert len(limited.hits) == 1 and len(failed.hits) == 1
    assert standin.resume_count == 1
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log and " ERROR " not in log, log


async def test_a_database_deleted_while_serving_is_written_again_when_the_bot_stops(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """No /reload after the deletion: the settings changed after it are written at the stop."""
    config = write_config(tmp_path, standin, watch_cards=False)
    async with drama_bot_serving(standin, tmp_path, config) as process:
        _delete(tmp_path, tmp_path)
        assert "Japan (JP)" in await _settings(standin, {"region": "JP"})
        _, stderr = await stopped(process)
    assert _database(tmp_path).is_file()
    async with drama_bot_serving(standin, tmp_path, config) as process:
        await standin.state.changed.wait_for(
            lambda: len(standin.gateway.sessions) >= 2, patient(20.0), "the second start"
        )
        shown = await _settings(standin, {})
        _, stderr_after = await stopped(process)
    assert "Default region for /stream: Japan (JP)" in shown, shown
    log = stderr.decode()
    assert log.count("was deleted while the bot ran: written again") == 1, log
    assert process.returncode == 0 and "Traceback" not in stderr_after.decode()
