"""The database path is never a reason to touch what is not a database of ours.

Only a regular file that is (or was) a SQLite database is opened, moved aside or written. A
folder, a FIFO, a socket, a symbolic link to a folder, a text file (a config, a card), a file of
some other kind, the cards folder or a path inside it are refused with one line naming the
path, and left exactly as they were: through ``drama-bot ask``, ``drama-bot run`` and the
bot's own start (``open_bot``). No test touches a real device: the special files are made in
``tmp_path``."""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.catalog.opening import DatabaseRefused
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from bot.config import Config
from bot.frontend.app import open_bot
from bot.frontend.serve import Exit
from tests.conftest import SHIPPED_CARDS
from tests.test_cli import drama_bot

CONFIG_TEXT = "data_dir: data/cards\nlog_level: INFO\nadmin_user_ids: []\n"


def snapshot(path: Path) -> dict[str, object]:
    """What is at ``path`` and under it, to show nothing was renamed, moved or written."""
    found: dict[str, object] = {}
    entries = (
        [path, *sorted(path.rglob("*"))] if path.is_dir() and not path.is_symlink() else [path]
    )
    for entry in entries:
        info = entry.lstat()
        key = str(entry.relative_to(path.parent))
        if entry.is_symlink():
            found[key] = ("link", os.readlink(entry))
        elif entry.is_file():
            found[key] = ("file", entry.read_bytes())
        else:
            found[key] = ("other", info.st_mode, info.st_ino)
    return found


