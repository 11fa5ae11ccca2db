"""A name index built from the shipped cards (real YAML files) holds exactly what a
straightforward build, one name at a time, makes of the same names: the build as columns
(``bot.matching.names``, branch ``cold20``) changes how it is made, never what it holds.
The build's pieces are made small here (7 names) so that every step crosses piece edges."""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import pytest

from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog, _title_names
from bot.matching import names as names_module
from bot.matching.folding import fold, jamo
from bot.matching.index import NameIndex, NameKind
from bot.matching.people import given_name, spelling_key
from bot.matching.sorted_keys import SortedKeys
from tests.conftest import SHIPPED_CARDS

Entry = tuple[str, str, NameKind]

# Names that fold the hard ways, given to ids of the shipped catalog and to ids it lacks:
# a key shared by several ids (and twice by one), names folding to nothing, Hangul, Chinese
# in both scripts, accents, full-width forms, "&", apostrophes, a name past folding's cap,
# a NUL.
_HARD = [
    "Run On",
    "run-on",
    "RUN ON!",
    "!!!",
    "   ",
    "",
    "런 온",
    "런온",
    "流星花園",
    "流星花园",
    "Café & Bar’s",
    "Ｒｕｎ－Ｏｎ",
    "It's `Okay`",
    "a" * 450 + " tail",
    "nul\x00here",
    "Love in the Moonlight 2",
    "Love in the Moonlight",
    "Kim Soo-hyun",
    "Kim Soo Hyun",
    "김수현",
]


def _with_hard_names(entries: list[Entry], ids: list[str]) -> list[Entry]:
    kinds = [NameKind.PRIMARY, NameKind.ALIAS, NameKind.NATIVE, NameKind.EXACT_ONLY]
    extra = [
        (ids[n % len(ids)] if n % 3 else f"not-in-order-{n % 4}", text, kinds[n % len(kinds)])
        for n, text in enumerate(_HARD * 2)
    ]
    return entries[:5] + extra + entries[5:]


def _head(key: str) -> int:
    return int.from_bytes(key.encode("utf-8", "surrogatepass")[:8].ljust(8, b"\x00"), "big")


