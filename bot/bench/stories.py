"""``bench --stories``: a short story for every synthetic card (its review's headline and
summary), and the ``story`` query kind: a fan describing one of them ("the one where the
nurses hide a secret letter in a fishing village"). The same for the same card and seed.

Ours only: the naive baseline has no story search, so it is not asked these queries. A story
query is ``right`` when the did-you-mean holds the card it was made from (or, when other
cards' stories hold the same words, offers only those); a story search never answers
confidently.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from bot.bench.queries import KINDS, Outcome, Query
from bot.cards.model import Card, Review

STORY = "story"
#: The query kinds measured: the mix's, then the story kind (with ``--stories`` only).
MEASURED_KINDS = (*KINDS, STORY)

HEROES = (
    "lawyer", "doctor", "nurse", "detective", "prosecutor", "chef", "teacher", "student",
    "soldier", "pilot", "singer", "dancer", "painter", "writer", "reporter", "farmer",
    "fisherman", "baker", "barista", "boxer", "gambler", "hacker", "priest", "monk",
    "princess", "prince", "king", "queen", "butler", "maid", "gardener", "architect",
    "surgeon", "veterinarian", "firefighter", "paramedic", "coach", "swimmer", "jockey",
    "tailor", "banker", "thief", "smuggler", "spy", "bodyguard", "driver", "magician",
    "astronaut", "scientist", "librarian",
)  # fmt: skip
THINGS = (
    "letter", "diary", "painting", "necklace", "violin", "camera", "map", "sword", "ring",
    "photograph", "recipe", "key", "clock", "umbrella", "bicycle", "lantern", "mirror",
    "suitcase", "notebook", "guitar", "telescope", "compass", "medal", "crown", "scroll",
    "vase", "coin", "ticket", "phone", "radio", "ledger", "manuscript", "statue", "jewel",
    "kite", "contract", "anchor", "passport", "uniform", "fan",
)  # fmt: skip
PLACES = (
    "village", "hospital", "palace", "harbor", "island", "mountain", "school", "bakery",
    "restaurant", "prison", "courtroom", "newsroom", "factory", "farm", "temple", "hotel",
    "casino", "theater", "library", "museum", "airport", "station", "market", "laboratory",
    "orchard", "vineyard", "lighthouse", "circus", "embassy", "monastery", "stadium",
    "subway", "bookshop", "convenience store", "bathhouse", "ski resort", "shipyard",
    "observatory", "greenhouse", "gym",
)  # fmt: skip
DEEDS = (
    "hides", "steals", "finds", "loses", "guards", "sells", "forges", "repairs", "buries",
    "inherits", "chases", "returns", "breaks", "wins", "searches for", "trades",
)  # fmt: skip
ADJECTIVES = (
    "stubborn", "shy", "reckless", "gentle", "ambitious", "lonely", "cheerful", "grumpy",
    "clumsy", "brilliant", "retired", "rookie", "widowed", "famous", "penniless", "cunning",
)  # fmt: skip
TIMES = ("the first snow", "the harvest", "the election", "the wedding", "the final exam",
         "the storm", "the festival", "the trial", "dawn", "the last train")  # fmt: skip
_PLURALS = {"thief": "thieves", "fisherman": "fishermen", "princess": "princesses"}
CUES = ("the one where the", "the drama about a", "kdrama with the", "the show where a", "")


def story_of(card: Card, seed: int) -> Review:
    """A short deterministic story for ``card``."""
    rng = random.Random(f"drama-bot bench story {seed} {card.slug}")
    hero, thing, place = rng.choice(HEROES), rng.choice(THINGS), rng.choice(PLACES)
    other, deed = rng.choice(HEROES), rng.choice(DEEDS)
    headline = f"A {rng.choice(ADJECTIVES)} {hero} {deed} a {thing} in a {place}"
    summary = (
        f"Before {rng.choice(TIMES)}, the {hero} meets a {rng.choice(ADJECTIVES)} {other} "
        f"who knows where the {thing} came from. Neither of them is ready for what follows."
    )
    return Review(source="bench", headline=headline, summary=summary)


def with_stories(cards: Sequence[Card], seed: int) -> list[Card]:
    """``cards`` with a story each (:func:`story_of`)."""
    return [replace(card, review=story_of(card, seed)) for card in cards]


def _plural(word: str) -> str:
    return _PLURALS.get(word, word + "s")


def story_queries(rng: random.Random, cards: Sequence[Card], count: int) -> list[Query]:
    """``count`` fans' descriptions of cards made by :func:`with_stories`: the hero, the
    thing and the place, as a fan words them (a plural now and then, a cue or none)."""
    told = [card for card in cards if card.review is not None and card.review.source == "bench"]
    if not told:
        return []
    owners: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    parts = {}
    for card in told:
        words = _parts(card)
        parts[card.slug] = words
        owners[words].append(card.slug)
    queries = []
    for _ in range(count):
        card = rng.choice(told)
        hero, thing, place = parts[card.slug]
        if rng.random() < 0.3:
            hero = _plural(hero)
        if rng.random() < 0.3:
            thing = _plural(thing)
        cue = rng.choice(CUES)
        text = f"{cue} {hero} with a {thing} in a {place}" if cue else f"{hero} {thing} {place}"
        same = owners[parts[card.slug]]
        fits = (card.slug, *sorted(s for s in same if s != card.slug)) if len(same) > 1 else ()
        queries.append(Query(STORY, text.strip(), card.slug, fits))
    return queries


def _parts(card: Card) -> tuple[str, str, str]:
    """(hero, thing, place) of a bench story, read back from its headline."""
    headline = card.review.headline if card.review is not None else None
    words = (headline or "").split()
    # "A {adjective} {hero} {deed...} a {thing} in a {place...}"
    in_at = words.index("in")
    return words[2], words[in_at - 1], " ".join(words[in_at + 2 :])


def judge_story(query: Query, offered: Sequence[str]) -> Outcome:
    """``right`` when the did-you-mean holds the card (or offers only cards that fit)."""
    if not offered:
        return Outcome.NONE
    if query.target in offered or (query.fits and all(s in query.fits for s in offered)):
        return Outcome.RIGHT
    return Outcome.ASKED
