"""docs/cards.md's "Limits" table and the limits ``drama-bot check`` enforces agree, both ways.

Cards far over every limit (a 3,000-character value in every text field, 1,000 items in every
list, a huge number in every whole-number field) go through ``check``; each error naming a
limit gives a ``key -> limit`` pair. Those pairs must be exactly the table's rows, so a limit
added to the reader without a row (or a row for a limit that is gone) fails here. And every
key a card may hold (asked of the reader itself, through the "unknown key (allowed: ...)"
message) is either probed or listed below as bounded another way, so a new key cannot slip
past with a limit nobody documented.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO
from tests.test_cli import drama_bot

LONG = "a" * 3000
HUGE = 10**12
URL = "https://example.org/" + LONG
#: Keys bounded otherwise: a score runs from 0 to its scale, a date is a date.
BOUNDED_OTHERWISE = {
    "ratings.overall",
    "ratings.romance",
    "ratings.rewatch",
    "community_rating.score",
    "community_rating.checked",
    "streaming[].checked",
}
#: The mappings of a card, and where a probe key goes in a card to learn their allowed keys.
MAPPINGS = {
    "": lambda extra: extra,
    "cast[]": lambda extra: {"cast": [{"actor": "A", **extra}]},
    "streaming[]": lambda extra: {"streaming": [{"service": "Netflix", **extra}]},
    "ratings": lambda extra: {"ratings": extra},
    "review": lambda extra: {"review": extra},
    "links": lambda extra: {"links": extra},
    "community_rating": lambda extra: {"community_rating": {"score": 7, **extra}},
}

# Long lists (their items within limits) and long items (in lists of one).
LONG_LISTS: dict[str, Any] = {
    "title": LONG,
    "native_title": LONG,
    "aliases": ["x"] * 1000,
    "year": HUGE,
    "country": LONG,
    "network": LONG,
    "episodes": HUGE,
    "genres": ["romance"] * 1000,
    "cast": [{"actor": "A"}] * 1000,
    "streaming": [{"service": "Netflix"}] * 1000,
    "ratings": {"scale": HUGE},
    "similar": ["x"] * 1000,
    "review": {
        "source": LONG,
        "url": URL,
        "reviewer": LONG,
        "headline": LONG,
        "summary": LONG,
        "highlights": ["x"] * 1000,
        "verdict": LONG,
    },
    "season": HUGE,
    "series": LONG,
    "poster": URL,
    "links": {"official": URL, "mydramalist": URL, "wikipedia": URL, "imdb": URL},
    "tmdb_id": HUGE,
    "community_rating": {"score": 7, "scale": HUGE, "source": LONG, "votes": HUGE},
}
LONG_ITEMS: dict[str, Any] = {
    "title": "Probe",
    "year": 2020,
    "aliases": [LONG],
    "genres": [LONG],
    "cast": [
        {"actor": LONG, "native_name": LONG, "role": LONG, "aliases": ["y"] * 1000},
        {"actor": "B", "aliases": [LONG]},
    ],
    "streaming": [
        {"service": LONG, "regions": ["KR"] * 1000, "kind": LONG, "url": URL, "source": LONG},
        {"service": "Netflix", "regions": [LONG]},
    ],
    "similar": [LONG],
    "review": {"highlights": [LONG]},
}

ERROR = re.compile(r"^.+?:\d+: (?P<key>[^:]+): (?P<message>.*)$")
ITEMS = re.compile(r"has \d+ items; at most (\d+) are allowed")
CHARACTERS = re.compile(r"is \d+ characters long; at most (\d+) are allowed")
RANGE = re.compile(r"is out of range \((\d+) to (\d+)\)")


def _errors(folder: Path, cards: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    folder.mkdir()
    for slug, body in cards.items():
        (folder / f"{slug}.yaml").write_text(yaml.safe_dump(body, allow_unicode=True), "utf-8")
    done = drama_bot("check", "--data", str(folder))
    assert done.returncode == 1, done.stderr
    found = []
    for line in done.stdout.splitlines():
        if match := ERROR.match(line):
            found.append((re.sub(r"\[\d+\]", "[]", match["key"]), match["message"]))
    return found


def enforced(tmp_path: Path) -> dict[str, str]:
    limits: dict[str, str] = {}
    for key, message in _errors(
        tmp_path / "cards", {"long-lists": LONG_LISTS, "probe": LONG_ITEMS}
    ):
        if match := ITEMS.search(message):
            limits[key] = f"{match[1]} items"
        elif match := CHARACTERS.search(message):
            limits[key] = f"{match[1]} characters"
        elif match := RANGE.search(message):
            limits[key] = f"{match[1]} to {match[2]}"
    return limits


def documented() -> dict[str, str]:
    page = (REPO / "docs" / "cards.md").read_text("utf-8")
    section = page.split("**Limits.**", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {row.split("`")[1]: row.split("|")[2].strip() for row in rows}


def test_the_limits_table_is_exactly_what_check_enforces(tmp_path: Path) -> None:
    doc, real = documented(), enforced(tmp_path)
    assert {k: v for k, v in real.items() if doc.get(k) != v} == {}, "missing or wrong in docs"
    assert {k: v for k, v in doc.items() if k not in real} == {}, "documented, not enforced"


def test_every_key_a_card_may_hold_is_probed_or_bounded_otherwise(tmp_path: Path) -> None:
    cards = {
        f"probe-{index}": {"title": f"Probe {index}", "year": 2020, "cast": [{"actor": "A"}]}
        | place({"zz-probe": 1})
        for index, place in enumerate(MAPPINGS.values())
    }
    allowed: set[str] = set()
    for key, message in _errors(tmp_path / "cards", cards):
        if key.endswith("zz-probe") and "(allowed: " in message:
            parent = key.removesuffix("zz-probe").rstrip(".")
            names = message.split("(allowed: ", 1)[1].rstrip(")").split(", ")
            allowed |= {f"{parent}.{name}" if parent else name for name in names}
    assert len({k.rsplit(".", 1)[0] for k in allowed if "." in k}) == len(MAPPINGS) - 1
    (tmp_path / "again").mkdir()
    probed = set(enforced(tmp_path / "again"))
    nested = {key.removesuffix("[]") for key in probed} | set(MAPPINGS) | BOUNDED_OTHERWISE
    assert sorted(allowed - nested) == []
