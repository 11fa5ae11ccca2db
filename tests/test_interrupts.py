"""Ctrl-C on a terminal while ``drama-bot check`` reads a big folder in worker processes: the
terminal sends SIGINT to every process of its foreground group, the card readers too. The
command ends at once with exit status 130, no traceback, and no process left behind."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from bot.bench.synthetic import synthetic_cards, write_cards
from tests.patience import patient
from tests.test_crash_traces import _children, started


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("interrupts") / "cards"
    list(write_cards(synthetic_cards(4_000, seed=7), folder))
    return folder


def _group(pgid: int) -> list[int]:
    """The processes of group ``pgid`` that have not ended."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rpartition(b")")[2].split()
        except (OSError, ValueError):
            continue
        if int(fields[2]) == pgid and fields[0] not in (b"Z", b"X"):
            found.append(int(entry))
    return found


@pytest.mark.parametrize("attempt", range(3))
def test_ctrl_c_while_the_card_readers_start_ends_check_at_once(
    big_folder: Path, attempt: int
) -> None:
    """SIGINT to the group as soon as the first card reader exists (still starting: the
    moment that hung ``check`` for good before, its pool broken while the reading process
    cancelled its work, or printed a reader's ``KeyboardInterrupt`` traceback)."""
    process = started("-m", "bot", "check", "--data", str(big_folder), "--quiet", group=True)
    try:
        deadline = time.monotonic() + patient(60)
        while time.monotonic() < deadline and process.poll() is None:
            if any(_children(child) for child in _children(process.pid)):
                break
            time.sleep(0.002)
        os.killpg(process.pid, signal.SIGINT)
        _, errors = process.communicate(timeout=patient(20))
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 130, errors[-3000:]
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors, errors[-3000:]
    for _ in range(100):  # (a reader ends within a second of its parent: it watches it)
        if not _group(process.pid):
            break
        time.sleep(0.1)
    assert _group(process.pid) == []
