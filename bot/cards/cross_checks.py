"""Checks of names between cards: an alias may not be another drama's title, and `similar`
titles we have no card for are noted.

Both compare names by :func:`bot.text.name_key` (case, accents, spacing and punctuation fold
away), in one pass over the catalog: no pair of cards is compared directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.cards.errors import NOTE, CardError
from bot.cards.freeing import free_in_slices
from bot.cards.model import Card
from bot.cards.reader import CARD_SUFFIX
from bot.text import name_key

_TRAILING_YEAR = re.compile(r"\s*\(?\b(?:19|20)\d\d\)?\s*$")

Lines = Mapping[str, Mapping[str, tuple[int, ...]]]

#: A card's names as :func:`names_across` compares them (:func:`name_key`): its title, slug,
#: title with its year, native title ("" when none), aliases, and each `similar` title with
#: the same title without a trailing year (None when it has none). Worked out where the card
#: is read (a worker process when the folder is big), so the pass over every card here is
#: only look-ups. A plain tuple: it crosses between processes in every read.
NameKeys = tuple[str, str, str, str, tuple[str, ...], tuple[tuple[str, str | None], ...]]


def name_keys(card: Card) -> NameKeys:
    """What :func:`names_across` compares of ``card``."""
    similar = []
    for title in card.similar:
        year = _TRAILING_YEAR.search(title)
        similar.append((name_key(title), name_key(title[: year.start()]) if year else None))
    return (
        name_key(card.title),
        name_key(card.slug),
        name_key(f"{card.title} {card.year}"),
        name_key(card.native_title) if card.native_title else "",
        tuple(name_key(alias) for alias in card.aliases),
        tuple(similar),
    )


def names_across(
    cards: list[Card],
    lines: Lines,
    directory: Path,
    broken: Iterable[str] = (),
    keys: Mapping[str, NameKeys] | None = None,
) -> tuple[list[CardError], list[CardError]]:
    """Errors (aliases that are another card's title) and notes (unlinked `similar` titles).
    ``broken``: the names (titles, native titles, aliases, slugs) of card files that did not
    load; a `similar` title naming one gets no note (the card exists; its own errors say why
    it is not linked). ``keys``: :func:`name_keys` of cards by slug, when already known."""
    errors: list[CardError] = []
    notes: list[CardError] = []
    titles: dict[str, list[Card]] = {}
    known: set[str] = {name_key(name) for name in broken} - {""}
    folded: list[NameKeys] = []  # each card's, in order: the second pass reuses them
    add, add_all = known.add, known.update
    for card in cards:
        mine = keys.get(card.slug) if keys else None
        if mine is None:
            mine = name_keys(card)
        folded.append(mine)
        title_key, slug_key, dated_key, native_key, alias_keys, _ = mine
        same = titles.get(title_key)
        if same is None:
            titles[title_key] = [card]
        else:
            same.append(card)
        add(title_key)
        add(slug_key)
        add(dated_key)
        if alias_keys:
            add_all(alias_keys)
        if card.native_title:
            add(native_key)

    def line(card: Card, key: str, index: int) -> int:
        found = lines.get(card.slug, {}).get(key, ())
        return found[index] if index < len(found) else 1

    def path(card: Card) -> str:
        return str(directory / f"{card.slug}{CARD_SUFFIX}")

    for card, mine in zip(cards, folded, strict=True):
        own, alias_keys, similar_keys = mine[0], mine[4], mine[5]
        if not (alias_keys or similar_keys):
            continue
        for index, (alias, key) in enumerate(zip(card.aliases, alias_keys, strict=True)):
            if key == own:
                continue
            for other in titles.get(key, ()):
                errors.append(
                    CardError(
                        path(card),
                        line(card, "aliases", index),
                        f"aliases[{index}]",
                        f"'{alias[:60]}' is the title of {other.slug}{CARD_SUFFIX}; an alias "
                        f"that is another drama's title turns /drama {other.title[:60]} into "
                        "a did-you-mean",
                    )
                )
        for index, (key, undated) in enumerate(similar_keys):
            if key in known:
                continue
            if undated is None or undated not in known:
                title = card.similar[index]
                notes.append(
                    CardError(
                        path(card),
                        line(card, "similar", index),
                        f"similar[{index}]",
                        f"no card here is called '{title[:60]}'; /similar shows it without a "
                        "link (add its card, or spell it as our card does)",
                        NOTE,
                    )
                )
    # (a list per title, freed with the frame in one call: 18 ms of a cold load's CPU at
    # 100,000 cards; branch margin13)
    free_in_slices(titles, folded)
    return errors, notes
