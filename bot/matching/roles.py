"""Characters' names (cast ``role``), found by a name as fans type it: "Vincenzo Cassano",
"cassano vincenzo", "Hong Chayoung", "vincenzo casano".

Each role is kept as up to three 64-bit hashes, not as text: its folded letters without
spaces (so spaces, hyphens and case do not matter), the same with the first word moved last
(a family name written first or last), and the first without vowels or doubled letters, with
consonants that romanizations and fans swap made one (a skeleton, so a slip in a vowel, a
doubled letter or a "z" for an "s" still meets it: "vincenso"; a query's skeleton is also
taken with its words turned: "casano vincenzo"). A look-up is a binary search per key; the
caller checks each hit against the role's own text, so a hash collision or a loose skeleton
never reaches a user. At 100,000 cards (about 400,000 roles) the arrays hold about 15 MB
(measured: docs/matching.md).
"""

from __future__ import annotations

import re
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bot.matching.folding import fold

# How long each pause of a build beside a serving loop lasts: a real sleep, so a thread waiting
# for the GIL is woken and takes it. ``sleep(0)`` gave it up only for an instant, the waiter
# usually slept on for the whole switch interval (5 ms), and answers asked for during a build
# at 20,000 cards took 20 ms at p99 instead of 2.
PAUSE_S = 0.0002

_VOWELS = re.compile(r"[aeiouy]+")
# Consonants written for one another: "vincenso" for Vincenzo, and the pairs Korean names are
# romanized with either way (Gim/Kim, Bak/Park, Dae/Tae, Ra-on/La-on).
_ALIKE = str.maketrans("zgbdlq", "skptrk")
_DOUBLED = re.compile(r"(.)\1+")
# A skeleton this short says too little to look anything up by.
MIN_SKELETON = 4


def role_keys(name: str) -> tuple[str, ...]:
    """``name`` folded without spaces, and (for two words or more) with its first word moved
    to the end: ``Seo Jun-ho`` -> ``seojunho``, ``junhoseo`` (a family name first or last),
    ``junho`` (the given name alone, as fans call a character). A name the role is also
    known by, in brackets after it, is a key too, with and without its "the": ``Hwang In-ho
    (the Front Man)`` -> ``hwanginho``, ``inhohwang``, ``inho``, ``thefrontman``,
    ``frontman``."""
    called, _, also = name.partition("(")
    keys = _name_keys(called)
    if also := fold(also.partition(")")[0]):
        keys += _name_keys(also) + ((_name_keys(bare)[0],) if (bare := _no_article(also)) else ())
    return tuple(dict.fromkeys(keys))


def _no_article(words: str) -> str:
    """ "the front man" -> "front man"; "" when ``words`` do not start with "the"."""
    return words[4:] if words.startswith("the ") else ""


def _name_keys(name: str) -> tuple[str, ...]:
    """A name's keys (see :func:`role_keys`); a name of three words or more ("Ryu Sun-jae":
    a family name and a two-syllable given name) also by its given name alone ("sunjae")."""
    words = fold(name).split()
    if len(words) < 2:
        return ("".join(words),) if words else ()
    given = ("".join(words[1:]),) if len(words) >= 3 else ()
    return "".join(words), "".join(words[1:] + words[:1]), *given


def skeleton(key: str) -> str:
    """``key`` without vowels and doubled letters, alike consonants made one:
    ``cassanovincenzo`` -> ``csnvncns``."""
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", _DOUBLED.sub(r"\1", key.translate(_ALIKE))))


@dataclass(frozen=True, slots=True)
class RoleIndex:
    """Where each role is: the card (a number into ``slugs``) and its place in the cast."""

    keys: np.ndarray  # int64 hashes, sorted
    cards: np.ndarray  # int32: the card of each key
    places: np.ndarray  # int16: the cast member's place in that card
    slugs: tuple[str, ...]

    @classmethod
    def build(cls, roles: Iterable[tuple[str, int, str]], pause_every: int = 0) -> RoleIndex:
        """``roles``: (slug, place in the cast, role name) for every credit with a role.
        ``pause_every``: give up the GIL after that many roles (built beside a serving event
        loop, so that the loop's thread never waits a whole switch interval for it)."""
        slugs: list[str] = []
        number: dict[str, int] = {}
        keys, cards, places = array("q"), array("i"), array("h")
        for done, (slug, place, role) in enumerate(roles, start=1):
            if pause_every and done % pause_every == 0:
                time.sleep(PAUSE_S)
            card = number.get(slug)
            if card is None:
                card = number[slug] = len(slugs)
                slugs.append(slug)
            names = role_keys(role)
            if not names:
                continue
            for text in {*names, skeleton(names[0])}:
                keys.append(hash(text))
                cards.append(card)
                places.append(place)
        hashes = np.frombuffer(keys, dtype=np.int64) if keys else np.zeros(0, np.int64)
        order = np.argsort(hashes, kind="stable")
        return cls(
            hashes[order],
            (np.frombuffer(cards, dtype=np.int32) if cards else np.zeros(0, np.int32))[order],
            (np.frombuffer(places, dtype=np.int16) if places else np.zeros(0, np.int16))[order],
            tuple(slugs),
        )

    def candidates(self, query: str, limit: int = 200) -> list[tuple[str, int]]:
        """(slug, place in the cast) of roles whose words or skeleton are the query's (at
        most ``limit``), in the order the cards were given; to be checked against the role's
        text. (Hashes are Python's own: an index lives in one process and is never kept.)"""
        words = fold(query).split()
        key = "".join(words)
        if not key:
            return []
        texts = [key]
        # The skeleton as typed, and with the words turned as a role's second key is ("casano
        # vincenzo" meets Vincenzo Cassano's skeleton): only the first key has one.
        turns = {key, "".join(words[1:] + words[:1]), "".join(words[-1:] + words[:-1])}
        texts += [bone for turn in turns if len(bone := skeleton(turn)) >= MIN_SKELETON]
        found: dict[tuple[int, int], None] = {}
        for text in texts:
            wanted = np.int64(hash(text))
            start = int(np.searchsorted(self.keys, wanted, side="left"))
            end = int(np.searchsorted(self.keys, wanted, side="right"))
            for at in range(start, min(end, start + limit)):
                found[(int(self.cards[at]), int(self.places[at]))] = None
        return [(self.slugs[card], place) for card, place in sorted(found)]

    @property
    def nbytes(self) -> int:
        return self.keys.nbytes + self.cards.nbytes + self.places.nbytes
