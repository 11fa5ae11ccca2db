"""Freeing a replaced catalog a piece at a time (``bot.catalog.heap``): no part of it that
holds more than ``heap.PIECE`` items is freed in one call, frozen parts included. Round 19's
trace of the 100,000-card cold load on jemalloc caught a 26.6 ms hold of the GIL in
``heap._dismantle`` (the release of a replaced catalog): a frozen dataclass (``Facets``: its
slug-to-position and score dicts, an entry per card) was freed whole with the catalog's
shell, in one deallocation (branch ``stall20``). Real cards, a real catalog; not timed."""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest

from bot.bench.synthetic import synthetic_cards
from bot.cards.loader import load_cards
from bot.catalog import heap
from bot.catalog.snapshot import Catalog
from tests.conftest import SHIPPED_CARDS

#: Enough cards that every per-card table of the catalog holds many pieces.
CARDS = 1_500
_OURS = ("bot.catalog", "bot.matching")
_SIZED = (dict, list, set, tuple, frozenset)


def _attributes(value: object) -> list[tuple[str, object]]:
    names: list[str] = []
    for klass in type(value).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    found = [(name, getattr(value, name, None)) for name in names if name != "__weakref__"]
    return found + list(getattr(value, "__dict__", {}).items())


def _big_parts(root: object) -> dict[int, str]:
    """Every dict, list and set of more than ``PIECE`` items (or whose items hold more between
    them) that ``root``'s own objects (the catalog's and the matching's classes, not the
    cards) hold, by id: where it is."""
    found: dict[int, str] = {}
    seen: set[int] = set()
    todo: list[tuple[object, str]] = [(root, "catalog")]
    while todo:
        value, where = todo.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict | list | set | tuple | frozenset):
            items = value.values() if isinstance(value, dict) else value
            held = sum(len(item) for item in items if isinstance(item, _SIZED))
            if isinstance(value, dict | list | set) and max(len(value), held) > heap.PIECE:
                found[id(value)] = where  # (many items, or few holding many between them)
            todo += [(item, f"{where}[]") for item in items if _walked(item)]
        elif type(value).__module__.startswith(_OURS):
            todo += [
                (item, f"{where}.{name}") for name, item in _attributes(value) if _walked(item)
            ]
        del value
    return found


def _walked(value: object) -> bool:
    return isinstance(value, dict | list | set | tuple | frozenset) or type(
        value
    ).__module__.startswith(_OURS)


@pytest.fixture(scope="module")
def cards() -> list[Any]:
    shipped = load_cards(SHIPPED_CARDS).cards
    return [*shipped, *synthetic_cards(CARDS, seed=20, avoid=shipped)]


def test_no_part_of_a_replaced_catalog_holding_many_items_is_freed_in_one_call(
    cards: list[Any],
) -> None:
    with heap.collector_paused():
        catalog = Catalog.build(cards)
    big = _big_parts(catalog)
    assert len(big) >= 20, big  # (the indexes' and facets' tables, an entry per card or name)
    emptied: set[int] = set()
    code = heap._empty.__code__

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code is code:
            emptied.add(id(frame.f_locals["container"]))

    garbage: list[object] = [catalog]
    del catalog
    sys.setprofile(profile)
    try:
        freed = heap.free_in_pieces(garbage)
    finally:
        sys.setprofile(None)
    assert freed > CARDS
    # Each emptied a piece at a time (main: the Facets' per-card dicts, freed whole).
    whole = sorted(where for ident, where in big.items() if ident not in emptied)
    assert whole == [], whole
