"""A character's name typed where a title belongs ("/drama Vincenzo Cassano"): when no title
fits, a role that matches well is a did-you-mean of its drama, never a confident answer.

The role index is built once per catalog, the first time a title finds nothing (in the
worker thread that answers, never on the event loop), and then kept beside that catalog
until the catalog is freed.
"""

from __future__ import annotations

import threading
import weakref

from rapidfuzz import fuzz

from bot.catalog.snapshot import Catalog
from bot.matching.folding import fold
from bot.matching.roles import RoleIndex, role_keys

# How close a typed name must be to a role's (rapidfuzz ratio of the folded letters, in either
# order of its first word and the rest).
MIN_SCORE = 85
# At most this many dramas offered (a select menu holds 25).
MAX_OFFERED = 10
# Shorter queries are not looked up as roles ("Kim", "Ra-on").
MIN_LETTERS = 6

_lock = threading.Lock()
_indexes: dict[int, tuple[weakref.ref[Catalog], RoleIndex]] = {}


def role_index(catalog: Catalog) -> RoleIndex:
    """The catalog's role index, built on first use."""
    kept = _indexes.get(id(catalog))
    if kept is not None and kept[0]() is catalog:
        return kept[1]
    with _lock:
        kept = _indexes.get(id(catalog))
        if kept is not None and kept[0]() is catalog:
            return kept[1]
        index = RoleIndex.build(
            (slug, place, member.role)
            for slug, card in catalog.cards.items()
            for place, member in enumerate(card.cast)
            if member.role
        )
        key = id(catalog)
        _indexes[key] = (weakref.ref(catalog, lambda _: _indexes.pop(key, None)), index)
        return index


def roles_named(catalog: Catalog, query: str) -> tuple[tuple[str, str, str], ...]:
    """(slug, role, actor) of the roles ``query`` names well, leading roles first."""
    wanted = "".join(fold(query).split())
    if len(wanted) < MIN_LETTERS:
        return ()
    found = []
    for slug, place in role_index(catalog).candidates(query):
        card = catalog.cards.get(slug)
        if card is None or place >= len(card.cast) or not card.cast[place].role:
            continue
        member = card.cast[place]
        score = max((fuzz.ratio(wanted, key) for key in role_keys(member.role or "")), default=0)
        if score >= MIN_SCORE:
            found.append((-score, place, slug, member.role or "", member.actor))
    found.sort()
    picked: dict[str, tuple[str, str, str]] = {}
    for _, _, slug, role, actor in found:
        picked.setdefault(slug, (slug, role, actor))
    return tuple(picked.values())[:MAX_OFFERED]
