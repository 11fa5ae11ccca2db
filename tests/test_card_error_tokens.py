"""A token pasted into a card (as a value or as a key) is masked wherever the card's problems
are printed or shown: ``check``'s lines, ``ask``'s list of broken cards on stderr, and the
``/reload`` report that lists broken cards (here through ``ask``, which renders it as Discord
would)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.redact import HIDDEN
from tests.conftest import minimal_card
from tests.test_cli import drama_bot
from tests.tokens import realistic_tokens


@pytest.fixture(params=realistic_tokens(), ids=["old token", "new token"])
def token(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def write_cards(folder: Path, token: str) -> None:
    folder.mkdir()
    (folder / "run-on.yaml").write_text(minimal_card("Run On"), "utf-8")
    # a warning card: it loads, and its network is printed back by `check`
    (folder / "leaky.yaml").write_text(minimal_card("Leaky", network=token), "utf-8")
    # an error card: a key shaped like a token is an unknown key, printed with the error
    (folder / "broken.yaml").write_text(minimal_card("Broken") + f"{token}: 1\n", "utf-8")


def test_check_masks_tokens_in_card_problems(tmp_path: Path, token: str) -> None:
    cards = tmp_path / "cards"
    write_cards(cards, token)
    done = drama_bot("check", "--data", str(cards))
    assert done.returncode == 1
    printed = done.stdout + done.stderr
    assert token not in printed
    assert printed.count(HIDDEN) >= 2, printed  # both problems were printed, masked
    assert f"{cards / 'broken.yaml'}:5: {token[:4]}{HIDDEN}: unknown key" in done.stdout
    assert f"{cards / 'leaky.yaml'}:5: network: " in done.stdout


def test_ask_and_the_reload_report_mask_tokens(tmp_path: Path, token: str) -> None:
    cards = tmp_path / "cards"
    write_cards(cards, token)
    done = drama_bot("ask", "--json", "--data", str(cards), stdin="/drama run on\n/reload\n")
    assert done.returncode == 0, done.stderr
    assert token not in done.stdout + done.stderr
    assert f"broken.yaml:5: {token[:4]}{HIDDEN}: unknown key" in done.stderr
    drama, reload = (json.loads(line) for line in done.stdout.splitlines())
    assert drama["card"] == "run-on"
    report = json.dumps(reload["message"], ensure_ascii=False)
    assert "broken.yaml:5:" in report and HIDDEN in report
