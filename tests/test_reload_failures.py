"""A full reload whose new catalog is built in a process of its own
(``bot.catalog.build_worker``), when that process fails or cannot be used: through the
``drama-bot ask`` command line with its worker really killed, and the fallback for code that
changed on disk since the start, in a process running a copy of the bot's code that the test
then changes."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot
from bot.answering.notices import build_failed_notice
from bot.answering.render import render
from bot.bench.measure import bump_episodes
from bot.catalog.build_worker import BuildFailed
from bot.cli.main import main
from tests.catalog_helpers import KillBuild
from tests.conftest import SHIPPED_CARDS

SHIPPED = len(list(SHIPPED_CARDS.glob("*.yaml")))
_EPISODES = re.compile(r"^episodes: (\d+)", re.MULTILINE)


def test_ask_reload_with_its_build_process_killed_says_so(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """``drama-bot ask --database ...`` and ``/reload`` after the cards changed: the build
    process (from the first card on here, not 5,000) is killed; the reply says what failed
    and that the last good catalog keeps serving, and the next line still answers from it."""
    cards = tmp_path / "cards"
    shutil.copytree(SHIPPED_CARDS, cards)
    paths = sorted(cards.glob("*.yaml"))
    monkeypatch.setattr("bot.catalog.service.WORKER_FROM", 0)

    class Typed:
        """Standard input that is not a terminal, its lines typed once the catalog is loaded:
        the folder changes then."""

        def isatty(self) -> bool:
            return False

        def __iter__(self) -> Iterator[str]:
            assert bump_episodes(paths, 1) > SHIPPED // 2  # a full build
            yield "/reload\n"  # its build process killed
            yield "/drama Run On\n"
            yield "/reload\n"  # nothing killed this time
            yield "/drama Run On\n"

    monkeypatch.setattr(sys, "stdin", Typed())
    caplog.set_level(logging.INFO, "bot.catalog.build_worker")
    killer = KillBuild(limit=1)  # (the second reload is built)
    logger = logging.getLogger("bot.catalog.build_worker")
    logger.addHandler(killer)
    try:
        database = tmp_path / "cache.sqlite3"
        status = main(
            ["ask", "--json", "--quiet", "--database", str(database), "--data", str(cards)]
        )
    finally:
        logger.removeHandler(killer)
    assert status == 0
    failed, before, applied, after = (json.loads(o) for o in capsys.readouterr().out.splitlines())
    assert len(killer.killed) == 1
    embed = failed["message"]["embeds"][0]
    assert failed["message"]["flags"] == 64  # for the admin alone
    assert embed["title"] == "Reload not applied"
    assert embed["description"] == (
        "Nothing changed: the cards passed their checks, but the process that builds the new "
        "catalog was killed (signal 9; the system may have run out of memory). Still serving "
        f"the last good catalog ({SHIPPED} cards). Run /reload again; if it fails again, the "
        "bot's log says more."
    )
    assert _episodes(before) == "16"  # the last good catalog
    assert applied["message"]["embeds"][0]["title"] == "Catalog reloaded"
    assert _episodes(after) == "17"


def _episodes(record: dict[str, object]) -> str:
    message = record["message"]
    assert isinstance(message, dict)
    fields = message["embeds"][0]["fields"]
    return next(f["value"] for f in fields if f["name"] == "Episodes")


_RELOAD_AFTER_AN_UPDATE = """
import asyncio, json, logging, sys
from pathlib import Path


async def reload_after_an_update(cards: Path, database: Path, source: Path) -> None:
    import bot
    from bot.bench.measure import bump_episodes
    from bot.catalog.service import CatalogService
    from bot.catalog.store import Store

    async with Store.open(database) as store:
        service = CatalogService(store, cards)
        service.build_worker_from = 0  # every full reload builds in a worker process
        assert (await service.start()).applied
        await service.flush()
        # The bot's files are updated on disk while it runs (a deploy), then the cards change.
        source.write_text(source.read_text("utf-8") + "\\n# updated on disk\\n", "utf-8")
        bump_episodes(sorted(cards.glob("*.yaml")), 1)
        report = await service.reload()
        episodes = {slug: card.episodes for slug, card in service.catalog.cards.items()}
        print(json.dumps({"applied": report.applied, "changed": len(report.diff.changed),
                          "episodes": episodes, "code": bot.__file__}))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    asyncio.run(reload_after_an_update(*map(Path, sys.argv[1:])))
