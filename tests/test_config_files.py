"""A config file or token file that is not a small text file (a device, a FIFO, something
huge, binary bytes) is one line and exit 2, at once: never a hang, a traceback or memory
without end. Through the unmodified ``drama-bot check`` and ``drama-bot run``."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_cli import drama_bot


def _fifo(folder: Path) -> Path:
    path = folder / "named-pipe"
    os.mkfifo(path)  # (no writer ever comes: an open that waits for one waits for good)
    return path


def _huge(folder: Path) -> Path:
    path = folder / "huge.yaml"
    path.write_text("# a log file given by mistake\n" * 80_000, "utf-8")  # 2.4 MB
    return path


def _binary(folder: Path) -> Path:
    path = folder / "binary"
    path.write_bytes(bytes(range(256)) * 4)
    return path


KINDS: dict[str, Callable[[Path], Path]] = {
    "dev-zero": lambda _: Path("/dev/zero"),  # never ends
    "fifo": _fifo,
    "huge": _huge,
    "binary": _binary,
}
SAID = {
    "dev-zero": "not a regular file (a FIFO, socket or device)",
    "fifo": "not a regular file (a FIFO, socket or device)",
    "huge": "over 1,048,576 bytes",
    "binary": "not UTF-8 text",
}


def _drama_bot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # (before: the FIFO and /dev/zero never returned; the run ends in its timeout)
    return drama_bot(*args, cwd=cwd, env={"PYTHONPATH": str(REPO)})


@pytest.mark.parametrize("kind", KINDS)
def test_a_config_that_is_no_small_text_file_is_one_line(tmp_path: Path, kind: str) -> None:
    config = KINDS[kind](tmp_path)
    done = _drama_bot("check", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("drama-bot: ") and str(config) in line and SAID[kind] in line


@pytest.mark.parametrize("kind", KINDS)
def test_a_token_file_that_is_no_small_text_file_is_one_line(tmp_path: Path, kind: str) -> None:
    token_file = KINDS[kind](tmp_path)
    config = tmp_path / "config.yaml"
    config.write_text(f"token_file: {token_file}\n", "utf-8")
    done = _drama_bot("run", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    said = "over 65,536 bytes" if kind == "huge" else SAID[kind]  # (a token file's limit)
    assert line.startswith(f"drama-bot: cannot read token_file {token_file}: {said}")
