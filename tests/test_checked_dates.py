"""A ``checked`` date no fact could have been checked on (before 2000, or after today) is an
error naming file, line and key, as a date that is no date is: ``checked: 0001-01-01`` was shown
as "As of January 1." and ``9999-12-31`` as "As of December 9999.". A score written ``-0.0`` is
shown as 0, never "-0". Through ``drama-bot check`` and ``drama-bot ask --json`` on real files."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from tests.conftest import minimal_card
from tests.test_cli import drama_bot

TOMORROW_BUT_ONE = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=2)
#: Checked dates no one could have checked a fact on.
OUT_OF_TIME = ["0001-01-01", "1999-12", "9999-12-31", TOMORROW_BUT_ONE.isoformat()]
#: Checked dates that are fine: kept as written.
IN_TIME = ["2000-01-01", "2026-11", "2026-11-25"]


def _streaming(checked: str) -> str:
    return f"streaming:\n  - service: Netflix\n    checked: '{checked}'\n"


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, list[str]]:
    folder = tmp_path_factory.mktemp("checked18") / "cards"
    folder.mkdir()
    for n, date in enumerate(OUT_OF_TIME):
        text = minimal_card(f"Late Harbour {n}") + _streaming(date)
        (folder / f"late-harbour-{n}.yaml").write_text(text, "utf-8")
    for n, date in enumerate(IN_TIME):
        text = minimal_card(f"Fine Harbour {n}") + _streaming(date)
        (folder / f"fine-harbour-{n}.yaml").write_text(text, "utf-8")
    text = minimal_card("Zero Harbour") + "ratings:\n  overall: -0.0\n"
    (folder / "zero-harbour.yaml").write_text(text, "utf-8")
    done = drama_bot("check", "--data", str(folder))
    assert "Traceback" not in done.stdout + done.stderr
    return folder, done.returncode, done.stdout.splitlines()


@pytest.mark.parametrize("at", range(len(OUT_OF_TIME)), ids=OUT_OF_TIME)
def test_a_checked_date_out_of_time_is_an_error_naming_file_line_and_key(
    checked: tuple[Path, int, list[str]], at: int
) -> None:
    folder, status, lines = checked
    (error,) = [line for line in lines if line.startswith(f"{folder / f'late-harbour-{at}.yaml'}:")]
    assert status == 1
    said = f"late-harbour-{at}.yaml:7: streaming[0].checked: a fact is checked between 2000-01-01"
    assert said in error
    assert OUT_OF_TIME[at] in error


def test_checked_dates_in_time_answer_with_their_month(
    checked: tuple[Path, int, list[str]],
) -> None:
    folder, _, lines = checked
    asked = "\n".join(f"/stream fine harbour {n}" for n in range(len(IN_TIME)))
    done = drama_bot("ask", "--data", str(folder), "--json", stdin=asked + "\n")
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["card"] for a in answers] == [f"fine-harbour-{n}" for n in range(len(IN_TIME))]
    said = [a["message"]["embeds"][0]["description"] for a in answers]
    assert ["As of January 2000." in said[0], "As of November 2026." in said[1]] == [True, True]
    assert "As of November 2026." in said[2]
    assert not [line for line in lines if "fine-" in line and "checked" in line]


def test_a_score_written_minus_zero_is_shown_as_zero(checked: tuple[Path, int, list[str]]) -> None:
    done = drama_bot("ask", "--data", str(checked[0]), "--json", "/rating zero harbour")
    answer = json.loads(done.stdout)
    (overall,) = [f for f in answer["message"]["embeds"][0]["fields"] if f["name"] == "Overall"]
    assert answer["card"] == "zero-harbour"
    assert overall["value"] == "0 / 5"
