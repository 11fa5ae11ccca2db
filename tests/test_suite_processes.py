"""The processes the suite starts keep their compiled bytecode (tests/conftest.py's
``pytest_configure``): with ``PYTHONDONTWRITEBYTECODE`` inherited, each of the ~400 would
compile the bot's modules again (about 0.1 s of CPU each)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

PROBE = "import sys, bot.cli.main; print(sys.dont_write_bytecode, sys.pycache_prefix)"


def test_a_process_the_suite_starts_may_write_bytecode_outside_the_checkout() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, check=True
    )
    dont_write, prefix = done.stdout.split()
    assert dont_write == "False", done.stdout
    assert prefix == "None" or not prefix.startswith(str(REPO)), prefix
