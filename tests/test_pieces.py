"""Big sorts cut into pieces (so a build in a thread leaves the event loop free) give exactly
what the single call gives: the same order, ties included."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.matching.pieces import column, mapped, sorted_in_pieces, unique_in_pieces

ROWS = st.lists(st.tuples(st.integers(0, 12), st.text(max_size=2)), max_size=300)


@given(ROWS, st.integers(1, 40))
def test_sorted_in_pieces_is_the_stable_sort(rows: list[tuple[int, str]], piece: int) -> None:
    for key in (lambda r: r[0], lambda r: (-r[0], r[1]), lambda r: r[1]):
        assert sorted_in_pieces(rows, key, piece) == sorted(rows, key=key)


@given(ROWS, st.integers(1, 40))
def test_unique_and_column_in_pieces(rows: list[tuple[int, str]], piece: int) -> None:
    assert unique_in_pieces(rows, piece) == list(dict.fromkeys(rows))
    assert column(rows, 1, piece) == tuple(r[1] for r in rows)
    assert mapped(repr, rows, piece) == [repr(r) for r in rows]
