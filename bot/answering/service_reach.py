"""Where the big streaming services operate, as far as we know for sure (pure data).

A card's streaming entry without ``regions:`` means "wherever the service operates". When a
user asks about one country, that is an answer only if we know whether the service operates
there: Netflix does not operate in China, so "Netflix — wherever it's available" would be
wrong for ``/stream ... region:China``. Only facts we are sure of are written here; for any
other service or country the answer says the service's reach there is not known.

Sources (see docs/knowledge.md): Netflix's launch in 130 countries on 6 January 2016 left out
only China, North Korea, Syria and Crimea (the last three under US sanctions), and Netflix
suspended its service in Russia in March 2022. Disney+ has never launched in China or Russia
and cannot operate under US sanctions (North Korea, Syria, Iran); the countries listed as
served are launches we are sure of (North America and Oceania 2019, Western Europe and Japan
2020, the Nordics, Belgium, Portugal and Latin America 2020, Singapore 2021, South Korea,
Taiwan and Hong Kong November 2021).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Reach(Enum):
    OPERATES = "operates"
    ABSENT = "absent"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Footprint:
    absent: frozenset[str]  # countries (alpha-2) where it is known not to operate
    unsure: frozenset[str] = frozenset()  # countries we cannot say either way
    serves: frozenset[str] | None = None  # None: everywhere but ``absent`` and ``unsure``


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Keyed by the service's name folded to lower case, as `drama-bot check` spells it.
FOOTPRINTS: dict[str, Footprint] = {
    "netflix": Footprint(absent=_codes("CN KP SY RU"), unsure=_codes("IR")),
    "disney+": Footprint(
        absent=_codes("CN RU KP SY IR"),
        serves=_codes(
            "US CA AU NZ GB IE DE AT CH FR ES IT NL BE LU PT SE NO DK FI IS JP SG KR TW HK "
            "BR MX AR CL CO PE"
        ),
    ),
}


def reach(service: str, region: str) -> Reach:
    """Whether ``service`` operates in ``region`` (alpha-2), as far as we know."""
    footprint = FOOTPRINTS.get(service.casefold())
    if footprint is None or region in footprint.unsure:
        return Reach.UNKNOWN
    if region in footprint.absent:
        return Reach.ABSENT
    if footprint.serves is None or region in footprint.serves:
        return Reach.OPERATES
    return Reach.UNKNOWN
