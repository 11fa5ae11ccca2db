"""Where a ``/stream`` question asks about, when it is typed with the title: "the glory in
korea", "the glory (germany)", "anna outside korea", "the glory but in the congo". Which words
are the title and which the country, and whether the country is one we know."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering.answer_models import UnknownRegion
from bot.answering.chat_questions import titled_in_chat
from bot.answering.regions import lookup_region, names_a_language
from bot.catalog.snapshot import Catalog
from bot.matching.index import Kind, Resolution

_IN_PARENTHESES = re.compile(r"^(?P<title>.*?)\s*\((?P<where>[^()]*)\)\s*$")


def _country_splits(query: str) -> list[tuple[str, str, bool]]:
    """Ways to read a query as a title and a country after it: (title, country, strict). "the
    glory in germany", "the glory (germany)", "the glory, germany", and, strict (the title
    must name one drama), "the glory germany" with a country of up to three words."""
    text = query.strip()
    splits: list[tuple[str, str, bool]] = []
    title, found, where = text.rpartition(" in ")
    if found:
        splits.append((title, where, False))
    if bracketed := _IN_PARENTHESES.match(text):
        splits.append((bracketed["title"], bracketed["where"], False))
    title, found, where = text.rpartition(",")
    if found:
        splits.append((title, where, False))
    words = text.split()
    for size in (1, 2, 3):
        if len(words) > size:
            splits.append((" ".join(words[:-size]), " ".join(words[-size:]), True))
    # (a question's marks are no part of the country: "anna in korea??"; nor a wish's word
    # of the title: "the glory but in canada")
    splits = [(before_a_wish(t), bare_place(w), strict) for t, w, strict in splits]
    return [(t, w, strict) for t, w, strict in splits if t and w]


# A word that starts a wish after a title, before a country: "the glory but in canada".
_WISH_AT_END = re.compile(r"[\s,]+(?:but|though|although)[\s,]*$", re.IGNORECASE)
# A country the asker is not in: "anna outside (of) korea", "the glory except (in) korea",
# "the glory but not in korea".
_OUTSIDE = re.compile(
    r"^(?P<title>.+)\s+(?:outside(?:\s+of)?|except(?:\s+in)?|not\s+in)\s+(?P<where>\S.*)$",
    re.IGNORECASE,
)


# A place after a wish's first word: "the glory but in the congo" (a language there is a wish
# about subtitles: "the glory but in english").
_WISH_PLACE = re.compile(
    r"^(?P<title>.+?)[\s,]+(?:but|though|although)[\s,]+in\s+(?P<where>\S.*?)[\s?!.]*$",
    re.IGNORECASE,
)


# Words a chat question goes on with after a country, no part of its name: "moving in japan
# these days", "boyhood in the us rn", "anna in korea pls".
_AFTER_A_PLACE = frozenset(
    "these days lately anymore today tonight yet now rn atm currently still legally online "
    "pls please plz thanks thx ty lol".split()
)


def bare_place(where: str) -> str:
    """``"japan these days??"`` -> ``"japan"``: the words after a country's name that go on
    with the question, and its marks, taken off."""
    words = where.strip().rstrip("?!.").split()
    while len(words) > 1 and words[-1].lower().rstrip("?!.,") in _AFTER_A_PLACE:
        words.pop()
    return " ".join(words).rstrip("?!.,").strip()


def before_a_wish(title: str) -> str:
    """``"the glory but"`` -> ``"the glory"``: the words before a wish's first word."""
    return _WISH_AT_END.sub("", title.strip()).strip()


@dataclass(frozen=True, slots=True)
class Where:
    """The country words of a /stream query, as typed; ``outside``: after "outside"."""

    typed: str
    outside: bool = False
    unknown: bool = False  # after a wish's "but in": no country we know, nor a language


def with_country(
    catalog: Catalog, query: str, resolution: Resolution, extra: dict[str, str]
) -> tuple[Resolution, Where | None, UnknownRegion | None]:
    """``/stream the glory in korea`` (or ``(korea)``, ``, korea``, ``korea``): a country after
    the title, when the whole query names no drama, is the region asked about (a ``region:``
    given too is the one answered for). Returns the resolution, the country as typed, and an
    :class:`UnknownRegion` when the words after "in" name no country we know but the words
    before name one drama ("crash landing on you in the congo")."""
    title, found, where = query.strip().rpartition(" in ")
    where, title = bare_place(where), title.strip()
    if (
        found
        and title
        and not _WISH_AT_END.search(title)  # "… but in the congo": a wish, said back below
        and len(where.split()) <= 3
        and "region" not in extra
        and not (region := lookup_region(where)).country
        and catalog.titles.resolve(title).kind is Kind.MATCH
    ):
        # "crash landing on you in the congo": the words before "in" name one drama, so the
        # words after it were meant as a country, one we do not know.
        suggestion = region.suggestion
        if suggestion is None and (bare := re.sub(r"^the\s+", "", where.strip(), flags=re.I)):
            without_the = lookup_region(bare)
            suggestion = without_the.country or without_the.suggestion
        named = suggestion.short_name if suggestion else None
        return resolution, None, UnknownRegion("stream", where.strip(), named)
    outside = _OUTSIDE.match(query.strip())
    where = outside["where"].rstrip("?!. ") if outside else ""
    if outside and where and lookup_region(where).country:
        # "anna outside korea", "the glory except in korea": a country the asker is not in
        # names no region to answer for.
        retry = catalog.titles.resolve(before_a_wish(outside["title"]))
        if retry.kind is not Kind.NONE:
            return retry, Where(where, outside=True), None
    for title, where, strict in _country_splits(query):
        country = lookup_region(where).country
        if country is None or (strict and title.split()[-1].lower() in {"in", "the", "of"}):
            continue
        retry = catalog.titles.resolve(title)
        if retry.kind is Kind.NONE and not strict:
            # "does anyone know where i can watch boyhood in the us": a chat question's title
            retry = titled_in_chat(catalog, title) or retry
        if retry.kind is Kind.NONE or (strict and retry.kind is not Kind.MATCH):
            continue
        extra.setdefault("region", country.code)
        return retry, Where(where), None
    wish = _WISH_PLACE.match(query.strip())
    if wish is None:
        return resolution, None, None
    language = names_a_language(wish["where"])
    if not language and len(wish["where"].split()) > 3:
        return resolution, None, None
    if resolution.kind is not Kind.MATCH:
        # "crash landing on you but in korean": the words before the wish name the drama
        # when the whole query does not, as "the glory but in korean" names it whole.
        retry = catalog.titles.resolve(wish["title"])
        resolution = retry if retry.kind is Kind.MATCH else resolution
    if resolution.kind is Kind.MATCH and not language:
        return resolution, Where(wish["where"], unknown=True), None  # "… but in narnia"
    return resolution, None, None
