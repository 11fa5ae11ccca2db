"""The cold load's stalls, trees alternated: ``python scripts/cold_stalls_ab.py FOLDER ROUNDS
pymalloc|jemalloc TREE [TREE ...]``.

Each round runs the bench's own cold-load child (``bot.bench.child cold``, an empty query
list: no baseline pass) once per tree, in the order given, with ``PYTHONPATH=TREE``, a fresh
database and stall traces over 25 ms, and prints one JSON line a run: the load average before
and after, ``cold_load_s`` and ``stall_cold_load_ms`` (the bench's figures), how many traced
stalls were ``waited`` (every thread waiting: the process waiting for a core) or ``HELD``
with the five worst of each, and the loop thread's own run-queue wait from
``/proc/PID/task/PID/schedstat`` (the child's main thread runs the event loop), read every
0.1 s until the child ends. A tree is a copy of the code compared (``git archive`` into a
folder, with ``data/``: the child imports ``bot`` from there). Branch ``cold15``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TRACED_MS = "25"
_STALL = re.compile(r"^cold_load: (\w+), the loop came back ([\d.]+) ms", re.MULTILINE)


def _loop_thread(pid: int, last: dict[str, int]) -> None:
    """Until process ``pid`` ends: its main thread's schedstat (ns run, ns waiting, slices)."""
    while True:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().rpartition(")")[2].split()[0] in ("Z", "X"):
                    return
            with open(f"/proc/{pid}/task/{pid}/schedstat", encoding="ascii") as sched:
                run, waited, slices = map(int, sched.read().split()[:3])
        except (OSError, ValueError):
            return
        last.update(run_ns=run, waited_ns=waited, slices=slices)
        time.sleep(0.1)


def _environment(tree: str, allocator: str) -> dict[str, str]:
    environment = dict(os.environ, PYTHONPATH=tree)
    if allocator == "pymalloc":
        return environment | {"PYTHONMALLOC": "pymalloc"}
    sys.path.insert(0, tree)
    from bot.catalog.heap import serving_environment

    return serving_environment(environment) or environment


def run(folder: str, tree: str, allocator: str, where: Path, name: str) -> dict[str, object]:
    database, traces = where / f"{name}.sqlite3", where / f"{name}.traces"
    queries = where / "no-queries.json"
    queries.write_text("[]", "utf-8")
    load = os.getloadavg()[0]
    began = time.perf_counter()
    command = [sys.executable, "-m", "bot.bench.child", "cold", folder, str(database)]
    child = subprocess.Popen(
        [*command, str(queries), "1", str(traces), TRACED_MS],
        cwd=tree,
        env=_environment(tree, allocator),
        stdout=subprocess.PIPE,
        text=True,
    )
    last: dict[str, int] = {}
    watcher = threading.Thread(target=_loop_thread, args=(child.pid, last), daemon=True)
    watcher.start()
    out, _ = child.communicate()
    watcher.join()
    wall = time.perf_counter() - began
    result = [json.loads(line)["result"] for line in out.splitlines() if '"result"' in line]
    summary = subprocess.run(
        [sys.executable, "-m", "bot.bench.stall_traces", str(traces)],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=tree),
        check=False,
    ).stdout
    stalls: dict[str, list[float]] = {"waited": [], "HELD": []}
    for verdict, ms in _STALL.findall(summary):
        stalls.setdefault(verdict, []).append(float(ms))
    slices = max(1, last.get("slices", 1))
    return {
        "tree": tree,
        "allocator": allocator,
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "wall_s": round(wall, 1),
        "result": result[0] if result else None,
        **{
            f"{verdict}_over_{TRACED_MS}ms": [len(found), *sorted(found, reverse=True)[:5]]
            for verdict, found in stalls.items()
        },
        "loop_thread_waited_ms": round(last.get("waited_ns", 0) / 1e6, 1),
        "loop_thread_waited_per_slice_ms": round(last.get("waited_ns", 0) / 1e6 / slices, 3),
    }


def main(argv: list[str]) -> int:
    folder, rounds, allocator, *trees = argv
    with tempfile.TemporaryDirectory(prefix="cold-stalls-") as scratch:
        for number in range(int(rounds)):
            for index, tree in enumerate(trees):
                found = run(folder, tree, allocator, Path(scratch), f"{number}-{index}")
                print(json.dumps({"round": number, **found}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
