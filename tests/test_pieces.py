"""Big sorts cut into pieces (so a build in a thread leaves the event loop free) give exactly
what the single call gives: the same order, ties included."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bot.matching.pieces import column, group_spans, mapped, sorted_in_pieces, unique_in_pieces

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


@given(st.lists(st.integers(0, 50), max_size=200), st.integers(1, 30), st.integers(1, 60))
def test_group_spans_cover_every_group_once_in_bounded_spans(
    lengths: list[int], groups: int, items: int
) -> None:
    spans = group_spans(np.array(lengths, dtype=np.int64), groups, items)
    assert [n for span in spans for n in span] == list(range(len(lengths)))
    for span in spans:
        held = sum(lengths[span.start : span.stop])
        assert len(span) <= groups
        assert held <= 2 * items or len(span) == 1


def test_a_few_groups_of_many_items_are_made_a_bounded_span_at_a_time() -> None:
    # A word index's postings: 20 groups of 100,000 items, one span of groups by count alone.
    lengths = np.full(20, 100_000, dtype=np.int64)
    spans = group_spans(np.concatenate((lengths, np.ones(5, dtype=np.int64))), 16_384, 16_384)
    assert len(spans) == 21 and all(len(span) == 1 for span in spans[:20])
