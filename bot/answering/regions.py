"""Countries as users type them: ``KR``, ``kor``, ``Korea``, ``South Korea``, ``한국``, ``UK``.

ISO 3166-1 data (codes, English and Korean names) comes from pycountry; the names the locale
files give for countries (``countries:``, e.g. ``대만``) are accepted too; only the everyday forms
neither lists (``Korea``, ``UK``, ``America``, ``호주``, endonyms such as ``Deutschland``) are
written here. A name we do not know gets a suggestion only when it is a near spelling of one we
do (``Kanada``, ``Austrlia``), never the least bad of unrelated names (``Narnia``).
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pycountry
from rapidfuzz import fuzz, process

from bot import process_caches
from bot.answering import i18n
from bot.process_caches import cached

# pycountry's countries, read now (2 ms, on import: before any catalog is read) rather than by a
# first answer: read then, its records (1,700 small objects, kept for the process's life) would
# sit in the holes of the serving catalog's arenas and keep them when that catalog is replaced
# (CPython's own allocator; docs/performance.md, branch ``born14``).
pycountry.countries.get(alpha_2="KR")

# Everyday names that are not an ISO name, official name or common name.
_EVERYDAY: dict[str, str] = {
    "korea": "KR",
    "s korea": "KR",
    "republic of korea": "KR",
    "rok": "KR",
    "한국": "KR",
    "남한": "KR",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "america": "US",
    "united states of america": "US",
    "us of a": "US",
    "the us": "US",
    "the usa": "US",
    "the uk": "GB",
    "north korea": "KP",
    "taiwan": "TW",
    "vietnam": "VN",
    "russia": "RU",
    "holland": "NL",
    "the netherlands": "NL",
    "uae": "AE",
    "hong kong": "HK",
    "macau": "MO",
    "czechia": "CZ",
    "czech republic": "CZ",
    "turkey": "TR",
    "ivory coast": "CI",
    "burma": "MM",
    "dprk": "KP",
    "mainland china": "CN",
    "prc": "CN",
    "cape verde": "CV",
    "east timor": "TL",
    "swaziland": "SZ",
    "vatican": "VA",
    # What a country calls itself (endonyms), as people type them in English text.
    "hanguk": "KR",
    "daehan minguk": "KR",
    "nippon": "JP",
    "nihon": "JP",
    "zhongguo": "CN",
    "brasil": "BR",
    "deutschland": "DE",
    "espana": "ES",
    "italia": "IT",
    "turkiye": "TR",
    "schweiz": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "osterreich": "AT",
    "nederland": "NL",
    "belgie": "BE",
    "belgique": "BE",
    "sverige": "SE",
    "norge": "NO",
    "danmark": "DK",
    "suomi": "FI",
    "polska": "PL",
    "eire": "IE",
    "hellas": "GR",
    "rossiya": "RU",
    "bharat": "IN",
    "pilipinas": "PH",
    "singapur": "SG",
    # Everyday Korean names where ISO's Korean name is another (오스트레일리아, 타이완, 중국령).
    "호주": "AU",
    "타이완": "TW",
    "조선": "KP",
    "대한민국": "KR",
    "터키": "TR",
    "남아공": "ZA",
    "남아프리카공화국": "ZA",
    "버마": "MM",
    "체코공화국": "CZ",
    "영국": "GB",
    "미국": "US",
}

# Shorter display names where ISO's is formal ("Korea, Republic of").
_DISPLAY: dict[str, str] = {
    "KR": "South Korea",
    "KP": "North Korea",
    "US": "the United States",
    "GB": "the United Kingdom",
    "TW": "Taiwan",
    "VN": "Vietnam",
    "RU": "Russia",
    "IR": "Iran",
    "SY": "Syria",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "LA": "Laos",
    "PS": "Palestine",
    "NL": "the Netherlands",
    "PH": "the Philippines",
    "AE": "the United Arab Emirates",
    "CZ": "Czechia",
    "DO": "the Dominican Republic",
}

# Where most of our users are: suggested first when nothing else decides.
COMMON_REGIONS = (
    "US",
    "KR",
    "GB",
    "CA",
    "AU",
    "JP",
    "IN",
    "PH",
    "SG",
    "MY",
    "ID",
    "BR",
    "MX",
    "DE",
    "FR",
)
# The country whose live-availability page we link when the user names none and their
# language says nothing (see live_region_of).
DEFAULT_LIVE_REGION = "US"
# Discord languages without a country part that are the main language of one country (a
# Korean reader gets South Korea's live-availability page). Languages spoken as widely in
# several countries (de, es, fr, ...) are not guessed.
_LANGUAGE_COUNTRY = {"ko": "KR", "ja": "JP"}

_SPACES = re.compile(r"[\s.\-_'’,()]+")


def _fold(text: str) -> str:
    """Lower case, accents dropped, punctuation as single spaces: ``U.S.A.`` -> ``u s a``."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text).strip()


class CountryName(i18n.Sayable):
    """A country's name as shown: the English name as a ``str``; ``said(locale)`` gives it in
    the reader's language (the locale file's ``countries:``, else pycountry's translation of
    the ISO name, else English)."""

    code: str

    def __new__(cls, english: str, code: str) -> CountryName:
        self = super().__new__(cls, english)
        self.code = code
        return self

    def said(self, locale: str | None) -> str:
        return local_country_name(self.code, locale) or str(self)

    def __reduce__(self) -> tuple[object, ...]:
        return (CountryName, (str(self), self.code))


