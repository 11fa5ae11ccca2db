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
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution
from bot.matching.query import strip_mentions

# "the one with", "the drama with", "that kdrama starring", "the show where": which drama.
_WHICH = re.compile(
    r"^(?:(?:the|that|this)\s+)?(?:one|drama|kdrama|k drama|show|series)\s+"
    r"(?:with|starring|where|that has|that had|featuring)\s+"
)
# "kim soo hyun and kim ji won drama": a kind of show after the names.
_KIND_AFTER = re.compile(r"\s+(?:drama|kdrama|k drama|show|series|one)$")
# Names joined: "hyun bin and son ye jin", "iu, lee sun kyun", "gong yoo & kim go eun".
_JOIN = re.compile(r"\s*(?:,|&|\+)\s*|\s+(?:and|n|x)\s+")
# At most this many actors are read from one query (a few look-ups).
MAX_ACTORS = 4


def dramas_with(catalog: Catalog, query: str) -> Resolution | None:
    """The dramas the actors ``query`` names all play in, offered; None unless it names one
    actor after "the one with" (or such), or two or more joined by "and" or a comma."""
    text = fold(clean_query(strip_mentions(query)))
    asked = _WHICH.sub("", text)
    named = _KIND_AFTER.sub("", asked)
    parts = [p for p in _JOIN.split(named) if p]
    if not parts or len(parts) > MAX_ACTORS or (len(parts) == 1 and asked == text):
        return None
    shared: dict[str, None] | None = None
    titles = catalog.titles
    for part in parts:
        ids = catalog.actor_names.named_exactly(part)
        if len(ids) != 1 or (actor := catalog.actors.get(ids[0])) is None:
            return None  # no one's name, or several people's
        dramas = dict.fromkeys(titles.first_season(c.slug) for c in actor.credits)
        shared = dramas if shared is None else {d: None for d in shared if d in dramas}
    if not shared:
        return None
    return Resolution(Kind.CANDIDATES, tuple(shared)[:MAX_OFFERED], query, hedged=True)
