"""CI runs exactly the README's test command: the second code block of README.md is the last
line of .ci/run, and that command runs the whole suite on every core (pyproject's options)."""

from __future__ import annotations

import os
import re
import tomllib

import pytest

from tests.conftest import LONG_FIRST, REPO, long_first, modules_sharing_a_fixture


def _readme_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)]


def test_ci_runs_the_readmes_test_command() -> None:
    test_command = _readme_blocks()[1]
    assert "\n" not in test_command and test_command.endswith("-m pytest"), test_command
    lines = (REPO / ".ci" / "run").read_text("utf-8").strip().splitlines()
    assert lines[-1] == test_command


def test_the_suite_runs_on_every_core_unless_told_otherwise() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    options = pyproject["tool"]["pytest"]["ini_options"]["addopts"].split()
    assert options[options.index("-n") + 1] == "auto"
    assert any(
        d.startswith("pytest-xdist") for d in pyproject["project"]["optional-dependencies"]["dev"]
    )


def test_auto_is_two_workers_per_core_unless_xdist_is_told_a_count(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test waits for about half its wall time (docs/testing.md, round 15): two workers per
    core keep the cores busy through one test's waits. The hook asked is the one xdist asks
    for ``-n auto``; its own variable still sets the count."""
    auto = pytestconfig.pluginmanager.hook.pytest_xdist_auto_num_workers
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    assert auto(config=pytestconfig) == 2 * len(os.sched_getaffinity(0))
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "3")
    assert auto(config=pytestconfig) == 3


def test_the_long_tests_are_handed_out_first(request: pytest.FixtureRequest) -> None:
    """xdist hands tests out in the session's order: the tests of ``LONG_FIRST`` lead it
    (whichever of them this run collected), longest first, and each name there still names a
    test of the suite (a stale one would be passed over silently)."""
    ranks = [long_first(item.nodeid) for item in request.session.items]
    assert ranks == sorted(ranks)
    for prefix in LONG_FIRST:
        path, _, name = prefix.partition("::")
        assert (REPO / path).is_file(), prefix
        assert not name or f"def {name}" in (REPO / path).read_text("utf-8"), prefix


def test_a_module_sharing_a_fixture_is_one_unit_of_work(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``--dist loadgroup`` the scheduler the suite gives xdist hands a module with a
    module-scoped fixture of its own to one worker as a whole, and every other test alone;
    xdist's own grouping (a suffix on ``item._nodeid``) no longer reaches it under pytest 9."""
    monkeypatch.setattr(pytestconfig.option, "dist", "loadgroup")
    monkeypatch.setattr(pytestconfig.option, "tx", ["popen"])  # (one worker: -n 0 names none)
    monkeypatch.setattr(pytestconfig.option, "numprocesses", None)
    make = pytestconfig.pluginmanager.hook.pytest_xdist_make_scheduler
    scheduler = make(config=pytestconfig, log=None)
    lookup = "tests/e2e/test_lookup.py"
    assert scheduler._split_scope(f"{lookup}::test_drama_shows_the_whole_card") == lookup
    assert scheduler._split_scope(f"{lookup}::test_typos[rnu on]") == lookup
    alone = "tests/test_cli.py::test_check_passes_on_the_shipped_cards"
    assert scheduler._split_scope(alone) == alone
    assert {lookup, "tests/test_echoes.py", "tests/test_bench.py"} <= modules_sharing_a_fixture()
    assert "tests/test_cli.py" not in modules_sharing_a_fixture()
