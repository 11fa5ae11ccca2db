"""Computed similarity kept in the database, so a restart with unchanged cards does not rank
every card again (about half of building a catalog of 100,000 cards).

What is kept is plain data, as JSON: per card, its own ``similar`` titles with the slug each
resolved to, and the slugs of its computed picks. It is used only when its *fingerprint* is
the current one: a hash of every card's slug and digest and of the source code that computes
it (similarity, title matching, the card model), so an edited card or an upgraded bot never
reads picks worked out for something else. Anything unexpected in it (damage, another shape)
means it is not used: it is a cache, recomputed when in doubt.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

Listed = dict[str, tuple[tuple[str, str | None], ...]]
Computed = dict[str, tuple[str, ...]]

#: The ``catalog_meta`` key it is stored under.
META_KEY = "similarity"
_PACKAGE = Path(__file__).resolve().parent.parent
# The code whose output is kept: a change in any of these files makes the kept data stale.
_SOURCES = ("catalog/similarity.py", "catalog/snapshot.py", "cards/model.py", "text.py")
_SOURCE_FOLDERS = ("matching",)


@functools.cache
def code_version() -> str:
    """A hash of the source files that compute similarity (read once per process)."""
    digest = hashlib.sha256()
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


def fingerprint(digests: Iterable[tuple[str, str]]) -> str:
    """What the kept data must have been computed for: every ``(slug, card digest)`` and the
    code. Pure CPU work (a sort and a hash of every card): run it off the event loop."""
    digest = hashlib.sha256(code_version().encode())
    for slug, card_digest in sorted(digests):
        digest.update(f"{slug}\0{card_digest}\n".encode())
    return digest.hexdigest()


#: Cards per stored part: each part is encoded and decoded in one C call, which holds the GIL.
PART_CARDS = 5_000


def encode(print_: str, listed: Listed, computed: Computed) -> list[str]:
    """The parts to store: the first names the fingerprint and how many parts follow."""
    slugs = sorted(listed.keys() | computed.keys())
    parts = [
        json.dumps(
            {
                slug: [
                    [list(pair) for pair in listed.get(slug, ())],
                    list(computed.get(slug, ())),
                ]
                for slug in slugs[start : start + PART_CARDS]
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for start in range(0, len(slugs), PART_CARDS)
    ]
    return [json.dumps({"fingerprint": print_, "parts": len(parts)}), *parts]


def header(text: str | None, print_: str) -> int | None:
    """How many parts the kept data has, if it was computed for ``print_``; else None."""
    try:
        data: Any = json.loads(text or "")
        if isinstance(data, dict) and data.get("fingerprint") == print_:
            parts = data.get("parts")
            return parts if isinstance(parts, int) and parts >= 0 else None
    except ValueError:
        pass
    return None


def decode_part(
    text: str | None, slugs: Mapping[str, object], into: tuple[Listed, Computed]
) -> bool:
    """Add one stored part to ``into``; False when it is damaged or names a card not in
    ``slugs`` (then none of the kept data is used)."""
    listed, computed = into
    try:
        data: Any = json.loads(text or "")
        for slug, (pairs, picks) in data.items():
            if slug not in slugs:
                return False
            if pairs:
                listed[slug] = tuple((str(title), target) for title, target in pairs)
                if any(t is not None and t not in slugs for _, t in listed[slug]):
                    return False
            if picks:
                computed[slug] = tuple(picks)
                if any(pick not in slugs for pick in picks):
                    return False
    except (ValueError, TypeError, KeyError, AttributeError):
        return False
    return True
