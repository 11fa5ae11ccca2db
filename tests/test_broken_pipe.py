"""Output read by something that stops early (``drama-bot ask ... | head -1``): ``ask`` and
``scripts/try_standin.py`` exit 1 quietly, as Python's documentation recommends for a broken
pipe, with nothing on stderr (QA round 4, F1.3). Real processes, real pipes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def _read_one_line_and_leave(command: list[str], stdin: Path | None = None) -> tuple[int, str]:
    with (stdin or Path("/dev/null")).open("rb") as source:
        process = subprocess.Popen(
            command, cwd=REPO, stdin=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # the reader leaves, as `head -1` does
        errors = process.stderr.read().decode()
        status = process.wait(timeout=60)
    assert first, errors
    return status, errors


def test_ask_exits_1_quietly_when_its_reader_leaves(tmp_path: Path) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("/drama run on\n" * 2000, "utf-8")
    status, errors = _read_one_line_and_leave(
        [sys.executable, "-m", "bot", "ask", "--json", "--quiet"], lines
    )
    assert (status, errors) == (1, "")


def test_try_standin_exits_1_quietly_when_its_reader_leaves() -> None:
    script = [sys.executable, str(REPO / "scripts" / "try_standin.py")]
    status, errors = _read_one_line_and_leave([*script, "/drama run on", "/cast run on"])
    assert (status, errors) == (1, ""), errors
