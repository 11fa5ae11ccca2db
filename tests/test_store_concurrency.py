"""Several processes opening one new database at the same moment (shards on one machine)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

OPEN_IT = """
import asyncio, sys
from bot.catalog.store import Store, SCHEMA_VERSION

async def main() -> None:
    async with Store.open(sys.argv[1]) as store:
        assert await store.schema_version() == SCHEMA_VERSION
        await store.set_state("opened-by", sys.argv[2])

asyncio.run(main())
"""


def test_processes_creating_one_database_at_once_all_open_it(tmp_path: Path) -> None:
    for attempt in range(3):  # the race is narrow: try it a few times
        database = tmp_path / f"attempt-{attempt}" / "drama-bot.sqlite3"
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_IT, str(database), str(n)],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(4)
        ]
        results = [p.communicate(timeout=60) for p in processes]
        failures = [err for p, (_, err) in zip(processes, results, strict=True) if p.returncode]
        assert failures == [], failures[0]
