"""The Dockerfile's contract, read with a Dockerfile parser (no Docker engine runs here)."""

from __future__ import annotations

import json
import re
import shlex

from dockerfile_parse import DockerfileParser

from tests.conftest import REPO


def _instructions() -> list[dict[str, str]]:
    parser = DockerfileParser(path=str(REPO / "Dockerfile"))
    return parser.structure


def _final_stage(instructions: list[dict[str, str]]) -> list[dict[str, str]]:
    starts = [i for i, item in enumerate(instructions) if item["instruction"] == "FROM"]
    return instructions[starts[-1] :]


def _readme_install_target() -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    first_block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", readme, re.DOTALL)
    assert first_block, "README.md must start with a code block holding the install command"
    words = shlex.split(first_block.group(1).replace("&&", " && "))
    install = words.index("install")
    assert words[install - 1].endswith("pip")
    return words[install + 1]


def test_runs_as_a_non_root_user() -> None:
    users = [
        i["value"].strip() for i in _final_stage(_instructions()) if i["instruction"] == "USER"
    ]
    assert users, "the final stage must switch USER"
    assert users[-1] not in {"root", "0", "0:0"}


def test_default_command_runs_the_bot() -> None:
    commands = [i for i in _final_stage(_instructions()) if i["instruction"] == "CMD"]
    assert commands, "the final stage needs a CMD"
    argv = json.loads(commands[-1]["value"])  # exec form, so signals reach the bot
    assert argv[:2] == ["drama-bot", "run"]
    assert "--config" in argv


def test_every_copied_path_exists() -> None:
    for item in _instructions():
        if item["instruction"] != "COPY":
            continue
        words = shlex.split(item["value"])
        if any(w.startswith("--from") for w in words):
            continue
        sources = [w for w in words[:-1] if not w.startswith("--")]
        for source in sources:
            assert (REPO / source).exists(), f"COPY {source}: no such path in the repository"


def test_install_step_is_the_readme_install() -> None:
    target = _readme_install_target()
    runs = [i["value"] for i in _instructions() if i["instruction"] == "RUN"]
    installs = [shlex.split(run) for run in runs if "pip install" in run]
    assert installs, "the image must pip install the project"
    (install,) = installs
    assert install[-1] == target


def test_base_image_is_slim_python() -> None:
    bases = [i["value"] for i in _instructions() if i["instruction"] == "FROM"]
    assert all(re.match(r"python:3\.1[1-9]-slim", base) for base in bases), bases


def test_cards_and_config_are_where_the_config_points() -> None:
    final = _final_stage(_instructions())
    copies = [shlex.split(i["value"]) for i in final if i["instruction"] == "COPY"]
    destinations = {words[-1].rstrip("/") for words in copies}
    assert "./data/cards" in destinations and "./config.yaml" in destinations
    workdir = [i["value"] for i in final if i["instruction"] == "WORKDIR"][-1]
    assert workdir == "/app"
