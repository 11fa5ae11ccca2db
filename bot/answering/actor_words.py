"""What ``/actor`` reads around a name, when the name alone found no one: the words fans put
around it ("who is song kang", "what else has park bo gum been in", "IU dramas") and one of
the actor's dramas typed with it ("IU my mister", "queen of tears kim soo hyun", "Im Si Wan
(Run On)").

A drama beside the name makes the answer sure only when the name is exactly one actor's (an
accepted spelling, a dictionary look-up) and the words beside it name, confidently, a drama
of that actor's (any season of it). A name beside anything else ("rowoon sf9", "IU squid
game") is only offered as a "did you mean". A few look-ups per query, never a scan.
"""

from __future__ import annotations

import re

from bot.answering.title_resolve import in_cast, resolve_title
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution
from bot.matching.query import strip_mentions, without_terminal_codes

# An actor's name is at most this many words ("ji chang wook", "lee jung jae").
_NAME_WORDS = 4
# More words than this are no name with a drama beside it.
_MAX_WORDS = 12
# At most this many actors offered.
_MAX_OFFERED = 5
# Folded; the longest first is tried at each end.
_LEADS = frozenset(
    (
        "who is|whos|who s|who is the actor|who is the actress|tell me about|info on|info about|"
        "about|the actor|the actress|actor|actress|starring|with|"
        "dramas with|drama with|shows with|series with|kdramas with|movies with|"
        "dramas starring|shows starring|everything with|anything with|more with|"
        "other dramas with|other shows with|more dramas with|more shows with|"
        "what else has|what else is|what else was|what else did|what has|what is|what was|"
        "filmography of|dramas of|works of|"
        "배우"
    ).split("|")
)
_TAILS = frozenset(
    (
        # (not a bare "in": "Kang Kyung In", "Moon Jae In" end in it)
        "been in|acted in|starred in|played in|was in|is in|been in lately|lately|recently|"
        "dramas|drama|kdramas|shows|series|filmography|works|drama list|dramas list|roles|"
        "please|pls|thanks|"
        "actor|actress|the actor|the actress|kdrama actor|kdrama actress|"  # fan pass 17
        "드라마|작품|필모|필모그래피|출연작|나온 드라마|배우"
    ).split("|")
)
_LONGEST = 4  # words in the longest phrase above
# Between a name and a drama: "lee jong suk in w", "kim soo hyun from queen of tears".
_JOINERS = frozenset("in from on of and as".split())
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")  # "Gong Yoo's dramas"
# "who's kim ji won", "what's IU been in": a contraction of "is", not a possessive.
_CONTRACTED_IS = re.compile(r"\b(who|what|that|where)['’]s\b", re.IGNORECASE)


def actor_in_words(catalog: Catalog, query: str) -> Resolution | None:
    """The actor ``query`` names among other words: a :class:`Resolution` of actors' ids (a
    sure answer, or a "did you mean"), or None when it names no one."""
    text = _CONTRACTED_IS.sub(r"\1 is", clean_query(strip_mentions(query)))
    text = _POSSESSIVE.sub("", text)
    words = fold(text).split()
    if not 2 <= len(words) <= _MAX_WORDS:
        return None
    # the words before the name first ("who is"), then those after it too ("dramas")
    led = _strip_ends(words, ((_LEADS, False),))
    bare = _strip_ends(led, ((_TAILS, True),))
    offered = None
    for shorter in dict.fromkeys(" ".join(w) for w in (led, bare) if w != words):
        found = catalog.actor_names.resolve(shorter)
        if found.kind is Kind.MATCH:
            return found
        offered = offered or (found if found.kind is not Kind.NONE else None)
    beside = _with_a_drama(catalog, bare)
    if beside is not None and beside.kind is Kind.MATCH:
        return beside
    return offered or beside


def _strip_ends(words: list[str], ends: tuple[tuple[frozenset[str], bool], ...]) -> list[str]:
    """``words`` without the phrases of each set at the start (False) or the end (True),
    while a word remains."""
    for phrases, at_end in ends:
        changed = True
        while changed and len(words) > 1:
            changed = False
            for size in range(min(_LONGEST, len(words) - 1), 0, -1):
                part = words[-size:] if at_end else words[:size]
                if " ".join(part) in phrases:
                    words, changed = (words[:-size] if at_end else words[size:]), True
                    break
    return words


def _with_a_drama(catalog: Catalog, words: list[str]) -> Resolution | None:
    """An actor's exact name at either end of ``words`` and one of their dramas in the rest."""
    offered: dict[str, None] = {}
    for size in range(min(_NAME_WORDS, len(words) - 1), 0, -1):
        for first in (True, False):
            name, rest = (words[:size], words[size:]) if first else (words[-size:], words[:-size])
            people = catalog.actor_names.named_exactly(" ".join(name))
            if len(people) != 1 or (actor := catalog.actors.get(people[0])) is None:
                continue
            # the joining words next to the name: "in" of "lee jong suk in w"
            while rest and rest[0 if first else -1] in _JOINERS:
                rest = rest[1:] if first else rest[:-1]
            if not rest:
                continue
            title = resolve_title(catalog, " ".join(rest), respell=False)
            played = {credit.slug for credit in actor.credits}
            if title.kind is Kind.MATCH and in_cast(catalog, title.ids[0], played):
                return Resolution(Kind.MATCH, people, " ".join(words))
            offered[people[0]] = None
    if not offered:
        return None
    ids = tuple(offered)[:_MAX_OFFERED]
    return Resolution(Kind.CANDIDATES, ids, " ".join(words), hedged=True)


def actor_choices(catalog: Catalog, typed: str) -> list[str]:
    """Autocomplete for an actor option: the actor index's suggestions; when it has none, the
    actor submitting the text would answer ("IU my mister"), so the list is never empty for a
    text that answers."""
    typed = without_terminal_codes(typed)
    suggested = catalog.actor_names.suggest(typed)
    if suggested or len(typed.split()) < 2:
        return suggested
    named = actor_in_words(catalog, typed)
    return list(named.ids) if named is not None and named.kind is Kind.MATCH else []
