"""``tests/cli_run.py`` runs ``drama-bot ask`` and ``check`` in the test's process: what they
say there is what the process says (exit code, stdout, stderr to the byte, log lines
included), and the test's process is left as it was found."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_run import drama_bot, runs_here
from tests.conftest import SHIPPED_CARDS, minimal_card

#: A log line's time stamp (basicConfig's ``%(asctime)s``): the one thing two runs differ in.
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", re.MULTILINE)


def _both(*args: str, stdin: str | None = None) -> tuple[subprocess.CompletedProcess[str], ...]:
    here = drama_bot(*args, stdin=stdin)
    there = drama_bot(*args, stdin=stdin, process=True)
    return here, there


def _same(here: subprocess.CompletedProcess[str], there: subprocess.CompletedProcess[str]) -> None:
    assert (here.returncode, here.stdout) == (there.returncode, there.stdout)
    assert STAMP.sub("", here.stderr) == STAMP.sub("", there.stderr)


def test_a_logged_warning_reaches_stderr_as_from_a_process(tmp_path: Path) -> None:
    """The stored catalog answers for a missing folder with one WARNING log line: pytest's
    handlers on the root logger would take it (and ``basicConfig`` add none) without the
    logging ``main`` is given here."""
    cards, database = tmp_path / "cards", tmp_path / "cache.sqlite3"
    shutil.copytree(SHIPPED_CARDS, cards)
    made = drama_bot("ask", "--data", str(cards), "--database", str(database), "/drama run on")
    assert made.returncode == 0 and made.stderr == "", made.stderr
    shutil.rmtree(cards)
    here, there = _both("ask", "--json", "--data", str(cards), "--database", str(database),
                        stdin="/drama run on\n/cast vincenzo\n")  # fmt: skip
    assert " WARNING bot.catalog.service: cards folder " in here.stderr, here.stderr
    _same(here, there)


@pytest.mark.parametrize(
    "case",
    ["broken card", "usage error", "json usage error", "check errors", "korean", "no folder"],
)
def test_what_ask_and_check_say_here_is_what_the_process_says(tmp_path: Path, case: str) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "good.yaml").write_text(minimal_card("Good Show", 2011), "utf-8")
    (cards / "bad.yaml").write_text("title: [unclosed\n", "utf-8")
    here, there = {
        "broken card": lambda: _both("ask", "--data", str(cards), "/drama good show"),
        "usage error": lambda: _both("ask", "--bogus", "/drama run on"),
        "json usage error": lambda: _both("ask", "--json", "--locale"),
        "check errors": lambda: _both("check", "--data", str(cards), "--quiet"),
        "korean": lambda: _both("ask", "--locale", "ko", stdin="/드라마 런온\n/drama\n"),
        "no folder": lambda: _both("ask", "--json", "--data", str(tmp_path / "none"), "/drama x"),
    }[case]()
    _same(here, there)
    assert here.stderr or case == "korean"  # (each says something on stderr but that one)


def test_the_call_leaves_the_test_process_as_it_was(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = (
        root.handlers[:], root.level, dict(os.environ), os.getcwd(), sys.excepthook,
        sys.stdout, sys.stderr, sys.stdin, sys.getswitchinterval(),
    )  # fmt: skip
    done = drama_bot("ask", "--data", str(tmp_path / "none"), "/drama x", cwd=tmp_path,
                     env={"DRAMA_BOT_TEST_MARK": "1"})  # fmt: skip
    assert done.returncode == 2
    after = (
        root.handlers[:], root.level, dict(os.environ), os.getcwd(), sys.excepthook,
        sys.stdout, sys.stderr, sys.stdin, sys.getswitchinterval(),
    )  # fmt: skip
    assert after == before


def test_only_what_a_process_would_not_change_runs_here() -> None:
    assert runs_here(["ask", "--json", "/drama run on"], {})
    assert runs_here(["check", "--quiet"], {"DISCORD_TOKEN": "x"})
    assert not runs_here(["run", "--config", "c.yaml"], {})
    assert not runs_here(["--version"], {})
    assert not runs_here(["ask", "/drama run on"], {"PYTHONMALLOC": "pymalloc"})


async def test_a_call_from_a_running_loop_gets_a_process() -> None:
    assert not runs_here(["ask", "/drama run on"], {})
    done = drama_bot("ask", "/drama run on")
    assert done.returncode == 0 and "== Run On (2020) ==" in done.stdout, done.stderr
