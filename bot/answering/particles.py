"""A Korean particle typed after a Hangul name (fan pass 15): "사랑의 불시착은" (Crash Landing
on You + 은, "as for"), "도깨비가", "나의 아저씨를", "현빈이", "아이유는". A particle is no part
of the name; the index sees one or two syllables more and offers the name as a near spelling,
or nothing for a short name ("안나는", "괴물이"). The name is read without the particle only
when that leaves some name exactly (a dictionary look-up): a name that itself ends in such
a syllable is found whole before this is asked.
"""

from __future__ import annotations

from bot.matching.folding import clean_query, fold
from bot.matching.query import strip_mentions

# Particles after a noun, longest first: topic, subject, object, "and"/"with", "too",
# possessive, "to"/"at", "only", and the copula's question ("이야", "야").
PARTICLES = (
    "이랑",
    "에서",
    "에게",
    "한테",
    "하고",
    "까지",
    "부터",
    "이야",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "도",
    "와",
    "과",
    "랑",
    "의",
    "에",
    "만",
    "야",
)


# The last syllables of the particles above: a query ending in none of them is asked no
# more (one look at its last letter; most queries are no Hangul at all).
_LAST_SYLLABLES = frozenset(p[-1] for p in PARTICLES)


def without_particle(query: str) -> str | None:
    """``query`` folded, with a particle at the end of its last word (with something before
    the particle: "1988은", "빈센조는") taken off; None when it ends in none."""
    if query.rstrip(" ?!.~")[-1:] not in _LAST_SYLLABLES:
        return None
    text = fold(clean_query(strip_mentions(query)))
    last = text.rsplit(" ", 1)[-1]
    for particle in PARTICLES:
        if last.endswith(particle) and len(last) > len(particle):
            return text[: -len(particle)]
    return None
