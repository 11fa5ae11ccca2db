"""The Dockerfile's contract, read with a Dockerfile parser (no Docker engine runs here)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

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
    installs = [shlex.split(run) for run in runs if "pip install" in run and "-r" not in run]
    assert installs, "the image must pip install the project"
    (install,) = installs
    assert install[-1] == target
    assert "--no-deps" in install  # the dependencies have their own layer


def _build_stage() -> list[dict[str, str]]:
    instructions = _instructions()
    starts = [i for i, item in enumerate(instructions) if item["instruction"] == "FROM"]
    return instructions[starts[0] : starts[1]]


def test_dependencies_have_a_layer_that_code_changes_do_not_rebuild() -> None:
    """Docker reuses a layer while every file copied before it is unchanged: only
    pyproject.toml may be copied before the dependencies are installed."""
    stage = _build_stage()
    deps = next(
        i for i, item in enumerate(stage) if item["instruction"] == "RUN" and "-r" in item["value"]
    )
    copied = [
        shlex.split(item["value"])[:-1] for item in stage[:deps] if item["instruction"] == "COPY"
    ]
    assert copied == [["pyproject.toml"]]
    code = next(
        i
        for i, item in enumerate(stage)
        if item["instruction"] == "COPY" and "bot" in item["value"]
    )
    assert deps < code


def test_the_dependency_layer_installs_exactly_pyprojects_dependencies(tmp_path: Path) -> None:
    """Run the layer's own command (up to pip) on our pyproject.toml: the requirements it
    writes are the project's dependencies, nothing more, nothing less."""
    run = next(
        item["value"]
        for item in _build_stage()
        if item["instruction"] == "RUN" and "-r" in item["value"]
    )
    command, _, rest = run.partition("&&")
    assert "pip install --no-cache-dir --prefix=/install -r requirements.txt" in rest
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    done = subprocess.run(["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    wanted = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    written = (tmp_path / "requirements.txt").read_text("utf-8").split("\n")
    assert [line for line in written if line] == wanted["dependencies"]


def test_healthcheck_asks_the_bot_itself() -> None:
    final = _final_stage(_instructions())
    (check,) = [i["value"] for i in final if i["instruction"] == "HEALTHCHECK"]
    options, _, command = check.partition("CMD")
    argv = json.loads(command)  # exec form: no shell needed in the image
    run = json.loads([i for i in final if i["instruction"] == "CMD"][-1]["value"])
    assert argv[:2] == ["drama-bot", "health"]
    assert argv[argv.index("--config") + 1] == run[run.index("--config") + 1]  # same config
    seconds = dict(re.findall(r"--([a-z-]+)=(\d+)s", options))
    # Checked more often than the 90 s a heartbeat may age, after a start-up allowance.
    assert int(seconds["interval"]) < 90 and int(seconds["start-period"]) >= 30


def _readme_docker_run() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## Docker") :]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block
    command = block.group(1).replace("\\\n", " ")
    line = next(line for line in command.splitlines() if line.startswith("docker run"))
    return shlex.split(line)


def test_readme_docker_run_restarts_and_never_invents_a_missing_config() -> None:
    """``-v file:path`` creates an empty *directory* when the file is missing, and the bot
    then fails to read its config; ``--mount type=bind`` refuses to start instead."""
    argv = _readme_docker_run()
    assert argv[argv.index("--restart") + 1] == "unless-stopped"
    mounts = [argv[i + 1] for i, word in enumerate(argv) if word == "--mount"]
    config = next(m for m in mounts if "target=/app/config.yaml" in m)
    assert dict(part.partition("=")[::2] for part in config.split(",")) == {
        "type": "bind",
        "source": "$PWD/config.yaml",
        "target": "/app/config.yaml",
        "readonly": "",
    }
    binds = [argv[i + 1] for i, word in enumerate(argv) if word in ("-v", "--volume")]
    assert all(not b.split(":")[0].startswith(("/", "$", ".")) for b in binds), binds


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
