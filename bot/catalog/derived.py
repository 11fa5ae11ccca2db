"""What a catalog build makes from the cards, kept in the database, so a restart with unchanged
cards does not build it again (at 100,000 cards: 8 s of building against about 1 s of reading).

Kept: the title and actor indexes, the actors, the browse facets and the computed similarity,
as *columns*: every value is written as part of a column of values of one shape (a column of
strings is an array of places in one string table, a column of numbers an array, a column of
tuples their lengths and one column of all their items, a column of named tuples one column
per field, a column of dicts their lengths, keys and values...). Reading makes each column's
values with C-level calls over a piece of it at a time (``map``, ``zip``, ``tuple.__new__``,
slicing), never a Python call per value and never a pickle memo: no single call holds the GIL
long enough to stall the event loop, and nothing is left to free in one call at the end. The
string table holds each distinct text once, in the order first met, so the strings a catalog
read back holds lie together in memory. It does not refer to the cards (format 5 took its
first texts from them): a warm start reads it without making the cards, which are made when
first asked for (``bot.catalog.lazy_cards``). Objects held in several places of one column (the
outlet sets most titles share) are written once and stay shared.

It is used only when its *fingerprint* is the current one: a hash of every card's slug and
digest and of the source code that builds a catalog, so an edited card or an upgraded bot never
reads indexes built for something else. Its SHA-256 is checked before it is read, its format
number must be this code's, and reading it may only make strings, numbers, numeric arrays, the
built-in containers and the classes a catalog is made of (named in ``_ROW_CLASSES``, ``_ENUMS``
and ``_SPLIT``): there is no pickle, so damage or a planted part cannot run code. Anything
unexpected means it is not used: it is a cache, built again when in doubt.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import importlib
import json
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, islice, repeat
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
import numpy as np

from bot.matching.pieces import free_in_slices, group_spans, listed, mapped, numbers_listed

if TYPE_CHECKING:
    from bot.catalog.known_texts import KnownTexts

#: The ``catalog_meta`` key of the header; the parts are ``built.0``, ``built.1``, ...
META_KEY = "built"
PART_BYTES = 4 << 20
#: Values made (read) or looked at (written) per call: each call holds the GIL. (8,192: a
#: piece's arrays and lists, 64 KiB of pointers, stay under the allocator's threshold for a
#: memory map of their own (``heap.MMAP_THRESHOLD``): at 16,384 every piece's temporaries
#: were mapped and unmapped, 28,000 more page faults reading 100,000 cards.)
PIECE = 1 << 13
#: Bytes of a numeric array copied per call at most (written and read back).
BYTES_PIECE = 1 << 18
#: Characters of text hashed, encoded or decoded per call at most (a longer text alone).
TEXT_PIECE = 1 << 17
#: The string table's index of places is this many dicts, a text in the one its hash picks:
#: at 100,000 cards each holds about 20,000 texts, and growing one rehashes at most that many.
SHARDS = 64
#: The parts of a catalog that are kept (the cards themselves are in the cards table).
FIELDS = ("titles", "actors", "actor_names", "facets", "_listed", "_computed")
#: What the stream starts with; the format number follows it (an older one is built again).
MAGIC = b"drama-bot kept catalog\n"
FORMAT = 8  # (7: names, picks, roles, labels as columns, numbers shared: branch compact10;
#   8: packed texts as a bytes buffer and an array of ends, names' folded and split forms
#   among them: branch cols11)

_PACKAGE = Path(__file__).resolve().parent.parent
# The code that builds what is kept: a change in any of these makes the kept parts stale.
_SOURCE_FOLDERS = ("catalog", "matching", "cards")
_SOURCES = ("text.py",)

# Named tuples kept by the hundred thousand: a column per field, made again with
# ``tuple.__new__`` in C. (None since format 7: the indexes' names are a NameTable's columns,
# actors and credits an ActorTable's.)
_ROW_CLASSES: set[str] = set()
# Enumerations kept: each member by its value.
_ENUMS = {"bot.matching.index:NameKind"}
# Classes kept field by field (``__slots__``), made with ``object.__new__``: no ``__init__``.
_SPLIT = {
    "bot.matching.index:NameIndex",
    "bot.matching.index:NameTable",
    "bot.matching.sorted_keys:SortedKeys",
    "bot.matching.postings:GramIndex",
    "bot.matching.postings:WordIndex",
    "bot.catalog.facets:Facets",
    "bot.catalog.snapshot:ActorTable",
    "bot.catalog.groups:Groups",
    "bot.matching.packed:PackedTexts",
    "bot.matching.packed:PackedLabels",
    "bot.matching.packed:JoinedTexts",
    "bot.matching.index:IdGroups",
    "bot.matching.packed:ExactKeys",
}
# Containers kept as their lengths and one column of their items (a dict: keys and values).
_CONTAINERS: dict[str, Any] = {"tuple": tuple, "list": list, "frozenset": frozenset, "set": set}
_CONTAINER_NAMES = {kind: name for name, kind in _CONTAINERS.items()}
_STRINGS = msgspec.msgpack.Decoder(list[str])
#: The key under which a start's reading ahead hands over the texts the fields hold (not a
#: field: taken out before the catalog is assembled).
TEXTS = "texts"
#: References to a table's text while ``_Reader.held_texts`` looks at it: the table, its
#: array, the piece, the comprehension's name and ``sys.getrefcount``'s argument.
_READER_HOLDS = 5
_MANIFEST = msgspec.msgpack.Decoder(dict[str, Any])


@functools.cache
def code_version() -> str:
    """A hash of the source files that build a catalog (read once per process)."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    paths = [_PACKAGE / name for name in _SOURCES]
    for folder in _SOURCE_FOLDERS:
        paths += sorted((_PACKAGE / folder).glob("*.py"))
    for path in paths:
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


