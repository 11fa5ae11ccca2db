"""``checked`` written in shapes a card editor may try: an ISO week (``2026-W48``) or a date
without its dashes (``'20261127'``), which Python 3.11's ``date.fromisoformat`` reads and the
card readers took (``2026-W48`` shown as "As of November 23.", a day nobody wrote); a list or a
mapping, whose error said "got ''". Through ``drama-bot check`` on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import minimal_card
from tests.test_cli import drama_bot

#: What is written after ``checked:``, and what the error says it got.
SHAPES = {
    "an ISO week": ("'2026-W48'", "got '2026-W48'"),
    "an ISO week and day": ("2026-W48-5", "got '2026-W48-5'"),
    "a date without dashes": ("'20261127'", "got '20261127'"),
    "a list": ("[2026-11-27]", "got a list"),
    "a mapping": ("{day: 2026-11-27}", "got a mapping"),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, list[str]]:
    folder = tmp_path_factory.mktemp("checked19") / "cards"
    folder.mkdir()
    for n, (written, _) in enumerate(SHAPES.values()):
        streaming = f"streaming:\n  - service: Netflix\n    checked: {written}\n"
        text = minimal_card(f"Odd Harbour {n}") + streaming
        (folder / f"odd-harbour-{n}.yaml").write_text(text, "utf-8")
    done = drama_bot("check", "--data", str(folder))
    assert "Traceback" not in done.stdout + done.stderr
    return folder, done.returncode, done.stdout.splitlines()


@pytest.mark.parametrize("at", range(len(SHAPES)), ids=list(SHAPES))
def test_a_checked_date_in_another_shape_is_an_error_saying_what_it_got(
    checked: tuple[Path, int, list[str]], at: int
) -> None:
    folder, status, lines = checked
    path = folder / f"odd-harbour-{at}.yaml"
    errors = [line for line in lines if line.startswith(f"{path}:")]
    _, got = list(SHAPES.values())[at]
    assert status == 1
    assert errors == [
        f"{path}:7: streaming[0].checked: expected a date such as 2026-11-25 (or a month, "
        f"2026-11), {got}"
    ], lines
