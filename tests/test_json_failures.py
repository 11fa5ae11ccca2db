"""`drama-bot ask --json` and `drama-bot bench --json` print one JSON object on stdout when
they cannot go on (a script reading them always gets an object), with the exit code as
before and the reason on stderr: real processes, real files."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.patience import patient
from tests.test_cli import drama_bot

ANSWER_KEYS = {"command", "card", "candidates", "message"}


def _the_one_object(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    lines = done.stdout.splitlines()
    assert len(lines) == 1, (done.stdout, done.stderr)
    record: dict[str, object] = json.loads(lines[0])
    assert isinstance(record, dict)
    return record


def _an_ask_failure(done: subprocess.CompletedProcess[str], code: int, says: str) -> None:
    assert done.returncode == code, done.stderr
    record = _the_one_object(done)
    assert record.keys() >= ANSWER_KEYS
    assert record["card"] is None and record["candidates"] == []
    assert record["exit_code"] == code
    assert says in str(record["error"])
    message = record["message"]
    assert isinstance(message, dict) and says in message["content"]
    assert says in done.stderr  # (people read the same on stderr)
    assert "Traceback" not in done.stderr


def test_ask_json_says_an_unreadable_cards_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    done = drama_bot("ask", "--json", "--quiet", "--data", str(missing), "/drama Run On")
    _an_ask_failure(done, 2, "no such folder")
    assert json.loads(done.stdout)["command"] == "/drama Run On"


def test_ask_json_says_a_config_it_cannot_read(tmp_path: Path) -> None:
    done = drama_bot("ask", "--json", "--config", str(tmp_path / "none.yaml"), "/drama Run On")
    _an_ask_failure(done, 2, "cannot read config")


def test_ask_json_says_a_database_it_will_not_open(tmp_path: Path) -> None:
    database = tmp_path / "notes.db"
    database.write_text("title: not a database\n" * 50, "utf-8")
    done = drama_bot("ask", "--json", "--quiet", "--database", str(database), "/drama Run On")
    _an_ask_failure(done, 2, "not a SQLite database")
    assert database.read_text("utf-8").startswith("title: not a database")  # (left untouched)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["ask", "--json", ""], "the command is empty"),
        (["ask", "--json", "--no-such-flag", "/drama Run On"], "unrecognized arguments"),
        (["ask", "--json", "--locale"], "expected one argument"),
    ],
)
def test_ask_json_says_a_wrong_command_line(arguments: list[str], says: str) -> None:
    _an_ask_failure(drama_bot(*arguments), 2, says)


def test_ask_json_says_ctrl_c_after_the_answers_given() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "--quiet"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        # (as a shell starts it: Ctrl-C not ignored, whatever the test process inherited)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write("/drama Run On\n")
        process.stdin.flush()
        first = json.loads(process.stdout.readline())  # (answered: now waiting for a line)
        process.send_signal(signal.SIGINT)
        # (stdin still open: Ctrl-C alone ends it; before: 8 of 8 hung)
        process.wait(timeout=patient(30))
        rest, errors = process.communicate(timeout=patient(30))
    finally:
        process.kill()
    assert first["card"] == "run-on"
    assert process.returncode == 130, errors
    record = json.loads(rest)
    assert record["exit_code"] == 130 and "interrupted" in record["error"]
    assert record.keys() >= ANSWER_KEYS


@pytest.mark.parametrize(
    ("arguments", "code", "says"),
    [
        (["bench", "--json"], 2, "bench needs --cards"),
        (["bench", "--json", "--cards", "0"], 2, "--cards"),
        (["bench", "--json", "--from", "no-such-results.jsonl"], 2, "cannot read results"),
    ],
)
def test_bench_json_says_why_it_cannot_measure(arguments: list[str], code: int, says: str) -> None:
    done = drama_bot(*arguments)
    assert done.returncode == code, done.stderr
    record = _the_one_object(done)
    assert record["exit_code"] == code and says in str(record["error"])


def test_without_json_nothing_goes_to_stdout(tmp_path: Path) -> None:
    done = drama_bot("ask", "--data", str(tmp_path / "no-such-folder"), "/drama Run On")
    assert done.returncode == 2 and done.stdout == ""
    assert "no such folder" in done.stderr
