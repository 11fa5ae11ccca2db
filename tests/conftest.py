"""Shared fixtures: the shipped catalog, and helpers that write real card files."""

from __future__ import annotations

import ast
import json
import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog

REPO = Path(__file__).resolve().parent.parent
SHIPPED_CARDS = REPO / "data" / "cards"

RUN_ON_YAML = (SHIPPED_CARDS / "run-on.yaml").read_text("utf-8")
#: Folders tools write inside a checkout (the venv, caches, build output): not the project's.
TOOL_FOLDERS = frozenset(
    {".git", ".venv", ".hypothesis", ".pytest_cache", ".ruff_cache", "__pycache__", "build", "dist"}
)


def repository_entries() -> set[str]:
    """Every file and folder of the checkout, outside the tools' folders."""
    found: set[str] = set()
    for root, folders, files in os.walk(REPO):
        folders[:] = [f for f in folders if f not in TOOL_FOLDERS and not f.endswith(".egg-info")]
        here = Path(root).relative_to(REPO)
        found.update(str(here / name) for name in (*folders, *files))
    return found


@pytest.fixture(scope="session", autouse=True)
def tests_never_write_into_the_repository() -> Iterator[None]:
    """Tests write in tmp_path only: a draft, a database or a card left in the checkout fails
    the run (a stray drafts/noonas-paper-crane.yaml was once committed)."""
    before = repository_entries()
    yield
    added = sorted(repository_entries() - before)
    assert not added, f"tests wrote into the repository: {added[:10]}"


@pytest.fixture(scope="session")
def shipped_catalog() -> Catalog:
    result = load_cards(SHIPPED_CARDS)
    assert result.ok, [str(e) for e in result.errors]
    return Catalog.build(result.cards)


@pytest.fixture
def cards_dir(tmp_path: Path) -> Path:
    """An empty folder of cards."""
    folder = tmp_path / "cards"
    folder.mkdir()
    return folder


WriteCard = Callable[[str, str], Path]


