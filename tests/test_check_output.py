"""Small things `drama-bot check` says: file names it suggests fit the 100-character slug cap,
a path that is not a folder is said to be one (not "0 of 0 cards are valid"), counts are in
the singular for one, and README's example of its output matches what it prints."""

from __future__ import annotations

import re
from pathlib import Path

from bot.cards.model import MAX_SLUG_CHARS
from tests.conftest import REPO, SHIPPED_CARDS, minimal_card
from tests.test_cli import drama_bot

LONG_TITLE = " ".join(["Moonlight"] * 20)  # 199 characters


def suggested_names(line: str) -> list[str]:
    return re.findall(r"gives (\S+)\.yaml \(or (\S+)\.yaml", line)[0]


def test_a_long_title_gets_a_file_name_within_the_slug_cap(cards_dir: Path) -> None:
    (cards_dir / "moonlight.yaml").write_text(minimal_card(LONG_TITLE), "utf-8")
    done = drama_bot("check", "--data", str(cards_dir))
    assert done.returncode == 0, done.stdout
    (line,) = [text for text in done.stdout.splitlines() if "rename the file" in text]
    plain, with_year = suggested_names(line)
    assert len(plain) <= MAX_SLUG_CHARS and len(with_year) <= MAX_SLUG_CHARS
    assert plain.startswith("moonlight-moonlight") and not plain.endswith("-")
    assert with_year.endswith("-2020")
    # and the name it suggests is accepted: no warning once the file is renamed to it
    (cards_dir / "moonlight.yaml").rename(cards_dir / f"{plain}.yaml")
    done = drama_bot("check", "--data", str(cards_dir))
    assert done.returncode == 0 and "rename the file" not in done.stdout, done.stdout
    assert done.stdout == f"OK: 1 card in {cards_dir}, no errors\n"


def test_check_on_a_file_says_it_is_not_a_folder(tmp_path: Path) -> None:
    a_file = tmp_path / "passwd"
    a_file.write_text("root:x:0:0:root:/root:/bin/bash\n", "utf-8")
    done = drama_bot("check", "--data", str(a_file))
    assert done.returncode == 1
    assert done.stdout == f"{a_file}:1: data: is not a folder of cards: it is a file\n"
    assert done.stderr == f"drama-bot: --data {a_file} is not a folder of cards; nothing to check\n"
    assert "0 of 0" not in done.stderr


def test_counts_of_one_are_singular(cards_dir: Path) -> None:
    (cards_dir / "one.yaml").write_text(minimal_card("One"), "utf-8")
    done = drama_bot("check", "--data", str(cards_dir))
    assert done.stdout == f"OK: 1 card in {cards_dir}, no errors\n"
    (cards_dir / "one.yaml").write_text("title: One\nyear: x\n", "utf-8")
    done = drama_bot("check", "--data", str(cards_dir))
    assert done.returncode == 1
    assert done.stderr.endswith("; 0 of 1 card is valid\n"), done.stderr


def test_readmes_example_notes_a_title_we_have_no_card_for() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    noted = re.findall(r"no card here is called '([^']+)'", readme)
    assert noted, "README shows check's note about a similar title without a card"
    done = drama_bot("ask", "--json", "--data", str(SHIPPED_CARDS), *[f"/drama {noted[0]}"])
    assert '"card": null' in done.stdout and "could not be loaded" not in done.stdout
    assert "exit 1 on errors, warnings too" not in readme
