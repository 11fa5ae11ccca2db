"""Where to watch a drama, as facts grouped for display: what a card says, for which country,
when it was checked, and where to check live (pure).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import quote

from bot.answering.i18n import Phrase
from bot.answering.regions import DEFAULT_LIVE_REGION, Country, country
from bot.answering.service_reach import Reach, reach
from bot.cards.model import Card, StreamingOption

# How offers are grouped for the reader: (heading, kinds in the group).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Phrase("stream.group.stream"), ("subscription",)),
    (Phrase("stream.group.free"), ("free", "ads")),
    (Phrase("stream.group.rent_or_buy"), ("rent", "buy")),
)

# Countries with JustWatch data, as listed in the example answer of TMDB's reference for
# /watch/providers/regions (TMDB's watch data is JustWatch's). It may miss a few newer ones;
# for any country not here we link JustWatch's page for DEFAULT_LIVE_REGION and say so.
JUSTWATCH_COUNTRIES = frozenset(
    "AD AE AG AL AR AT AU BA BB BE BG BH BO BR BS CA CH CI CL CO CU CV CZ DE DK DO DZ EC EE EG "
    "FI FJ FR GB GF GH GI GP GQ GR GT HK HN HR ID IE IL IN IQ IS JM JO JP KE KR KW LC LT LV LY "
    "MA MC MD MK MT MX MZ NE NG NL NO NZ OM PA PE PF PH PK PL PS PT PY QA RO RS RU SA SE SG SI "
    "SK SM SN SV TC TH TN TR TT TW TZ US".split()
)
_JUSTWATCH_PATH = {"GB": "uk"}  # JustWatch's path for the United Kingdom is /uk, not /gb

# The `source` a streaming option carries when `drama-bot enrich` wrote it from TMDB.
TMDB_SOURCE = "TMDB"


@dataclass(frozen=True, slots=True)
class Offer:
    """One service within a group: how it is offered, where, and when that was checked."""

    service: str
    kinds: tuple[str, ...]  # e.g. ("subscription",), ("rent", "buy"), ("ads",)
    regions: tuple[str, ...]  # empty: wherever the service operates
    checked: tuple[str, ...]  # ISO dates (or months), oldest first
    undated: bool  # at least one of the card's options behind this offer has no date
    from_tmdb: bool
    url: str | None = None  # the service's page for the drama, when the card gives one
    reach_unknown: bool = False  # "wherever it operates", but whether that includes the
    # country asked about is not known


@dataclass(frozen=True, slots=True)
class LiveLink:
    """A page that shows live availability: JustWatch's search for the title in a country."""

    url: str
    country: Country
    asked_country_served: bool  # False when we fell back to another country's page


@dataclass(frozen=True, slots=True)
class Availability:
    region: Country | None  # the country asked about (or the server's default), if any
    groups: tuple[tuple[str, tuple[Offer, ...]], ...]  # only non-empty groups, in GROUPS order
    elsewhere: tuple[Offer, ...]  # offers the card lists only for other countries
    listed: bool  # the card lists any streaming at all
    live: LiveLink
    not_operating: tuple[str, ...] = ()  # services listed everywhere that do not operate in
    # the country asked about (Netflix in China)

    @property
    def offers(self) -> tuple[Offer, ...]:
        return tuple(o for _, offers in self.groups for o in offers)

    @property
    def from_tmdb(self) -> bool:
        return any(o.from_tmdb for o in (*self.offers, *self.elsewhere))

    def checked_text(self) -> str:
        """``As of November 2026.``, a range, or what is unknown about the dates."""
        shown = self.offers or self.elsewhere
        dates = sorted(d for o in shown for d in o.checked)
        undated = any(o.undated for o in shown)
        if not dates:
            return Phrase("stream.undated") if shown else ""
        first, last = month_year(dates[0]), month_year(dates[-1])
        more = "_undated" if undated else ""
        if first == last:
            return Phrase(f"stream.as_of{more}", date=last)
        return Phrase(f"stream.between{more}", first=first, last=last)


def month_year(value: str) -> str:
    """``2026-11-25`` or ``2026-11`` -> ``November 2026`` (``2026년 11월`` when said in Korean)."""
    try:
        year, month = int(value[:4]), int(value[5:7])
        datetime.date(year, month, 1)
    except ValueError:
        return value
    return Phrase("date.month_year", month=Phrase(f"date.months.{month}"), year=year)


def justwatch_link(title: str, region: str | None) -> LiveLink:
    """JustWatch's search for ``title`` in ``region`` (or the default country). The title is
    percent-encoded and the path is a known country, so nothing from a card reaches the URL raw.
    """
    asked = (region or DEFAULT_LIVE_REGION).upper()
    code = asked if asked in JUSTWATCH_COUNTRIES else DEFAULT_LIVE_REGION
    path = _JUSTWATCH_PATH.get(code, code.lower())
    query = quote(" ".join(title.split())[:200], safe="")
    url = f"https://www.justwatch.com/{path}/search?q={query}"
    return LiveLink(url, country(code), code == asked)


def _served(code: str | None) -> str | None:
    """A country guessed from the reader's language, only when JustWatch has a page for it
    (otherwise the default page, without saying a country nobody named is missing)."""
    return code if code in JUSTWATCH_COUNTRIES else None


def _applies(option: StreamingOption, region: str | None) -> bool:
    if region is None:
        return True
    if not option.regions:
        return reach(option.service, region) is not Reach.ABSENT
    return region in option.regions


def _merge(
    options: list[StreamingOption], group_kinds: tuple[str, ...], region: str | None = None
) -> tuple[Offer, ...]:
    by_service: dict[str, list[StreamingOption]] = {}
    for option in options:
        if option.kind in group_kinds:
            by_service.setdefault(option.service.casefold(), []).append(option)
    offers = []
    for same in by_service.values():
        everywhere = any(not o.regions for o in same)
        regions = () if everywhere else tuple(dict.fromkeys(r for o in same for r in o.regions))
        offers.append(
            Offer(
                service=same[0].service,
                kinds=tuple(k for k in group_kinds if any(o.kind == k for o in same)),
                regions=regions,
                checked=tuple(sorted({o.checked for o in same if o.checked})),
                undated=any(o.checked is None for o in same),
                from_tmdb=any(o.source == TMDB_SOURCE for o in same),
                url=next((o.url for o in same if o.url), None),
                reach_unknown=everywhere
                and region is not None
                and reach(same[0].service, region) is Reach.UNKNOWN,
            )
        )
    return tuple(offers)


def availability(card: Card, region: str | None, live_default: str | None = None) -> Availability:
    """What the card says about watching it, for ``region`` (alpha-2) or everywhere;
    ``live_default`` is the country whose live page to link when no region is asked (the
    reader's, from their language)."""
    shown = [o for o in card.streaming if _applies(o, region)]
    other = [o for o in card.streaming if not _applies(o, region) and o.regions]
    absent = [o.service for o in card.streaming if not _applies(o, region) and not o.regions]
    groups = tuple(
        (heading, offers) for heading, kinds in GROUPS if (offers := _merge(shown, kinds, region))
    )
    elsewhere = tuple(o for _, kinds in GROUPS for o in _merge(other, kinds))
    return Availability(
        region=country(region) if region else None,
        groups=groups,
        elsewhere=elsewhere,
        listed=bool(card.streaming),
        live=justwatch_link(card.title, region or _served(live_default)),
        not_operating=tuple(dict.fromkeys(absent)),
    )