@pytest.fixture
def write_card(cards_dir: Path) -> WriteCard:
    """Write ``<slug>.yaml`` with the given (dedented) YAML text into ``cards_dir``."""

    def write(slug: str, text: str) -> Path:
        path = cards_dir / f"{slug}.yaml"
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
        return path

    return write


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped cards, free to break."""
    folder = tmp_path / "shipped"
    shutil.copytree(SHIPPED_CARDS, folder)
    return folder


def minimal_card(title: str, year: int = 2020, actor: str = "Test Actor", **extra: str) -> str:
    """YAML text of a small valid card."""
    lines = [f"title: {json.dumps(title)}", f"year: {year}", "cast:", f"  - actor: {actor}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def pytest_configure(config: pytest.Config) -> None:
    """With ``PYTHONDONTWRITEBYTECODE`` set (some shells and sandboxes set it), every Python the
    suite starts (``drama-bot ask``/``run``/``check``, card readers, build workers: about 400)
    would compile the bot's modules from source again, about 0.1 s of CPU each. Its processes
    get a bytecode cache as a plain environment (and CI) gives them, kept outside the checkout
    as the variable asks (``PYTHONPYCACHEPREFIX``, one folder per user, shared by the workers)."""
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        cache = Path(tempfile.gettempdir()) / f"drama-bot-tests-pycache-{os.getuid()}"
        os.environ.setdefault("PYTHONPYCACHEPREFIX", str(cache))
    if config.option.basetemp is None and "PYTEST_DEBUG_TEMPROOT" not in os.environ:
        memory = memory_temp_root()
        if memory is not None:  # (read by pytest when tmp_path's first folder is made)
            os.environ["PYTEST_DEBUG_TEMPROOT"] = str(memory)


#: The suite's own files (tmp_path) in a memory file system only with this much room free: a
#: container's default /dev/shm is 64 MB, and one run writes a few hundred MB.
MEMORY_TEMP_ROOM = 4 << 30


def memory_temp_root(folder: Path = Path("/dev/shm")) -> Path | None:
    """Where tmp_path's folders go: a memory file system when there is one with room, else
    the system's temporary folder (pytest's default). The suite writes tens of thousands of
    card files and commits hundreds of SQLite databases; on the shared machine's ext4 disk
    each file created cost about 0.4 ms of CPU and each commit waited for the disk (3,000 small
    files: 1.27 s of CPU and 3.9 s of wall time on /tmp, 0.04 s and 0.18 s on /dev/shm), which
    is no part of what the tests check. ``PYTEST_DEBUG_TEMPROOT=/tmp`` (or ``--basetemp``)
    keeps them on disk."""
    try:
        stat = os.statvfs(folder)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK) or stat.f_bavail * stat.f_frsize < MEMORY_TEMP_ROOM:
        return None
    return folder


#: Tests (node id prefixes) that take 15 s of wall time or more each, longest first (round
#: 16's ``--durations=0``, four workers at a load of 7 to 9; a module's tests sharing a module
#: fixture go as one). xdist hands tests out in collection order, so these go first: collected
#: where they fall (test_memory.py two thirds of the way), one worker of a loaded run spent its
#: last 366 s in test_memory's tests and ended 80 s after the other three (docs/testing.md,
#: round 16). Only the order changes; a name that no longer matches is passed over.
LONG_FIRST = (
    "tests/test_memory.py::test_nothing_answers_make_outlives",
    "tests/e2e/test_scale.py::",
    "tests/e2e/test_database_locked_run.py::",
    "tests/e2e/test_stop_during_reload.py::",
    "tests/test_memory.py::",
    "tests/test_matching_qa12.py::",
    "tests/test_kept_catalog.py::test_a_warm_start_answers_as_the_build_did",
    "tests/e2e/test_operations.py::test_drama_bot_sync",
    "tests/test_hostile_sweep.py::",
    "tests/e2e/test_gateway_faults_run.py::",
    "tests/e2e/test_faults_while_serving.py::",
    "tests/test_reload_worker.py::test_a_worker_that_hangs",
    "tests/e2e/test_sharding.py::",
    "tests/test_faults_round9.py::test_the_write_a_busy_database_missed",
    "tests/e2e/test_reload.py::test_large_reload",
    "tests/e2e/test_stopping.py::",
    "tests/test_bench.py::",
)


def long_first(nodeid: str) -> int:
    """Where a test goes in the run's order: its place in :data:`LONG_FIRST`, else after."""
    return next(
        (rank for rank, prefix in enumerate(LONG_FIRST) if nodeid.startswith(prefix)),
        len(LONG_FIRST),
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of :data:`LONG_FIRST` first (a stable sort: otherwise in collection order).
    Under ``--dist loadgroup`` (pyproject.toml) a module whose tests share a module-scoped
    fixture of its own (one ``ask --json`` process answering a whole query set, the bench's
    small run) runs on one worker, so that fixture is built once, not once per worker; every
    other test is handed out on its own. (xdist's own hook, which reads the mark, runs after.)"""
    items.sort(key=lambda item: long_first(item.nodeid))
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        module = item.nodeid.split("::", 1)[0]
        shares = any(
            definition.scope == "module" and definition.baseid == module
            for definitions in info.name2fixturedefs.values()
            for definition in definitions
        )
        if shares:
            item.add_marker(pytest.mark.xdist_group(module))


#: xdist workers per core for ``-n auto``: a test waits for about half its wall time (a bot's
#: log-in and READY over real sockets, a started ``drama-bot`` process, Discord's retry delays,
#: reload debounces), so one worker per core left each core idle about half the run
#: (docs/testing.md, round 15).
WORKERS_PER_CORE = 2


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (pyproject.toml): :data:`WORKERS_PER_CORE` workers for each core this process
    may run on. ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still sets the count outright, as in xdist."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # (xdist's own hook reads it)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return WORKERS_PER_CORE * (cores or 1)


def modules_sharing_a_fixture(folder: Path = REPO / "tests") -> frozenset[str]:
    """The test modules (node id paths) that define a module-scoped fixture of their own, or
    import one of tests/e2e/conftest.py's ``module_*`` fixtures under a fixture's name: what
    :func:`pytest_collection_modifyitems` marks, found without collecting (the controller of
    an xdist run does not collect)."""
    found = set()
    for path in folder.rglob("test_*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in tree.body:
            shares = isinstance(node, ast.ImportFrom) and any(
                alias.name.startswith("module_") for alias in node.names
            )
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                shares = any(
                    keyword.arg == "scope" and getattr(keyword.value, "value", None) == "module"
                    for decorator in node.decorator_list
                    if isinstance(decorator, ast.Call)
                    for keyword in decorator.keywords
                )
            if shares:
                found.add(path.relative_to(REPO).as_posix())
                break
    return frozenset(found)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup``, with each module of :func:`modules_sharing_a_fixture` one unit
    of work. xdist 3.8 groups by a ``@group`` suffix it writes into ``item._nodeid``, which
    pytest 9 no longer reads (a node's id is ``item._id``): the marks of
    :func:`pytest_collection_modifyitems` reached no scheduler, and each module fixture was
    built once on every worker that got one of its tests (round 16: e2e/test_lookup.py's 51
    tests split 25 / 26 over two workers)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    grouped = modules_sharing_a_fixture()

    class ModuleGroups(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if "@" in nodeid:  # (xdist's own suffix, where pytest still reads it)
                return super()._split_scope(nodeid)
            module = nodeid.split("::", 1)[0]
            return module if module in grouped else nodeid

    return ModuleGroups(config, log)
