"""Networks and streaming services named in a query, and whether a drama is on one of them.

``"black knight netflix"`` names Netflix: the 2017 KBS2 drama Black Knight is not what was
asked for (Netflix's Black Knight of 2023 is another show). :mod:`bot.matching.index` uses
:func:`same_outlet` to keep a confident answer only when the drama is on a network or service
the query named, or when its card says nothing about where it aired or streams.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.matching.folding import compact, fold

# Other spellings fans use for one network or service (compact, folded) -> its key.
_SPELLINGS = {
    "넷플릭스": "netflix",
    "넷플": "netflix",
    "티빙": "tving",
    "웨이브": "wavve",
    "쿠팡플레이": "coupangplay",
    "쿠팡": "coupangplay",
    "coupang": "coupangplay",
    "왓챠": "watcha",
    "유튜브": "youtube",
    "티비엔": "tvn",
    "디즈니플러스": "disney",
    "디즈니": "disney",
    "disneyplus": "disney",
    "amazon": "primevideo",
    "amazonprime": "primevideo",
    "amazonprimevideo": "primevideo",
    "rakutenviki": "viki",
    "appletvplus": "appletv",
    "paramountplus": "paramount",
}
# A key this short that starts another ("kbs" of "kbs2") counts as naming it.
_MIN_PREFIX = 3


def outlet_key(name: str) -> str:
    """One spelling per network or service: "Disney Plus", "Disney+" and "디즈니" -> "disney"."""
    key = compact(fold(name))
    return _SPELLINGS.get(key, key)


def same_outlet(named: str, outlets: Iterable[str]) -> bool:
    """Whether the network or service a query ``named`` is one of ``outlets`` (keys from
    :func:`outlet_key`): the same key, or one key starting the other ("kbs" and "kbs2",
    "hbo" and "hbo max")."""
    key = outlet_key(named)
    return any(
        key == other
        or (
            min(len(key), len(other)) >= _MIN_PREFIX
            and (key.startswith(other) or other.startswith(key))
        )
        for other in outlets
    )
