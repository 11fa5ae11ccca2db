"""No card file, however broken, crashes `check`, `ask`, a reload or a start-up.

Every kind in ``tests/hostile.py`` is built for real in a folder and must come out as one
``path:line: key: message`` line, through the loader, `drama-bot check` and `drama-bot ask`.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cards.loader import load_cards
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from tests.conftest import REPO, minimal_card
from tests.hostile import HOSTILE, HUGE, Hostile, build_hostile
from tests.test_cli import drama_bot

PR_CAPBSET_DROP = 24  # from <linux/prctl.h>
AS_ROOT = os.geteuid() == 0


def _errors_for(errors: list[str], hostile: Hostile, folder: Path) -> list[str]:
    return [e for e in errors if e.startswith(hostile.shown(folder))]


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.kind)
def test_each_hostile_kind_alone_is_one_clear_error(tmp_path: Path, hostile: Hostile) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    build_hostile(folder, (hostile,))
    result = load_cards(folder)
    errors = [str(e) for e in result.errors]
    mine = _errors_for(errors, hostile, folder)
    assert mine, errors
    assert any(hostile.expected in e for e in mine), (hostile.expected, errors)
    assert all("\n" not in e and "could not be checked" not in e for e in errors)
    assert result.cards == []


def test_the_whole_corpus_at_once_beside_a_good_card(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    build_hostile(folder)
    (folder / "good.yaml").write_text(minimal_card("Good"), "utf-8")
    result = load_cards(folder)
    errors = [str(e) for e in result.errors]
    for hostile in HOSTILE:
        assert any(hostile.expected in e for e in _errors_for(errors, hostile, folder)), hostile
    assert [card.slug for card in result.cards] == ["good"]


def test_check_lists_the_corpus_one_line_each_and_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    build_hostile(folder)
    done = drama_bot("check", "--data", str(folder))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    for hostile in HOSTILE:
        assert any(hostile.expected in line for line in _errors_for(lines, hostile, folder)), (
            hostile.kind,
            done.stdout,
        )


def test_ask_answers_beside_the_corpus(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    build_hostile(folder)
    (folder / "good.yaml").write_text(minimal_card("Good"), "utf-8")
    done = drama_bot("ask", "--data", str(folder), "--json", "/drama Good")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["card"] == "good"
    assert "Traceback" not in done.stderr


async def test_a_restart_with_a_huge_integer_serves_the_stored_catalog(
    shipped_copy: Path, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with Store.open(database) as store:
        assert (await CatalogService(store, shipped_copy).start()).applied
    run_on = shipped_copy / "run-on.yaml"
    run_on.write_text(run_on.read_text("utf-8").replace("year: 2020", f"year: {HUGE}"), "utf-8")
    async with Store.open(database) as store:
        service = CatalogService(store, shipped_copy)
        report = await service.start()
        assert not report.applied
        assert [str(e).split(": ", 2)[1:] for e in report.errors] == [
            ["year", "is a 5000-digit number, out of range (1950 to 2100)"]
        ]
        assert service.catalog.cards["run-on"].year == 2020
        refused = await service.reload()
        assert not refused.applied and service.catalog.cards["run-on"].year == 2020


# -- folders and files that cannot be read ------------------------------------------------


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A temporary folder whose permissions the test may take away; given back afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="drama-bot-unreadable-"))
    yield folder
    for path in (folder, *folder.rglob("*")):
        if not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def _drop_root_file_powers() -> None:  # pragma: no cover - runs in the child process
    """Drop the capabilities that let root ignore file permissions (CAP_DAC_OVERRIDE = 1,
    CAP_DAC_READ_SEARCH = 2) from the bounding set, so the program exec'd next has them not."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def unprivileged(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``args`` as the Docker image runs the bot: without the power to read files whose
    permissions say no. As a normal user that is a plain run; as root (tests in a container),
    the child drops root's file-permission capabilities first."""
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    return subprocess.run(
        args,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        timeout=60,
        check=False,
        preexec_fn=_drop_root_file_powers if AS_ROOT else None,
    )


def as_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """``drama-bot ARGS`` run :func:`unprivileged`."""
    return unprivileged([sys.executable, "-m", "bot", *args])


def test_an_unreadable_card_is_a_card_error_and_the_others_load(open_dir: Path) -> None:
    cards = open_dir / "cards"
    cards.mkdir(mode=0o755)
    (cards / "good.yaml").write_text(minimal_card("Good"), "utf-8")
    locked = cards / "locked.yaml"
    locked.write_text(minimal_card("Locked"), "utf-8")
    locked.chmod(0o000)
    done = as_unprivileged("check", "--data", str(cards))
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [f"{locked}:1: file: cannot be read: Permission denied"]
    assert "Traceback" not in done.stderr
    asked = as_unprivileged("ask", "--data", str(cards), "--json", "/drama Good")
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["card"] == "good"


def test_an_unreadable_cards_folder_is_one_clear_line(open_dir: Path) -> None:
    cards = open_dir / "cards"
    cards.mkdir(mode=0o755)
    (cards / "good.yaml").write_text(minimal_card("Good"), "utf-8")
    cards.chmod(0o000)
    done = as_unprivileged("check", "--data", str(cards))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [f"{cards}:1: data: cannot be read: Permission denied"]
    asked = as_unprivileged("ask", "--data", str(cards), "/drama Good")
    assert asked.returncode == 2
    assert asked.stderr.strip() == f"drama-bot: --data {cards}: cannot be read: Permission denied"
    assert "Traceback" not in done.stderr + asked.stderr


def test_a_cards_folder_behind_a_locked_folder_is_one_clear_line(open_dir: Path) -> None:
    outer = open_dir / "outer"
    cards = outer / "cards"
    cards.mkdir(parents=True)
    (cards / "good.yaml").write_text(minimal_card("Good"), "utf-8")
    outer.chmod(0o000)
    done = as_unprivileged("check", "--data", str(cards))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [f"{cards}:1: data: cannot be read: Permission denied"]
    assert "Traceback" not in done.stderr


def test_the_unprivileged_runs_really_lack_permission(open_dir: Path) -> None:
    """The tests above prove something only if the command cannot read a locked file."""
    secret = open_dir / "secret.txt"
    secret.write_text("x", "utf-8")
    secret.chmod(0o000)
    done = unprivileged(["cat", str(secret)])
    assert done.returncode != 0 and "Permission denied" in done.stderr


def test_the_reliability_page_counts_the_hostile_kinds_truly() -> None:
    page = (REPO / "docs" / "reliability.md").read_text("utf-8")
    assert f"**{len(HOSTILE)} hostile kinds**" in page