def leftovers(folder: Path) -> list[str]:
    """Anything drama-bot would have created beside the path: moved-aside copies, WAL files."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if ".damaged-" in p.name or p.name.endswith(("-wal", "-shm"))
    )


def a_folder(path: Path) -> None:
    (path / "inside").mkdir(parents=True)
    (path / "inside" / "notes.txt").write_text("keep me\n")


def a_fifo(path: Path) -> None:
    os.mkfifo(path)


def a_config_file(path: Path) -> None:
    path.write_text(CONFIG_TEXT, "utf-8")


def a_picture(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def a_link_to_a_folder(path: Path) -> None:
    target = path.with_name("elsewhere")
    a_folder(target)
    path.symlink_to(target, target_is_directory=True)


NOT_OURS: dict[str, tuple[Callable[[Path], None], str]] = {
    "a folder": (a_folder, "is a folder, not a database file"),
    "a FIFO": (a_fifo, "is a FIFO (named pipe), not a database file"),
    "a YAML config": (a_config_file, "is not a SQLite database (it holds text"),
    "a file of another kind": (a_picture, "is not a SQLite database (its first bytes"),
    "a link to a folder": (a_link_to_a_folder, "is a symbolic link to a folder"),
}


@pytest.mark.parametrize(("make", "said"), NOT_OURS.values(), ids=NOT_OURS.keys())
def test_ask_refuses_a_database_path_that_holds_something_else(
    tmp_path: Path, make: Callable[[Path], None], said: str
) -> None:
    target = tmp_path / "state"
    make(target)
    before = snapshot(target)
    done = drama_bot("ask", "--database", str(target), "/drama Run On")
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"drama-bot: --database {target} {said}"), line
    assert line.endswith("; it was left untouched")
    assert done.stdout == ""
    assert snapshot(target) == before
    assert leftovers(tmp_path) == []


@pytest.fixture
def a_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)  # a socket's path is short (108 bytes): bind it by its name
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind("bot.sock")
    try:
        yield tmp_path / "bot.sock"
    finally:
        server.close()


def test_ask_refuses_a_socket(tmp_path: Path, a_socket: Path) -> None:
    done = drama_bot("ask", "--database", str(a_socket), "/drama Run On")
    assert done.returncode == 2
    assert f"--database {a_socket} is a socket, not a database file" in done.stderr
    assert a_socket.is_socket() and leftovers(tmp_path) == []


def test_swapping_data_and_database_leaves_the_cards_folder_alone(shipped_copy: Path) -> None:
    before = snapshot(shipped_copy)
    done = drama_bot(
        "ask", "--data", str(shipped_copy), "--database", str(shipped_copy), "/drama Run On"
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"drama-bot: --database {shipped_copy} is the cards folder; the database needs a file "
        "of its own; it was left untouched\n"
    )
    inside = shipped_copy / "cache.sqlite3"  # a new file would be read by every reload
    done = drama_bot("ask", "--data", str(shipped_copy), "--database", str(inside), "/drama Run On")
    assert done.returncode == 2 and "is inside the cards folder" in done.stderr
    assert snapshot(shipped_copy) == before
    assert leftovers(shipped_copy.parent) == []


def test_a_card_given_as_the_database_is_left_alone(shipped_copy: Path) -> None:
    card = shipped_copy / "run-on.yaml"
    before = card.read_bytes()
    done = drama_bot("ask", "--database", str(card), "/drama Run On")
    assert done.returncode == 2
    assert f"--database {card} is not a SQLite database (it holds text" in done.stderr
    assert card.read_bytes() == before and leftovers(shipped_copy) == []


async def build_database(path: Path) -> None:
    async with Store.open(path) as store:
        await CatalogService(store, SHIPPED_CARDS).start()
    checkpoint(path)


def checkpoint(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def test_a_link_to_a_good_database_is_used_and_a_damaged_one_is_not_moved(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real" / "bot.sqlite3"
    real.parent.mkdir()
    await build_database(real)
    link = tmp_path / "bot.sqlite3"
    link.symlink_to(real)
    done = drama_bot("ask", "--database", str(link), "--json", "/drama Run On")
    assert done.returncode == 0 and '"card": "run-on"' in done.stdout, done.stderr
    checkpoint(real)  # what the WAL holds, into the file
    with real.open("r+b") as handle:
        handle.write(b"\0" * 100)  # the header destroyed
    damaged = real.read_bytes()
    done = drama_bot("ask", "--database", str(link), "/drama Run On")
    assert done.returncode == 2
    assert f"--database {link} is a symbolic link to a damaged database" in done.stderr
    assert link.is_symlink() and real.read_bytes() == damaged
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


async def test_the_bots_start_refuses_too(tmp_path: Path) -> None:
    config_file = tmp_path / "config.yaml"
    a_config_file(config_file)
    before = config_file.read_bytes()
    with pytest.raises(DatabaseRefused, match="is not a SQLite database"):
        async with open_bot(Config(data_dir=SHIPPED_CARDS, database=config_file)):
            pass
    assert config_file.read_bytes() == before and leftovers(tmp_path) == []


def test_run_refuses_a_config_file_as_its_database_in_one_line(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    a_config_file(other)
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {other}\ndata_dir: {SHIPPED_CARDS}\n", "utf-8")
    run = drama_bot(
        "run",
        "--config",
        str(config),
        env={"DISCORD_TOKEN": "x" * 70, "DRAMA_BOT_DISCORD_URL": "http://127.0.0.1:9/api/v10"},
    )
    assert run.returncode == Exit.CONFIG, run.stderr
    assert run.stderr.strip().splitlines()[-1] == (
        f"drama-bot: database {other} is not a SQLite database (it holds text, such as YAML "
        "or a config file); it was left untouched"
    )
    assert "Traceback" not in run.stderr
    assert other.read_text("utf-8") == CONFIG_TEXT and leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["data/cards", "data/cards/cache.sqlite3"])
def test_the_config_may_not_put_the_database_in_the_cards_folder(
    tmp_path: Path, where: str
) -> None:
    cards = tmp_path / "data" / "cards"
    cards.mkdir(parents=True)
    (cards / "run-on.yaml").write_bytes((SHIPPED_CARDS / "run-on.yaml").read_bytes())
    before = snapshot(cards)
    config = tmp_path / "config.yaml"
    config.write_text(f"data_dir: data/cards\ndatabase: {where}\n", "utf-8")
    for command in ("run", "ask"):
        args = ["--config", str(config)] + (["/drama Run On"] if command == "ask" else [])
        done = drama_bot(command, *args, env={"DISCORD_TOKEN": "x" * 70})
        assert done.returncode == 2, (command, done.stderr)
        first = done.stderr.splitlines()[0]
        assert first.startswith(f"{config}:2: database: {tmp_path / where} is ")
        assert (
            "is the cards folder" if where == "data/cards" else "is inside the cards folder"
        ) in first
    assert snapshot(cards) == before and leftovers(tmp_path / "data") == []


def _config_without_database(tmp_path: Path) -> Path:
    config = tmp_path / "etc" / "drama-bot" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(f"data_dir: {SHIPPED_CARDS}\n", "utf-8")
    return config


def test_a_config_without_database_keeps_it_beside_the_config_whatever_the_cwd(
    tmp_path: Path,
) -> None:
    """config.example.yaml and README: relative paths, the default one included, are relative
    to the config file's folder; starting from another folder finds the same database."""
    config = _config_without_database(tmp_path)
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    done = drama_bot("ask", "--json", "--config", str(config), "/drama Run On", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert (config.parent / "state" / "drama-bot.sqlite3").is_file()
    assert not (elsewhere / "state").exists()
    assert "database" not in done.stderr


def test_a_database_an_older_version_left_in_the_cwd_is_still_used_and_named(
    tmp_path: Path,
) -> None:
    """Existing users: earlier versions put it in the current folder. Rather than start on an
    empty database (every server's /settings lost), that one is used, with a warning that says
    how to keep it for good."""
    config = _config_without_database(tmp_path)
    where_it_was = tmp_path / "service-home"
    (where_it_was / "state").mkdir(parents=True)
    old = where_it_was / "state" / "drama-bot.sqlite3"
    made = drama_bot("ask", "--database", str(old), "/drama Run On", cwd=where_it_was)
    assert made.returncode == 0 and old.is_file()

    done = drama_bot("ask", "--config", str(config), "/drama Run On", cwd=where_it_was)
    assert done.returncode == 0, done.stderr
    assert not (config.parent / "state").exists()  # the old one was used, no new one made
    warning = [line for line in done.stderr.splitlines() if "database" in line]
    assert len(warning) == 1, done.stderr
    assert str(old.resolve()) in warning[0] and f"{config}" in warning[0]
    assert "database: " in warning[0]  # says which setting keeps it
