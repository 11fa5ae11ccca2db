"""CI runs exactly the README's test command: the second code block of README.md is the last
line of .ci/run, and that command runs the whole suite on every core (pyproject's options)."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO


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
