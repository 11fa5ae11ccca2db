"""What a ``drama-bot`` process imports before it does anything: only what its command uses.

Every ``drama-bot ask`` (a script's, the tests' hundreds) pays for its imports; building the
command line once imported the bench, the TMDB client (aiohttp) and rich for every command,
about 0.1 s of CPU of each ``ask`` and 0.5 s of ``--version``. Read from the real process with
``python -X importtime``, which lists every module it imported on stderr.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

#: Only ``bench``, ``enrich``, ``import-review`` and ``run`` need these.
NOT_FOR_ASK = ("rich", "aiohttp", "discord", "matplotlib", "bot.bench", "bot.cli.bench")
NOT_FOR_ASK += ("bot.cli.enrich", "bot.sources.tmdb.client", "bot.sources.tmdb.enrich")
#: The common words are read from wordfreq's files, without its import (ftfy, langcodes, regex).
NOT_FOR_ASK += ("wordfreq", "ftfy", "langcodes")
#: ``--version`` and a usage error need no catalog at all.
NOT_FOR_PARSING = (*NOT_FOR_ASK, "numpy", "bot.catalog", "bot.cards", "bot.answering")


def imported(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    rows = [line.rsplit("|", 1) for line in done.stderr.splitlines() if "import time:" in line]
    names = {name.strip() for _, name in rows[1:]}  # (the first row is the header)
    assert "bot.cli.main" in names, done.stderr[-2000:]
    return names


def loaded(names: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == p or n.startswith(f"{p}.") for p in packages))


def test_ask_imports_neither_the_bench_nor_the_tmdb_client_nor_rich() -> None:
    names = imported("ask", "--json", "/drama Run On")  # stderr is a pipe: no progress bar
    assert "bot.answering.dispatch" in names
    assert loaded(names, NOT_FOR_ASK) == []


@pytest.mark.parametrize("args", [("--version",), ("ask", "--locale")])
def test_the_command_line_alone_loads_no_catalog(args: tuple[str, ...]) -> None:
    assert loaded(imported(*args), NOT_FOR_PARSING) == []
