"""The one-pass reader of common cards (bot/cards/fast_reader.py) against the full reader.

Differential: for thousands of card texts (the shipped cards, the bench's generated cards,
the hostile cards of tests/hostile.py, and variations of each card: every line left out,
repeated, renamed, or given a hostile value), the report ``read_card_text`` gives (the fast
path when it takes the card) must equal the full reader's ``inspect_card``: the same card,
errors, warnings, title, lines and names. The fast path must also take the ordinary cards
(else these comparisons would say nothing).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from bot.bench.synthetic import card_yaml, synthetic_cards
from bot.cards.fast_reader import read_card_text, read_common_card
from bot.cards.reader import CardReport, inspect_card
from tests.hostile import HOSTILE, build_hostile

CARDS = Path(__file__).resolve().parent.parent / "data" / "cards"

#: Values put in place of a value: other kinds, limits, unsafe text, YAML features.
VALUES = (
    "",
    "null",
    "~",
    "yes",
    "No",
    "on",
    "true",
    "0",
    "7",
    "-1",
    "+5",
    "1_000",
    "0x1F",
    "0o17",
    "017",
    "1:30",
    "3.5",
    "7.",
    ".5",
    "1e3",
    "1.0e+3",
    "-0.5",
    ".inf",
    ".nan",
    "9" * 30,
    "1949",
    "2101",
    "2020",
    "101",
    "2020-01-01",
    "2020-13-01",
    "2026-11",
    "2026-02-30",
    "2026-11-25 10:00:00",
    "20261125",
    '"2020"',
    '"3.5"',
    "'quoted text'",
    '"a\\x9bb"',
    '"x\\u202ey"',
    '"\\u200b\\u3164"',
    '"tab\\there"',
    '"two\\nlines"',
    "  spaced   out  ",
    '" lead"',
    '"trail "',
    "한국어",
    "현빈",
    "천사 마녀",
    "キムタク",
    "Été à Séoul",
    "x" * 61,
    "x" * 101,
    "y" * 201,
    "z " * 160,
    "w" * 501,
    "[a, b]",
    "[KR, US]",
    "[kr, uk]",
    "[kr, us]",
    "[jp]",
    "[romance, Comedy]",
    "[]",
    "{}",
    "{actor: A}",
    "[{actor: A, role: B}]",
    "[{service: Netflix}]",
    "!!str x",
    "!!int 5",
    "!!float 2",
    "!custom x",
    "! x",
    "&anchor x",
    "*anchor",
    "https://example.com/x",
    "http://example.com/x",
    "https://exa mple.com",
    "https://example.com/[x]",
    "KR",
    "kr",
    "UK",
    "Korea",
    "XX",
    "tvN",
    "TVN",
    "JTBCC",
    "Netflix",
    "Netflx",
    "Disney Plus",
    "Some Local Channel",
    "free",
    "rent",
    "lease",
    "romance",
    "Romance!",
    "<<",
    "@everyone",
    "[Text](https://x.example)",
    "hospital-playlist",
    "Not A Slug",
    "a # comment",
    "'unterminated",
    "[unclosed",
    "key: inside",
)
_KEY_LINE = re.compile(r"^(\s*(?:- )?)([A-Za-z_]+):(\s*)(.*)$")


def _check(text: str, slug: str, path: str = "cards/x.yaml") -> CardReport | None:
    """Both readers on one text: the same report. Returns the fast path's report."""
    full = inspect_card(text, path, slug)
    fast = read_common_card(text, slug)
    if fast is not None:
        assert fast == full, f"fast path differs for {slug}:\n{text}"
        assert not full.errors and not full.warnings
    return fast


def _variants(text: str, rng: random.Random, values: int) -> list[str]:
    """Each line left out, repeated and misspelt; ``values`` lines given a hostile value."""
    lines = text.splitlines(keepends=True)
    out = []
    for index, line in enumerate(lines):
        out.append("".join([*lines[:index], *lines[index + 1 :]]))
        out.append("".join([*lines[: index + 1], *lines[index:]]))
        if match := _KEY_LINE.match(line):
            indent, key, space, _ = match.groups()
            typo = key[:-1] + ("x" if key[-1] != "x" else "y")
            typo_line = f"{indent}{typo}:{space}{match.group(4)}\n"
            out.append("".join([*lines[:index], typo_line, *lines[index + 1 :]]))
    keyed = [(i, m) for i, line in enumerate(lines) if (m := _KEY_LINE.match(line))]
    for _ in range(values):
        index, match = rng.choice(keyed)
        value = rng.choice(VALUES)
        indent, key = match.group(1), match.group(2)
        new = f"{indent}{key}: {value}\n"
        out.append("".join([*lines[:index], new, *lines[index + 1 :]]))
    return out


