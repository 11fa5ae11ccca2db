"""Two card files giving the same title and year (QA round 4, F3.1/F4.2): the file named for
the title keeps serving and only the stray copy is an error; when no file is named for it,
both are errors and asking for the drama says its card could not be loaded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bot.cards.loader import load_cards
from tests.conftest import WriteCard, minimal_card
from tests.test_cli import drama_bot


def _ask(cards: Path, line: str, *extra: str) -> dict[str, object]:
    done = drama_bot("ask", "--data", str(cards), *extra, "--json", line)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_stray_copy_is_the_only_error_and_the_real_card_serves(shipped_copy: Path) -> None:
    shutil.copy(shipped_copy / "vincenzo.yaml", shipped_copy / "vincenzo-copy.yaml")
    done = drama_bot("check", "--data", str(shipped_copy))
    assert done.returncode == 1
    errors = [line for line in done.stdout.splitlines() if ": warning: " not in line]
    assert errors[0] == (
        f"{shipped_copy / 'vincenzo-copy.yaml'}:1: title: 'Vincenzo' (2021) is already the card "
        "vincenzo.yaml, which is the one loaded; this file is left out (delete it if it is a "
        "copy, or correct its title or year)"
    )
    assert errors[1:] == []
    assert "1 error in 1 file, 1 warning; 109 of 110 cards are valid" in done.stderr
    assert "vincenzo.yaml:" not in done.stdout
    assert _ask(shipped_copy, "/drama vincenzo")["card"] == "vincenzo"


def test_a_stray_copy_on_a_first_start_with_a_database(shipped_copy: Path, tmp_path: Path) -> None:
    shutil.copy(shipped_copy / "vincenzo.yaml", shipped_copy / "vincenzo-copy.yaml")
    database = str(tmp_path / "db.sqlite3")
    for _ in range(2):  # the first start builds the database, the second reads it back
        answer = _ask(shipped_copy, "/drama vincenzo", "--database", database)
        assert answer["card"] == "vincenzo"


def test_the_dated_file_name_counts_as_the_titles_own(write_card: WriteCard) -> None:
    write_card("hometown-2021", minimal_card("Hometown", 2021))
    write_card("hometown-new", minimal_card("Hometown", 2021))
    result = load_cards(write_card("other", minimal_card("Other")).parent)
    assert [e.path.rsplit("/", 1)[-1] for e in result.errors] == ["hometown-new.yaml"]
    assert sorted(c.slug for c in result.cards) == ["hometown-2021", "other"]


def test_with_no_file_named_for_the_title_both_are_left_out_and_said_so(
    write_card: WriteCard, cards_dir: Path
) -> None:
    write_card("home-a", minimal_card("Hometown", 2021))
    write_card("home-b", minimal_card("Hometown", 2021))
    write_card("other", minimal_card("Other"))
    done = drama_bot("check", "--data", str(cards_dir))
    assert done.returncode == 1
    assert (
        f"{cards_dir / 'home-a.yaml'}:1: title: 'Hometown' (2021) is also the title and year "
        "of home-b.yaml" in done.stdout.splitlines()
    )
    assert (
        f"{cards_dir / 'home-b.yaml'}:1: title: 'Hometown' (2021) is also the title and year "
        "of home-a.yaml" in done.stdout.splitlines()
    )
    for line in ("/drama hometown", "/drama hometwon"):
        answer = _ask(cards_dir, line)
        assert answer["card"] is None
        assert answer["message"]["content"].startswith(  # type: ignore[index]
            "The card for “Hometown” could not be loaded"
        )
