"""``drama-bot ask`` with a cards folder that is missing or not a folder, and a ``--database``
that holds a catalog: it answers from that catalog with one warning line, as ``drama-bot run``
serves it (branch polish10; before, ``ask`` stopped with exit 2 where ``run`` served). With no
catalog to serve it still exits 2 with one line naming the folder, and creates nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_CARDS
from tests.test_cli import drama_bot

TOTAL = len(list(SHIPPED_CARDS.glob("*.yaml")))


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_ask_answers_from_the_stored_catalog_when_the_folder_is_gone(
    tmp_path: Path, kind: str
) -> None:
    cards, database = tmp_path / "cards", tmp_path / "cache.sqlite3"
    shutil.copytree(SHIPPED_CARDS, cards)
    first = drama_bot("ask", "--data", str(cards), "--database", str(database), "/drama run on")
    assert first.returncode == 0 and first.stderr == "", first.stderr
    shutil.rmtree(cards)
    if kind == "a file":
        cards.write_text("not a folder\n", "utf-8")
    lines = "/drama run on\n/cast vincenzo\n/actor kim go eun\n"
    done = drama_bot(
        "ask", "--json", "--data", str(cards), "--database", str(database), stdin=lines
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["card"] for r in records[:2]] == ["run-on", "vincenzo"]
    assert records[2]["message"]["embeds"], records[2]
    reason = {
        "missing": "is not a folder of cards: there is no such folder",
        "a file": "is not a folder of cards: it is a file",
    }[kind]
    said = done.stderr.splitlines()
    assert len(said) == 1, done.stderr  # one warning, not a "card file could not be loaded"
    assert said[0].endswith(
        f"WARNING bot.catalog.service: cards folder {cards} {reason}; serving the last good "
        f"catalog ({TOTAL} cards) from the database"
    ), said
    # the stored catalog is still there for the next ask, and for the folder's return
    again = drama_bot("ask", "--json", "--data", str(cards), "--database", str(database),
                      "/drama signal")  # fmt: skip
    assert again.returncode == 0 and json.loads(again.stdout)["card"] == "signal"


def test_ask_with_no_stored_catalog_still_exits_2_and_creates_no_database(
    tmp_path: Path,
) -> None:
    missing, database = tmp_path / "missing", tmp_path / "state" / "cache.sqlite3"
    done = drama_bot("ask", "--data", str(missing), "--database", str(database), "/drama x")
    assert done.returncode == 2
    assert done.stderr == (
        f"drama-bot: --data {missing}: is not a folder of cards: there is no such folder\n"
    )
    assert not database.parent.exists()
    # a database that exists but holds no catalog (only settings, say): the same line
    empty = tmp_path / "empty"
    empty.mkdir()
    made = drama_bot("ask", "--data", str(empty), "--database", str(database), "/drama x")
    assert database.exists(), made.stderr
    done = drama_bot("ask", "--data", str(missing), "--database", str(database), "/drama x")
    assert done.returncode == 2
    assert done.stderr == (
        f"drama-bot: --data {missing}: is not a folder of cards: there is no such folder\n"
    )
