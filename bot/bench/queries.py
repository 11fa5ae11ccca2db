"""The benchmark's fixed query mix, what each query should get, and how an answer is judged.

Seven kinds of query, the same for the same catalog and seed:

* ``exact``: a title as typed (often in lower case);
* ``typo1`` / ``typo2``: a title with one or two typing slips (a swapped pair, a missed or
  doubled letter, a neighbouring key), never in the first letter;
* ``hangul``: the native title, with or without its spaces;
* ``partial``: a run of two or more whole words from a longer title;
* ``actor``: an actor's name or alias, as typed;
* ``absent``: titles we do not have, made of the same words as ours (the hard case).

The truth is computed here, from the cards alone (never from the resolver): a query is
*ambiguous* when another drama (or person) fits it at least as well as the one it was made
from: the same name, a name as few edits away, or the same run of words. An answer is
``right`` when it is the confident answer the query was made from, or, for an ambiguous
query, a "did you mean" list that contains it; for an absent title, when it is not a
confident answer. Otherwise it is ``asked`` (a "did you mean" for a clear query), ``wrong``
(a confident wrong answer) or ``none`` (nothing found).
"""

from __future__ import annotations

import random
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from bot.bench.synthetic import ADJECTIVES, NOUNS
from bot.cards.model import Card

KINDS = ("exact", "typo1", "typo2", "hangul", "partial", "actor", "absent")
TITLE_KINDS = tuple(k for k in KINDS if k != "actor")
# Share of title queries made from the real (shipped) cards hidden in the catalog.
REAL_SHARE = 0.1
# Well-known shows that are not K-dramas: absent titles a user might well type.
OTHER_SHOWS = (
    "Breaking Bad", "Game of Thrones", "Stranger Things", "The Crown", "Succession",
    "Severance", "The Wire", "Better Call Saul", "The Bear", "Fleabag", "Mad Men",
    "The Sopranos", "Ted Lasso", "Downton Abbey", "Peaky Blinders", "Dark", "Shogun",
)  # fmt: skip
_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_STOPWORDS = frozenset("a an and the of in on to my me you your i is it for at by with".split())


class Outcome(StrEnum):
    RIGHT = "right"
    ASKED = "asked"  # a "did you mean" list for a query that has one clear answer
    WRONG = "wrong"  # a confident answer, and not the one wanted
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    text: str
    target: str | None  # a card slug, an actor key (see actor_key), or None for absent
    ambiguous: bool = False

    def judge(self, confident: bool, keys: Sequence[str]) -> Outcome:
        """``keys``: the answer's slug (confident) or its "did you mean" list, as truth keys."""
        if self.target is None:
            return Outcome.WRONG if confident and keys else Outcome.RIGHT
        if confident:
            return Outcome.RIGHT if keys and keys[0] == self.target else Outcome.WRONG
        if keys:
            return Outcome.RIGHT if self.ambiguous and self.target in keys else Outcome.ASKED
        return Outcome.NONE

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "text": self.text,
            "target": self.target,
            "ambiguous": self.ambiguous,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Query:
        target = data["target"]
        return cls(
            str(data["kind"]),
            str(data["text"]),
            None if target is None else str(target),
            bool(data["ambiguous"]),
        )


def key(text: str) -> str:
    """What the truth counts as the same name: case, spacing and punctuation aside. Kept
    independent of the matcher's own folding on purpose."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def words(text: str) -> list[str]:
    cleaned = "".join(
        ch if ch.isalnum() else " " for ch in unicodedata.normalize("NFKC", text).casefold()
    )
    return cleaned.split()


def actor_key(name: str) -> str:
    return key(name)


def title_names(card: Card) -> list[str]:
    """The names a user may type for a card: title, native title, aliases."""
    return [card.title, *([card.native_title] if card.native_title else []), *card.aliases]


@dataclass(slots=True)
class _Names:
    """Every name of every card, for computing the truth."""

    keys: list[str]
    slugs: list[str]
    texts: list[str]
    by_key: dict[str, set[str]]
    by_word: dict[str, list[int]]
    by_slug: dict[str, list[int]]

    @classmethod
    def of(cls, cards: Iterable[Card]) -> _Names:
        names = cls([], [], [], defaultdict(set), defaultdict(list), defaultdict(list))
        for card in cards:
            for text in title_names(card):
                position = len(names.keys)
                names.keys.append(key(text))
                names.slugs.append(card.slug)
                names.texts.append(text)
                names.by_key[key(text)].add(card.slug)
                names.by_slug[card.slug].append(position)
                for word in set(words(text)):
                    names.by_word[word].append(position)
        return names

    def closest_others(self, query_key: str, target: str) -> bool:
        """Whether another card has a name as few edits from the query as the target's."""
        own = min(
            DamerauLevenshtein.distance(query_key, self.keys[i]) for i in self.by_slug[target]
        )
        # Levenshtein counts a transposition as two edits: a safe, fast (bit-parallel) filter.
        for _, _, position in process.extract(
            query_key,
            self.keys,
            scorer=Levenshtein.distance,
            score_cutoff=2 * own,
            limit=None,
        ):
            if self.slugs[position] != target and (
                DamerauLevenshtein.distance(query_key, self.keys[position]) <= own
            ):
                return True
        return False

    def run_owners(self, query_words: list[str]) -> set[str]:
        """Cards with a name that holds these words in a row, or starts with them."""
        owners: set[str] = set()
        wanted = " " + " ".join(query_words) + " "
        start = key("".join(query_words))
        for position in self.by_word.get(query_words[0], ()):
            text = " " + " ".join(words(self.texts[position])) + " "
            if wanted in text or self.keys[position].startswith(start):
                owners.add(self.slugs[position])
        return owners

    def near_any(self, query_key: str, distance: int) -> bool:
        found = process.extractOne(
            query_key, self.keys, scorer=Levenshtein.distance, score_cutoff=distance
        )
        return found is not None