def _shipped() -> list[tuple[str, str]]:
    return [(path.read_text("utf-8"), path.stem) for path in sorted(CARDS.glob("*.yaml"))]


def test_read_card_text_gives_the_full_readers_report_either_way() -> None:
    ordinary = "title: X\nyear: 2020\ncast: [{actor: A}]\n"
    unusual = "title: X\nyear: 2020\ncast: [{actor: A}]\nnetwork: JTBCC\n"
    for text in (ordinary, unusual):
        assert read_card_text(text, "cards/x.yaml", "x") == inspect_card(text, "cards/x.yaml", "x")
    assert read_common_card(ordinary, "x") is not None
    assert read_common_card(unusual, "x") is None  # (a warning: the full reader words it)
    assert [str(w) for w in read_card_text(unusual, "cards/x.yaml", "x").warnings] == [
        "cards/x.yaml:4: network: warning: 'JTBCC' is not a known network; did you mean 'JTBC'?"
    ]


def test_the_fast_path_reads_ordinary_cards_as_the_full_reader() -> None:
    shipped = _shipped()
    generated = [(card_yaml(card), card.slug) for card in synthetic_cards(600, seed=11)]
    taken = [_check(text, slug) is not None for text, slug in shipped + generated]
    # The ordinary cards go the fast way (all generated ones; shipped ones but a few).
    assert all(taken[len(shipped) :])
    assert sum(taken[: len(shipped)]) >= 0.9 * len(shipped)


def test_the_fast_path_agrees_on_every_variation_of_the_shipped_cards() -> None:
    rng = random.Random(20261126)
    fast = compared = 0
    for text, slug in _shipped():
        for variant in rng.sample(_variants(text, rng, values=30), 35):
            compared += 1
            fast += _check(variant, slug) is not None
    assert compared > 3_500
    assert fast > 400  # plenty of variations are still ordinary cards


def _listed(key: str, count: int, item: str) -> str:
    return f"{key}:\n" + "".join(f"  - {item.format(n=n)}\n" for n in range(count))


@pytest.mark.parametrize(
    ("key", "limit", "item"),
    [
        ("aliases", 30, "Alias {n}"),
        ("similar", 30, "Other {n}"),
        ("genres", 20, "genre{n}"),
        ("cast", 60, "{{actor: Actor {n}}}"),
        ("streaming", 30, "{{service: Netflix, regions: [kr]}}"),
    ],
)
def test_lists_at_and_over_their_limits_agree(key: str, limit: int, item: str) -> None:
    head = "title: X\nyear: 2020\n" + ("" if key == "cast" else "cast: [{actor: A}]\n")
    for count in (limit - 1, limit, limit + 1):
        taken = _check(head + _listed(key, count, item), "x")
        assert (taken is not None) == (count <= limit)


@pytest.mark.parametrize(
    ("line", "limit"),
    [
        ("cast: [{{actor: A, aliases: [{items}]}}]", 10),
        ("review: {{highlights: [{items}]}}", 15),
        ("streaming: [{{service: Viki, regions: [{items}]}}]", 250),
    ],
)
def test_nested_lists_at_and_over_their_limits_agree(line: str, limit: int) -> None:
    for count in (limit, limit + 1):
        items = ", ".join(["us"] * count) if "regions" in line else ", ".join(["b"] * count)
        text = "title: X\nyear: 2020\n" + line.format(items=items) + "\n"
        if not text.count("cast:"):
            text += "cast: [{actor: A}]\n"
        taken = _check(text, "x")
        assert (taken is not None) == (count <= limit)


