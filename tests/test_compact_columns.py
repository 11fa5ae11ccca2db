"""The catalog's compact forms (shared numbers, columns made into rows on demand, packed
stamps) answer exactly as the plain Python values they replace, on generated inputs."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bot.cards.loader import FileStamp
from bot.catalog import derived
from bot.catalog.entries import Entry
from bot.catalog.groups import Groups
from bot.catalog.lazy_cards import LazyCards
from bot.matching.index import NameKind, NameTable, _Name
from bot.matching.packed import PackedLabels, PackedTexts
from bot.matching.pieces import SHARED_BELOW, counting, numbers_listed
from tests.catalog_helpers import start_catalog
from tests.conftest import SHIPPED_CARDS

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


def _kept_format(database: Path) -> int:
    with sqlite3.connect(database) as db:
        first = db.execute(
            "SELECT value FROM catalog_meta WHERE key = ?", (f"{derived.META_KEY}.0",)
        ).fetchone()[0]
    at = len(derived.MAGIC)
    return int.from_bytes(bytes(first)[at : at + 2], "little")


def _as_older_format(database: Path) -> None:
    """Make the database's kept catalog say the format before this one (what a database the
    bot before this change kept), with its checksum fitting: only the number tells."""
    with sqlite3.connect(database) as db:
        header = json.loads(
            db.execute(
                "SELECT value FROM catalog_meta WHERE key = ?", (derived.META_KEY,)
            ).fetchone()[0]
        )
        keys = [f"{derived.META_KEY}.{n}" for n in range(header["parts"])]
        parts = [
            bytes(db.execute("SELECT value FROM catalog_meta WHERE key = ?", (k,)).fetchone()[0])
            for k in keys
        ]
        at = len(derived.MAGIC)
        parts[0] = parts[0][:at] + (derived.FORMAT - 1).to_bytes(2, "little") + parts[0][at + 2 :]
        checksum = hashlib.sha256(b"".join(parts)).hexdigest()
        db.execute(
            "UPDATE catalog_meta SET value = ? WHERE key = ?",
            (json.dumps(header | {"sha256": checksum}), derived.META_KEY),
        )
        db.executemany(
            "UPDATE catalog_meta SET value = ? WHERE key = ?", list(zip(parts, keys, strict=True))
        )


async def test_a_catalog_kept_in_the_format_before_is_built_again_and_kept_anew(
    tmp_path: Path,
) -> None:
    database = tmp_path / "bot.sqlite3"
    built = await start_catalog(SHIPPED_CARDS, database)
    assert _kept_format(database) == derived.FORMAT
    _as_older_format(database)
    assert _kept_format(database) == derived.FORMAT - 1
    again = await start_catalog(SHIPPED_CARDS, database)
    assert not isinstance(again.cards, LazyCards)  # built from the cards, not read back
    assert _kept_format(database) == derived.FORMAT  # and kept in this format
    warm = await start_catalog(SHIPPED_CARDS, database)
    assert isinstance(warm.cards, LazyCards)  # read back from what was kept anew
    for catalog in (again, warm):
        assert catalog.facets == built.facets and catalog.actors == built.actors
        assert catalog.titles._names == built.titles._names
        assert [catalog.titles.resolve(card.title) for card in built.cards.values()] == [
            built.titles.resolve(card.title) for card in built.cards.values()
        ]


NAMES = st.lists(
    st.builds(
        lambda id_, folded, compact, kind: tuple.__new__(_Name, (id_, folded, compact, kind)),
        st.text(max_size=6),
        st.text(max_size=12),
        st.text(max_size=12),
        st.sampled_from([NameKind.PRIMARY, NameKind.NATIVE, NameKind.ALIAS]),
    ),
    max_size=120,
)


@given(NAMES)
def test_a_name_table_gives_back_the_names_it_was_made_of(names: list[_Name]) -> None:
    table = NameTable.of(names)
    assert len(table) == len(names)
    assert [table[n] for n in range(len(names))] == names and list(table) == names
    assert all(
        type(table[n]) is _Name and table[n].kind is names[n].kind for n in range(len(names))
    )
    assert table.ids == [name.id for name in names]
    assert table == NameTable.of(list(names)) and (not names or table != NameTable.of(names[1:]))


HEX = st.binary(min_size=32, max_size=32).map(bytes.hex)
TEXTS = st.one_of(HEX, HEX.map(str.upper), st.text(max_size=70))
INT64 = st.integers(-(1 << 63), (1 << 63) - 1)
STAMPS = st.builds(FileStamp, INT64, INT64, st.one_of(st.just(""), HEX, TEXTS))


@given(STAMPS, st.one_of(HEX, TEXTS), STAMPS, st.one_of(HEX, TEXTS))
def test_an_entry_gives_back_the_stamp_and_digest_it_was_given(
    stamp: FileStamp, digest: str, other: FileStamp, other_digest: str
) -> None:
    entry = Entry(None, stamp, digest, ("key", 1))  # type: ignore[arg-type]
    assert entry.stamp == stamp and type(entry.stamp) is FileStamp
    assert entry.digest == digest and entry.mtime_ns == stamp.mtime_ns
    assert entry.key == ("key", 1)
    for theirs in (stamp, other, FileStamp(stamp.size, stamp.mtime_ns)):
        assert entry.same_file(theirs) == stamp.same_file(theirs)
    for their_digest in (digest, other_digest):
        theirs = Entry(None, other, their_digest)  # type: ignore[arg-type]
        assert entry.same_digest(theirs) == (digest == their_digest)
    assert entry == Entry(None, stamp, digest, ("key", 1))  # type: ignore[arg-type]
    assert entry != Entry(None, stamp, digest)  # type: ignore[arg-type]


SLUGS = st.text(min_size=1, max_size=5)


@given(st.dictionaries(SLUGS, st.lists(SLUGS, max_size=6).map(tuple), max_size=60))
def test_groups_answer_as_the_dict_of_tuples(plain: dict[str, tuple[str, ...]]) -> None:
    groups = Groups(plain)
    assert groups == plain and list(groups) == list(plain) and len(groups) == len(plain)
    for key, values in plain.items():
        assert groups[key] == values and type(groups[key]) is tuple and key in groups
    assert groups.get("\0absent", ()) == () and "\0absent" not in groups


PAIRS = st.lists(st.tuples(SLUGS, st.one_of(st.none(), SLUGS)), max_size=5).map(tuple)


@given(st.dictionaries(SLUGS, PAIRS, max_size=60))
def test_groups_of_pairs_answer_as_the_dict_of_pairs(
    plain: dict[str, tuple[tuple[str, str | None], ...]],
) -> None:
    groups = Groups(plain, pairs=True)
    assert groups == plain and list(groups.items()) == list(plain.items())


@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=80), st.data())
def test_packed_texts_give_back_the_texts(texts: list[str | None], data: st.DataObject) -> None:
    packed = PackedTexts(texts)
    assert len(packed) == len(texts) and packed.span(0, len(texts)) == texts
    assert [packed[n] for n in range(len(texts))] == texts
    start = data.draw(st.integers(0, len(texts)))
    end = data.draw(st.integers(start, len(texts)))
    assert packed.span(start, end) == texts[start:end]
    assert packed == PackedTexts(list(texts))


@given(st.dictionaries(SLUGS, st.text(max_size=12), max_size=60))
def test_packed_labels_answer_as_the_dict(plain: dict[str, str]) -> None:
    labels = PackedLabels(plain)
    assert labels == plain and list(labels.items()) == list(plain.items())
    assert all(labels[key] == text and labels.get(key) == text for key, text in plain.items())
    assert labels.get("\0absent", "none") == "none" and "\0absent" not in labels