def _slip(rng: random.Random, text: str) -> str:
    """One typing slip somewhere after the first letter, on a letter."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha() and i > 0]
    position = rng.choice(letters)
    ch = text[position]
    kind = rng.randrange(4)
    if kind == 0 and position + 1 < len(text) and text[position + 1].isalpha():
        return text[:position] + text[position + 1] + ch + text[position + 2 :]  # swapped
    if kind == 1:
        return text[:position] + text[position + 1 :]  # missed
    if kind == 2:
        return text[:position] + ch + text[position:]  # doubled
    near = _neighbour(rng, ch)
    return text[:position] + near + text[position + 1 :]  # neighbouring key


def _neighbour(rng: random.Random, ch: str) -> str:
    lower = ch.lower()
    for row_number, row in enumerate(_KEYBOARD):
        column = row.find(lower)
        if column < 0:
            continue
        options = [row[c] for c in (column - 1, column + 1) if 0 <= c < len(row)]
        for other in (row_number - 1, row_number + 1):
            if 0 <= other < len(_KEYBOARD) and column < len(_KEYBOARD[other]):
                options.append(_KEYBOARD[other][column])
        near = rng.choice(options)
        return near.upper() if ch.isupper() else near
    return ch + ch


def _typed(rng: random.Random, text: str) -> str:
    """As people type it: half the time in lower case."""
    return text.lower() if rng.random() < 0.5 else text


def make_queries(cards: Sequence[Card], real: Sequence[Card], total: int, seed: int) -> list[Query]:
    """``total`` queries, split evenly over the kinds; ``real`` are the shipped cards (a tenth
    of the title queries are about them)."""
    rng = random.Random(f"drama-bot bench queries {seed}")
    names = _Names.of(cards)
    synthetic = [c for c in cards if c.slug not in {r.slug for r in real}]
    per_kind = max(1, total // len(KINDS))

    def pick(condition: object = None) -> Card:
        pool = real if real and rng.random() < REAL_SHARE else synthetic or list(cards)
        for _ in range(200):
            card = rng.choice(pool)
            if condition is None or condition(card):  # type: ignore[operator]
                return card
        return rng.choice(list(cards))

    queries: list[Query] = []
    for _ in range(per_kind):
        card = pick()
        text = _typed(rng, card.title)
        queries.append(Query("exact", text, card.slug, len(names.by_key[key(text)]) > 1))
    for kind, slips in (("typo1", 1), ("typo2", 2)):
        made = 0
        while made < per_kind:
            card = pick(lambda c, n=slips: len(key(c.title)) >= 4 + 3 * n)
            text = _typed(rng, card.title)
            for _ in range(slips):
                text = _slip(rng, text)
            if key(text) == key(card.title):
                continue
            made += 1
            ambiguous = names.closest_others(key(text), card.slug)
            queries.append(Query(kind, text, card.slug, ambiguous))
    for _ in range(per_kind):
        card = pick(lambda c: bool(c.native_title) and key(c.native_title) != key(c.title))
        native = card.native_title or card.title
        text = native.replace(" ", "") if rng.random() < 0.5 else native
        queries.append(Query("hangul", text, card.slug, len(names.by_key[key(text)]) > 1))
    made = 0
    while made < per_kind:
        card = pick(lambda c: len(c.title.split()) >= 3)
        title_words = card.title.split()
        size = rng.randint(2, len(title_words) - 1)
        start = rng.randint(0, len(title_words) - size)
        run = title_words[start : start + size]
        folded = words(" ".join(run))
        if not folded or all(w in _STOPWORDS for w in folded) or key(" ".join(run)) in names.by_key:
            continue  # only stopwords, or the whole name of another drama (not a part)
        made += 1
        owners = names.run_owners(folded)
        text = _typed(rng, " ".join(run))
        queries.append(Query("partial", text, card.slug, owners != {card.slug}))
    queries += _actor_queries(rng, cards, per_kind)
    queries += _absent_queries(rng, names, per_kind)
    return queries


def _actor_queries(rng: random.Random, cards: Sequence[Card], count: int) -> list[Query]:
    people: dict[str, set[str]] = defaultdict(set)  # any name's key -> person keys
    for card in cards:
        for member in card.cast:
            for name in (member.actor, *member.aliases):
                people[actor_key(name)].add(actor_key(member.actor))
    queries = []
    for _ in range(count):
        member = rng.choice(rng.choice(cards).cast)
        name = member.actor
        if member.aliases and rng.random() < 0.3:
            name = rng.choice(member.aliases)
        text = _typed(rng, name)
        queries.append(
            Query("actor", text, actor_key(member.actor), len(people[actor_key(name)]) > 1)
        )
    return queries


def _absent_queries(rng: random.Random, names: _Names, count: int) -> list[Query]:
    """Titles made of our own words that no card has (nothing within three edits, not a run
    of words of any name), plus well-known shows we do not carry."""
    queries: list[Query] = []
    others = list(OTHER_SHOWS)
    rng.shuffle(others)
    attempts = 0
    while len(queries) < count and attempts < count * 200:
        attempts += 1
        if others and rng.random() < 0.15:
            text = others.pop()
        else:
            chosen = [rng.choice(NOUNS)[0] for _ in range(rng.randint(1, 2))]
            text = " ".join([rng.choice(ADJECTIVES)[0], *chosen])
        text_key = key(text)
        if names.near_any(text_key, 3) or names.run_owners(words(text)):
            continue
        queries.append(Query("absent", _typed(rng, text), None))
    return queries
