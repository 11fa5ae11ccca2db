"""Round 15's hostile-cards sweep (``tests/hostile_sweep.py``) through ``drama-bot check`` and
``drama-bot ask``, each a real process on a real folder: the admin reads the exact
``name:line: key: message`` line(s) for the file, the good card beside it still answers,
nothing prints a traceback, and each process ends within its timeout and stays within a
bounded size (its peak resident size, from ``wait4``). Also a folder of 10,000 empty files,
and files deleted while ``check`` reads the folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.hostile_sweep import GOOD_NAME, SWEEP, Sweep, build, empty_files, names

#: Peak resident size allowed to one ``check`` or ``ask`` of a small folder (kB): a card
#: that expanded (an alias bomb, a 50 MB file read whole) would pass it by far.
MAX_RSS_KB = 400_000
TIMEOUT = 120.0  # (a hang is what this catches; a loaded machine is slow, not hung)


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str
    peak_kb: int


#: Runs ``drama-bot ARGS`` as its child and writes the child's peak resident size (kB) to
#: ``argv[1]``. A process forked from the test process would count the test process's own
#: size as its peak (Linux keeps the peak across ``exec``): this one is small when it forks.
MEASURED = """
import os, sys
child = os.fork()
if child == 0:
    os.execv(sys.executable, [sys.executable, "-m", "bot", *sys.argv[2:]])
_, status, usage = os.wait4(child, 0)
with open(sys.argv[1], "w") as peak:
    peak.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run(*args: str) -> Ran:
    """``drama-bot ARGS`` as a process of its own; its exit status, output and peak size."""
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    with tempfile.TemporaryDirectory() as scratch:
        out, err, peak = (Path(scratch) / name for name in ("out", "err", "peak"))
        with out.open("wb") as stdout, err.open("wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-c", MEASURED, str(peak), *args],
                stdout=stdout, stderr=stderr, cwd=REPO, env=environment, start_new_session=True,
            )  # fmt: skip
            try:
                code = process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                hung = f"drama-bot {' '.join(args)} did not end in {TIMEOUT} s"
                raise AssertionError(hung) from None
        return Ran(code, out.read_text(), err.read_text(), int(peak.read_text()))


def _lines(folder: Path, text: str) -> list[str]:
    """The lines naming a file in ``folder``, with the folder left out."""
    prefix = f"{folder}{os.sep}"
    return [line[len(prefix) :] for line in text.splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize("sweep", SWEEP, ids=lambda s: s.kind)
def test_check_and_ask_name_the_file_line_and_key_and_the_good_card_answers(
    tmp_path: Path, sweep: Sweep
) -> None:
    folder = tmp_path / "cards"
    build(folder, sweep)
    checked = run("check", "--data", str(folder))
    assert "Traceback" not in checked.err + checked.out
    printed = _lines(folder, checked.out)
    mine = [line for line in printed if line.split(":", 1)[0] in names(sweep)]
    errors = [line for line in mine if ": warning: " not in line]
    assert errors == list(sweep.lines) or set(sweep.lines) <= set(mine), printed
    assert checked.code == (1 if any(": note: " not in x for x in sweep.lines) else 0)
    assert checked.peak_kb < MAX_RSS_KB
    asked = run("ask", "--json", "--data", str(folder), "/drama title:Good Harbour")
    assert asked.code == 0, asked.err
    assert "Traceback" not in asked.err
    assert json.loads(asked.out.splitlines()[-1])["card"] == "good-harbour"
    assert asked.peak_kb < MAX_RSS_KB
    broken = [line for line in sweep.lines if ": note: " not in line]
    for name in {line.split(":", 1)[0] for line in broken}:
        assert name in asked.err  # (each broken card said once on stderr)


def test_a_folder_of_ten_thousand_empty_files(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    empty_files(folder, 10_000)
    checked = run("check", "--data", str(folder))
    assert checked.code == 1 and "Traceback" not in checked.err
    printed = _lines(folder, checked.out)
    assert len(printed) == 10_000
    assert printed[0] == (
        "empty-00000.yaml:1: title: the file is empty; a card needs title, year and cast"
    )
    assert checked.peak_kb < MAX_RSS_KB
    asked = run("ask", "--json", "--data", str(folder), "/drama title:Good Harbour")
    assert json.loads(asked.out.splitlines()[-1])["card"] == "good-harbour", asked.err
    assert "Traceback" not in asked.err
    assert asked.peak_kb < MAX_RSS_KB


def test_files_deleted_while_check_reads_the_folder(tmp_path: Path) -> None:
    """Cards vanish between the listing and the reading (a deploy replacing the folder): each
    one gone is at most one ``file: cannot be read`` line, never a traceback."""
    folder = tmp_path / "cards"
    empty_files(folder, 0)
    for number in range(3_000):
        (folder / f"card-{number:04d}.yaml").write_text(
            f'title: "Card {number}"\nyear: 2020\ncast:\n  - actor: A\n', "utf-8"
        )
    stop = threading.Event()

    def delete() -> None:
        for number in range(3_000):
            if stop.is_set():
                return
            (folder / f"card-{number:04d}.yaml").unlink()
            time.sleep(0.0005)

    deleting = threading.Thread(target=delete)
    deleting.start()
    try:
        checked = run("check", "--data", str(folder))
    finally:
        stop.set()
        deleting.join()
    assert "Traceback" not in checked.err + checked.out
    for line in _lines(folder, checked.out):
        if line.startswith("card-") and ": warning: " not in line:
            assert line.endswith(": file: cannot be read: No such file or directory"), line
    assert GOOD_NAME not in checked.out  # (the good card is fine)