#: A fingerprint is a sum modulo this of one hash per card (and one of the code).
_PRINT_MODULUS = 1 << 256


def fingerprint(digests: Iterable[tuple[str, str]]) -> str:
    """What the kept parts must have been built from: every ``(slug, card digest)`` and the
    code. A sum of one hash per card, in any order (no sort), so a few cards changed change it
    by a few terms (:func:`fingerprint_edited`); pure CPU work: run it off the event loop."""
    return fingerprint_of_sum(fingerprint_sum(digests))


def fingerprint_sum(digests: Iterable[tuple[str, str]]) -> int:
    """The cards' part of a fingerprint: add the sums of pieces, then :func:`fingerprint_of_sum`."""
    return sum(map(_card_term, digests))


def fingerprint_of_sum(total: int) -> str:
    return _hex(_code_term() + total)


def fingerprint_edited(
    print_: str, gone: Iterable[tuple[str, str]], came: Iterable[tuple[str, str]]
) -> str:
    """The fingerprint of the cards of ``print_`` without ``gone`` and with ``came``: a term
    per card, whatever the catalog's size (an in-place edit's keeping)."""
    return _hex(int(print_, 16) - fingerprint_sum(gone) + fingerprint_sum(came))


def _card_term(pair: tuple[str, str]) -> int:
    slug, card_digest = pair
    return int.from_bytes(hashlib.sha256(f"{slug}\0{card_digest}\n".encode()).digest(), "big")


@functools.cache
def _code_term() -> int:
    return int(code_version(), 16)


def _hex(total: int) -> str:
    return f"{total % _PRINT_MODULUS:064x}"


# -- writing -----------------------------------------------------------------------------


def encode(print_: str, catalog: Any) -> tuple[str, list[bytes]]:
    """The header (JSON) and the parts that keep ``catalog``'s built fields. Pure CPU work,
    in pieces: run it in a worker thread."""
    writer = _Writer()
    fields = {name: writer.column([getattr(catalog, name)]) for name in FIELDS}
    extra = writer.table[writer.texts :]
    table = [
        [writer.blob(msgspec.msgpack.encode(piece)), len(piece)]
        for piece in map(extra.__getitem__, _spans(extra))
    ]
    manifest = msgspec.msgpack.encode(
        {"format": FORMAT, "texts": writer.texts, "table": table, "fields": fields}
    )
    lead = MAGIC + FORMAT.to_bytes(2, "little") + len(manifest).to_bytes(8, "little")
    parts = _cut([lead, manifest, *writer.blobs])
    checksum = hashlib.sha256()
    for part in parts:
        checksum.update(part)
    header = {"fingerprint": print_, "parts": len(parts), "sha256": checksum.hexdigest()}
    # The string table (1.3 million texts at 100,000 cards, twice) dies a slice per C call;
    # freed with this frame, it and the index of it held the GIL for about 80 ms in one go.
    # The index is cleared a shard per call (one dict of every text: 35 ms of CPU at load
    # 18; 67 ms while each entry's number was an object of its own, see ``_Writer.ints``):
    # a dict emptied a slice at a time costs five to ten times its CPU (a look-up per entry).
    free_in_slices(writer.table, extra)
    for shard in writer.places:
        shard.clear()
    free_in_slices(writer.ints)
    return json.dumps(header), parts


