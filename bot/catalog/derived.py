"""What a catalog build makes from the cards, kept in the database, so a restart with unchanged
cards does not build it again (at 100,000 cards: 8 s of building against about 2 s of reading).

Kept: the title and actor indexes, the actors, the browse facets and the computed similarity,
as one pickle stream cut into parts of ``PART_BYTES``. The stream is written and read a small
piece at a time with one memo (so strings shared between indexes stay shared): no single C call
holds the GIL long enough to stall the event loop.

It is used only when its *fingerprint* is the current one: a hash of every card's slug and
digest and of the source code that builds a catalog, so an edited card or an upgraded bot never
reads indexes built for something else. Its SHA-256 is checked before it is read, and reading
it may only make the classes a catalog is made of (a restricted unpickler, see the ``pickle``
module's "Restricting Globals"), so damage or a planted file cannot run code. Anything
unexpected means it is not used: it is a cache, built again when in doubt.
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import hashlib
import importlib
import io
import itertools
import json
import pickle
from collections.abc import Iterable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import Any

import numpy as np

#: The ``catalog_meta`` key of the header; the parts are ``built.0``, ``built.1``, ...
META_KEY = "built"
PART_BYTES = 4 << 20
#: Items of a list, tuple or dict written per call (a call holds the GIL).
CHUNK = 4096
#: The parts of a catalog that are kept (the cards themselves are in the cards table).
FIELDS = ("titles", "actors", "actor_names", "facets", "_listed", "_computed")
FORMAT = 4

_PACKAGE = Path(__file__).resolve().parent.parent
# The code that builds what is kept: a change in any of these makes the kept parts stale.
_SOURCE_FOLDERS = ("catalog", "matching", "cards")
_SOURCES = ("text.py",)

# Tags before each value in the stream.
_LEAF, _SEQUENCE, _MAPPING, _OBJECT = range(4)
# Tags of each chunk of a sequence or of a mapping's values: the items as they are, or rows
# of one named tuple class written as columns (see :func:`_pack`).
_ITEMS, _ROWS = range(2)
# Named tuples kept by the hundred thousand (names, actors, credits): written as columns,
# made again with ``tuple.__new__`` in C. Pickled one by one, each is a call of its Python
# ``__new__`` when read (a third of reading them) and a tuple of its fields kept in the
# pickler's memo until the end of writing (freed in one C call, stalling the event loop).
_ROW_CLASSES = {
    ("bot.catalog.snapshot", "Actor"),
    ("bot.catalog.snapshot", "Credit"),
    ("bot.matching.index", "_Name"),
}
# Classes split field by field (the big containers inside them are written in chunks).
_SPLIT = {
    ("bot.matching.index", "NameIndex"),
    ("bot.matching.sorted_keys", "SortedKeys"),
    ("bot.matching.postings", "GramIndex"),
    ("bot.matching.postings", "WordIndex"),
    ("bot.catalog.facets", "Facets"),
}
# Every class a kept catalog holds; nothing else may be made while reading one.
_ALLOWED = _SPLIT | {
    ("bot.catalog.snapshot", "Actor"),
    ("bot.catalog.snapshot", "Credit"),
    ("bot.matching.index", "_Name"),
    ("bot.matching.index", "NameKind"),
}
_ALLOWED_BUILTINS = {"frozenset", "set", "slice", "complex", "bytearray"}
_ALLOWED_NUMPY = {"_reconstruct", "ndarray", "dtype", "_frombuffer", "scalar"}


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


def fingerprint(digests: Iterator[tuple[str, str]] | list[tuple[str, str]]) -> str:
    """What the kept parts must have been built from: every ``(slug, card digest)`` and the
    code. Pure CPU work (a sort and a hash of every card): run it off the event loop."""
    digest = hashlib.sha256(code_version().encode())
    for slug, card_digest in sorted(digests):
        digest.update(f"{slug}\0{card_digest}\n".encode())
    return digest.hexdigest()


# -- writing -----------------------------------------------------------------------------


def card_texts(cards: Iterable[Any]) -> list[str]:
    """The cards' texts a kept catalog refers to instead of holding its own copy: slugs,
    titles, other names, cast names and roles, listed similar titles; by slug, then field by
    field, so that the same cards (the fingerprint says they are) give the same list.

    Written, a reference to one of them is its place in this list (the pickler's memo holds
    them before anything is written); read, that place holds the text of the card just
    decoded from the database. A catalog read back so holds no copy of its cards' texts
    (about 60 MB at 100,000 cards) and makes a million strings fewer."""
    texts: list[str] = []
    add, extend = texts.append, texts.extend
    for card in sorted(cards, key=attrgetter("slug")):
        add(card.slug)
        add(card.title)
        if card.native_title is not None:
            add(card.native_title)
        extend(card.aliases)
        for member in card.cast:
            add(member.actor)
            if member.role is not None:
                add(member.role)
            extend(member.aliases)
            if member.native_name is not None:
                add(member.native_name)
        extend(card.similar)
    return texts


def encode(print_: str, catalog: Any) -> tuple[str, list[bytes]]:
    """The header (JSON) and the parts that keep ``catalog``'s built fields. Pure CPU work,
    in pieces: run it in a worker thread."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _reductions()
    texts = card_texts(catalog.cards.values())
    memo: dict[int, tuple[int, object]] = {}
    for text in texts:
        # (a text held twice, as one object, is kept at its first place; its second place
        # gets an object nothing refers to, so that every later place stays where it is)
        value: object = text if id(text) not in memo else object()
        memo[id(value)] = (len(memo), value)
    pickler.memo = memo  # type: ignore[assignment]
    del memo
    pickler.dump(len(texts))
    for name in FIELDS:
        _write(pickler, getattr(catalog, name))
    data = buffer.getbuffer()
    parts = [bytes(data[start : start + PART_BYTES]) for start in range(0, len(data), PART_BYTES)]
    del data
    checksum = hashlib.sha256()
    for part in parts:
        checksum.update(part)
    header = {"fingerprint": print_, "parts": len(parts), "sha256": checksum.hexdigest()}
    return json.dumps(header), parts


