"""The kept catalog's format (``bot.catalog.derived``): what it refuses to read. Each case is
a stream that is whole apart from one thing, with a checksum that fits it where the case is
not the checksum itself: without that one guard, reading it would give a catalog."""

from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple

import msgspec
import pytest

from bot.cards.loader import load_cards
from bot.catalog import derived
from bot.catalog.snapshot import Catalog
from tests.conftest import SHIPPED_CARDS

LEAD = len(derived.MAGIC) + 10  # the magic, the format number (2 bytes), the manifest's size


class Planted(NamedTuple):
    """A class that is not part of a catalog, shaped like a name index's names."""

    id: str
    text: str
    folded: str
    compact: str
    kind: str


@pytest.fixture(scope="module")
def kept() -> tuple[Catalog, bytes]:
    catalog = Catalog.build(load_cards(SHIPPED_CARDS).cards)
    head, parts = derived.encode("print", catalog)
    assert json.loads(head)["parts"] == len(parts)
    return catalog, b"".join(parts)


def _read(catalog: Catalog, stream: bytes, checksum: str | None = None) -> dict[str, Any] | None:
    size = derived.PART_BYTES
    parts = [stream[at : at + size] for at in range(0, len(stream), size)]
    digest = checksum or hashlib.sha256(stream).hexdigest()
    return derived.decode(parts, digest, list(catalog.cards.values()))


def _with_manifest(stream: bytes, change: Any) -> bytes:
    size = int.from_bytes(stream[LEAD - 8 : LEAD], "little")
    manifest = msgspec.msgpack.decode(stream[LEAD : LEAD + size])
    new = msgspec.msgpack.encode(change(manifest))
    return stream[: LEAD - 8] + len(new).to_bytes(8, "little") + new + stream[LEAD + size :]


def test_a_whole_stream_reads_back_as_the_build(kept: tuple[Catalog, bytes]) -> None:
    catalog, stream = kept
    assert stream.startswith(derived.MAGIC)
    fields = _read(catalog, stream)
    assert fields is not None
    assert fields["actors"] == catalog.actors and fields["facets"] == catalog.facets
    assert fields["_listed"] == catalog._listed and fields["_computed"] == catalog._computed
    assert fields["titles"].resolve("run on") == catalog.titles.resolve("run on")


def test_a_damaged_part_is_not_read(kept: tuple[Catalog, bytes]) -> None:
    catalog, stream = kept
    at = stream.index(b"run on")  # a folded title in the string table: still a valid stream
    damaged = stream[:at] + b"ruN on" + stream[at + 6 :]
    assert _read(catalog, damaged) is not None  # (only the checksum can tell)
    assert _read(catalog, damaged, hashlib.sha256(stream).hexdigest()) is None


def test_another_format_number_is_not_read(kept: tuple[Catalog, bytes]) -> None:
    catalog, stream = kept
    number = len(derived.MAGIC)
    for other in (derived.FORMAT - 1, derived.FORMAT + 1):
        changed = stream[:number] + other.to_bytes(2, "little") + stream[number + 2 :]
        assert _read(catalog, changed) is None
    assert _read(catalog, b"\x80\x05" + stream[2:]) is None  # (a pickle's start: format 4)


@pytest.mark.parametrize(
    "planted",
    [f"{__name__}:Planted", "os:system", "builtins:eval", "bot.catalog.snapshot:Catalog"],
)
def test_a_class_that_is_not_part_of_a_catalog_is_never_made(
    kept: tuple[Catalog, bytes], planted: str
) -> None:
    catalog, stream = kept
    text = msgspec.msgpack.encode("bot.matching.index:NameTable")
    assert text in stream  # (the class of the indexes' names, named in the manifest)
    changed = _with_manifest(
        stream,
        lambda manifest: msgspec.msgpack.decode(
            msgspec.msgpack.encode(manifest).replace(text, msgspec.msgpack.encode(planted))
        ),
    )
    assert planted.encode() in changed
    assert _read(catalog, changed) is None


def test_other_cards_than_those_it_was_built_from_are_refused(
    kept: tuple[Catalog, bytes],
) -> None:
    catalog, stream = kept
    digest = hashlib.sha256(stream).hexdigest()
    built = derived.decode([stream], digest)  # (the kept fields hold their own texts)
    assert built is not None
    fewer = dict(list(catalog.cards.items())[1:])
    assert Catalog.assembled(fewer, built) is None
    renamed = {f"{slug}-x": card for slug, card in catalog.cards.items()}
    assert Catalog.assembled(renamed, built) is None
    assembled = Catalog.assembled(dict(catalog.cards), built)
    assert assembled is not None and assembled.titles.labels == catalog.titles.labels
