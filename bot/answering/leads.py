"""Who a fan means by a drama's part rather than a name: "/actor who plays the lead in
goblin", "the guy from vincenzo", "the female lead of the glory", "who plays captain ri in
cloy" (a character the card does not name so). The drama is found as any title is; its cast,
in billing order, is offered as a did-you-mean: the card lists no one's sex, and "the lead"
may be either of two, so the bot offers and never answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering.role_hint import roles_named
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution

# "who plays the lead in", "the guy from", "the female lead of", "the second lead in", "the
# main actress in": the words before "in"/"of"/"from" say which part, the rest is the title.
_PART_OF = re.compile(
    r"^(?:(?:who\s+(?:plays|played|is|was|are|were|is\s+playing)|whos|who\s+s)\s+)?"
    r"(?:the\s+)?(?P<which>(?:(?:main|male|female|lead|leading|second|2nd|first|1st)\s+)*)"
    r"(?P<part>lead|leads|actor|actors|actress|actresses|guy|girl|man|woman|boy|star|stars|"
    r"protagonist|protagonists|hero|heroine|ml|fl|sl)\s+(?:in|of|from)\s+(?P<title>\S.*)$"
)
# "who plays captain ri in cloy": a part named as no card names it, and the drama after "in".
_WHO_PLAYS_IN = re.compile(
    r"^(?:who\s+(?:plays|played|is\s+playing|acts\s+as|acted\s+as)|whos)\s+(?P<part>\S.*?)"
    r"\s+in\s+(?P<title>\S.*)$"
)
# How many of the cast are offered: the two leads, or the next two for a "second lead"; the
# first four billed for a part the card does not name.
LEADS = 2
NAMED_CAST = 4


@dataclass(frozen=True, slots=True)
class CastAsked:
    """The drama a question about one of its parts named, and the places in its cast (billing
    order) that may be meant."""

    slug: str
    places: tuple[int, ...]


def _part_asked(catalog: Catalog, query: str) -> tuple[range, str, bool] | None:
    """(the cast places a question about a part may mean, the title it names, whether the
    part is one every drama has: a lead), or None; none for a character of another drama
    ("who plays kim shin in the glory": Kim Shin is Goblin's)."""
    text = fold(clean_query(query))
    if (part := _PART_OF.match(text)) is not None:
        second = bool({"second", "2nd"} & set(part["which"].split())) or part["part"] == "sl"
        start = LEADS if second else 0
        return range(start, start + LEADS), part["title"], True
    if (who := _WHO_PLAYS_IN.match(text)) is not None and not roles_named(catalog, who["part"]):
        return range(NAMED_CAST), who["title"], False
    return None


def drama_of_a_part(catalog: Catalog, query: str) -> Resolution | None:
    """ "/drama the female lead of the glory": the drama a question about its lead names
    confidently; "/cast who plays captain ri in cloy" (a part its card does not name: it may
    be another drama's) only offered. None when no drama is named confidently."""
    asked = _part_asked(catalog, query)
    if asked is None:
        return None
    found = catalog.titles.resolve(asked[1])
    if found.kind is not Kind.MATCH:
        return None
    return found if asked[2] else Resolution(Kind.CANDIDATES, found.ids, found.query, hedged=True)


def cast_asked(catalog: Catalog, query: str) -> CastAsked | None:
    """The drama and cast places ``query`` asks about: "who plays the lead in goblin" is
    Goblin's first two billed; None when it asks about no part of a drama, or its title names
    no drama confidently."""
    found = drama_of_a_part(catalog, query)
    asked = _part_asked(catalog, query)
    if found is None or asked is None or (card := catalog.cards.get(found.ids[0])) is None:
        return None
    places = tuple(at for at in asked[0] if at < len(card.cast))
    return CastAsked(card.slug, places) if places else None