@cached
def local_country_name(code: str, locale: str | None) -> str | None:
    """``KR`` in ``ko`` -> ``한국``; None in English or when no translation is known."""
    language = i18n.language_of(locale)
    if language == i18n.DEFAULT_LOCALE:
        return None
    written = i18n.lookup(language, "countries", code)
    if written:
        return written
    entry = pycountry.countries.get(alpha_2=code)
    if entry is None:
        return None
    catalog = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    english = getattr(entry, "common_name", None) or entry.name
    translated = catalog.gettext(english)
    return translated if translated != english else None


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str  # how we show it in a sentence: "South Korea", "the United States"

    @property
    def short_name(self) -> str:
        """The name without a leading "the", for lists and labels."""
        return CountryName(self.name.removeprefix("the "), self.code)


@dataclass(frozen=True, slots=True)
class RegionLookup:
    """What a typed region means: a country, or nothing with a suggestion."""

    country: Country | None
    suggestion: Country | None = None


@cached
def _names() -> dict[str, str]:
    """Every folded name we accept -> its alpha-2 code."""
    korean = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ko"])
    names: dict[str, str] = {}
    for entry in pycountry.countries:
        code = entry.alpha_2
        forms = [code, entry.alpha_3, entry.name, korean.gettext(entry.name)]
        forms += [getattr(entry, "common_name", ""), getattr(entry, "official_name", "")]
        for form in forms:
            if form:
                names.setdefault(_fold(form), code)
    for language in i18n.available_locales():  # the names our answers use: 대만, 북한
        for code in {c.alpha_2 for c in pycountry.countries}:
            if shown := i18n.lookup(language, "countries", code):
                names.setdefault(_fold(shown), code)
    for form, code in _EVERYDAY.items():
        names[_fold(form)] = code
    for code, shown in _DISPLAY.items():  # as our answers say them: "the Philippines"
        names.setdefault(_fold(shown), code)
    names[_fold("U.S.A.")] = "US"
    names[_fold("U.S.")] = "US"
    names[_fold("U.K.")] = "GB"
    return names


@cached
def country(code: str) -> Country:
    """The country for a valid alpha-2 code (any case)."""
    code = code.upper()
    entry = pycountry.countries.get(alpha_2=code)
    if entry is None:
        raise KeyError(code)
    name = _DISPLAY.get(code) or getattr(entry, "common_name", None) or entry.name
    return Country(code, CountryName(name, code))


def is_country_code(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


@cached
def _squeezed() -> dict[str, str]:
    """Every accepted name without its spaces (``남아프리카공화국``, ``southkorea``) -> code."""
    return {name.replace(" ", ""): code for name, code in _names().items()}


process_caches.register(remake=_squeezed)  # (and _names, and the countries' database)


# A near spelling: at least this similar (0-100, rapidfuzz's normalized Indel similarity), and
# only for what was typed with at least SUGGEST_MIN_LETTERS letters; "Kanada" -> "canada" is 83,
# "Austrlia" -> "australia" 94, "Narnia" -> "argentina" 67, "Europe" -> "peru" 60.
SUGGEST_MIN_SCORE = 80
SUGGEST_MIN_LETTERS = 4


def lookup_region(text: str) -> RegionLookup:
    """``Korea`` -> KR; ``Kanada`` -> nothing, suggesting Canada; ``Narnia`` -> nothing."""
    key = _fold(text)
    code = _names().get(key) or _squeezed().get(key.replace(" ", ""))
    if code is not None:
        return RegionLookup(country(code))
    if len(key.replace(" ", "")) < SUGGEST_MIN_LETTERS:
        return RegionLookup(None)
    best = process.extractOne(
        key,
        [name for name in _names() if len(name) >= SUGGEST_MIN_LETTERS],
        scorer=fuzz.ratio,
        score_cutoff=SUGGEST_MIN_SCORE,
    )
    return RegionLookup(None, country(_names()[best[0]]) if best else None)


@cached
def _languages() -> frozenset[str]:
    """Languages' English names, folded (ISO 639-3, from pycountry): "english", "korean"."""
    # (read from pycountry's file, not through ``pycountry.languages``: that would keep 7,923
    # records for the process's life, made among whichever catalog serves when first asked)
    database = pycountry.languages
    records = json.loads(Path(database.filename).read_text("utf-8"))[database.root_key]
    return frozenset(_fold(record["name"]) for record in records)


def names_a_language(text: str) -> bool:
    """Whether any word of ``text`` is a language's name: "english", "korean with english
    subs" (a wish about subtitles, not a place)."""
    return any(word in _languages() for word in _fold(text).split())


def suggest_regions(text: str, first: tuple[str, ...] = (), limit: int = 25) -> list[Country]:
    """Countries whose code or a name starts with what was typed; ``first`` codes lead."""
    key = _fold(text)
    if not key:
        return [country(c) for c in dict.fromkeys(first)][:limit]
    quality: dict[str, int] = {}
    for name, code in _names().items():
        if name.startswith(key):
            rank = 0
        elif f" {key}" in f" {name}":
            rank = 1
        else:
            continue
        quality[code] = min(rank, quality.get(code, rank))
    exact = _names().get(key)

    rank_of = {code: index for index, code in enumerate(dict.fromkeys((*first, *COMMON_REGIONS)))}

    def order(code: str) -> tuple[bool, int, int, str]:
        return (code != exact, quality[code], rank_of.get(code, len(rank_of)), code)

    return [country(c) for c in sorted(quality, key=order)][:limit]


def live_region_of(locale: str | None) -> str | None:
    """The country a reader's Discord language points to, for the live-availability link when
    no region is known: ``en-GB`` -> GB, ``pt-BR`` -> BR, ``ko`` -> KR; None for ``fr``."""
    if not locale:
        return None
    language, _, place = locale.partition("-")
    if place and is_country_code(place):
        return place.upper()
    return _LANGUAGE_COUNTRY.get(language.casefold())
