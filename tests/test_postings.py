"""The letter-pair index picks the same keys as counting every pair by hand would.

The index counts shared pairs with numpy (its speed matters at 100,000 cards); the reference
here counts them one by one in Python, following the rule in ``GramIndex.first_pass``'s and
``chosen``'s docstrings: the query's pairs counted (common ones only among its rarest share,
and rarest first up to a budget of postings, unless ``every_pair``), whole tiers of "shares n
pairs" kept from the top while they fit, and the keys closest to the query's length when the
best tier alone is too big.
"""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching.postings import (
    ALWAYS_COUNTED,
    COMMON_SHARE,
    COUNT_BUDGET,
    FIRST_PASS_POSTINGS,
    MIN_COUNTED,
    GramIndex,
)


def _pairs(key: str) -> set[tuple[str, str]]:
    return {("^", key[0]), *itertools.pairwise(key)} if key else set()


def _order(pair: tuple[str, str]) -> tuple[int, int]:
    """Pairs of equally many keys are taken in code point order, the start marker last."""
    first, second = pair
    return (0x1FFFFF if first == "^" else ord(first), ord(second))


def _holders(keys: list[str]) -> dict[tuple[str, str], list[int]]:
    holders: dict[tuple[str, str], list[int]] = {}
    for position, key in enumerate(keys):
        for pair in _pairs(key):
            holders.setdefault(pair, []).append(position)
    return holders


def _reference(
    keys: list[str],
    query: str,
    limit: int,
    every_pair: bool,
    holders: dict[tuple[str, str], list[int]] | None = None,
    budget: int = FIRST_PASS_POSTINGS,
) -> list[int]:
    holders = _holders(keys) if holders is None else holders
    found = sorted(
        (len(holders[pair]), _order(pair), pair) for pair in _pairs(query) if pair in holders
    )
    common = len(keys) if every_pair else max(COMMON_SHARE * len(keys), COUNT_BUDGET)
    always = max(MIN_COUNTED, math.ceil(ALWAYS_COUNTED * len(found)))
    counted = []
    read = 0
    for n, (size, _, pair) in enumerate(found):
        # The first pass reads the rarest pairs first, and stops adding pairs past ``budget``
        # postings (after the MIN_COUNTED rarest).
        if (size <= common or n < always) and (
            every_pair or n < MIN_COUNTED or read + size <= budget
        ):
            counted.append(pair)
            read += size
    shared: dict[int, int] = {}
    for pair in counted:
        for position in holders[pair]:
            shared[position] = shared.get(position, 0) + 1
    if sum(len(holders[pair]) for pair in counted) <= limit:
        return sorted(shared)
    best = max(shared.values())
    floor = best
    for n in range(1, best + 1):
        if sum(1 for c in shared.values() if c >= n) <= limit:
            floor = n
            break
    chosen = sorted(p for p, c in shared.items() if c >= floor)
    if len(chosen) > limit:
        by_gap = sorted(chosen, key=lambda p: abs(len(keys[p]) - len(query)))  # stable
        chosen = sorted(by_gap[:limit])
    return chosen


def _catalog(seed: int, size: int) -> list[str]:
    """Keys from a few letters, some far more often than others, so that some pairs are held
    by more than ``COUNT_BUDGET`` keys (as "an", "er" are) and others by a few."""
    rng = random.Random(seed)
    letters = "aaaaaabbbbccdefgh"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(1, 12))) for _ in range(size)]


KEYS = _catalog(7, 5_000)


@pytest.fixture(scope="module")
def built() -> tuple[GramIndex, dict[tuple[str, str], list[int]]]:
    return GramIndex.build(KEYS), _holders(KEYS)


@pytest.mark.parametrize("every_pair", [False, True])
@pytest.mark.parametrize("limit", [1, 5, 40, 150])
def test_candidates_are_the_counted_tiers(
    built: tuple[GramIndex, dict[tuple[str, str], list[int]]], every_pair: bool, limit: int
) -> None:
    index, holders = built
    assert max(map(len, holders.values())) > COUNT_BUDGET  # common pairs are left out
    rng = random.Random(limit)
    queries = [*KEYS[:30], *(_catalog(rng.randint(0, 10**6), 30)), "zz", "a", "hgfedcba" * 3]
    for query in queries:
        assert index.candidates(query, limit, every_pair=every_pair) == _reference(
            KEYS, query, limit, every_pair, holders
        ), query


@settings(max_examples=60, deadline=None)
@given(
    keys=st.lists(st.text(alphabet="abcde한", min_size=1, max_size=8), min_size=1, max_size=300),
    query=st.text(alphabet="abcdef한", min_size=1, max_size=10),
    limit=st.integers(min_value=1, max_value=30),
    every_pair=st.booleans(),
)
def test_candidates_match_counting_by_hand(
    keys: list[str], query: str, limit: int, every_pair: bool
) -> None:
    index = GramIndex.build(keys)
    assert index.candidates(query, limit, every_pair=every_pair) == _reference(
        keys, query, limit, every_pair
    )


@pytest.mark.parametrize("budget", [0, 500, 3_000])
def test_first_pass_stops_at_its_budget(
    built: tuple[GramIndex, dict[tuple[str, str], list[int]]], budget: int
) -> None:
    """The first pass reads the rarest pairs first and leaves out those past its budget of
    postings (always counting the MIN_COUNTED rarest); the second counts every pair again."""
    index, holders = built
    rng = random.Random(budget)
    queries = [*KEYS[:20], *(_catalog(rng.randint(0, 10**6), 20)), "hgfedcba" * 3]
    cut = 0
    for query in queries:
        tally = index.first_pass(query, budget)
        read = sum(size for size, _, _ in tally.counted)
        assert read <= budget or len(tally.counted) <= MIN_COUNTED, query
        assert int(tally.shared.sum()) == read, query
        assert index.chosen(tally, 40) == _reference(KEYS, query, 40, False, holders, budget)
        wider = index.second_pass(tally, 40)
        assert (wider is None) == (not tally.left_out), query
        if wider is not None:
            assert wider == _reference(KEYS, query, 40, True, holders), query
        cut += any(size <= COUNT_BUDGET for size, _, _ in tally.left_out)
    assert cut  # the budget left out pairs that are not common


def test_gram_index_built_in_pieces_is_the_index_built_at_once() -> None:
    """The build's GIL-holding steps work a piece of keys at a time (a build in a worker
    thread must leave the event loop free): any piece size gives the same index."""
    keys = ["", "a", "secret garden", "비밀의 정원", "ㅂㅣㅁㅣㄹ", "garden", "", "nokdu", "x" * 40]
    keys += [f"title {n} of {n % 7}" for n in range(50)]
    whole = GramIndex.build(keys, piece=len(keys))
    for piece in (1, 2, 3, 7, 64):
        built = GramIndex.build(keys, piece=piece)
        assert built._slots == whole._slots and list(built._slots) == list(whole._slots)
        assert built._flat.tolist() == whole._flat.tolist()
        assert built._lengths.tolist() == whole._lengths.tolist()
        for key in ("garden", "비밀", "title 3", "nokdu"):
            assert built.candidates(key, 5) == whole.candidates(key, 5)
