"""Where the suite's CPU goes: an opt-in pytest plugin (``-p tests.cpu_report``).

For each test it records the CPU time (user + sys) of the pytest process and of the processes
it started and waited for (``resource.getrusage(RUSAGE_CHILDREN)``), wall time, and how many
processes the test started (``subprocess.Popen``, which ``asyncio``'s subprocesses use too,
and ``multiprocessing``'s spawn and fork). Each process (the controller, each xdist worker)
writes one JSON file into the folder named by ``DRAMA_BOT_CPU_REPORT`` (default
``/tmp/drama-bot-cpu-report``); ``python -m tests.cpu_report FOLDER`` sums them by module and
lists the costliest tests. Nothing is measured unless the plugin is named on the command line.
"""

from __future__ import annotations

import json
import multiprocessing.util
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_started = {"processes": 0}
_records: list[dict[str, Any]] = []
_phases: dict[str, float] = {}


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _count(original: Any) -> Any:
    def counted(*args: Any, **kwargs: Any) -> Any:
        _started["processes"] += 1
        return original(*args, **kwargs)

    return counted


def _forked() -> None:
    _started["processes"] += 1


def pytest_configure(config: pytest.Config) -> None:
    subprocess.Popen._execute_child = _count(subprocess.Popen._execute_child)  # type: ignore[attr-defined]
    multiprocessing.util.spawnv_passfds = _count(multiprocessing.util.spawnv_passfds)
    os.register_at_fork(after_in_parent=_forked)
    _phases["start_cpu"] = _cpu(resource.RUSAGE_SELF)


def pytest_collection_finish(session: pytest.Session) -> None:
    _phases["collected_cpu"] = _cpu(resource.RUSAGE_SELF)
    _phases["collected_wall"] = time.monotonic()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    own, children = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    processes, wall = _started["processes"], time.monotonic()
    yield
    _records.append(
        {
            "test": item.nodeid,
            "own": _cpu(resource.RUSAGE_SELF) - own,
            "children": _cpu(resource.RUSAGE_CHILDREN) - children,
            "processes": _started["processes"] - processes,
            "wall": time.monotonic() - wall,
        }
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = Path(os.environ.get("DRAMA_BOT_CPU_REPORT", "/tmp/drama-bot-cpu-report"))
    folder.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "controller")
    report = {
        "worker": worker,
        "collection_cpu": _phases.get("collected_cpu", 0.0),
        "total_own": _cpu(resource.RUSAGE_SELF),
        "total_children": _cpu(resource.RUSAGE_CHILDREN),
        "tests": _records,
    }
    (folder / f"{worker}-{os.getpid()}.json").write_text(json.dumps(report), "utf-8")


def summarize(folder: Path, top: int = 40) -> str:
    """A plain-text summary of a run's files: totals, modules by CPU, costliest tests."""
    reports = [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]
    lines = []
    for r in reports:
        lines.append(
            f"{r['worker']}: own {r['total_own']:.1f} s, children {r['total_children']:.1f} s, "
            f"start+collection {r['collection_cpu']:.1f} s, {len(r['tests'])} tests"
        )
    # Under xdist the controller's children are the workers, with everything they started.
    outer = [r for r in reports if r["worker"] == "controller"] or reports
    total = sum(r["total_own"] + r["total_children"] for r in outer)
    lines.append(f"total CPU (every process, user+sys): {total:.1f} s")
    tests = [t for r in reports for t in r["tests"]]
    own, children = sum(t["own"] for t in tests), sum(t["children"] for t in tests)
    lines.append(f"inside tests: {own:.1f} s in pytest, {children:.1f} s in processes they started")
    modules: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0])
    for t in tests:
        row = modules[t["test"].split("::", 1)[0]]
        row[0] += t["own"]
        row[1] += t["children"]
        row[2] += t["processes"]
        row[3] += 1
    lines.append(f"{'module':55} {'own':>7} {'child':>7} {'procs':>5} {'tests':>5}")
    by_cpu = sorted(modules.items(), key=lambda kv: -kv[1][0] - kv[1][1])
    for name, (own, child, procs, count) in by_cpu:
        lines.append(f"{name:55} {own:7.1f} {child:7.1f} {procs:5d} {count:5d}")
    lines.append(f"tests: {len(tests)}, processes started: {sum(t['processes'] for t in tests)}")
    lines.append("costliest tests (own + children CPU, s):")
    for t in sorted(tests, key=lambda t: -t["own"] - t["children"])[:top]:
        lines.append(
            f"{t['own'] + t['children']:6.2f} {t['own']:6.2f} {t['children']:6.2f} "
            f"{t['processes']:3d} {t['wall']:6.1f}  {t['test']}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 40))
