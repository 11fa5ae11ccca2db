"""The warm start keeps slow one-time work off the event loop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_service_loads_the_word_list_off_the_event_loop(shipped_copy: Path) -> None:
    """Making the service (on the event loop, before any load) reads no word list; a warm
    start from the kept catalog reads it in a worker thread, so no first query waits for it
    on the loop. In a fresh process: the list is loaded once per process."""
    script = f"""
import asyncio, sys, threading
from pathlib import Path
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from bot.matching import common_words

loaded_in = []
original = common_words._zipf.__wrapped__
def noted():
    loaded_in.append(threading.current_thread() is threading.main_thread())
    return original()
common_words._zipf = __import__("functools").cache(noted)

async def main():
    async with Store.open(sys.argv[1]) as store:
        service = CatalogService(store, Path({str(shipped_copy)!r}))
        print("made", loaded_in)
        await service.start()
        await service.flush()
        print("started", loaded_in)

asyncio.run(main())
"""
    database = shipped_copy.parent / "bot.sqlite3"
    for _ in range(2):  # a cold load (which keeps its build), then a warm start
        done = subprocess.run(
            [sys.executable, "-c", script, str(database)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == ["made []", "started [False]"]
