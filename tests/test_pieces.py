"""Big sorts cut into pieces (so a build in a thread leaves the event loop free) give exactly
what the single call gives: the same order, ties included."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bot.matching.pieces import (
    SHARDS,
    ShardedIndex,
    column,
    group_spans,
    mapped,
    sorted_in_pieces,
    unique_in_pieces,
)

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


def test_a_sharded_index_finds_what_a_dict_finds_and_no_shard_holds_many() -> None:
    # The keeping's string table at 100,000 cards holds 1.3 million texts: one dict of them
    # grew (rehashing every entry) and was cleared in single calls that held the GIL.
    texts = [f"text {n}" for n in range(200_000)]
    index: ShardedIndex[str | None] = ShardedIndex()
    reference: dict[str | None, int] = {None: -1}
    index.part(None)[None] = -1
    for start in range(0, len(texts), 8192):
        piece = [*texts[start : start + 8192], None, texts[start // 2]]
        got, parts = index.get(piece)
        assert got == [reference.get(text) for text in piece]
        for text, found, part in zip(piece, got, parts, strict=True):
            if found is None and text not in reference:
                part[text] = reference[text] = len(reference)
    assert len(index) == len(reference) == 200_001
    assert index.largest() <= 2 * len(reference) // SHARDS
    assert index.get(texts[::997])[0] == [reference[text] for text in texts[::997]]
    index.clear()
    assert len(index) == 0 and index.get(["text 5", None])[0] == [None, None]