def _cut(pieces: list[bytes]) -> list[bytes]:
    """``pieces`` joined and cut into parts of ``PART_BYTES`` (the last one shorter), a part
    at a time: never one buffer of the whole stream."""
    parts: list[bytes] = []
    part = bytearray()
    for piece in pieces:
        view = memoryview(piece)
        while view:
            room = PART_BYTES - len(part)
            part += view[:room]
            view = view[room:]
            if len(part) == PART_BYTES:
                parts.append(bytes(part))
                part = bytearray()
    if part or not parts:
        parts.append(bytes(part))
    return parts


def _spans(texts: Sequence[str | None]) -> Iterator[slice]:
    """``texts`` cut into runs of at most ``PIECE`` texts and ``TEXT_PIECE`` characters (a
    longer text alone), in order: hashing, encoding or decoding a run is one C call, so its
    hold of the GIL is bounded by the run, not by the catalog (a joined column's chunks are
    64 K characters each: ``PIECE`` of them in one call held it for tens of milliseconds)."""
    for start in range(0, len(texts), PIECE):
        piece = texts[start : start + PIECE]
        ends = list(accumulate(len(text) if text else 0 for text in piece))
        at = base = 0
        while at < len(piece):
            upto = max(bisect.bisect_right(ends, base + TEXT_PIECE, at), at + 1)
            yield slice(start + at, start + upto)
            base, at = ends[upto - 1], upto


def _name(kind: type) -> str:
    return f"{kind.__module__}:{kind.__qualname__}"


def _types(values: Sequence[Any]) -> set[type]:
    kinds: set[type] = set()
    for start in range(0, len(values), PIECE):
        kinds.update(map(type, values[start : start + PIECE]))
    return kinds


def _distinct(values: Sequence[Any]) -> int:
    """``len(set(values))``, the set made a piece per C call."""
    seen: set[Any] = set()
    for start in range(0, len(values), PIECE):
        seen.update(values[start : start + PIECE])
    return len(seen)


def _array(values: Iterable[Any], dtype: str, count: int) -> np.ndarray:
    array = np.empty(count, dtype=dtype)
    done = 0
    values = iter(values)
    while done < count:
        piece = np.fromiter(values, dtype=dtype, count=min(PIECE, count - done))
        array[done : done + len(piece)] = piece
        done += len(piece)
    return array


def _flat(values: Sequence[Iterable[Any]]) -> list[Any]:
    """Every value's items, in order; a big value's a piece per C call (one ``+=`` of the
    million keys of a ``SortedKeys`` held the GIL for 32 to 55 ms of the keeping's CPU at
    100,000 cards, load 10 to 12)."""
    items: list[Any] = []
    for value in values:
        if isinstance(value, tuple | list) and len(value) > PIECE:
            for start in range(0, len(value), PIECE):
                items += value[start : start + PIECE]
        elif len(value) > PIECE:  # type: ignore[arg-type]  # (a set, a dict's values)
            found = iter(value)
            while piece := list(islice(found, PIECE)):
                items += piece
        else:
            items += value
    return items


