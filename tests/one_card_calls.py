"""The C function calls of a one-card edit's watched reload and what it leaves for the
background, counted in every thread of a fresh process (``python -m tests.one_card_calls FOLDER
DATABASE``: prints the count; the folder holds ``run-on.yaml`` with ``episodes: 16``). A
process of its own: threads a test process made before would not be counted. Used by
tests/test_one_card_reload_work.py."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from tests.catalog_helpers import started_service

EDITED = "run-on.yaml"


class _CCalls:
    """Counts C function calls in every thread while ``on``."""

    def __init__(self) -> None:
        self.on = False
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, _frame: FrameType, event: str, _arg: Any) -> None:
        if self.on and event == "c_call":
            with self._lock:
                self.calls += 1


def _bump(folder: Path, old: str, new: str) -> None:
    card = folder / EDITED
    card.write_text(card.read_text("utf-8").replace(old, new), "utf-8")


async def calls_for_one_edit(folder: Path, database: Path) -> int:
    counter = _CCalls()
    threading.setprofile(counter)  # (every thread the service starts from now on)
    sys.setprofile(counter)  # (and the event loop's)
    try:
        async with started_service(folder, database) as service:
            await service.flush()
            _bump(folder, "episodes: 16", "episodes: 17")
            report = await service.reload()  # (/reload: the first edit, listed)
            assert report.applied and report.diff.changed == ("run-on",)
            _bump(folder, "episodes: 17", "episodes: 18")
            counter.on = True
            report = await service.reload(names=[EDITED])  # (the watcher's)
            await service.flush()  # (the keeping and the release it left)
            counter.on = False
            assert report.applied and report.diff.changed == ("run-on",)
            assert service.catalog.cards["run-on"].episodes == 18
            return counter.calls
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
        sys.setprofile(None)


if __name__ == "__main__":
    print(asyncio.run(calls_for_one_edit(Path(sys.argv[1]), Path(sys.argv[2]))))
