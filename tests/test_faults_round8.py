"""Faults, round 8 (branch polish8): a service address (``DRAMA_BOT_TMDB_URL``,
``DRAMA_BOT_DISCORD_URL``, or the config's ``tmdb_url`` / ``discord_api_url``) that is no
usable address is refused at start in one line, exit 2, before anything is asked of the
service; and a password in one is never printed. Before, ``https://``, ``http://[::1``, a port
of 99999 or a bell character passed the config and failed at the first request (``enrich``
tried five times per card, ``run`` and ``sync`` said "https: did not answer as Discord's API
does at login"), and ``https://user:password@host`` was printed whole in those errors."""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiohttp import web

from tests.test_cli import REPO, drama_bot

TOKEN = "MTA0NTk2NjI4MTk2Njg1ODI5MA.GxYzAb.abcdefghijklmnopqrstuvwxyz0123456789AB"
TMDB_KEY = "abcdef0123456789abcdef0123456789"
PASSWORD = "s3cretpw"


@pytest.mark.parametrize(
    ("address", "says", "command"),
    [
        ("https://", "names no host", "enrich"),
        ("https:///search", "names no host", "sync"),
        ("http://[::1", "is not a well-formed address", "run"),
        ("https://127.0.0.1:99999/", "is not a well-formed address", "enrich"),
        ("https://127.0.0.1:9/a\x07b", "holds a control character", "sync"),
        ("https://ex\u202eample.org", "holds a control character", "run"),
        # the password was printed by each of the three
        *(
            (f"https://user:{PASSWORD}@127.0.0.1:9/", "holds a user name or password", command)
            for command in ("enrich", "sync", "run")
        ),
        (f"https://{PASSWORD}@127.0.0.1:9/", "holds a user name or password", "enrich"),
    ],
)
def test_an_unusable_service_address_is_one_line_and_exit_2(
    tmp_path: Path, address: str, says: str, command: str
) -> None:
    variable = "DRAMA_BOT_TMDB_URL" if command == "enrich" else "DRAMA_BOT_DISCORD_URL"
    env = {variable: address, "DISCORD_TOKEN": TOKEN, "TMDB_API_KEY": TMDB_KEY}
    cards = str(REPO / "data" / "cards")
    args = ("--data", cards, "--only", "run-on") if command == "enrich" else ()
    done = drama_bot(command, *args, env=env, cwd=tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith(f"drama-bot: {variable}: {says}"), done.stderr
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    output = done.stdout + done.stderr
    assert PASSWORD not in output and "\x07" not in output and "\u202e" not in output
    assert "after 5 tries" not in output  # nothing was asked of the service


def test_the_config_files_addresses_are_checked_the_same_way(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"tmdb_url: https://me:{PASSWORD}@api.example.org/3\ndiscord_api_url: 'https://'\n"
    )
    done = drama_bot("sync", "--config", str(config), env={"DISCORD_TOKEN": TOKEN}, cwd=tmp_path)
    assert done.returncode == 2
    assert "discord_api_url: names no host" in done.stderr
    assert "tmdb_url: holds a user name or password" in done.stderr
    assert PASSWORD not in done.stdout + done.stderr


@pytest.mark.parametrize(
    "address",
    ["http://127.0.0.1:9/api/v10", "https://[::1]:9/3", "https://localhost:9/3/"],
)
def test_usable_addresses_still_pass(tmp_path: Path, address: str) -> None:
    # the address is accepted; enrich then fails to connect (nothing listens there), per card
    env = {"DRAMA_BOT_TMDB_URL": address, "TMDB_API_KEY": TMDB_KEY}
    cards = str(REPO / "data" / "cards")
    args = ("--data", cards, "--only", "run-on", "--retries", "0", "--quiet")
    done = drama_bot("enrich", *args, env=env, cwd=tmp_path)
    assert done.returncode != 2 and "DRAMA_BOT_TMDB_URL" not in done.stderr, done.stderr
    assert "run-on" in done.stdout


# -- an address that answers JSON, but not TMDB's --------------------------------------------

# A search that finds Run On as TMDB's API would answer it, for the junk to come after it.
SEARCH = {
    "page": 1,
    "total_pages": 1,
    "total_results": 1,
    "results": [
        {
            "id": 96162,
            "name": "Run On",
            "original_name": "런 온",
            "first_air_date": "2020-12-16",
            "origin_country": ["KR"],
        }
    ],
}
JUNK = {
    "a list of odd things": b'{"results": "x"}',
    "no id": b'{"name": "Run On", "first_air_date": 2020}',
    "nested past Python's stack": b"[" * 200_000 + b"]" * 200_000,
}


@contextlib.contextmanager
def junk_server(details: bytes, search: bytes = b"") -> Iterator[str]:
    """An aiohttp server on 127.0.0.1 (in its own thread) that answers a TV search with
    ``search`` (Run On, as TMDB would, when empty) and anything else with ``details``."""
    ready: queue.Queue[str] = queue.Queue()
    loop = asyncio.new_event_loop()

    async def handle(request: web.Request) -> web.Response:
        found = request.path.endswith("/search/tv")
        body = (search or json.dumps(SEARCH).encode()) if found else details
        return web.Response(body=body, content_type="application/json")

    async def serve() -> web.AppRunner:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        ready.put(f"http://127.0.0.1:{runner.addresses[0][1]}/3")
        return runner

    def run() -> None:
        asyncio.set_event_loop(loop)
        runner = loop.run_until_complete(serve())
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield ready.get(timeout=10)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@pytest.mark.parametrize("stage", ["search", "details"])
@pytest.mark.parametrize("junk", list(JUNK), ids=list(JUNK))
def test_json_that_is_not_tmdbs_fails_that_card_in_one_line(
    tmp_path: Path, junk: str, stage: str
) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(REPO / "data" / "cards", cards)
    before = {p.name: p.read_bytes() for p in cards.glob("*.yaml")}
    body = JUNK[junk]
    with junk_server(body, body if stage == "search" else b"") as address:
        env = {"DRAMA_BOT_TMDB_URL": address, "TMDB_API_KEY": TMDB_KEY}
        args = ("--data", str(cards), "--only", "run-on", "vincenzo", "--retries", "0")
        done = drama_bot("enrich", *args, "--write", "--quiet", env=env, cwd=tmp_path)
    assert "Traceback" not in done.stderr, done.stderr  # was: RecursionError, KeyError: 'id'
    assert done.returncode in {0, 1} and done.stderr == ""
    rows = [line for line in done.stdout.splitlines() if line.startswith(("run-on", "vincenzo"))]
    assert len(rows) == 2  # each card said in one line; the second one still ran
    assert {p.name: p.read_bytes() for p in cards.glob("*.yaml")} == before  # no card written


# -- a SQLite database that is not drama-bot's -----------------------------------------------


def another_programs_database(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO users (name) VALUES ('someone')")
        db.commit()


def nonsense_schema_version(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
        db.execute("PRAGMA user_version = -5")
        db.commit()


@pytest.mark.parametrize(
    ("make", "says"),
    [
        # was: our tables added into it, silently
        (another_programs_database, "holds another program's tables (users), not drama-bot's"),
        # was: IndexError: tuple index out of range, a traceback, exit 1
        (nonsense_schema_version, "has schema version -5, which no drama-bot writes"),
    ],
)
def test_a_sqlite_database_of_another_program_is_refused_and_left_as_it_is(
    tmp_path: Path, make: Callable[[Path], None], says: str
) -> None:
    database = tmp_path / "other.sqlite3"
    make(database)
    before = database.read_bytes()
    done = drama_bot("ask", "--database", str(database), "/drama run on", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr == f"drama-bot: --database {database} {says}; it was left untouched\n"
    assert database.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite3"]  # no WAL files
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {database}\ndata_dir: {REPO / 'data' / 'cards'}\n")
    ran = drama_bot("run", "--config", str(config), env={"DISCORD_TOKEN": TOKEN}, cwd=tmp_path)
    assert ran.returncode == 2 and f"database {database} {says}" in ran.stderr
    assert "Traceback" not in ran.stderr and database.read_bytes() == before


def test_a_long_answer_is_read_whole(tmp_path: Path) -> None:
    """A search answer of 3 MB (TMDB's limit here is 16 MB) arrives in many pieces; it was
    read up to the first piece only, and so reported as "not JSON" and retried."""
    show = dict(SEARCH["results"][0], overview="x" * 3_000_000)  # type: ignore[index]
    search = json.dumps(dict(SEARCH, results=[show])).encode()
    cards = tmp_path / "cards"
    shutil.copytree(REPO / "data" / "cards", cards)
    with junk_server(JUNK["no id"], search) as address:
        env = {"DRAMA_BOT_TMDB_URL": address, "TMDB_API_KEY": TMDB_KEY}
        args = ("--data", str(cards), "--only", "run-on", "--retries", "0", "--quiet")
        done = drama_bot("enrich", *args, env=env, cwd=tmp_path)
    (row,) = [line for line in done.stdout.splitlines() if line.startswith("run-on")]
    assert "/search/tv" not in row and "not JSON" not in row, row
    assert "not in the shape of its API" in row  # the search was read; the details were junk
