"""The kept catalog's string table (``bot.catalog.string_table``): each value's place and the
table are those of their plain definition (a dict of the texts met so far), whatever the
hashes the texts are grouped by, colliding ones included; and a catalog kept with it reads
back as the one built."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cards.loader import load_cards
from bot.catalog import derived
from bot.catalog.snapshot import Catalog
from bot.catalog.string_table import PIECE, placed
from tests.conftest import SHIPPED_CARDS


def _plain(values: list[str | None]) -> tuple[list[int], list[str]]:
    """Each value's place (None: -1) and the table of distinct texts in the order first met."""
    places: dict[str, int] = {}
    codes = []
    for value in values:
        if value is None:
            codes.append(-1)
        else:
            codes.append(places.setdefault(value, len(places)))
    return codes, list(places)


def _check(values: list[str | None], key: Callable[[str | None], int] = hash) -> None:
    codes, table = placed(values, key)
    assert codes.dtype.str == "<i4"
    found = [table[code] if code >= 0 else None for code in codes.tolist()]
    assert found == values
    assert len(table) == len(set(table))
    if key is hash:  # (no collision: exactly the plain definition, the order first met too)
        assert (codes.tolist(), table) == _plain(values)


_TEXTS = st.lists(st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["a", "b", "ab"])))


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_places_are_those_of_the_plain_definition(values: list[str | None]) -> None:
    _check(values)


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_texts_whose_hashes_collide_each_get_a_place_of_their_own(
    values: list[str | None],
) -> None:
    """Grouped by length, or all by one number: every text still has its own place."""
    _check(values, lambda text: len(text or ""))
    _check(values, lambda text: 0)


def test_many_values_over_several_pieces() -> None:
    """More values than a piece holds, texts met again across pieces, Nones among them."""
    values: list[str | None] = [
        None if n % 7 == 0 else f"text {n % 5_003}" for n in range(3 * PIECE + 11)
    ]
    _check(values)
    _check(values, lambda text: hash(text) % 97)


def test_no_values() -> None:
    codes, table = placed([])
    assert codes.tolist() == [] and table == []
    codes, table = placed([None, None])
    assert codes.tolist() == [-1, -1] and table == []


def test_a_kept_catalog_reads_back_as_the_build() -> None:
    """The shipped cards' catalog kept and read back: the same titles and actors' names (what
    the reading makes of the string table's places; tests/test_kept_catalog.py: the same
    answers after a warm start)."""
    catalog = Catalog.build(load_cards(SHIPPED_CARDS).cards)
    head, parts = derived.encode("print", catalog)
    found = derived.header(head, "print")
    assert found is not None
    built = derived.decode(parts, found[1])
    assert built is not None
    again = Catalog.assembled(catalog.cards, built)
    assert again is not None
    assert again.titles.order == catalog.titles.order
    assert again.actor_names.order == catalog.actor_names.order