"""


def test_code_changed_on_disk_builds_the_reload_in_the_serving_process(tmp_path: Path) -> None:
    """The worker is a new process: it imports the bot's files as they are on disk now. When
    they changed since this process started (an update deployed under a running bot), what it
    would keep may not be what this process can read, so it builds nothing and the serving
    process builds the new catalog itself: the reload is applied all the same. Run in a
    process of its own over a copy of the bot's code, which the test then really changes."""
    code = tmp_path / "code"
    shutil.copytree(
        Path(bot.__file__).parent, code / "bot", ignore=shutil.ignore_patterns("__pycache__")
    )
    cards = tmp_path / "cards"
    shutil.copytree(SHIPPED_CARDS, cards)
    before = {p.stem: p.read_text("utf-8") for p in cards.glob("*.yaml")}
    script = tmp_path / "reload_after_an_update.py"
    script.write_text(_RELOAD_AFTER_AN_UPDATE, "utf-8")
    source = code / "bot" / "matching" / "folding.py"  # one of the files a catalog is built by
    original = source.read_text("utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(cards), str(tmp_path / "bot.sqlite3"), str(source)],
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert source.read_text("utf-8") != original  # the copy was changed, not the bot's files
    assert "bot.catalog.build_worker: building the new catalog in process" in done.stderr
    assert "the bot's code changed on disk since it started" in done.stderr
    assert "building the new catalog in this process" in done.stderr
    outcome = json.loads(done.stdout.splitlines()[-1])
    assert Path(outcome["code"]).is_relative_to(code)  # the copy ran, not the bot's files
    assert outcome["applied"] and outcome["changed"] > SHIPPED // 2
    changed = [slug for slug, text in before.items() if "episodes:" in text]
    assert changed and all(
        outcome["episodes"][slug] == int(_EPISODES.search(before[slug])[1]) + 1  # type: ignore[index]
        for slug in changed
    )


@pytest.mark.parametrize(
    ("failure", "english", "korean"),
    [
        (BuildFailed("", "start"), "could not start", "시작하지 못했어요"),
        (BuildFailed("", "timeout"), "gave no answer in time", "제시간에 응답하지 않았어요"),
        (BuildFailed("", "stopped", -9), "was killed (signal 9;", "강제로 종료됐어요 (시그널 9"),
        (
            BuildFailed("", "stopped", -11),
            "crashed (signal SIGSEGV, 11; the bot's log holds its stack)",
            "비정상 종료됐어요 (시그널 SIGSEGV, 11",
        ),
        (BuildFailed("", "stopped", 1), "stopped before it finished (exit code 1)", "종료 코드 1"),
        (BuildFailed("", "stopped"), "(exit code ?)", "종료 코드 ?"),
        (BuildFailed("", "failed"), "ran into an error", "오류가 났어요"),
        (
            BuildFailed("the catalog the build process kept does not fit"),
            "read back",
            "읽어 들이지",
        ),
    ],
)
def test_every_way_the_build_fails_is_said_in_both_languages(
    failure: BuildFailed, english: str, korean: str
) -> None:
    notice = build_failed_notice(failure, 12345, "shard 1 of 2")
    shown = render(notice, 0, "en-US")
    (embed,) = shown["embeds"]
    assert shown["flags"] == 64 and embed["title"] == "Reload not applied"
    assert english in embed["description"]
    assert "Still serving the last good catalog (12345 cards)." in embed["description"]
    assert embed["description"].endswith("\nAnswered by shard 1 of 2.")
    (korean_embed,) = render(notice, 0, "ko")["embeds"]
    assert korean in korean_embed["description"] and "카드 12345개" in korean_embed["description"]
    assert "build_failed" not in korean_embed["description"] + embed["description"]
