"""The kept catalog's string table (``bot.catalog.derived``): its index is several dicts of
at most ``INDEX_CAP`` texts each (one dict of every text grew in one long call). Whatever the
cap, each column's places and the table are those of the plain definition: every distinct
text once, at the place it was first met; None at -1."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cards.loader import load_cards
from bot.catalog import derived
from bot.catalog.snapshot import Catalog
from tests.conftest import SHIPPED_CARDS

texts = st.one_of(st.none(), st.sampled_from(["a", "b", "", "드라마", "a b"]), st.text(max_size=3))
columns = st.lists(st.lists(texts, max_size=40), max_size=6)


def _plain(columns: list[list[str | None]]) -> tuple[list[str], list[list[int]]]:
    table: list[str] = []
    places: list[list[int]] = []
    for column in columns:
        codes = []
        for text in column:
            if text is None:
                codes.append(-1)
                continue
            if text not in table:
                table.append(text)
            codes.append(table.index(text))
        places.append(codes)
    return table, places


def _written(columns: list[list[str | None]], cap: int) -> tuple[list[str], list[list[int]]]:
    writer = derived._Writer()
    writer.cap = cap
    places = []
    for column in columns:
        offset, length = writer.strings(column)
        data = b"".join(writer.blobs)[offset : offset + length]
        places.append(np.frombuffer(data, "<i4").tolist())
    return writer.table, places


@settings(max_examples=200, deadline=None)
@given(columns=columns, cap=st.integers(min_value=1, max_value=6))
def test_places_and_table_are_the_plain_definitions(
    columns: list[list[str | None]], cap: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(derived, "PIECE", 7)  # (several pieces a column, a text new in two)
        written = _written(columns, cap)
    assert written == _plain(columns)


def test_a_catalog_is_kept_the_same_whatever_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = Catalog.build(load_cards(SHIPPED_CARDS).cards)
    head, parts = derived.encode("print", catalog)
    with monkeypatch.context() as patch:
        patch.setattr(derived, "INDEX_CAP", 5)  # (hundreds of dicts)
        small_head, small_parts = derived.encode("print", catalog)
    assert small_parts == parts and small_head == head
    built = derived.decode(small_parts, json.loads(small_head)["sha256"])
    assert built is not None
    assert built["titles"]._names == catalog.titles._names
