"""Hostile cards, round 8 (branch polish8): what the sweep in docs/reliability.md found still
let through, each through ``drama-bot check`` (one ``path:line: key: message`` line, exit 1)
and ``drama-bot ask --json`` (the good card beside it still answers, nothing unsafe shown):
a link whose address hides where it goes (a user name before ``@``, a host in lookalike
letters), a number YAML 1.1 reads in base 60 (``year: 33:41`` was silently 2021), and a file
of only blank lines and tabs (was "found character that cannot start any token")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import minimal_card
from tests.test_cli import drama_bot

GOOD = minimal_card("Good Harbour", 2020, actor="Han Mira")


def check_and_ask(folder: Path, odd: str | bytes) -> tuple[list[str], int, list[dict[str, object]]]:
    """`check`'s lines and exit status for a cards folder holding ``odd-card.yaml`` beside a
    good card, and ``ask --json``'s answer about the good card and the odd one."""
    folder.mkdir(exist_ok=True)
    (folder / "good-harbour.yaml").write_text(GOOD, "utf-8")
    odd_bytes = odd.encode() if isinstance(odd, str) else odd
    (folder / "odd-card.yaml").write_bytes(odd_bytes)
    checked = drama_bot("check", "--data", str(folder))
    assert "Traceback" not in checked.stdout + checked.stderr
    asked = drama_bot(
        "ask", "--json", "--data", str(folder), stdin="/drama good harbour\n/drama odd card\n"
    )
    assert asked.returncode == 0 and "Traceback" not in asked.stderr
    records = [json.loads(line) for line in asked.stdout.splitlines()]
    assert records[0]["card"] == "good-harbour"
    return checked.stdout.splitlines(), checked.returncode, records


@pytest.mark.parametrize(
    ("url", "says"),
    [
        # a user name before "@": the address goes to evil.example, not netflix.com
        ("https://www.netflix.com@evil.example/title/1", "a user name before '@'"),
        ("https://user:pass@example.org/", "a user name before '@'"),
        # a Cyrillic "а" in the host: a lookalike of apple.com
        ("https://\u0430pple.com/", "the host in ASCII"),
        ("https://예시.com/", "the host in ASCII"),
    ],
)
@pytest.mark.parametrize("key", ["links.official", "poster", "streaming[0].url", "review.url"])
def test_an_address_that_hides_where_it_goes_is_an_error(
    tmp_path: Path, url: str, says: str, key: str
) -> None:
    extra = {
        "links.official": f"links:\n  official: {json.dumps(url)}\n",
        "poster": f"poster: {json.dumps(url)}\n",
        "streaming[0].url": f"streaming:\n  - service: Netflix\n    url: {json.dumps(url)}\n",
        "review.url": f"review:\n  url: {json.dumps(url)}\n",
    }[key]
    lines, status, records = check_and_ask(tmp_path / "cards", minimal_card("Odd Card") + extra)
    assert status == 1
    (error,) = [line for line in lines if ": error" not in line and f": {key}: " in line]
    assert error.startswith(f"{tmp_path / 'cards' / 'odd-card.yaml'}:") and says in error
    assert url not in json.dumps(records, ensure_ascii=False)  # never shown as a link


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/@jtbcdrama",  # an "@" in the path is no user name
        "https://xn--80ak6aa92e.com/",  # a host already in ASCII (punycode)
        "https://namu.wiki/w/빈센조",  # Hangul in the path
        "https://example.org:8443/a?b=c#d",
    ],
)
def test_plain_addresses_still_load(tmp_path: Path, url: str) -> None:
    extra = f"links:\n  official: {json.dumps(url, ensure_ascii=False)}\n"
    lines, status, records = check_and_ask(tmp_path / "cards", minimal_card("Odd Card") + extra)
    assert status == 0, lines
    assert records[1]["card"] == "odd-card"


@pytest.mark.parametrize(
    ("field", "value"),
    [("year", "33:41"), ("episodes", "1:30"), ("season", "1:02")],
)
def test_a_number_in_base_60_is_an_error(tmp_path: Path, field: str, value: str) -> None:
    text = minimal_card("Odd Card").replace("year: 2020\n", "") + f"{field}: {value}\n"
    if field != "year":
        text += "year: 2020\n"
    if field == "season":
        text += "series: good-harbour\n"
    lines, status, _ = check_and_ask(tmp_path / "cards", text)
    assert status == 1
    (error,) = [line for line in lines if f": {field}: " in line]
    assert f"'{value}'" in error and "base 60" in error  # was: silently 2021, 90, 62


@pytest.mark.parametrize("body", ["   \n\n\t\n", "\t", "\ufeff \t \r\n", "\n\n\n"])
def test_a_file_of_only_blank_space_is_empty(tmp_path: Path, body: str) -> None:
    lines, status, records = check_and_ask(tmp_path / "cards", body)
    assert status == 1
    (error,) = [line for line in lines if "odd-card.yaml" in line]
    assert error.endswith(":1: title: the file is empty; a card needs title, year and cast")
    assert "could not be loaded" in records[1]["message"]["content"]
