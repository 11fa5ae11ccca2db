"""The names cards may use for networks and streaming services, and how a name is looked up.

Each list maps the spelling cards should use to other spellings people write for the same
thing. ``drama-bot check`` warns when a card uses another spelling ("write it as ...") or a
near miss ("did you mean ...?"), and names any network or service it does not know (allowed:
the lists cannot hold every channel in the world). Add a name here when a correct card uses
one the lists lack; keep the spelling the service or channel uses itself.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.process_caches import cached
from bot.text import name_key

# Original broadcasters: Korean terrestrial, cable and general channels, the streamers that
# commission dramas, and the Chinese, Taiwanese, Japanese and Thai channels K-drama fans meet.
NETWORKS: dict[str, tuple[str, ...]] = {
    # Korea: terrestrial
    "KBS1": ("KBS 1TV", "KBS1 TV", "KBS 1"),
    "KBS2": ("KBS 2TV", "KBS2 TV", "KBS 2"),
    "MBC": ("Munhwa Broadcasting Corporation",),
    "SBS": ("Seoul Broadcasting System",),
    "EBS": (),
    # Korea: cable and general programming channels
    "tvN": (),
    "OCN": (),
    "Mnet": (),
    "OnStyle": ("On Style",),
    "O'live": ("Olive",),
    "tvN Story": (),
    "JTBC": (),
    "JTBC4": (),
    "ENA": ("ENA Channel",),
    "MBN": (),
    "Channel A": ("채널A", "Channel-A"),
    "TV Chosun": ("Chosun TV",),
    "MBC every1": ("MBC Every 1",),
    "KBS Joy": (),
    "SBS Plus": ("SBS+",),
    "Dramax": (),
    "iHQ": (),
    "Kakao TV": (),
    "Naver TV": (),
    # Streamers that commission dramas
    "Netflix": (),
    "Disney+": ("Disney Plus",),
    "TVING": (),
    "Coupang Play": ("Coupang",),
    "Wavve": (),
    "Watcha": (),
    "Genie TV": ("GenieTV",),
    "U+ Mobile TV": ("U+ Mobile",),
    "Apple TV+": ("Apple TV Plus",),
    "Apple TV": (),
    "Prime Video": ("Amazon Prime Video", "Amazon Prime"),
    "Viki": ("Rakuten Viki",),
    "Viu": (),
    "iQIYI": (),
    "WeTV": (),
    "Hulu": (),
    "HBO Max": (),
    "Max": (),
    "HBO": (),
    "Paramount+": ("Paramount Plus",),
    "Peacock": (),
    # China
    "CCTV": (),
    "Hunan TV": ("Hunan Television",),
    "Dragon TV": ("Shanghai Dragon TV",),
    "Zhejiang TV": (),
    "Jiangsu TV": (),
    "Beijing TV": (),
    "Tencent Video": ("Tencent",),
    "Youku": (),
    "Mango TV": (),
    "Bilibili": (),
    # Taiwan
    "CTS": (),
    "CTV": (),
    "TTV": (),
    "FTV": (),
    "GTV": (),
    "PTS": (),
    "SET Metro": (),
    "EBC": (),
    # Japan
    "NHK": (),
    "Fuji TV": ("Fuji Television",),
    "TBS": (),
    "Nippon TV": ("NTV", "Nihon TV"),
    "TV Asahi": (),
    "TV Tokyo": (),
    "WOWOW": (),
    "ABEMA": (),
    # Thailand
    "GMM 25": ("GMM25",),
    "one31": ("One 31",),
    "Channel 3": (),
    "Channel 7": (),
}

# Where people watch: the streamers above, plus services that license dramas.
SERVICES: dict[str, tuple[str, ...]] = {
    "Netflix": (),
    "Disney+": ("Disney Plus",),
    "TVING": (),
    "Coupang Play": ("Coupang",),
    "Wavve": (),
    "Watcha": (),
    "Genie TV": ("GenieTV",),
    "U+ Mobile TV": ("U+ Mobile",),
    "Kakao TV": (),
    "Naver TV": (),
    "Viki": ("Rakuten Viki",),
    "Viu": (),
    "iQIYI": (),
    "WeTV": (),
    "Tencent Video": ("Tencent",),
    "Youku": (),
    "Mango TV": (),
    "Bilibili": (),
    "Apple TV+": ("Apple TV Plus",),
    "Apple TV": (),
    "Prime Video": ("Amazon Prime Video", "Amazon Prime"),
    "Hulu": (),
    "HBO Max": (),
    "Max": (),
    "Paramount+": ("Paramount Plus",),
    "Peacock": (),
    "Kocowa": (),
    "OnDemandKorea": ("On Demand Korea", "ODK"),
    "Tubi": (),
    "Pluto TV": (),
    "The Roku Channel": ("Roku Channel",),
    "YouTube": (),
    "KBS World": (),
    "ABEMA": (),
    "U-Next": ("UNEXT", "U-NEXT"),
}

SUGGESTION_CUTOFF = 80  # rapidfuzz ratio: "JTBCC" -> JTBC 89, "Netflx" -> Netflix 92
MIN_PREFIX = 4  # "Disney" -> Disney+: the start of exactly one name


def _key(name: str) -> str:
    """How names compare: case, accents, spacing and punctuation fold away; ``+`` is "plus"."""
    return name_key(unicodedata.normalize("NFKC", name).replace("+", " plus "))


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a list says about a name: known as written, another spelling of a known name,
    close to known names, or unknown."""

    known: bool
    spelled: str | None = None  # the list's spelling, when the name is another spelling of it
    suggestions: tuple[str, ...] = ()


_KNOWN = Lookup(True)


class Vocabulary:
    """One list of names (networks or services), folded once for fast look-ups."""

    def __init__(self, names: dict[str, tuple[str, ...]]) -> None:
        self.names = tuple(names)
        self._exact = frozenset(names)
        self._by_key: dict[str, str] = {}
        for name, others in names.items():
            for spelling in (name, *others):
                self._by_key.setdefault(_key(spelling), name)
        self._keys = tuple(self._by_key)

    def lookup(self, value: str) -> Lookup:
        if value in self._exact:
            return _KNOWN  # (one frozen value: a new one per card was 1% of reading it)
        key = _key(value)
        if key in self._by_key:
            return Lookup(False, self._by_key[key])
        if not key:
            return Lookup(False)
        found = process.extract(
            key, self._keys, scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF, limit=3
        )
        if not found:
            starts = {
                n for k, n in self._by_key.items() if len(key) >= MIN_PREFIX and k.startswith(key)
            }
            return Lookup(False, suggestions=tuple(starts) if len(starts) == 1 else ())
        best = found[0][1]
        names = dict.fromkeys(self._by_key[k] for k, score, _ in found if score >= best - 0.01)
        return Lookup(False, suggestions=tuple(names)[:2])


@cached
def networks() -> Vocabulary:
    return Vocabulary(NETWORKS)


@cached
def services() -> Vocabulary:
    return Vocabulary(SERVICES)