class _Writer:
    """Columns described for the manifest (lists of tags, counts and blobs), the blobs they
    refer to, and the string table: the cards' texts first (``texts`` of them), then every
    distinct text, each at the place it was first met."""

    def __init__(self) -> None:
        self.texts = 0  # (format 5: the cards' texts, not written; none since format 6)
        self.table: list[str] = []
        # Each text's place, in ``SHARDS`` dicts by the text's hash: one dict of every text
        # (1.3 million at 100,000 cards) held the GIL 23 to 33 ms each time it grew, the
        # cold load's longest hold, and as long again when cleared (branch margin13).
        self.places: list[dict[str | None, int]] = [{} for _ in range(SHARDS)]
        self.places[hash(None) & (SHARDS - 1)][None] = -1  # (the table, read, ends with None)
        # The places' numbers, made a piece at a time and held here: the index refers to
        # these, so clearing it (1.3 million entries at 100,000 cards) frees no number, which
        # halves that one call's hold of the GIL (67 -> 35 ms of CPU at load 18).
        self.ints: list[int] = []
        self.blobs: list[bytes] = []
        self.size = 0

    def blob(self, data: bytes) -> list[int]:
        """Where ``data`` is in the stream's data (offset, length)."""
        where = [self.size, len(data)]
        self.blobs.append(data)
        self.size += len(data)
        return where

    def blob_of(self, pieces: Iterable[bytes]) -> list[int]:
        """Where the pieces, one after the other, are in the stream's data (offset, length):
        one blob written a piece at a time (no copy of a whole array in one call)."""
        where = [self.size, 0]
        for piece in pieces:
            self.blobs.append(piece)
            self.size += len(piece)
            where[1] += len(piece)
        return where

    def numbers(self, values: Any, dtype: str, count: int) -> list[int]:
        return self.blob(_array(values, dtype, count).tobytes())

    def strings(self, values: Sequence[str | None]) -> list[int]:
        """Places in the table (None: -1), looked up in C a piece at a time; only the texts
        met for the first time are added one by one."""
        places, table, ints = self.places, self.table, self.ints
        codes: list[int | None] = []
        for span in _spans(values):
            piece = values[span]
            hashes = np.fromiter(map(hash, piece), dtype=np.int64, count=len(piece))
            got = _looked_up(places, piece, hashes & (SHARDS - 1))
            if None in got:
                if len(ints) < len(table) + len(piece):  # (made a piece per C call)
                    ints += range(len(ints), len(table) + len(piece) + PIECE)
                for number, text in enumerate(piece):
                    if got[number] is None:
                        shard = places[hash(text) & (SHARDS - 1)]
                        place = shard.get(text)
                        if place is None:
                            place = shard[text] = ints[len(table)]
                            table.append(text)  # type: ignore[arg-type]
                        got[number] = place
            codes += got
        return self.numbers(codes, "<i4", len(codes))

    def column(self, values: Sequence[Any]) -> list[Any]:
        """How ``values`` are written: ``[tag, count, ...]`` (see :meth:`_Reader.column`)."""
        count = len(values)
        kinds = _types(values)
        if kinds <= {type(None)}:
            return ["none", count]
        if kinds <= {str, type(None)}:
            return ["str", count, self.strings(values)]
        if len(kinds) > 1:
            return self._union(values, kinds)
        kind = kinds.pop()
        if kind is int:
            return ["int", count, self.numbers(values, "<i8", count)]
        if kind is float:
            return ["float", count, self.numbers(values, "<f8", count)]
        if kind is bool:
            return ["bool", count, self.numbers(values, "u1", count)]
        name = _name(kind)
        if name in _ENUMS:
            members = list(dict.fromkeys(values))
            at = {member: n for n, member in enumerate(members)}
            return [
                "enum",
                count,
                name,
                self.column([member.value for member in members]),
                self.numbers(map(at.__getitem__, values), "<i4", count),
            ]
        ids = mapped(id, values, PIECE)
        if _distinct(ids) < count:  # some held more than once: each written once, then referred to
            places: dict[int, int] = {}
            for key in ids:
                places.setdefault(key, len(places))
            distinct = list({id(value): value for value in values}.values())
            return [
                "pool",
                count,
                self.column(distinct),
                self.numbers(map(places.__getitem__, ids), "<i4", count),
            ]
        if kind in _CONTAINER_NAMES:
            lengths = self.numbers(map(len, values), "<i8", count)
            return [_CONTAINER_NAMES[kind], count, lengths, self.column(_flat(values))]
        if kind is dict:
            lengths = self.numbers(map(len, values), "<i8", count)
            keys = self.column(_flat(values))
            return ["dict", count, lengths, keys, self.column(_flat([d.values() for d in values]))]
        if kind is bytes:  # (a packed column's buffer: ``bot.matching.packed``)
            return ["bytes", count, [self.blob(value) for value in values]]
        if kind is array:
            if any(value.typecode not in _TYPECODES for value in values):
                raise TypeError("only arrays of whole numbers are kept")
            return [
                "array",
                count,
                [[a.typecode, self.blob_of(_array_pieces(a))] for a in values],
            ]
        if kind is np.ndarray:
            arrays = [np.ascontiguousarray(value) for value in values]
            if any(array.dtype.kind not in "biuf" for array in arrays):
                raise TypeError("only arrays of numbers are kept")
            return [
                "arrays",
                count,
                [[a.dtype.str, list(a.shape), self.blob_of(_ndarray_pieces(a))] for a in arrays],
            ]
        if name in _ROW_CLASSES:
            width = len(kind._fields)  # type: ignore[attr-defined]
            fields = [self.column(mapped(itemgetter(n), values, PIECE)) for n in range(width)]
            return ["rows", count, name, fields]
        if name in _SPLIT:
            fields = {n: self.column(mapped(attrgetter(n), values, PIECE)) for n in _slots(kind)}
            return ["object", count, name, fields]
        raise TypeError(f"{name} is not part of a catalog")

    def _union(self, values: Sequence[Any], kinds: set[type]) -> list[Any]:
        """Values of several types: a column per type, one after the other, and each value's
        place in them."""
        groups: dict[type, list[Any]] = {kind: [] for kind in sorted(kinds, key=_name)}
        at: list[tuple[type, int]] = []
        for value in values:
            group = groups[type(value)]
            at.append((type(value), len(group)))
            group.append(value)
        starts, start = {}, 0
        for kind, group in groups.items():
            starts[kind] = start
            start += len(group)
        pool = ["concat", start, [self.column(group) for group in groups.values()]]
        places = (starts[kind] + n for kind, n in at)
        numbers = self.numbers(places, "<i4", len(values))
        # (a tuple per value: freed with this frame, one call that held the GIL 16 to 66 ms at
        # 100,000 cards, the cold load's worst event-loop stall; branch stall12)
        free_in_slices(at)
        return ["pool", len(values), pool, numbers]


