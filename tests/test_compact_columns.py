"""The catalog's compact forms (shared numbers, columns made into rows on demand, packed
stamps) answer exactly as the plain Python values they replace, on generated inputs."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bot.matching.pieces import SHARED_BELOW, counting, numbers_listed

WHOLE = st.integers(-(1 << 63), (1 << 63) - 1)
SMALL = st.integers(0, SHARED_BELOW - 1)


@given(st.lists(st.one_of(SMALL, WHOLE), max_size=300), st.integers(1, 40))
def test_shared_numbers_are_the_array_listed(values: list[int], piece: int) -> None:
    array = np.array(values, dtype=np.int64)
    found = numbers_listed(array, piece)
    assert found == values
    assert all(type(value) is int for value in found)


@given(st.lists(SMALL, min_size=1, max_size=100))
def test_a_shared_number_is_one_object_in_every_list(values: list[int]) -> None:
    one = numbers_listed(np.array(values, dtype=np.int64))
    other = numbers_listed(np.array(values[::-1], dtype=np.int64))
    assert all(a is b for a, b in zip(one, other[::-1], strict=True))


@given(st.integers(0, 5000))
def test_counting_is_a_range(count: int) -> None:
    assert counting(count) == list(range(count))
