"""Hostile cards, round 18 (branch robust18): a number with a leading zero, which YAML 1.1
reads in base 8 (``episodes: 016`` was silently 14, ``year: 02021`` 1041), refused with one
``path:line: key: message`` line by ``drama-bot check``, as numbers in base 60 are (round 8);
the good card beside them still answers through ``drama-bot ask --json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import minimal_card
from tests.test_cli import drama_bot

GOOD = minimal_card("Good Harbour", 2020, actor="Han Mira")
#: (key, as written, the number YAML 1.1 reads)
OCTAL = [("episodes", "016", 14), ("year", "02021", 1041), ("episodes", "0_20", 16)]
#: Written with no leading zero, or in another base on purpose: read as before.
PLAIN = [("episodes", "10"), ("episodes", "16"), ("episodes", "0x10")]


def _card(title: str, key: str, value: str) -> str:
    text = minimal_card(title)
    return (
        text.replace("year: 2020\n", f"year: {value}\n")
        if key == "year"
        else (text + f"{key}: {value}\n")
    )


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, list[str]]:
    folder = tmp_path_factory.mktemp("hostile18") / "cards"
    folder.mkdir()
    (folder / "good-harbour.yaml").write_text(GOOD, "utf-8")
    for n, (key, value, _) in enumerate(OCTAL):
        (folder / f"octal-{n}.yaml").write_text(_card(f"Octal {n}", key, value), "utf-8")
    for n, (key, value) in enumerate(PLAIN):
        (folder / f"plain-{n}.yaml").write_text(_card(f"Plain {n}", key, value), "utf-8")
    done = drama_bot("check", "--data", str(folder))
    assert "Traceback" not in done.stdout + done.stderr
    return folder, done.returncode, done.stdout.splitlines()


@pytest.mark.parametrize("at", range(len(OCTAL)), ids=[v for _, v, _ in OCTAL])
def test_a_number_with_a_leading_zero_is_an_error(
    checked: tuple[Path, int, list[str]], at: int
) -> None:
    folder, status, lines = checked
    key, value, octal = OCTAL[at]
    (error,) = [line for line in lines if line.startswith(f"{folder / f'octal-{at}.yaml'}:")]
    assert status == 1
    assert f": {key}: '{value}' reads as an octal number in YAML 1.1 ({octal})" in error, error


def test_plain_numbers_and_the_good_card_still_load(
    checked: tuple[Path, int, list[str]],
) -> None:
    folder, _, lines = checked
    assert not [line for line in lines if "/plain-" in line or "/good-harbour" in line], lines
    lines_asked = ["/drama good harbour", *(f"/drama plain {n}" for n in range(len(PLAIN)))]
    asked = drama_bot("ask", "--json", "--data", str(folder), stdin="\n".join(lines_asked) + "\n")
    records = [json.loads(line) for line in asked.stdout.splitlines()]
    assert [r["card"] for r in records] == ["good-harbour", "plain-0", "plain-1", "plain-2"]
