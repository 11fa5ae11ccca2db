"""An index's names as columns while it is built: each step a C call over a piece of them.

:meth:`bot.matching.index.NameIndex.build` turns (id, name, kind) entries into the index's
parts: folded and compact forms, the exact keys' ids, the fuzzy names sorted shortest first,
their Hangul-split forms and the (key, id, tier) pairs the prefix look-ups sort. Done by a
Python loop per name, that was a dozen steps each for the title index's half million names
at 100,000 cards, most of a cold load's build thread (branch ``cold20``). Here every step but
folding a name (``fold``, one call each) is ``map``, ``compress``, ``zip`` or numpy over a
piece of ``PIECE`` names: no Python code runs per name, and no C call holds the GIL for more
than a piece.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, compress, filterfalse, islice, repeat
from operator import getitem, is_, is_not, itemgetter, methodcaller, ne, not_
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.cards.turns import pass_turn
from bot.matching.folding import fold, jamo
from bot.matching.pieces import PIECE, free_in_slices, listed, mapped

_ID, _TEXT, _KIND = itemgetter(0), itemgetter(1), itemgetter(2)
_NO_SPACES = methodcaller("replace", " ", "")
_PLUS_TWO = (2).__add__


def _in_pieces(items: Iterable[Any]) -> list[Any]:
    """``list(items)``, a piece at a time."""
    found: list[Any] = []
    items = iter(items)
    while True:
        before = len(found)
        found += islice(items, PIECE)
        if len(found) - before < PIECE:
            return found
        pass_turn()


def _is_not(values: list[Any], kind: Any) -> list[bool]:
    """Whether each of ``values`` is not ``kind`` (by identity), a piece at a time."""
    found: list[bool] = []
    for start in range(0, len(values), PIECE):
        found += map(is_not, values[start : start + PIECE], repeat(kind))
        pass_turn()
    return found


def _kept(values: list[Any], mask: Sequence[bool]) -> list[Any]:
    """The ``values`` whose ``mask`` is true, a piece at a time."""
    found: list[Any] = []
    for start in range(0, len(values), PIECE):
        found += compress(values[start : start + PIECE], mask[start : start + PIECE])
        pass_turn()
    return found


def jamo_forms(keys: Sequence[str]) -> list[str]:
    """Each key as it is when ASCII, else split into jamo (:func:`jamo`): each distinct
    non-ASCII key split once, its form shared by the keys equal to it."""
    split: dict[str, str] = {}
    forms: list[str] = []
    for start in range(0, len(keys), PIECE):
        part = keys[start : start + PIECE]
        others = dict.fromkeys(compress(part, map(not_, map(str.isascii, part))))
        new = list(filterfalse(split.__contains__, others))
        split.update(zip(new, map(jamo, new), strict=True))
        forms += map(split.get, part, part)
        pass_turn()
    return forms


class NameColumns:
    """Names as four columns of the same length: ids, folded forms, compact forms (the
    folded form without spaces: the exact keys) and kinds (``NameKind`` members)."""

    __slots__ = ("folded", "ids", "keys", "kinds")

    def __init__(
        self, ids: list[str], folded: list[str], keys: list[str], kinds: list[Any]
    ) -> None:
        self.ids, self.folded, self.keys, self.kinds = ids, folded, keys, kinds

    @classmethod
    def of(cls, entries: Iterable[tuple[str, str, Any]], shared: dict[Any, Any]) -> NameColumns:
        """The entries' names folded, each text one copy in ``shared`` (a folded form and a
        compact one equal to a text already there are that text); names whose compact form
        is empty (nothing but punctuation) left out."""
        rows = _in_pieces(entries)
        ids, texts, kinds = mapped(_ID, rows), mapped(_TEXT, rows), mapped(_KIND, rows)
        free_in_slices(rows)
        folded: list[str] = []
        keys: list[str] = []
        for start in range(0, len(texts), PIECE):
            part = list(map(fold, texts[start : start + PIECE]))
            part = list(map(shared.setdefault, part, part))
            folded += part
            # (a one-word name's compact form is its folded text itself: ``replace`` gives it)
            squeezed = list(map(_NO_SPACES, part))
            keys += map(shared.setdefault, squeezed, squeezed)
            pass_turn()
        free_in_slices(texts)
        columns = cls(ids, folded, keys, kinds)
        if all(keys):
            return columns
        return columns.taken(mapped(bool, keys))

    def taken(self, mask: Sequence[bool]) -> NameColumns:
        """The names whose ``mask`` is true, in order."""
        return NameColumns(
            _kept(self.ids, mask),
            _kept(self.folded, mask),
            _kept(self.keys, mask),
            _kept(self.kinds, mask),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def exact_ids(self) -> tuple[dict[str, Any], list[str]]:
        """Each compact form (in the order first met) -> the id of its first name, or the
        list of its names' distinct ids in the order met when they are several; and the keys
        that have several."""
        exact: dict[str, Any] = {}
        keys, ids = self.keys, self.ids
        for start in range(0, len(keys), PIECE):
            deque(map(exact.setdefault, keys[start : start + PIECE], ids[start : start + PIECE]), 0)
            pass_turn()
        # The names whose key's first id is another: the few keys several ids share.
        others: list[tuple[str, str]] = []
        for start in range(0, len(keys), PIECE):
            part, part_ids = keys[start : start + PIECE], ids[start : start + PIECE]
            differ = map(ne, map(exact.__getitem__, part), part_ids)
            others += compress(zip(part, part_ids, strict=True), differ)
            pass_turn()
        shared_keys: list[str] = []
        for key, id_ in dict.fromkeys(others):
            known = exact[key]
            if type(known) is str:
                exact[key] = [known, id_]
                shared_keys.append(key)
            else:
                known.append(id_)
        return exact, shared_keys

    def without(self, kind: Any) -> NameColumns:
        """The names of every kind but ``kind``."""
        return self.taken(_is_not(self.kinds, kind))

    def first_of_kind(self, kind: Any) -> dict[str, str]:
        """Id -> the folded form of its first name of ``kind``, in the order first met."""
        found: dict[str, str] = {}
        for start in range(0, len(self.ids), PIECE):
            mask = list(map(is_, self.kinds[start : start + PIECE], repeat(kind)))
            deque(
                map(
                    found.setdefault,
                    compress(self.ids[start : start + PIECE], mask),
                    compress(self.folded[start : start + PIECE], mask),
                ),
                0,
            )
            pass_turn()
        return found

    def sorted_by_length(self, positions: Mapping[str, int], unknown: int) -> NameColumns:
        """The names shortest compact form first, ties by the id's position (``unknown``
        for an id without one), then as they are: ``sorted``'s stable order, by numpy (which
        lets the GIL go while it sorts)."""
        count = len(self.ids)
        lengths = np.empty(count, dtype=np.int64)
        places = np.empty(count, dtype=np.int64)
        for start in range(0, count, PIECE):
            keys, ids = self.keys[start : start + PIECE], self.ids[start : start + PIECE]
            lengths[start : start + len(keys)] = np.fromiter(
                map(len, keys), dtype=np.int64, count=len(keys)
            )
            places[start : start + len(ids)] = np.fromiter(
                map(positions.get, ids, repeat(unknown)), dtype=np.int64, count=len(ids)
            )
            pass_turn()
        shift = max(unknown, int(places.max(initial=0))).bit_length()
        if int(lengths.max(initial=0)).bit_length() + shift > 62:  # (never for real names)
            order = np.lexsort((places, lengths))
        else:
            order = np.argsort((lengths << shift) | places, kind="stable")
        at = listed(order)
        return NameColumns(
            mapped(self.ids.__getitem__, at),
            mapped(self.folded.__getitem__, at),
            mapped(self.keys.__getitem__, at),
            mapped(self.kinds.__getitem__, at),
        )

    def kind_letters(self) -> str:
        """Each name's kind as the first letter of its value (``NameKind`` members are
        texts), one string."""
        return "".join(mapped(_ID, self.kinds))

    def key_pairs(
        self, display: Any, shared: dict[Any, Any], words: list[list[str]]
    ) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
        """(compact form, id, tier) of every name, tier 0 for a ``display`` name and 1 for
        another; and the same for the compact form from each name's 2nd, 3rd... word on,
        tiers 2 and 3 (a slice of the compact form: the folded form's ``words`` are it with
        one space between each), each tail one copy in ``shared``. Where each tail starts is
        worked out by numpy from the words' lengths; the slices are made by ``map``."""
        tiers = mapped(int, _is_not(self.kinds, display))
        prefix_pairs: list[tuple[str, str, int]] = []
        for start in range(0, len(self.ids), PIECE):
            end = start + PIECE
            prefix_pairs += zip(
                self.keys[start:end], self.ids[start:end], tiers[start:end], strict=True
            )
            pass_turn()
        sizes = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        lengths: list[npt.NDArray[np.int64]] = []
        for start in range(0, len(words), PIECE):
            flat = list(chain.from_iterable(words[start : start + PIECE]))
            lengths.append(np.fromiter(map(len, flat), dtype=np.int64, count=len(flat)))
            pass_turn()
        every = np.cumsum(np.concatenate([np.zeros(0, dtype=np.int64), *lengths]))
        firsts = np.cumsum(sizes) - sizes
        # Each word's end within its name's compact form; a name's last word starts no tail.
        ends = every - np.repeat(np.concatenate(([0], every))[firsts], sizes)
        owner = np.repeat(np.arange(len(words), dtype=np.int64), sizes)
        starting = np.ones(len(every), dtype=bool)
        starting[(firsts + sizes - 1)[sizes > 0]] = False
        owners, offsets = listed(owner[starting]), listed(ends[starting])
        word_pairs: list[tuple[str, str, int]] = []
        for start in range(0, len(owners), PIECE):
            mine = owners[start : start + PIECE]
            cuts = map(slice, offsets[start : start + PIECE], repeat(None))
            tails = list(map(getitem, map(self.keys.__getitem__, mine), cuts))
            word_pairs += zip(
                map(shared.setdefault, tails, tails),
                map(self.ids.__getitem__, mine),
                map(_PLUS_TWO, map(tiers.__getitem__, mine)),
                strict=True,
            )
            pass_turn()
        free_in_slices(tiers, owners, offsets)
        return prefix_pairs, word_pairs

    def free(self) -> None:
        """The columns emptied a piece at a time (their texts live on in the index)."""
        free_in_slices(self.ids, self.folded, self.keys, self.kinds)