def _reductions() -> dict[type, Any]:
    """Frozen dataclasses as ``cls(*fields)``: unpickling their default state calls
    ``dataclasses.fields`` once per object, three times slower (seconds at 100,000 cards)."""
    table: dict[type, Any] = dict(copyreg.dispatch_table)
    for module, name in _ALLOWED:
        kind = getattr(importlib.import_module(module), name)
        if dataclasses.is_dataclass(kind) and (module, name) not in _SPLIT:
            names = tuple(field.name for field in dataclasses.fields(kind))
            table[kind] = functools.partial(_as_call, names)
    return table


def _as_call(names: tuple[str, ...], value: object) -> tuple[type, tuple[object, ...]]:
    return type(value), tuple(getattr(value, name) for name in names)


def _write(pickler: pickle.Pickler, value: Any) -> None:
    kind = type(value)
    if kind in (list, tuple) and (len(value) > CHUNK or _row_class(value) is not None):
        pickler.dump((_SEQUENCE, kind is tuple, len(value)))
        for start in range(0, len(value), CHUNK):
            pickler.dump(_pack(value[start : start + CHUNK]))
    elif kind is dict and (len(value) > CHUNK or _row_class(value.values()) is not None):
        # Keys and values as two lists, not items: the pickler's memo would keep every
        # (key, value) pair made here alive until the end, and then free them in one call.
        pickler.dump((_MAPPING, len(value)))
        keys, values = iter(value), iter(value.values())
        while chunk := list(itertools.islice(keys, CHUNK)):
            pickler.dump(chunk)
            pickler.dump(_pack(list(itertools.islice(values, len(chunk)))))
    elif (kind.__module__, kind.__qualname__) in _SPLIT:
        names = _slots(kind)
        pickler.dump((_OBJECT, kind, names))
        for name in names:
            _write(pickler, getattr(value, name))
    else:
        pickler.dump((_LEAF,))
        pickler.dump(value)


