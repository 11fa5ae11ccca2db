"""A cards folder never becomes a way to read other files: a link leading outside the folder is
refused without being opened (one card error naming the link), and the lines of a file that
is not a card are never quoted back, through ``check``, ``ask`` and the loader."""

from __future__ import annotations

import json
from pathlib import Path

from bot.cards.loader import load_cards
from tests.conftest import minimal_card
from tests.test_cli import drama_bot

SECRET = "SECRETHASH9f3a"
SHADOW = (
    "root:*:20228:0:99999:7:::\n"
    f"alice:$6$salt${SECRET}:20228:0:99999:7:::\n"
    "daemon:*:20228:0:99999:7:::\n"
)
OUTSIDE = "file: is a link to a file outside the cards folder"


def _folder_with_a_link_out(tmp_path: Path) -> tuple[Path, Path]:
    secret = tmp_path / "private" / "shadow"
    secret.parent.mkdir()
    secret.write_text(SHADOW, "utf-8")
    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / "shadow.yaml").symlink_to(secret)
    (folder / "good.yaml").write_text(minimal_card("Good"), "utf-8")
    return folder, secret


def test_check_refuses_a_link_leading_outside_the_folder_without_quoting_it(
    tmp_path: Path,
) -> None:
    folder, _ = _folder_with_a_link_out(tmp_path)
    done = drama_bot("check", "--data", str(folder))
    assert done.returncode == 1, done.stderr
    link = folder / "shadow.yaml"
    assert [line for line in done.stdout.splitlines() if line.startswith(str(link))] == [
        f"{link}:1: {OUTSIDE}; it is not read (a card must be a file inside the folder)"
    ]
    for output in (done.stdout, done.stderr):
        assert SECRET not in output and "root:" not in output and "daemon" not in output


def test_ask_serves_the_other_cards_and_never_shows_the_linked_file(tmp_path: Path) -> None:
    folder, _ = _folder_with_a_link_out(tmp_path)
    done = drama_bot("ask", "--json", "--data", str(folder), "/drama Good")
    assert json.loads(done.stdout)["card"] == "good"
    assert f"{folder / 'shadow.yaml'}:1: {OUTSIDE}" in done.stderr
    assert SECRET not in done.stdout + done.stderr and "root:" not in done.stderr


def test_links_that_stay_inside_the_folder_still_load(tmp_path: Path) -> None:
    real = tmp_path / "real-cards"
    (real / "drafts").mkdir(parents=True)
    (real / "drafts" / "good.yaml").write_text(minimal_card("Good"), "utf-8")
    (real / "good.yaml").symlink_to(Path("drafts") / "good.yaml")  # inside, relative
    folder = tmp_path / "cards"
    folder.symlink_to(real)  # the cards folder itself may be a link (a mount, a deploy dir)
    result = load_cards(folder)
    assert result.errors == []
    assert [card.slug for card in result.cards] == ["good"]


def test_a_link_to_a_file_in_the_parent_folder_is_outside(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    (tmp_path / "next-door.yaml").write_text(minimal_card("Next Door"), "utf-8")
    (folder / "next-door.yaml").symlink_to(Path("..") / "next-door.yaml")
    result = load_cards(folder)
    assert result.cards == []
    assert [str(e) for e in result.errors] == [
        f"{folder / 'next-door.yaml'}:1: {OUTSIDE}; it is not read (a card must be a file "
        "inside the folder)"
    ]


def test_lines_of_a_file_that_is_not_a_card_are_not_quoted(tmp_path: Path) -> None:
    """A file in the folder itself (copied there by mistake) that YAML reads as keys: keys
    that could be a card key's misspelling are named, whole foreign lines are not."""
    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / "shadow.yaml").write_text(SHADOW, "utf-8")
    (folder / "typo.yaml").write_text(minimal_card("Typo") + "stremaing: []\n", "utf-8")
    done = drama_bot("check", "--data", str(folder))
    assert done.returncode == 1
    assert SECRET not in done.stdout + done.stderr
    assert "root:" not in done.stdout and "daemon" not in done.stdout
    shadow = [line for line in done.stdout.splitlines() if "shadow.yaml" in line]
    unknown = [line for line in shadow if "unknown key" in line]
    assert len(unknown) == 3, shadow  # one per line, each named by its line number
    assert all(": (key): unknown key, not quoted" in line for line in unknown), unknown
    assert f"{folder / 'typo.yaml'}:5: stremaing: unknown key; did you mean 'streaming'?" in (
        done.stdout
    )
