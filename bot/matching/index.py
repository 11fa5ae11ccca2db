"""Fuzzy name matching: normalizing text, and the index that resolves a query to one id.

One :class:`NameIndex` type serves every lookup (drama titles and actor names), so ``/drama``,
``/cast``, autocomplete and the CLI all resolve the same way.

A resolution is one of three things, in order of preference:

* **match**: one id, only when the evidence is strong (an exact name, a prefix or whole-word
  part that fits exactly one name, or a near spelling with a clear lead over the runner-up);
* **candidates**: a short "did you mean" list when several names fit about equally well;
* **none**: nothing is close enough. A wrong confident answer is worse than either of the
  others, so every threshold below errs toward candidates, and candidates toward none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from typing import Any, NamedTuple

from bot.matching.common_words import warm as warm_common_words
from bot.matching.folding import fold
from bot.matching.names import NameColumns, jamo_forms
from bot.matching.outlets import outlet_key
from bot.matching.packed import ExactKeys, JoinedTexts, PackedLabels, PackedTexts
from bot.matching.people import given_name, spelling_key
from bot.matching.pieces import free_in_slices, mapped, numbered
from bot.matching.postings import GramIndex, WordIndex
from bot.matching.query import NOISE, noise_phrases
from bot.matching.resolution import Kind, Resolution
from bot.matching.resolving import Resolving
from bot.matching.sequels import sequels_by_name
from bot.matching.sorted_keys import SortedKeys
from bot.matching.typed_names import STOPWORDS

__all__ = ["STOPWORDS", "Kind", "NameIndex", "NameKind", "Resolution"]

# ---------------------------------------------------------------------------- the index


class NameKind(StrEnum):
    PRIMARY = "primary"  # the display name
    NATIVE = "native"  # the name in the original script
    ALIAS = "alias"  # another name people type
    EXACT_ONLY = "exact"  # ids, generated initials: matched only when typed exactly


class _Name(NamedTuple):  # (a tuple, made from a :class:`NameTable`'s columns when asked for)
    id: str
    folded: str
    compact: str
    kind: NameKind


#: A name's kind as one letter of ``NameTable.kinds``, and back.
_KIND_LETTERS = {NameKind.PRIMARY: "p", NameKind.NATIVE: "n", NameKind.ALIAS: "a"}
_KINDS_BY_LETTER = {letter: kind for kind, letter in _KIND_LETTERS.items()}
# (a build writes each kind's letter as its value's first letter: ``NameColumns``)
if any(kind[0] != letter for kind, letter in _KIND_LETTERS.items()):  # pragma: no cover
    raise AssertionError("a kind's letter is not its value's first")


class NameTable:
    """An index's fuzzy-matchable names as columns: ids, folded forms (one buffer: a
    :class:`PackedTexts`, decoded when read), compact forms (one joined text: a
    :class:`JoinedTexts`, a slice when read), and every name's kind as one letter of one
    string. A name's :class:`_Name` is made when asked for (a few hundred per query), so a
    catalog holds no tuple per name (a quarter of a million at 100,000 cards, each a small
    object that could pin an allocator arena past the catalog's life), nor a string per folded
    or compact form."""

    __slots__ = ("compact", "folded", "ids", "kinds")

    def __init__(
        self,
        ids: list[str] | None = None,
        folded: PackedTexts | None = None,
        compact: JoinedTexts | None = None,
        kinds: str = "",
    ) -> None:
        self.ids: list[str] = ids or []
        self.folded: PackedTexts = folded if folded is not None else PackedTexts()
        self.compact: JoinedTexts = compact if compact is not None else JoinedTexts()
        self.kinds = kinds
        if not len(self.ids) == len(self.folded) == len(self.compact) == len(kinds):
            raise ValueError("a name table's columns differ in length")

    @classmethod
    def of(cls, names: list[_Name]) -> NameTable:
        """The table of ``names`` (in that order)."""
        letters = _KIND_LETTERS
        return cls(
            mapped(itemgetter(0), names),
            PackedTexts(mapped(itemgetter(1), names)),
            JoinedTexts(mapped(itemgetter(2), names)),
            "".join(mapped(letters.__getitem__, mapped(itemgetter(3), names))),
        )

    def __getitem__(self, position: int) -> _Name:
        return tuple.__new__(  # type: ignore[no-any-return]
            _Name,
            (
                self.ids[position],
                self.folded[position],
                self.compact[position],
                _KINDS_BY_LETTER[self.kinds[position]],
            ),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[_Name]:
        return map(self.__getitem__, range(len(self.ids)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NameTable):
            return NotImplemented
        return (self.ids, self.folded, self.compact, self.kinds) == (
            other.ids,
            other.folded,
            other.compact,
            other.kinds,
        )

    __hash__ = None  # type: ignore[assignment]  # (mutable columns, as a list's)

    def __repr__(self) -> str:
        return f"NameTable({len(self.ids)} names)"


@dataclass(slots=True)
class NameIndex(Resolving):
    """Names (with aliases) of a set of ids, indexed for resolving and autocomplete.

    Build it once per catalog; every query afterwards is answered from memory, and no query
    scans every name: exact names are a dict, prefixes a bisection in sorted keys, words and
    letter pairs inverted indexes that hand at most a few hundred names to the fuzzy scorers.
    ``labels`` maps each id to how it is displayed, ``order`` gives ids in display order
    (autocomplete with an empty query lists them in that order), ``years`` (optional) lets a
    trailing year in a query pick between same-named entries.
    """

    labels: Mapping[str, str]  # (PackedLabels for a catalog's titles)
    order: list[str]
    years: dict[str, int] = field(default_factory=dict)
    # Key -> its id, or its ids in display order when several share it (most keys have one:
    # a bare string saves a list per key, 25 MB at 100,000 cards).
    # (held as ``ExactKeys``' columns: no string per key)
    _exact: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    # Names that can match fuzzily, shortest compact form first (ties in display order), so
    # that ascending positions are best-covered first; and their Hangul-split compact forms
    # (one joined text: a pool of them is read per query, a slice each; no string per name).
    _names: NameTable = field(default_factory=NameTable)
    _jamo_keys: JoinedTexts = field(default_factory=JoinedTexts)
    _grams: GramIndex = field(default_factory=lambda: GramIndex.build([]))
    _words: WordIndex = field(default_factory=lambda: WordIndex.build([]))
    _starts: SortedKeys = field(default_factory=SortedKeys)  # whole names
    _word_starts: SortedKeys = field(default_factory=SortedKeys)  # from 2nd, 3rd... word on
    _positions: dict[str, int] = field(default_factory=dict)
    # People's names: spelling-folded whole names and given names -> ids.
    people: bool = False
    _spellings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _given: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Seasons: id -> (the first season's id, season number); first season's id -> its seasons.
    _series: dict[str, tuple[str, int]] = field(default_factory=dict)
    _seasons: dict[str, dict[int, str]] = field(default_factory=dict)
    _noise: frozenset[str] = NOISE
    # id -> its display name, folded (one buffer: ``PackedLabels``)
    _primary: Mapping[str, str] = field(default_factory=PackedLabels)
    # id -> where it aired and streams (keys of :func:`outlet_key`), for the ids whose cards say.
    _outlets: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        entries: Iterable[tuple[str, str, NameKind]],
        labels: Mapping[str, str],
        order: list[str],
        years: dict[str, int] | None = None,
        *,
        people: bool = False,
        seasons: dict[str, tuple[str, int]] | None = None,
        services: Iterable[str] = (),
        outlets: dict[str, Iterable[str]] | None = None,
    ) -> NameIndex:
        """``people``: the names are people's (spelling variants, name order, and the rule
        that one syllable more is another person apply). ``seasons``: id -> (id of the
        first season, season number) for the ids that are one season of a longer drama.
        ``services``: networks and streaming services, words around a title, not in it.
        ``outlets``: id -> the networks and services it aired or streams on ("black knight
        netflix" is not a KBS2 drama)."""
        index = cls(labels=labels, order=order, years=years or {}, people=people)
        # (the numbers shared by every catalog: ``counting``)
        index._positions = positions = numbered(order)
        index._series = dict(seasons or {})
        index._noise = noise_phrases(frozenset(fold(s) for s in services) - {""})
        # One copy of each text and set the index holds more than once (a word ending many
        # titles, the same networks and services on many cards): a third of its memory.
        shared: dict[object, object] = {}
        # Most cards name one of a few dozen networks and services: each distinct list is
        # folded once, and its ids share one set.
        outlet_sets: dict[tuple[str, ...], frozenset[str]] = {}
        for id_, names in (outlets or {}).items():
            named = tuple(names)
            keys = outlet_sets.get(named)
            if keys is None:
                keys = frozenset(outlet_key(n) for n in named if n) - {""}
                keys = outlet_sets[named] = shared.setdefault(keys, keys)  # type: ignore[assignment]
            if keys:
                index._outlets[id_] = keys
        # The entries as columns, each step a C call over a piece of them (``bot.matching.
        # names``): no Python code per name but folding it (the title index's half million
        # names were a Python loop of a dozen steps each, then as many more in sorting,
        # pairing and hashing them: most of a cold load's build thread).
        # (the members as locals: an enum member looked up on its class costs 0.17 µs)
        exact_only, display = NameKind.EXACT_ONLY, NameKind.PRIMARY
        columns = NameColumns.of(entries, shared)
        exact, shared_keys = columns.exact_ids()
        fuzzy = columns.without(exact_only)
        primary = fuzzy.first_of_kind(display) if not people else {}
        if len(fuzzy) and not people:
            # Its word list loads here, off the event loop (an empty index, made on the loop
            # before the first load, never needs it).
            warm_common_words()
        unknown = len(positions)
        # (in place: a copy of the whole dict cost more than these few keys)
        for key in shared_keys:
            exact[key] = index._ordered(exact[key])
        index._exact = ExactKeys(exact)
        exact.clear()
        # Shortest compact form first, ties in display order (then as given).
        names = fuzzy.sorted_by_length(positions, unknown)
        index._names = NameTable(
            names.ids, PackedTexts(names.folded), JoinedTexts(names.keys), names.kind_letters()
        )
        jamo_keys = jamo_forms(names.keys)
        index._grams = GramIndex.build(jamo_keys)
        index._jamo_keys = JoinedTexts(jamo_keys)
        words = mapped(str.split, names.folded)
        index._words = WordIndex.build(words)
        prefix_pairs, word_pairs = names.key_pairs(display, shared, words)
        index._primary = PackedLabels(primary)
        if not people:
            index._series.update(sequels_by_name(primary, index._series))
            for id_, (first, number) in sorted(index._series.items(), key=lambda i: i[1][1]):
                index._seasons.setdefault(first, {})[number] = id_
        index._starts = SortedKeys.of(prefix_pairs)
        index._word_starts = SortedKeys.of(word_pairs)
        if people:
            spellings, given = mapped(spelling_key, names.folded), mapped(given_name, names.folded)
            index._spellings = _grouped(zip(spellings, names.ids, strict=True))
            index._given = _grouped(zip(given, names.ids, strict=True))
        # Their pairs (half a million tuples at 100,000 cards) die a slice per C call: freed
        # with this frame, they held the GIL in one go (a cold load's event-loop stall).
        # (so do the names' columns: the index keeps them as ``NameTable``'s buffers)
        free_in_slices(prefix_pairs, word_pairs, jamo_keys, words)
        free_in_slices(names.folded, names.keys, names.kinds)  # (the table holds ``names.ids``)
        columns.free()
        fuzzy.free()
        # The shared texts (hundreds of thousands of entries, their texts kept by the index)
        # are let go in one call, not with this frame.
        shared.clear()
        return index

    # -- resolving ----------------------------------------------------------------------

    # -- seasons ------------------------------------------------------------------------

    # -- people -------------------------------------------------------------------------

    # -- the stages shared by titles and people -----------------------------------------

    # -- autocomplete -------------------------------------------------------------------


class IdGroups(Mapping[str, tuple[str, ...]]):
    """Keys to their ids as a dict whose value is the id itself where a key has one (most do),
    a tuple where it has several: no tuple per key (a small object each, 50,000 at 100,000
    cards; branch ``rss15``). Read as the plain mapping of tuples (compared as one, too)."""

    __slots__ = ("_groups",)

    def __init__(self, groups: dict[str, str | tuple[str, ...]] | None = None) -> None:
        self._groups = groups if groups is not None else {}

    def __getitem__(self, key: str) -> tuple[str, ...]:
        found = self._groups[key]
        return (found,) if type(found) is str else found  # type: ignore[return-value]

    def get(self, key: str, default: Any = None) -> Any:
        found = self._groups.get(key)
        if found is None:
            return default
        return (found,) if type(found) is str else found

    def __contains__(self, key: object) -> bool:
        return key in self._groups

    def __iter__(self) -> Iterator[str]:
        return iter(self._groups)

    def __len__(self) -> int:
        return len(self._groups)

    def __repr__(self) -> str:
        return f"IdGroups({len(self._groups)} keys)"


def _grouped(pairs: Iterable[tuple[str, str]]) -> IdGroups:
    groups: dict[str, dict[str, None]] = {}
    for key, id_ in pairs:
        if key:
            groups.setdefault(key, {})[id_] = None
    return IdGroups(
        {key: next(iter(ids)) if len(ids) == 1 else tuple(ids) for key, ids in groups.items()}
    )
