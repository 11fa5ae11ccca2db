"""A drama asked for by who is in it: "the one with hyun bin and son ye jin", "kim soo hyun
and kim ji won drama", "the kdrama with byeon woo seok" (fan pass 14). The dramas every
named actor plays in are offered, a did-you-mean even when there is one: which drama a fan
means by its actors, the bot cannot be sure of. Asked only when nothing else found the
query; every part must be exactly some actor's name (an accepted spelling), so a few
dictionary look-ups, never a scan.
"""

from __future__ import annotations

import re

from bot.answering.loose_titles import MAX_OFFERED
from bot.answering.role_hint import roles_named
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution
from bot.matching.query import strip_mentions

# "the one with", "the drama with", "that kdrama starring", "the show where": which drama.
_WHICH = re.compile(
    r"^(?:(?:the|that|this)\s+)?(?:one|drama|kdrama|k drama|show|series)\s+"
    r"(?:with|starring|where|that has|that had|featuring)\s+"
)
# "the reply one with park bo gum": a word or two of the drama's name, then which one.
_NAMED_ONE = re.compile(
    r"^(?:the|that|this)\s+(?P<words>\w+(?:\s\w+)?)\s+(?:one|drama|kdrama|show|series)\s+"
    r"(?:with|starring|featuring)\s+"
)
# "kim soo hyun and kim ji won drama": a kind of show after the names.
_KIND_AFTER = re.compile(r"\s+(?:drama|kdrama|k drama|show|series|one)$")
# Names joined: "hyun bin and son ye jin", "iu, lee sun kyun", "gong yoo & kim go eun" (a
# comma, a semicolon, a plus or a slash between names is read before folding drops it).
_MARKS = re.compile(r"\s*[,;+/&]\s*")
_JOIN = re.compile(r"\s+(?:and|n|x)\s+")
# Whether a query may list names at all: a mark or a joining word.
_LISTED = re.compile(r"[,;+/&]|\s(?:and|n|x)\s", re.IGNORECASE)
# At most this many actors are read from one query (a few look-ups).
MAX_ACTORS = 4


def named_parts(query: str) -> list[str]:
    """The parts of ``query`` (folded) between the marks and words that join names:
    "hyun bin, son ye jin" -> ``["hyun bin", "son ye jin"]``; one part when none joins."""
    marked = _MARKS.sub(" and ", clean_query(strip_mentions(query)))
    return [p for p in _JOIN.split(fold(marked)) if p]


def dramas_with(catalog: Catalog, query: str) -> Resolution | None:
    """The dramas the actors ``query`` names all play in, offered; None unless it names one
    actor after "the one with" (or such), or two or more joined by "and" or a comma."""
    parts = named_parts(query)
    if not parts:
        return None
    # "the reply one with park bo gum" (fan pass 19): words of its name before "one"
    named = _NAMED_ONE.match(parts[0])
    which = _WHICH.sub("", parts[0]) if named is None else parts[0][named.end() :]
    asked = which != parts[0]
    parts[0] = which
    parts[-1] = _KIND_AFTER.sub("", parts[-1])
    parts = [p for p in parts if p]
    if not parts or len(parts) > MAX_ACTORS or (len(parts) == 1 and not asked):
        return None
    shared: dict[str, None] | None = None
    for part in parts:
        dramas = _dramas_of(catalog, part, roles=len(parts) > 1)
        if dramas is None:
            return None  # no one's name, or several people's
        shared = dramas if shared is None else {d: None for d in shared if d in dramas}
    if shared and named is not None:
        # (only those of the actors' dramas whose names hold the words, in any season)
        holding = {
            catalog.titles.first_season(i)
            for i in catalog.titles.ids_with_words(named["words"].split())
        }
        shared = {d: None for d in shared if d in holding}
    if not shared:
        return None
    return Resolution(Kind.CANDIDATES, tuple(shared)[:MAX_OFFERED], query, hedged=True)


def _dramas_of(catalog: Catalog, part: str, *, roles: bool) -> dict[str, None] | None:
    """The dramas (first seasons) of the one actor ``part`` names exactly; or, ``roles``, the
    dramas with a role ``part`` names (fan pass 16: "kim tan and cha eun sang" is The Heirs);
    None when it names neither."""
    titles = catalog.titles
    ids = catalog.actor_names.named_exactly(part)
    if len(ids) == 1 and (actor := catalog.actors.get(ids[0])) is not None:
        return dict.fromkeys(titles.first_season(c.slug) for c in actor.credits)
    if ids or not roles or not (played := roles_named(catalog, part)):
        return None
    return dict.fromkeys(titles.first_season(slug) for slug, _, _ in played)


def actors_listed(catalog: Catalog, query: str) -> tuple[str, ...]:
    """ "/actor hyun bin, son ye jin", "/actor iu & lee sun kyun": the actors a list of two
    or more names names, each part some actor's whole name (an accepted spelling, or the one
    actor the index names confidently), in the order typed; none when a part names no one
    surely ("kim, soo hyun" is one name typed with a comma, not a list)."""
    if not _LISTED.search(query):
        return ()  # (a name alone: the common case, one search)
    parts = named_parts(query)
    if not 2 <= len(parts) <= MAX_ACTORS:
        return ()
    found: list[str] = []
    for part in parts:
        ids = catalog.actor_names.named_exactly(part)
        if len(ids) != 1:
            named = catalog.actor_names.resolve(part)
            ids = named.ids if named.kind is Kind.MATCH else ()
        if len(ids) != 1 or ids[0] not in catalog.actors:
            return ()
        found.append(ids[0])
    return tuple(dict.fromkeys(found))
