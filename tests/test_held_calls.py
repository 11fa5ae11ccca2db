"""A catalog's big tables are made a piece per C call, so a build or a keeping in a worker
thread never holds the GIL (and the event loop) for a whole catalog's worth of work in one
call. A key whose hash is Python code counts the keys one C call hashes: between two of the
catalog code's own lines, at most a piece (branch margin13: these were single calls over
every card, 10 to 33 ms each at 100,000 cards)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from bot.catalog import derived
from bot.catalog.groups import Groups
from bot.matching.packed import PackedLabels, PackedTexts
from bot.matching.pieces import PIECE

BOT = str(Path(derived.__file__).resolve().parent.parent)
COUNT = 3 * PIECE + 5


class Counted(str):
    """A text whose hashing is counted (the longest run of hashes with no line of ``bot``'s
    code run between them: what one C call did)."""

    run = 0
    longest = 0

    def __hash__(self) -> int:
        Counted.run += 1
        Counted.longest = max(Counted.longest, Counted.run)
        return str.__hash__(self)

    def __eq__(self, other: object) -> bool:
        Counted.run += 1
        Counted.longest = max(Counted.longest, Counted.run)
        return str.__eq__(self, other)


@contextmanager
def counting_runs() -> Iterator[None]:
    def trace(frame: FrameType, event: str, arg: object) -> Callable[..., Any] | None:
        if frame.f_code.co_filename.startswith(BOT):
            if event == "line":
                Counted.run = 0
            return trace
        return None

    Counted.run = Counted.longest = 0
    sys.settrace(trace)
    try:
        yield
    finally:
        sys.settrace(None)


def _keys() -> list[str]:
    return [Counted(f"card-{n}") for n in range(COUNT)]


def test_groups_number_their_keys_a_piece_per_call() -> None:
    keys = _keys()
    given = {key: (n, n + 1) for n, key in enumerate(keys)}
    with counting_runs():
        groups = Groups(given)
    assert 0 < Counted.longest <= PIECE
    assert [groups[key] for key in keys] == [(n, n + 1) for n in range(COUNT)]


def test_packed_labels_number_their_ids_a_piece_per_call() -> None:
    keys = _keys()
    given = {key: f"Title {n}" for n, key in enumerate(keys)}
    with counting_runs():
        labels = PackedLabels(given)
    assert 0 < Counted.longest <= PIECE
    assert list(labels) == keys and labels[keys[-1]] == f"Title {COUNT - 1}"


def test_packed_texts_look_for_none_a_piece_per_call() -> None:
    # (``None in`` the whole column compared every text with None in one call)
    texts = _keys()
    with counting_runs():
        packed = PackedTexts(texts)
    assert 0 < Counted.longest <= PIECE
    assert packed.span(0, len(texts)) == texts


def test_the_kept_string_tables_index_is_split_by_hash() -> None:
    # One dict of every text (1.3 million at 100,000 cards) held the GIL 23 to 33 ms each
    # time it grew: the index is SHARDS dicts, a text in the one its hash picks.
    texts: list[str | None] = [f"text {n}" for n in range(20_000)]
    writer = derived._Writer()
    writer.strings([*texts, None, *reversed(texts)])
    assert len(writer.places) == derived.SHARDS
    assert max(map(len, writer.places)) < 2 * len(texts) / derived.SHARDS
    assert writer.table == texts  # (each text once, in the order first met)
    merged: dict[str | None, int] = {}
    for shard in writer.places:
        merged |= shard
    assert merged == {None: -1} | {text: n for n, text in enumerate(texts)}
