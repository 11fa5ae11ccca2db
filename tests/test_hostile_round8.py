"""Hostile cards, round 8 (branch polish8): what the sweep in docs/reliability.md found still
let through, each through ``drama-bot check`` (one ``path:line: key: message`` line, exit 1)
and ``drama-bot ask --json`` (the good card beside it still answers, nothing unsafe shown):
a link whose address hides where it goes (a user name before ``@``, a host in lookalike
letters), a number YAML 1.1 reads in base 60 (``year: 33:41`` was silently 2021), and a file
of only blank lines and tabs (was "found character that cannot start any token")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import minimal_card
from tests.test_cli import drama_bot

GOOD = minimal_card("Good Harbour", 2020, actor="Han Mira")

HIDING = [
    # a user name before "@": the address goes to evil.example, not netflix.com
    ("https://www.netflix.com@evil.example/title/1", "a user name before '@'"),
    ("https://user:pass@example.org/", "a user name before '@'"),
    # a Cyrillic "а" in the host: a lookalike of apple.com
    ("https://\u0430pple.com/", "the host in ASCII"),
    ("https://예시.com/", "the host in ASCII"),
]
KEYS = ["links.official", "poster", "streaming[0].url", "review.url"]
PLAIN = [
    "https://www.youtube.com/@jtbcdrama",  # an "@" in the path is no user name
    "https://xn--80ak6aa92e.com/",  # a host already in ASCII (punycode)
    "https://namu.wiki/w/빈센조",  # Hangul in the path
    "https://example.org:8443/a?b=c#d",
]
BASE_60 = [("year", "33:41"), ("episodes", "1:30"), ("season", "1:02")]
BLANK = ["   \n\n\t\n", "\t", "\ufeff \t \r\n", "\n\n\n"]


def _with_address(key: str, url: str) -> str:
    return {
        "links.official": f"links:\n  official: {json.dumps(url)}\n",
        "poster": f"poster: {json.dumps(url)}\n",
        "streaming[0].url": f"streaming:\n  - service: Netflix\n    url: {json.dumps(url)}\n",
        "review.url": f"review:\n  url: {json.dumps(url)}\n",
    }[key]


def _in_base_60(field: str, value: str) -> str:
    text = minimal_card("Base Sixty").replace("year: 2020\n", "") + f"{field}: {value}\n"
    if field != "year":
        text += "year: 2020\n"
    if field == "season":
        text += "series: good-harbour\n"
    return text


# Every odd card of this module, by file name: one folder, one `check`, one `ask`.
CARDS: dict[str, str] = {
    **{
        f"hiding-{k}-{u}.yaml": minimal_card("Hiding") + _with_address(key, url)
        for k, key in enumerate(KEYS)
        for u, (url, _) in enumerate(HIDING)
    },
    **{
        f"plain-{n}.yaml": minimal_card(f"Plain {n}") + _with_address("links.official", url)
        for n, url in enumerate(PLAIN)
    },
    **{f"base-{n}.yaml": _in_base_60(*case) for n, case in enumerate(BASE_60)},
    **{f"blank-{n}.yaml": text for n, text in enumerate(BLANK)},
}


@dataclass(frozen=True)
class Checked:
    folder: Path
    status: int
    lines: list[str]  # `check`'s output
    records: list[dict[str, Any]]  # `ask --json`: the good card, then each plain one

    def about(self, name: str) -> list[str]:
        """`check`'s lines about the file ``name``."""
        return [line for line in self.lines if line.startswith(f"{self.folder / name}:")]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    folder = tmp_path_factory.mktemp("hostile8") / "cards"
    folder.mkdir()
    (folder / "good-harbour.yaml").write_text(GOOD, "utf-8")
    for name, text in CARDS.items():
        (folder / name).write_bytes(text.encode())
    done = drama_bot("check", "--data", str(folder))
    assert "Traceback" not in done.stdout + done.stderr
    lines = ["/drama good harbour", *(f"/drama plain {n}" for n in range(len(PLAIN)))]
    asked = drama_bot("ask", "--json", "--data", str(folder), stdin="\n".join(lines) + "\n")
    assert asked.returncode == 0 and "Traceback" not in asked.stderr
    records = [json.loads(line) for line in asked.stdout.splitlines()]
    assert records[0]["card"] == "good-harbour"  # the good card beside them all still answers
    return Checked(folder, done.returncode, done.stdout.splitlines(), records)


def test_check_fails_for_the_odd_cards(checked: Checked) -> None:
    assert checked.status == 1


@pytest.mark.parametrize(("url", "says"), HIDING)
@pytest.mark.parametrize("key", KEYS)
def test_an_address_that_hides_where_it_goes_is_an_error(
    checked: Checked, url: str, says: str, key: str
) -> None:
    name = f"hiding-{KEYS.index(key)}-{[u for u, _ in HIDING].index(url)}.yaml"
    (error,) = [line for line in checked.about(name) if f": {key}: " in line]
    assert says in error, error
    assert url not in json.dumps(checked.records, ensure_ascii=False)  # never shown as a link


@pytest.mark.parametrize("at", range(len(PLAIN)), ids=PLAIN)
def test_plain_addresses_still_load(checked: Checked, at: int) -> None:
    assert checked.about(f"plain-{at}.yaml") == []
    assert checked.records[1 + at]["card"] == f"plain-{at}"


@pytest.mark.parametrize(("field", "value"), BASE_60)
def test_a_number_in_base_60_is_an_error(checked: Checked, field: str, value: str) -> None:
    (error,) = [
        line
        for line in checked.about(f"base-{BASE_60.index((field, value))}.yaml")
        if f": {field}: " in line
    ]
    assert f"'{value}'" in error and "base 60" in error  # was: silently 2021, 90, 62


@pytest.mark.parametrize("at", range(len(BLANK)), ids=[repr(b) for b in BLANK])
def test_a_file_of_only_blank_space_is_empty(checked: Checked, at: int) -> None:
    (error,) = checked.about(f"blank-{at}.yaml")
    assert error.endswith(":1: title: the file is empty; a card needs title, year and cast")