def _reference(entries: Iterable[Entry], order: list[str], *, people: bool) -> dict[str, object]:
    """What the index should hold, made one name at a time."""
    positions = {id_: at for at, id_ in enumerate(order)}

    def place(id_: str) -> int:
        return positions.get(id_, len(positions))

    exact: dict[str, list[str]] = {}
    names: list[tuple[str, str, str, NameKind]] = []
    primary: dict[str, str] = {}
    for id_, text, kind in entries:
        folded = fold(text)
        key = folded.replace(" ", "")
        if not key:
            continue
        ids = exact.setdefault(key, [])
        if id_ not in ids:
            ids.append(id_)
        if kind is not NameKind.EXACT_ONLY:
            names.append((id_, folded, key, kind))
            if kind is NameKind.PRIMARY and not people:
                primary.setdefault(id_, folded)
    names.sort(key=lambda name: (len(name[2]), place(name[0])))
    words: dict[str, list[int]] = {}
    prefix: list[tuple[str, str, int]] = []
    tails: list[tuple[str, str, int]] = []
    for at, (id_, folded, key, kind) in enumerate(names):
        for word in dict.fromkeys(folded.split()):
            words.setdefault(word, []).append(at)
        tier = 0 if kind is NameKind.PRIMARY else 1
        prefix.append((key, id_, tier))
        offset = 0
        for word in folded.split()[:-1]:
            offset += len(word)
            tails.append((key[offset:], id_, 2 + tier))

    def sorted_pairs(pairs: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
        return sorted(dict.fromkeys(pairs), key=lambda pair: pair[0])

    def grouped(keys: list[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, dict[str, None]] = {}
        for key, (id_, *_) in zip(keys, names, strict=True):
            if key:
                found.setdefault(key, {})[id_] = None
        return {key: tuple(ids) for key, ids in found.items()}

    return {
        "exact": {
            key: ids[0] if len(ids) == 1 else tuple(sorted(ids, key=place))
            for key, ids in exact.items()
        },
        "names": names,
        "jamo": [key if key.isascii() else jamo(key) for _, _, key, _ in names],
        "words": words,
        "prefix": sorted_pairs(prefix),
        "tails": sorted_pairs(tails),
        "primary": primary,
        "spellings": grouped([spelling_key(name[1]) for name in names]) if people else {},
        "given": grouped([given_name(name[1]) for name in names]) if people else {},
    }


def _held(index: NameIndex) -> dict[str, object]:
    """What ``index`` holds, in the reference's terms."""
    exact = dict(index._exact.items())
    hashes = index._exact._hashes.tolist()  # type: ignore[attr-defined]
    keys = list(index._exact)
    assert hashes == sorted(hashes)
    assert hashes == [zlib.crc32(key.encode("utf-8", "surrogatepass")) for key in keys]
    for sorted_keys in (index._starts, index._word_starts):
        assert sorted_keys.heads.tolist() == [_head(key) for key in sorted_keys.keys]
        assert list(sorted_keys.jamo) == [k if k.isascii() else jamo(k) for k in sorted_keys.keys]
    return {
        "exact": exact,
        "names": [tuple(name) for name in index._names],
        "jamo": list(index._jamo_keys),
        "words": {
            word: index._words.postings(word).tolist()
            for word in index._words._words  # type: ignore[attr-defined]
        },
        "prefix": _pairs(index._starts),
        "tails": _pairs(index._word_starts),
        "primary": dict(index._primary.items()),
        "spellings": dict(index._spellings.items()),
        "given": dict(index._given.items()),
    }


def _pairs(keys: SortedKeys) -> list[tuple[str, str, int]]:
    return list(zip(keys.keys, keys.ids, keys.tiers, strict=True))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded = load_cards(SHIPPED_CARDS, workers=1)
    assert len(loaded.cards) > 100 and not loaded.errors
    return Catalog.build(loaded.cards)


@pytest.mark.parametrize("piece", [7, 16_384])
def test_the_title_index_holds_what_a_name_at_a_time_build_makes(
    catalog: Catalog, piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = list(catalog.titles.order)
    ordered = [catalog.cards[slug] for slug in order]
    entries = _with_hard_names(list(_title_names(ordered)), order)
    monkeypatch.setattr(names_module, "PIECE", piece)
    index = NameIndex.build(iter(entries), labels=dict(catalog.titles.labels), order=order)
    expected = _reference(entries, order, people=False)
    held = _held(index)
    assert len(expected["names"]) > 400 and len(expected["tails"]) > 300  # type: ignore[arg-type]
    for part, value in expected.items():
        assert held[part] == value, part
    # The catalog's own title index, built the same way from its cards, holds the same too.
    plain = _reference(_title_names(ordered), order, people=False)
    assert _held(catalog.titles) == plain


@pytest.mark.parametrize("piece", [7, 16_384])
def test_the_actor_index_holds_what_a_name_at_a_time_build_makes(
    catalog: Catalog, piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = list(catalog.actor_names.order)
    entries: list[Entry] = []
    for actor_id in order:
        actor = catalog.actors[actor_id]
        entries.append((actor.id, actor.name, NameKind.PRIMARY))
        entries += [(actor.id, alias, NameKind.ALIAS) for alias in actor.aliases]
        entries += [(actor.id, native, NameKind.NATIVE) for native in actor.native_names]
    entries = _with_hard_names(entries, order)
    monkeypatch.setattr(names_module, "PIECE", piece)
    labels = dict(catalog.actor_names.labels)
    index = NameIndex.build(entries, labels=labels, order=order, people=True)
    expected = _reference(entries, order, people=True)
    assert len(expected["names"]) > 300 and expected["spellings"]
    held = _held(index)
    for part, value in expected.items():
        assert held[part] == value, part