def _looked_up(
    shards: list[dict[str | None, int]], piece: Sequence[str | None], shard_of: np.ndarray
) -> list[int | None]:
    """Each text's place (None: not placed yet), ``shard_of`` saying which of ``shards``
    holds it: the texts of one shard looked up in one C call, the results put back in order."""
    order = np.argsort(shard_of, kind="stable")
    ends = np.cumsum(np.bincount(shard_of, minlength=len(shards))).tolist()
    got = np.empty(len(piece), dtype=object)
    begin = 0
    for shard, end in zip(shards, ends, strict=True):
        if end > begin:
            mine = order[begin:end]
            got[mine] = list(map(shard.get, map(piece.__getitem__, mine.tolist())))
            begin = end
    return got.tolist()  # type: ignore[no-any-return]


def _slots(kind: type) -> tuple[str, ...]:
    names: list[str] = []
    for klass in kind.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    return tuple(n for n in names if n not in {"__dict__", "__weakref__"})


# -- reading -----------------------------------------------------------------------------


def header(text: str | None, print_: str) -> tuple[int, str] | None:
    """(parts, checksum) of kept parts built for ``print_``; None when there are none."""
    found = any_header(text)
    if found is None or found[0] != print_:
        return None
    return found[1], found[2]


def any_header(text: str | None) -> tuple[str, int, str] | None:
    """(fingerprint, parts, checksum) of the kept parts ``text`` heads, whatever cards they
    were built for (a warm start reads them before it knows its cards' fingerprint); None
    when ``text`` is no header."""
    try:
        data: Any = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    print_, parts, checksum = data.get("fingerprint"), data.get("parts"), data.get("sha256")
    if not isinstance(print_, str) or not isinstance(parts, int) or parts < 1:
        return None
    if not isinstance(checksum, str):
        return None
    return print_, parts, checksum


def refingerprinted(text: str, print_: str) -> str | None:
    """A header (``text``) for the same parts, kept for the cards of ``print_``: what an
    in-place edit that leaves every built part as it was needs; None if ``text`` is no header."""
    try:
        data: Any = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or "fingerprint" not in data:
        return None
    return json.dumps(data | {"fingerprint": print_})


def decode(
    parts: list[bytes],
    checksum: str,
    cards: Iterable[Any] | None = None,
    *,
    known: KnownTexts | None = None,
    held: list[str] | None = None,
) -> dict[str, Any] | None:
    """The kept fields by name, or None when the parts are damaged or not what we write.
    Pure CPU work, in pieces: run it in a worker thread. ``cards`` is not looked at (not one
    card is made): format 5 referred to the cards' texts, this format holds its own; whether
    the fields fit the cards served is ``Catalog.assembled``'s check (and the fingerprint's).

    ``known``: texts already held (the serving catalog's, :data:`TEXTS`), each taken in place
    of an equal text read, so that a full reload's catalog is not made of new strings where
    the old one's serve as well (branch ``rss18``). ``held``: extended with the texts the
    fields refer to, to be given as ``known`` next time."""
    del cards
    digest = hashlib.sha256()
    for part in parts:
        if not isinstance(part, bytes):
            return None
        digest.update(part)
    if digest.hexdigest() != checksum:
        return None
    reader: _Reader | None = None
    try:
        reader = _Reader(parts, known)
        fields = reader.fields()
        if held is not None:
            held += reader.held_texts()
        return fields
    except Exception:  # whatever damage looks like, it only means building again
        return None
    finally:
        if reader is not None:
            reader.release()