#: A card with every key (and every key of its parts), each value short.
FULL_CARD = """\
title: A Shop for Killers
native_title: 킬러들의 쇼핑몰
aliases: [Shop for Killers]
year: 2024
country: KR
network: Disney+
episodes: 8
genres: [action, thriller]
season: 1
cast:
  - actor: Lee Dong Wook
    native_name: 이동욱
    role: Jeong Jin-man
    aliases: [Dong-wook Lee]
streaming:
  - service: Disney+
    regions: [KR, JP]
    kind: subscription
    url: https://www.disneyplus.com/
    checked: 2026-11-25
    source: TMDB
similar: [My Name, Moving]
ratings:
  scale: 5
  overall: 4
  romance: null
  rewatch: 3.5
review:
  source: drama-bot editors
  url: https://example.com/review
  reviewer: Someone
  headline: A siege thriller
  summary: >-
    Two lines of
    summary.
  highlights:
    - Tight, short run
  verdict: Worth it.
poster: https://example.com/p.jpg
tmdb_id: 12345
links:
  official: https://example.com
  imdb: https://www.imdb.com/title/tt1/
community_rating:
  score: 7.5
  scale: 10
  source: TMDB
  votes: 120
  checked: 2026-11
"""


def test_every_hostile_value_in_every_place_of_a_full_card() -> None:
    """Each value of VALUES on each keyed line of a card with every key there is."""
    assert _check(FULL_CARD, "a-shop-for-killers") is not None
    lines = FULL_CARD.splitlines(keepends=True)
    for index, line in enumerate(lines):
        match = _KEY_LINE.match(line)
        if not match:
            continue
        for value in VALUES:
            new = f"{match.group(1)}{match.group(2)}: {value}\n"
            _check("".join([*lines[:index], new, *lines[index + 1 :]]), "a-shop-for-killers")


@pytest.mark.parametrize(
    "text",
    [
        "title: X\nyear: 2020\ncast: [{actor: A}]\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\n---\n",
        "---\ntitle: X\nyear: 2020\ncast: [{actor: A}]\n...\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\n--- garbage [\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\naliases: [&a Y]\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\nsimilar: [X]\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\nsimilar: [x (2020)]\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\nsimilar: []\naliases: []\n",
        "title: X\nyear: 2020\ncast: []\n",
        "title: X\nyear: 2020\ncast: [{actor: A}, {actor: A, actor: B}]\n",
        "title: X\nyear: 2020\ncast: [{actor: A, role: ~, aliases: [], native_name: ''}]\n",
        "\"title\": X\n'year': 2020\ncast: [{actor: A}]\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\nratings: {scale: 10, overall: 10}\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\nratings: {scale: 5, overall: 5.5}\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\nreview: {summary: '" + "s" * 2001 + "'}\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\nreview: {summary: '  a  b  '}\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\nstreaming: [{service: Viki, kind: free}]\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\nstreaming: [{service: Viki}]\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\nratings: {overall: 4}\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\ncommunity_rating: {score: 7}\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\ncommunity_rating: {score: 7, scale: 5}\n",
        "# " + "Draft card imported by `drama-bot import-review`\ntitle: X\nyear: 2020\n"
        "cast: [{actor: A}]\n",
        "\ufefftitle: X\nyear: 2020\ncast: [{actor: A}]\n",
        "title: X\nyear: 2020\ncast: [{actor: A}]\n? [a]\n: b\n",
        "",
        "# only a comment\n",
        "[a, b]\n",
        "title: X\nyear: 2020\ncast:\n- actor: A\n" + "  - " * 3 + "x\n",
    ],
)
def test_edge_cases_agree(text: str) -> None:
    _check(text, "x")


@pytest.mark.parametrize("slug", ["x", "X", "not a slug", "x" * 101, "x-2020", "y"])
def test_file_names_agree(slug: str) -> None:
    _check("title: X\nyear: 2020\ncast: [{actor: A}]\n", slug)


def test_the_hostile_cards_agree(tmp_path: Path) -> None:
    texts = 0
    build_hostile(tmp_path, tuple(h for h in HOSTILE if "sparse" not in h.kind))
    for path in sorted(tmp_path.iterdir()):
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 400_000:
            continue
        try:
            text = path.read_text("utf-8-sig")
        except UnicodeDecodeError:
            continue
        texts += 1
        _check(text, path.stem, str(path))
    assert texts >= 25