def _row_class(items: Any) -> type | None:
    """The named tuple class every one of ``items`` is an instance of (exactly), if it is one
    of ``_ROW_CLASSES``; else None."""
    kinds = {type(item) for item in items}
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    return kind if (kind.__module__, kind.__qualname__) in _ROW_CLASSES else None


def _pack(items: list[Any] | tuple[Any, ...]) -> tuple[Any, ...]:
    """A chunk as written: ``(_ROWS, class, columns)`` for named tuples of one class (a column
    of tuples of named tuples packed again in turn, with their lengths), else ``(_ITEMS,
    items)``."""
    kind = _row_class(items)
    if kind is None:
        return (_ITEMS, list(items))
    columns: list[Any] = []
    for column in zip(*items, strict=True):
        inner = [row for group in column if type(group) is tuple for row in group]
        if inner and all(type(group) is tuple for group in column) and _row_class(inner):
            columns.append((_ROWS, [len(group) for group in column], _pack(inner)))
        else:
            columns.append((_ITEMS, column))
    return (_ROWS, kind, columns)


def _unpack(chunk: Any) -> list[Any]:
    """The items of a chunk written by :func:`_pack`."""
    if chunk[0] == _ITEMS:
        return list(chunk[1])
    if chunk[0] != _ROWS:
        raise ValueError("not a kept catalog")
    _, kind, packed = chunk
    if (kind.__module__, kind.__qualname__) not in _ROW_CLASSES or len(packed) != len(kind._fields):
        raise ValueError("not a kept catalog")
    columns: list[Any] = []
    for column in packed:
        if column[0] == _ITEMS:
            columns.append(column[1])
        elif column[0] == _ROWS:
            _, lengths, inner = column
            rows = iter(_unpack(inner))
            columns.append([tuple(itertools.islice(rows, size)) for size in lengths])
        else:
            raise ValueError("not a kept catalog")
    # tuple.__new__ in C: no Python call per row.
    return list(map(tuple.__new__, itertools.repeat(kind), zip(*columns, strict=True)))


def _slots(kind: type) -> tuple[str, ...]:
    names: list[str] = []
    for klass in kind.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    return tuple(n for n in names if n not in {"__dict__", "__weakref__"})


# -- reading -----------------------------------------------------------------------------


def header(text: str | None, print_: str) -> tuple[int, str] | None:
    """(parts, checksum) of kept parts built for ``print_``; None when there are none."""
    try:
        data: Any = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != print_:
        return None
    parts, checksum = data.get("parts"), data.get("sha256")
    if not isinstance(parts, int) or parts < 1 or not isinstance(checksum, str):
        return None
    return parts, checksum


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


def decode(parts: list[bytes], checksum: str, cards: Iterable[Any]) -> dict[str, Any] | None:
    """The kept fields by name, or None when the parts are damaged or not what we write.
    ``cards``: the cards they were built from, whose texts they refer to (:func:`card_texts`).
    Pure CPU work, in pieces: run it in a worker thread."""
    digest = hashlib.sha256()
    for part in parts:
        if not isinstance(part, bytes):
            return None
        digest.update(part)
    if digest.hexdigest() != checksum:
        return None
    texts = card_texts(cards)
    # (not joined: a copy of a hundred megabytes at 100,000 cards)
    stream = _Chained([_memo_program(len(texts)), *parts])
    try:
        unpickler = _Unpickler(stream)
        unpickler.persistent_load = texts.__getitem__  # type: ignore[assignment]
        unpickler.load()  # the cards' texts, into the memo at the places the writer gave them
        unpickler.persistent_load = _no_reference  # type: ignore[assignment]
        if unpickler.load() != len(texts):
            return None
        fields = {name: _read(unpickler) for name in FIELDS}
    except Exception:  # whatever damage looks like, it only means building again
        return None
    return fields


