"""The drama-bot command line, run as a user runs it: real files; ``ask``, ``check`` and
``enrich`` through ``main(argv)`` in this process as a fresh process would run it
(tests/cli_run.py), the console script, a terminal and undecodable stdin in real processes."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cards.reader import CARD_KEYS
from tests.cli_run import drama_bot
from tests.conftest import REPO, SHIPPED_CARDS, minimal_card

SCRIPT = Path(sys.executable).parent / "drama-bot"


def test_console_script_is_installed() -> None:
    assert SCRIPT.exists(), "pip install -e . should install the drama-bot script"
    done = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("drama-bot ")


def test_ask_prints_the_run_on_card_on_a_fresh_checkout() -> None:
    done = drama_bot("ask", "/drama Run On")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "== Run On (2020) ==" in out
    for expected in (
        "Im Si Wan as Ki Seon-gyeom",
        "Kang Tae Oh as Lee Young-hwa",
        "Netflix",
        "Start-Up",
        "Because This Is My First Life",
    ):
        assert expected in out
    assert done.stderr == ""


def test_ask_works_from_another_directory_with_the_shipped_cards(tmp_path: Path) -> None:
    done = drama_bot("ask", "/cast run on", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1. Im Si Wan as Ki Seon-gyeom" in done.stdout


def test_ask_json_is_one_line_per_command_with_the_contract_keys() -> None:
    lines = [
        "/drama rnu on",
        "/similar Run On",
        "/drama reply",
        "/drama breaking bad",
        "/actor Im Siwan",
    ]
    done = drama_bot("ask", "--json", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["command"] for r in records] == lines
    for record in records:
        assert set(record) == {"command", "card", "candidates", "message"}
        assert set(record["message"]) == {
            "content",
            "embeds",
            "components",
            "flags",
            "allowed_mentions",
        }
        assert record["message"]["allowed_mentions"]["parse"] == []
    drama, similar, reply, missing, actor = records
    assert (drama["card"], drama["candidates"]) == ("run-on", [])
    assert similar["card"] == "run-on"
    options = similar["message"]["components"][0]["components"][0]["options"]
    assert [o["value"] for o in options][:2] == ["start-up", "because-this-is-my-first-life"]
    assert (reply["card"], reply["candidates"]) == (
        None,
        ["reply-1988", "reply-1994", "reply-1997"],
    )
    assert reply["message"]["components"][0]["components"][0]["type"] == 3
    assert (missing["card"], missing["candidates"], missing["message"]["flags"]) == (None, [], 64)
    assert actor["card"] is None and actor["message"]["embeds"][0]["title"] == "Im Si Wan"


def test_ask_with_another_data_folder(cards_dir: Path) -> None:
    (cards_dir / "my-show.yaml").write_text(minimal_card("My Show", 2011), "utf-8")
    done = drama_bot("ask", "--data", str(cards_dir), "--json", "/drama my shwo")
    record = json.loads(done.stdout)
    assert record["card"] == "my-show"
    assert record["message"]["embeds"][0]["title"] == "My Show (2011)"


def test_ask_reports_a_bad_command_line_and_keeps_going() -> None:
    done = drama_bot("ask", "--json", stdin="/nope\n/drama run on\n")
    assert done.returncode == 2
    bad, good = (json.loads(line) for line in done.stdout.splitlines())
    assert "Unknown command /nope" in bad["message"]["content"]
    assert good["card"] == "run-on"


def test_usage_errors_are_said_in_the_askers_language() -> None:
    lines = ["/drama", "/nope", "hello", '/drama "', "/reload confirm:maybe"]
    done = drama_bot("ask", "--json", "--locale", "ko", stdin="\n".join(lines))
    assert done.returncode == 2
    said = [json.loads(line)["message"] for line in done.stdout.splitlines()]
    assert [m["flags"] for m in said] == [64] * len(lines)
    no_title, unknown, no_slash, only_quote, not_a_flag = (m["content"] for m in said)
    # the names a Korean Discord shows (/드라마, 제목), not the English ones
    assert no_title.startswith("/드라마 명령어에는 제목 값이 필요해요. 예: /드라마 ")
    # a title with nothing to look up is said to be that, not missing
    assert only_quote.startswith('“"”에는 찾을 글자가 없어요.')
    assert unknown.startswith("없는 명령어예요: /nope.")
    assert no_slash.startswith("명령어는 /로 시작해요.") and "“hello”" in no_slash
    assert not_a_flag.startswith("/새로고침 확인:")
    for content in (no_title, unknown, no_slash, not_a_flag):
        assert not re.search(r"\b(needs|unknown|commands start|must be)\b", content), content


def test_ask_and_check_name_the_data_folder_they_were_given(tmp_path: Path) -> None:
    missing, a_file = tmp_path / "missing", tmp_path / "card.yaml"
    a_file.write_text(minimal_card("A File"), "utf-8")
    for folder, problem in (
        (missing, "is not a folder of cards: there is no such folder"),
        (a_file, "is not a folder of cards: it is a file"),
    ):
        done = drama_bot("ask", "--data", str(folder), "/drama x")
        assert done.returncode == 2
        assert done.stderr == f"drama-bot: --data {folder}: {problem}\n"
        checked = drama_bot("check", "--data", str(folder))
        assert checked.returncode == 1
        assert checked.stdout == f"{folder}:1: data: {problem}\n"
        assert "Traceback" not in checked.stderr


def test_check_passes_on_the_shipped_cards() -> None:
    done = drama_bot("check")
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("OK: ") and "no errors" in done.stdout


def test_check_lists_every_error_with_path_and_line(cards_dir: Path) -> None:
    (cards_dir / "good.yaml").write_text(minimal_card("Good"), "utf-8")
    (cards_dir / "typo.yaml").write_text(minimal_card("Typo") + "stremaing: []\n", "utf-8")
    (cards_dir / "syntax.yaml").write_text("title: [oops\n", "utf-8")
    (cards_dir / "types.yaml").write_text("title: Types\nyear: '2020'\ncast: nobody\n", "utf-8")
    done = drama_bot("check", "--data", str(cards_dir))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert (
        f"{cards_dir / 'typo.yaml'}:5: stremaing: unknown key; did you mean 'streaming'? "
        f"(allowed: {', '.join(CARD_KEYS)})" in lines
    )
    assert any(
        line.startswith(f"{cards_dir / 'syntax.yaml'}:") and ": yaml: not valid YAML" in line
        for line in lines
    )
    assert f"{cards_dir / 'types.yaml'}:2: year: expected a whole number, got text" in lines
    assert f"{cards_dir / 'types.yaml'}:3: cast: expected a list, got text" in lines
    assert len(lines) == 4
    assert "4 errors in 3 files; 1 of 4 cards are valid" in done.stderr


def test_run_without_a_token_is_one_clear_line(tmp_path: Path) -> None:
    done = drama_bot("run", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "drama-bot: no Discord token: set DISCORD_TOKEN (or token_file in the config) "
        "to your bot's token"
    ]


def test_run_with_a_broken_config_is_one_clear_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("data_dir: cards\nadmin_user_ids: [me]\n", "utf-8")
    done = drama_bot("run", "--config", str(config), env={"DISCORD_TOKEN": "x"})
    assert done.returncode == 2
    problem, summary = done.stderr.strip().splitlines()
    assert problem.startswith(f"{config}:2: admin_user_ids: 'me' is not a Discord ID")
    assert summary == f"drama-bot: 1 problem(s) in the config file {config}"


@pytest.mark.parametrize("bad", ["token: abc\n", "colour: red\n", "- a list\n"])
def test_config_mistakes_are_refused(tmp_path: Path, bad: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(bad, "utf-8")
    done = drama_bot("run", "--config", str(config), env={"DISCORD_TOKEN": "x"})
    assert done.returncode == 2
    assert done.stderr.startswith(f"{config}:1: ")
    assert done.stderr.endswith(f"drama-bot: 1 problem(s) in the config file {config}\n")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("line", ["", "   ", "\t\n"])
def test_ask_with_an_empty_command_prints_the_usage_and_exits_2(line: str) -> None:
    done = drama_bot("ask", line)
    assert done.returncode == 2
    assert done.stdout == ""
    usage, *_, error = done.stderr.splitlines()  # argparse wraps a long usage line
    assert usage.startswith("usage: drama-bot ask ")
    assert error == 'drama-bot ask: error: the command is empty; give one such as "/drama Run On"'


def test_ask_on_a_terminal_prompts_once_on_stderr() -> None:
    """`drama-bot ask` with stdin a terminal says what it waits for; piped, it stays quiet."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "ask"],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO,
            text=True,
        )
        os.write(leader, b"/drama run on\n\x04")  # a line, then Ctrl-D
        out, err = process.communicate(timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    assert process.returncode == 0, err
    assert err == "Type a command such as /drama Run On, one per line (Ctrl-D to end):\n"
    assert "== Run On (2020) ==" in out
    piped = drama_bot("ask", stdin="/drama run on\n")
    assert piped.returncode == 0 and piped.stderr == ""


def test_ask_reads_bytes_that_are_not_utf8_without_crashing() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"],
        input=b"/drama run\xff on\n",
        capture_output=True,
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"} | {"LC_ALL": "C.UTF-8"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout.decode("utf-8"))
    assert record["command"] == "/drama run\ufffd on"


def test_a_data_dir_from_the_config_is_named_as_such(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("data_dir: nowhere\n", "utf-8")
    done = drama_bot("ask", "--config", str(config), "/drama x")
    assert done.returncode == 2
    assert done.stderr == (
        f"drama-bot: data_dir {tmp_path / 'nowhere'}: "
        "is not a folder of cards: there is no such folder\n"
    )


def test_ask_reuses_a_database_and_guards_it_against_an_emptied_folder(
    tmp_path: Path, shipped_copy: Path
) -> None:
    database = tmp_path / "cache.sqlite3"
    first = drama_bot(
        "ask", "--data", str(shipped_copy), "--database", str(database), "/cast run on"
    )
    assert first.returncode == 0 and first.stderr == ""
    for path in shipped_copy.glob("*.yaml"):
        path.unlink()
    kept = drama_bot("ask", "--data", str(shipped_copy), "--database", str(database), "--json",
                     "/drama Run On")  # fmt: skip
    assert kept.returncode == 0 and json.loads(kept.stdout)["card"] == "run-on"
    total = len(list(SHIPPED_CARDS.glob("*.yaml")))
    assert f"the cards folder has no cards; it would remove all {total}" in kept.stderr
    assert "pass --force to accept the cards folder as it is" in kept.stderr
    forced = drama_bot("ask", "--data", str(shipped_copy), "--database", str(database), "--json",
                       "--force", "/drama Run On")  # fmt: skip
    assert forced.returncode == 0 and json.loads(forced.stdout)["card"] is None
    gone = drama_bot("ask", "--data", str(shipped_copy), "--database", str(database), "--json",
                     "/drama Run On")  # fmt: skip
    assert json.loads(gone.stdout)["card"] is None
    assert gone.stderr == f"drama-bot: {shipped_copy} holds no cards (*.yaml files)\n"


def test_ask_reload_confirm_and_check_quiet_keep_their_output_contracts(
    tmp_path: Path, shipped_copy: Path
) -> None:
    (shipped_copy / "vincenzo.yaml").unlink()
    script = "/reload\n/reload confirm:maybe\n/reload confirm:true\n"
    done = drama_bot("ask", "--data", str(shipped_copy), "--json", "--quiet", stdin=script)
    assert done.returncode == 2  # the malformed line
    first, malformed, confirmed = (json.loads(line) for line in done.stdout.splitlines())
    assert "0 added, 0 changed, 0 removed" in first["message"]["embeds"][0]["description"]
    assert "confirm: must be true or false" in json.dumps(malformed["message"])
    assert confirmed["message"]["embeds"][0]["title"] == "Catalog reloaded"
    check = drama_bot("check", "--data", str(shipped_copy), "--quiet")
    remaining = len(list(shipped_copy.glob("*.yaml")))
    assert check.returncode == 0 and check.stderr == ""
    assert f"OK: {remaining} cards in {shipped_copy}, no errors" in check.stdout


def _stderr_on_a_terminal(*args: str) -> tuple[int, str]:
    """Run drama-bot with stderr on a pseudo-terminal, as a user at a shell sees it."""
    import pty

    leader, follower = pty.openpty()
    environment = os.environ | {"TERM": "xterm-256color", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        stdout=subprocess.DEVNULL, stderr=follower, stdin=subprocess.DEVNULL,
        cwd=REPO, env=environment,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower side closed: the process is done
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    return process.wait(timeout=60), seen.decode("utf-8", "replace")


def test_check_shows_progress_on_a_terminal_unless_quiet(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(600):
        (folder / f"show-{number}.yaml").write_text(minimal_card(f"Show {number}"))
    status, shown = _stderr_on_a_terminal("check", "--data", str(folder))
    assert status == 0 and "Checking cards" in shown and "600/600" in shown
    status, quiet = _stderr_on_a_terminal("check", "--data", str(folder), "--quiet")
    assert status == 0 and quiet == ""


@pytest.mark.parametrize(
    ("given", "korean", "warning"),
    [
        ("ko", True, ""),
        ("KO", True, ""),
        ("ko-KR", True, ""),
        ("kr", True, "--locale kr: taken as ko (Korean); kr is Korea's country code"),
        ("xx", False, "--locale xx: no answers in that language; answering in English"),
        ("en", False, ""),
    ],
)
def test_ask_locale_is_read_forgivingly_and_an_unknown_one_is_said(
    given: str, korean: bool, warning: str
) -> None:
    done = drama_bot("ask", "--quiet", "--locale", given, "/rating Run On")
    assert done.returncode == 0
    assert ("평점" in done.stdout) is korean, done.stdout
    assert done.stderr.strip() == (f"drama-bot: {warning} (available: en, ko)" if warning else "")


def test_a_korean_reader_gets_the_korean_live_availability_page() -> None:
    done = drama_bot("ask", "--json", "--locale", "ko", stdin="/stream Run On\n/drama Run On\n")
    stream, drama = (json.loads(line)["message"] for line in done.stdout.splitlines())
    (button,) = stream["components"][0]["components"]
    assert button["url"].startswith("https://www.justwatch.com/kr/search?q=")
    assert "(한국, JustWatch)" in button["label"]
    where = next(f for f in drama["embeds"][0]["fields"] if f["name"] == "볼 수 있는 곳")
    assert "https://www.justwatch.com/kr/search?q=Run%20On" in where["value"]
    english = json.loads(drama_bot("ask", "--json", "/stream Run On").stdout)["message"]
    assert english["components"][0]["components"][0]["url"].startswith(
        "https://www.justwatch.com/us/"
    )
    named = json.loads(
        drama_bot("ask", "--json", "--locale", "ko", "/stream Run On region:GB").stdout
    )
    assert named["message"]["components"][0]["components"][0]["url"].startswith(
        "https://www.justwatch.com/uk/"  # a region the user names wins over the language
    )


def test_ask_shows_discord_timestamps_as_discord_counts_them() -> None:
    done = drama_bot("ask", "/about")
    assert "<t:" not in done.stdout
    # <t:…:R> reads "2 hours ago" in Discord: the terminal counts the same way
    assert re.search(r"^Up since: \d+ seconds? ago$", done.stdout, re.MULTILINE), done.stdout
    payload = json.loads(drama_bot("ask", "--json", "/about").stdout)["message"]
    fields = {f["name"]: f["value"] for f in payload["embeds"][0]["fields"]}
    assert re.fullmatch(r"<t:\d+:R>", fields["Up since"])  # Discord still gets its markup
