"""A character's name typed where a title belongs ("/drama Vincenzo Cassano"): when no title
fits, a role that matches well is a did-you-mean of its drama, never a confident answer.

The role index is built once per catalog, the first time a title finds nothing (never on the
event loop: in the worker thread that answers for a small catalog, in a thread of its own for
a big one), and then kept beside that catalog until the catalog is freed.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable

from rapidfuzz import fuzz

from bot.catalog.lazy_cards import each_card
from bot.catalog.snapshot import Catalog
from bot.matching.folding import fold
from bot.matching.roles import RoleIndex, role_keys

# How close a typed name must be to a role's (rapidfuzz ratio of the folded letters, in either
# order of its first word and the rest).
MIN_SCORE = 85
# At most this many dramas offered (a select menu holds 25).
MAX_OFFERED = 10
# Shorter queries are not looked up as roles ("Kim", "Ra-on"), but for a title word and a name
# spelt exactly ("mr gu"), this many letters or more.
MIN_LETTERS = 6
MIN_TITLED = 4

# Up to this many cards the index is built in the answering thread when first needed (about
# 50 ms at 2,000 cards); past that in a thread of its own, and title misses get no role hint
# until it is ready (2.6 s of CPU at 100,000 cards: no answer waits for it).
BUILD_IN_PLACE = 2_000
# Built aside, it sleeps a moment every this many roles (about 0.2 ms of work), so answers
# and the event loop keep their pace while it runs (it takes twice as long, in the background).
PAUSE_EVERY = 32
# Past this many cards character names are not looked up at all: the index would cost about
# 2.6 s of CPU after every reload at 100,000 cards (400,000 roles), competing with answers and
# reloads for the GIL (the 100,000-card bench's reload with nothing changed took 1.5 s instead
# of 0.7 while it was built), for a hint a title miss rarely needs.
MAX_CARDS = 20_000

log = logging.getLogger(__name__)
_lock = threading.Lock()
_indexes: dict[int, tuple[weakref.ref[Catalog], RoleIndex | None]] = {}


def _build(catalog: Catalog, pause_every: int = 0) -> RoleIndex:
    return RoleIndex.build(
        (
            (card.slug, place, member.role)
            for card in each_card(catalog.cards)
            for place, member in enumerate(card.cast)
            if member.role
        ),
        pause_every,
    )


def _keep(catalog: Catalog, index: RoleIndex | None) -> None:
    key = id(catalog)
    _indexes[key] = (weakref.ref(catalog, lambda _: _indexes.pop(key, None)), index)


def _build_aside(catalog: Catalog) -> None:
    try:
        index = _build(catalog, PAUSE_EVERY)
    except Exception:  # a hint is not worth a crash: title misses just get none
        log.exception("could not index the cast's roles; character names are not looked up")
        return
    with _lock:
        _keep(catalog, index)


def role_index(catalog: Catalog) -> RoleIndex | None:
    """The catalog's role index, built on first use (None while a big one is being built,
    and for a catalog of more than ``MAX_CARDS`` cards)."""
    if len(catalog.cards) > MAX_CARDS:
        return None
    kept = _indexes.get(id(catalog))
    if kept is not None and kept[0]() is catalog:
        return kept[1]
    with _lock:
        kept = _indexes.get(id(catalog))
        if kept is not None and kept[0]() is catalog:
            return kept[1]
        if len(catalog.cards) <= BUILD_IN_PLACE:
            index = _build(catalog)
            _keep(catalog, index)
            return index
        _keep(catalog, None)  # being built
        threading.Thread(
            target=_build_aside, args=(catalog,), name="role-index", daemon=True
        ).start()
        return None


# Words fans put before a character's name, as the drama calls them: "captain ri jeong
# hyeok", "attorney woo young woo", "dr. kim sa bu", "detective park hae young".
TITLES = frozenset(
    (
        "captain|capt|dr|doctor|detective|det|lawyer|attorney|prosecutor|judge|ceo|director|"
        "chief|teacher|professor|prof|president|chairman|general|commander|officer|sergeant|"
        "lieutenant|nurse|king|queen|prince|princess|lady|lord|sir|madam|mr|mrs|ms|miss|"
        "manager|team leader|secretary|agent|coach|pastor|father"
    ).split("|")
)


def roles_named(catalog: Catalog, query: str) -> tuple[tuple[str, str, str], ...]:
    """(slug, role, actor) of the roles ``query`` names well, leading roles first; a name
    after a title the role's name lacks ("captain ri jeong hyeok") is that role's too."""
    found = _roles_named(catalog, query)
    words = fold(query).split()
    words = words[1:] if words[:1] == ["the"] else words  # "the ceo kang tae moo"
    for size in (2, 1):
        if not found and len(words) > size + 1 and " ".join(words[:size]) in TITLES:
            found = _roles_named(catalog, " ".join(words[size:]))
    return found


def roles_spelt_in(catalog: Catalog, slug: str, query: str) -> tuple[tuple[str, str, str], ...]:
    """(slug, role, actor) of the roles in the drama ``slug`` (any season of it) that
    ``query`` spells exactly (one of :func:`~bot.matching.roles.role_keys`), however short:
    "yi san" once the title beside it names The Red Sleeve (fan pass 17). A name shorter
    than ``MIN_LETTERS`` is not looked up among every role, only in a drama named surely."""
    wanted = "".join(fold(query).split())
    titles = catalog.titles
    seasons = titles.seasons_of(titles.first_season(slug)) or [slug]
    return tuple(
        (season, member.role, member.actor)
        for season in seasons
        if (card := catalog.cards.get(season)) is not None
        for member in card.cast
        if member.role and wanted in role_keys(member.role)
    )


def _similar(wanted: str) -> Callable[[str], float]:
    return lambda key: fuzz.ratio(wanted, key)


def _roles_named(catalog: Catalog, query: str) -> tuple[tuple[str, str, str], ...]:
    words = fold(query).split()
    wanted = "".join(words)
    # "mr gu", "dr cha": a short name after a title word is looked up only as a role spelt
    # exactly so (fan pass 19); other short names not at all.
    exactly = len(wanted) < MIN_LETTERS
    if exactly and not (len(words) == 2 and words[0] in TITLES and len(wanted) >= MIN_TITLED):
        return ()
    index = role_index(catalog)
    if index is None:
        return ()
    found = []
    for slug, place in index.candidates(query):
        card = catalog.cards.get(slug)
        if card is None or place >= len(card.cast) or not card.cast[place].role:
            continue
        member = card.cast[place]
        keys = role_keys(member.role or "")
        score = 100 if wanted in keys else 0 if exactly else max(map(_similar(wanted), keys))
        if score >= MIN_SCORE:
            found.append((-score, place, slug, member.role or "", member.actor))
    found.sort()
    picked: dict[str, tuple[str, str, str]] = {}
    for _, _, slug, role, actor in found:
        picked.setdefault(slug, (slug, role, actor))
    return tuple(picked.values())[:MAX_OFFERED]