def _read(unpickler: pickle.Unpickler) -> Any:
    tag = unpickler.load()
    if tag[0] == _LEAF:
        return unpickler.load()
    if tag[0] == _SEQUENCE:
        _, is_tuple, size = tag
        items: list[Any] = []
        while len(items) < size:
            items += _unpack(unpickler.load())
        return tuple(items) if is_tuple else items
    if tag[0] == _MAPPING:
        mapping: dict[Any, Any] = {}
        while len(mapping) < tag[1]:
            keys = unpickler.load()
            mapping.update(zip(keys, _unpack(unpickler.load()), strict=True))
        return mapping
    if tag[0] == _OBJECT:
        _, kind, names = tag
        if (kind.__module__, kind.__qualname__) not in _SPLIT or tuple(names) != _slots(kind):
            raise ValueError("not a kept catalog")
        value = object.__new__(kind)
        for name in names:
            object.__setattr__(value, name, _read(unpickler))
        return value
    raise ValueError("not a kept catalog")


def _memo_program(count: int) -> bytes:
    """A pickle that puts ``persistent_load(0)``, ``persistent_load(1)``, ... into the memo at
    places 0, 1, ...: per place, the number (BININT), the reference (BINPERSID), MEMOIZE, POP;
    made with numpy, not a Python loop (a million places)."""
    ops = np.zeros(
        count, dtype=[("int", "u1"), ("n", "<i4"), ("ref", "u1"), ("memo", "u1"), ("pop", "u1")]
    )
    ops["int"], ops["ref"] = ord(pickle.BININT), ord(pickle.BINPERSID)
    ops["memo"], ops["pop"] = ord(pickle.MEMOIZE), ord(pickle.POP)
    ops["n"] = np.arange(count, dtype=np.int32)
    body = ops.tobytes() + pickle.NONE + pickle.STOP
    # One frame around it all: read in one call, not a call of ``_Chained.read`` per opcode
    # (four million of them at 100,000 cards: seconds of a warm start).
    return pickle.PROTO + bytes([5]) + pickle.FRAME + len(body).to_bytes(8, "little") + body


def _no_reference(pid: object) -> Any:
    raise pickle.UnpicklingError("not a kept catalog")


class _Chained:
    """The parts read as one stream, as the unpickler reads a file (``read``, ``readinto``,
    ``readline``), without copying them into one buffer first."""

    def __init__(self, parts: list[bytes]) -> None:
        self._parts = parts
        self._index = 0  # the part being read
        self._offset = 0  # in it

    def read(self, size: int = -1) -> bytes:
        pieces: list[bytes] = []
        wanted = size if size >= 0 else sum(len(part) for part in self._parts)
        while wanted > 0 and self._index < len(self._parts):
            part = self._parts[self._index]
            piece = part[self._offset : self._offset + wanted]
            pieces.append(piece)
            wanted -= len(piece)
            self._offset += len(piece)
            if self._offset >= len(part):
                self._index, self._offset = self._index + 1, 0
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(memoryview(buffer).cast("B")))
        memoryview(buffer).cast("B")[: len(data)] = data
        return len(data)

    def readline(self) -> bytes:
        line = bytearray()
        while self._index < len(self._parts):
            part = self._parts[self._index]
            end = part.find(b"\n", self._offset)
            stop = len(part) if end < 0 else end + 1
            line += part[self._offset : stop]
            self._offset = stop
            if self._offset >= len(part):
                self._index, self._offset = self._index + 1, 0
            if end >= 0:
                break
        return bytes(line)


class _Unpickler(pickle.Unpickler):
    """Makes only the classes a catalog is made of: never a function that runs code."""

    def find_class(self, module: str, name: str) -> Any:
        allowed = (
            (module == "builtins" and name in _ALLOWED_BUILTINS)
            or (module.startswith("numpy") and name in _ALLOWED_NUMPY)
            or (module, name) in _ALLOWED
        )
        if not allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a catalog")
        return super().find_class(module, name)