class _Reader:
    """The kept fields, read from the parts (not joined: a copy of the whole stream)."""

    def __init__(self, parts: list[bytes], known: KnownTexts | None = None) -> None:
        self.parts = parts
        self.starts = [0]
        for part in parts:
            self.starts.append(self.starts[-1] + len(part))
        lead = len(MAGIC) + 10
        start = bytes(self.at(0, lead))
        if start[: len(MAGIC)] != MAGIC:
            raise ValueError("not a kept catalog")
        if int.from_bytes(start[len(MAGIC) : len(MAGIC) + 2], "little") != FORMAT:
            raise ValueError("kept by another format")
        size = int.from_bytes(start[len(MAGIC) + 2 :], "little")
        self.manifest = _MANIFEST.decode(self.at(lead, size))
        if self.manifest["texts"] != 0:
            raise ValueError("not a kept catalog")
        self.data = lead + size
        table: list[str] = []
        for where, count in self.manifest["table"]:
            strings = _STRINGS.decode(self.blob(where))
            if len(strings) != count:
                raise ValueError("not a kept catalog")
            if known:  # (a piece of at most PIECE texts per call, as written)
                strings = list(map(known.get, strings, strings))
            table += strings
        table.append(None)  # type: ignore[arg-type]  # (place -1: a missing text)
        self.texts = table
        self.table = _objects(table)

    def held_texts(self) -> list[str]:
        """The table's texts that the fields made hold (something besides the reader: its
        table, its array, the piece looked at and the look itself), a piece at a time."""
        count = sys.getrefcount
        texts = self.texts
        held: list[str] = []
        for start in range(0, len(texts) - 1, PIECE):  # (the last place: None)
            piece = texts[start : min(start + PIECE, len(texts) - 1)]
            held += [text for text in piece if count(text) > _READER_HOLDS]
        return held

    def release(self) -> None:
        """Let go of the string table a piece at a time: two million references dropped in
        one call each (the list and the array) would hold the GIL for tens of milliseconds."""
        for end in range(len(self.table), 0, -PIECE):
            self.table[max(end - PIECE, 0) : end] = None
        while self.texts:
            del self.texts[-PIECE:]

    def fields(self) -> dict[str, Any]:
        fields = self.manifest["fields"]
        if list(fields) != list(FIELDS):
            raise ValueError("not a kept catalog")
        return {name: _one(self.column(fields[name])) for name in FIELDS}

    def at(self, offset: int, length: int) -> memoryview | bytes:
        """``length`` bytes of the stream from ``offset``."""
        if offset < 0 or length < 0 or offset + length > self.starts[-1]:
            raise ValueError("past the end of the kept catalog")
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= len(self.parts):  # (nothing to read, at the very end)
            return b""
        within = offset - self.starts[index]
        part = self.parts[index]
        if within + length <= len(part):
            return memoryview(part)[within : within + length]
        pieces = []
        while length > 0:
            piece = memoryview(self.parts[index])[within : within + length]
            pieces.append(piece)
            length -= len(piece)
            index, within = index + 1, 0
        return b"".join(pieces)

    def blob(self, where: list[int]) -> memoryview | bytes:
        offset, length = where
        return self.at(self.data + offset, length)

    def pieces(self, where: list[int]) -> Iterator[memoryview]:
        """A blob's bytes as views of at most ``BYTES_PIECE`` bytes each, none across two
        parts (no join: a copy of a whole blob in one call)."""
        offset, length = where
        if offset < 0 or length < 0 or self.data + offset + length > self.starts[-1]:
            raise ValueError("past the end of the kept catalog")
        offset += self.data
        index = bisect.bisect_right(self.starts, offset) - 1
        within = offset - self.starts[index]
        while length > 0:
            view = memoryview(self.parts[index])[within : within + min(length, BYTES_PIECE)]
            if not view:
                index, within = index + 1, 0
                continue
            yield view
            length -= len(view)
            within += len(view)

    def ndarray(self, kind: np.dtype[Any], shape: list[int], where: list[int]) -> np.ndarray:
        """The numeric array ``where`` holds, copied in a piece at a time."""
        if any(type(n) is not int or n < 0 for n in shape):
            raise ValueError("not a kept catalog")
        if where[1] != kind.itemsize * int(np.prod(shape, dtype=np.int64)):
            raise ValueError("not a kept catalog")
        found = np.empty(shape, dtype=kind)
        flat = found.reshape(-1).view(np.uint8)
        done = 0
        for view in self.pieces(where):
            flat[done : done + len(view)] = np.frombuffer(view, dtype=np.uint8)
            done += len(view)
        return found

    def numbers(self, where: list[int], dtype: str, count: int, low: int, high: int) -> np.ndarray:
        """``count`` numbers, each from ``low`` up to but not including ``high``."""
        array = np.frombuffer(self.blob(where), dtype=dtype)
        if len(array) != count or (count and (array.min() < low or array.max() >= high)):
            raise ValueError("not a kept catalog")
        return array

    def column(self, node: list[Any]) -> list[Any]:
        """The values of a column written by :meth:`_Writer.column`."""
        tag, count = node[0], node[1]
        if type(count) is not int or count < 0:
            raise ValueError("not a kept catalog")
        if tag == "none":
            return [None] * count
        if tag == "str":
            return _gather(self.table, self.numbers(node[2], "<i4", count, -1, len(self.table) - 1))
        if tag in ("int", "float"):
            dtype = "<i8" if tag == "int" else "<f8"
            array = np.frombuffer(self.blob(node[2]), dtype=dtype)
            if len(array) != count:
                raise ValueError("not a kept catalog")
            # (whole numbers below ``SHARED_BELOW``, most of a catalog's: one object each in
            # the process, shared with every catalog, not one per place)
            return numbers_listed(array, PIECE) if tag == "int" else listed(array, PIECE)
        if tag == "bool":
            return _gather([False, True], self.numbers(node[2], "u1", count, 0, 2))
        if tag == "pool":
            pool = self.column(node[2])
            return _gather(pool, self.numbers(node[3], "<i4", count, 0, len(pool)))
        if tag == "concat":
            values: list[Any] = []
            for child in node[2]:
                values += self.column(child)
            if len(values) != count:
                raise ValueError("not a kept catalog")
            return values
        if tag in _CONTAINERS or tag == "dict":
            lengths = self.numbers(node[2], "<i8", count, 0, 1 << 40)
            items = self.column(node[3])
            total = int(lengths.sum())
            if len(items) != total:
                raise ValueError("not a kept catalog")
            if tag == "dict":
                values = self.column(node[4])
                if len(values) != total:
                    raise ValueError("not a kept catalog")
                return _dicts(items, values, lengths)
            return _grouped(items, lengths, _CONTAINERS[tag])
        if tag == "rows":
            kind = _class(node[2], _ROW_CLASSES)
            columns = [self.column(child) for child in node[3]]
            if len(columns) != len(kind._fields) or any(len(c) != count for c in columns):
                raise ValueError("not a kept catalog")
            return _rows(kind, columns, count)
        if tag == "enum":
            kind = _class(node[2], _ENUMS)
            members = [kind(value) for value in self.column(node[3])]
            return _gather(members, self.numbers(node[4], "<i4", count, 0, len(members)))
        if tag == "object":
            kind = _class(node[2], _SPLIT)
            names = _slots(kind)
            if list(node[3]) != list(names):
                raise ValueError("not a kept catalog")
            columns = [self.column(node[3][name]) for name in names]
            if any(len(c) != count for c in columns):
                raise ValueError("not a kept catalog")
            objects = []
            for number in range(count):
                value = object.__new__(kind)
                for name, column in zip(names, columns, strict=True):
                    object.__setattr__(value, name, column[number])
                objects.append(value)
            return objects
        if tag == "bytes":
            if len(node[2]) != count:
                raise ValueError("not a kept catalog")
            return [bytes(self.blob(where)) for where in node[2]]
        if tag == "array":
            if len(node[2]) != count:
                raise ValueError("not a kept catalog")
            found: list[array[int]] = []
            for typecode, where in node[2]:
                if typecode not in _TYPECODES:
                    raise ValueError("not a kept catalog")
                found.append(_array_read(typecode, self.pieces(where)))
            return found
        if tag == "arrays":
            arrays = []
            for dtype, shape, where in node[2]:
                kind = np.dtype(dtype)
                if kind.kind not in "biuf" or kind.hasobject:
                    raise ValueError("not a kept catalog")
                arrays.append(self.ndarray(kind, shape, where))
            if len(arrays) != count:
                raise ValueError("not a kept catalog")
            return arrays
        raise ValueError("not a kept catalog")


#: The ``array`` types a kept catalog may hold (whole numbers), written little-endian.
_TYPECODES = frozenset("bBhHiIlLqQ")


def _array_pieces(numbers: array[int]) -> Iterator[bytes]:
    """An array's numbers as little-endian bytes, ``BYTES_PIECE`` at most per piece."""
    step = max(1, BYTES_PIECE // numbers.itemsize)
    for start in range(0, len(numbers), step):
        piece = numbers[start : start + step]
        if sys.byteorder != "little":
            piece.byteswap()
        yield piece.tobytes()


def _ndarray_pieces(numbers: np.ndarray) -> Iterator[bytes]:
    """A contiguous numeric array's bytes, ``BYTES_PIECE`` at most per piece."""
    flat = numbers.reshape(-1).view(np.uint8)
    for start in range(0, len(flat), BYTES_PIECE):
        yield flat[start : start + BYTES_PIECE].tobytes()


def _array_read(typecode: str, pieces: Iterable[memoryview]) -> array[int]:
    """The array :func:`_array_pieces` wrote, read a piece at a time (a piece's bytes may end
    within a number: the rest is carried to the next)."""
    numbers = array(typecode)
    rest = b""
    for view in pieces:
        data = rest + bytes(view) if rest else view
        cut = len(data) - len(data) % numbers.itemsize
        numbers.frombytes(data[:cut])
        rest = bytes(data[cut:])
    if rest:
        raise ValueError("not a kept catalog")
    if sys.byteorder != "little":
        numbers.byteswap()
    return numbers


def _one(values: list[Any]) -> Any:
    if len(values) != 1:
        raise ValueError("not a kept catalog")
    return values[0]


@functools.cache
def _allowed(name: str) -> type:
    module, _, qualname = name.partition(":")
    kind = getattr(importlib.import_module(module), qualname)
    if not isinstance(kind, type):
        raise TypeError(name)
    return kind


def _class(name: object, allowed: set[str]) -> Any:
    """The class ``name`` names, if it is one of ``allowed`` (nothing else is imported)."""
    if not isinstance(name, str) or name not in allowed:
        raise ValueError(f"{name!r} is not part of a catalog")
    return _allowed(name)


def _gather(pool: list[Any] | np.ndarray, places: np.ndarray) -> list[Any]:
    """``pool[place]`` for every place, a piece at a time (an array of objects: in C, no
    number object made per place)."""
    objects = _objects(pool) if isinstance(pool, list) else pool
    values: list[Any] = []
    for start in range(0, len(places), PIECE):
        values += objects[places[start : start + PIECE]].tolist()
    return values


def _objects(values: list[Any]) -> np.ndarray:
    """``values`` as an array of objects, a piece at a time."""
    objects = np.empty(len(values), dtype=object)
    for start in range(0, len(values), PIECE):
        piece = values[start : start + PIECE]
        # (not ``= piece``: numpy would take tuples in it for rows of an array)
        objects[start : start + len(piece)] = np.fromiter(piece, dtype=object, count=len(piece))
    return objects


def _grouped(items: list[Any], lengths: np.ndarray, kind: Any) -> list[Any]:
    """``items`` cut into tuples of ``lengths`` (slices of a tuple of a span's items, in C),
    made ``kind``. Spans of groups bounded by their items too (``group_spans``): a piece of
    16,384 groups of a word index's postings held millions of items, one tuple copy and one
    ``list += map`` of them each holding the GIL for about 30 ms at 100,000 cards."""
    ends = np.cumsum(lengths)
    starts = ends - lengths
    values: list[Any] = []
    for span in group_spans(lengths, PIECE, PIECE):
        first, last = int(starts[span.start]), int(ends[span.stop - 1])
        whole = tuple(items[first:last])
        lows = (starts[span.start : span.stop] - first).tolist()
        highs = (ends[span.start : span.stop] - first).tolist()
        groups = map(whole.__getitem__, map(slice, lows, highs))
        values += groups if kind is tuple else map(kind, groups)
    return values


def _dicts(keys: list[Any], values: list[Any], lengths: np.ndarray) -> list[dict[Any, Any]]:
    dicts: list[dict[Any, Any]] = []
    at = 0
    for size in lengths.tolist():
        mapping: dict[Any, Any] = {}
        for start in range(at, at + size, PIECE):
            end = min(start + PIECE, at + size)
            mapping.update(zip(keys[start:end], values[start:end], strict=True))
        dicts.append(mapping)
        at += size
    return dicts


def _rows(kind: type, columns: list[list[Any]], count: int) -> list[Any]:
    """Named tuples of ``kind`` from a column per field: ``tuple.__new__`` in C."""
    rows: list[Any] = []
    for start in range(0, count, PIECE):
        fields = [column[start : start + PIECE] for column in columns]
        rows += map(tuple.__new__, repeat(kind), zip(*fields, strict=True))
    return rows
