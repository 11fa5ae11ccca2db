"""A deterministic synthetic catalog: N K-drama-like cards, written as real YAML card files.

The cards look like the real thing where it matters for matching and loading: English titles
built from a small shared vocabulary ("Secret Garden", "Garden of Stars", "My Lonely Doctor"),
romanized Korean titles ("Bimil Jeongwon"), a Hangul native title for every card, aliases for
about a quarter of them, remakes (same title, another year) and sequels ("... 2"), and a cast
of 2 to 6 drawn from a pool of Korean-style actor names with a few very busy actors, so actors
recur across many dramas. No two cards share title and year, and every card passes the
validator. The same ``(count, seed)`` always gives the same cards, byte for byte.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from bot.cards.model import Card, CastMember, StreamingOption
from bot.matching.folding import compact
from bot.text import slugify

try:  # libyaml writes YAML an order of magnitude faster than the pure-Python emitter
    from yaml import CSafeDumper as YamlDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as YamlDumper  # type: ignore[assignment]

# (English, Hangul, romanized) for nouns and for adjectives; the shared words of many titles.
NOUNS: tuple[tuple[str, str, str], ...] = (
    ("Love", "사랑", "Sarang"),
    ("Moon", "달", "Dal"),
    ("Sun", "해", "Hae"),
    ("Star", "별", "Byeol"),
    ("Sky", "하늘", "Haneul"),
    ("Sea", "바다", "Bada"),
    ("River", "강", "Gang"),
    ("Mountain", "산", "San"),
    ("Flower", "꽃", "Kkot"),
    ("Spring", "봄", "Bom"),
    ("Summer", "여름", "Yeoreum"),
    ("Autumn", "가을", "Gaeul"),
    ("Winter", "겨울", "Gyeoul"),
    ("Night", "밤", "Bam"),
    ("Morning", "아침", "Achim"),
    ("Dream", "꿈", "Kkum"),
    ("Secret", "비밀", "Bimil"),
    ("Garden", "정원", "Jeongwon"),
    ("Doctor", "의사", "Uisa"),
    ("Queen", "여왕", "Yeowang"),
    ("King", "왕", "Wang"),
    ("Prince", "왕자", "Wangja"),
    ("Princess", "공주", "Gongju"),
    ("Hotel", "호텔", "Hotel"),
    ("School", "학교", "Hakgyo"),
    ("City", "도시", "Dosi"),
    ("Village", "마을", "Maeul"),
    ("House", "집", "Jip"),
    ("Road", "길", "Gil"),
    ("Heart", "마음", "Maeum"),
    ("Wind", "바람", "Baram"),
    ("Rain", "비", "Bi"),
    ("Snow", "눈", "Nun"),
    ("Light", "빛", "Bit"),
    ("Shadow", "그림자", "Geurimja"),
    ("Memory", "기억", "Gieok"),
    ("Promise", "약속", "Yaksok"),
    ("Family", "가족", "Gajok"),
    ("Friend", "친구", "Chingu"),
    ("Lawyer", "변호사", "Byeonhosa"),
    ("Detective", "형사", "Hyeongsa"),
    ("Chef", "요리사", "Yorisa"),
    ("Teacher", "선생님", "Seonsaengnim"),
    ("Ghost", "유령", "Yuryeong"),
    ("Angel", "천사", "Cheonsa"),
    ("Devil", "악마", "Angma"),
    ("Witch", "마녀", "Manyeo"),
    ("Tiger", "호랑이", "Horangi"),
    ("Fox", "여우", "Yeou"),
    ("Butterfly", "나비", "Nabi"),
    ("Tears", "눈물", "Nunmul"),
    ("Smile", "미소", "Miso"),
    ("Wedding", "결혼", "Gyeolhon"),
    ("Revenge", "복수", "Boksu"),
    ("Justice", "정의", "Jeongui"),
    ("Truth", "진실", "Jinsil"),
    ("Lie", "거짓말", "Geojitmal"),
    ("War", "전쟁", "Jeonjaeng"),
    ("Empire", "제국", "Jeguk"),
    ("Palace", "궁", "Gung"),
    ("Kingdom", "왕국", "Wangguk"),
    ("Sword", "검", "Geom"),
    ("Fire", "불", "Bul"),
    ("Island", "섬", "Seom"),
    ("Station", "역", "Yeok"),
    ("Bakery", "빵집", "Ppangjip"),
    ("Hospital", "병원", "Byeongwon"),
    ("Court", "법정", "Beopjeong"),
    ("Melody", "선율", "Seonyul"),
    ("Song", "노래", "Norae"),
    ("Youth", "청춘", "Cheongchun"),
    ("Time", "시간", "Sigan"),
    ("Day", "날", "Nal"),
    ("Mirror", "거울", "Geoul"),
    ("Letter", "편지", "Pyeonji"),
    ("Umbrella", "우산", "Usan"),
    ("Scholar", "선비", "Seonbi"),
    ("General", "장군", "Janggun"),
    ("Heir", "상속자", "Sangsokja"),
    ("Thief", "도둑", "Doduk"),
)
ADJECTIVES: tuple[tuple[str, str, str], ...] = (
    ("Hidden", "숨겨진", "Sumgyeojin"),
    ("Lost", "잃어버린", "Ireobeorin"),
    ("Eternal", "영원한", "Yeongwonhan"),
    ("Perfect", "완벽한", "Wanbyeokhan"),
    ("Lonely", "외로운", "Oeroun"),
    ("Sweet", "달콤한", "Dalkomhan"),
    ("Brave", "용감한", "Yonggamhan"),
    ("Beautiful", "아름다운", "Areumdaun"),
    ("Golden", "황금", "Hwanggeum"),
    ("Blue", "푸른", "Pureun"),
    ("Red", "붉은", "Bulgeun"),
    ("Little", "작은", "Jageun"),
    ("Last", "마지막", "Majimak"),
    ("First", "첫", "Cheot"),
    ("Crazy", "미친", "Michin"),
    ("Wild", "거친", "Geochin"),
    ("Strange", "이상한", "Isanghan"),
    ("Dangerous", "위험한", "Wiheomhan"),
    ("Shining", "빛나는", "Binnaneun"),
    ("Forgotten", "잊혀진", "Ithyeojin"),
    ("Rich", "부유한", "Buyuhan"),
    ("Second", "두 번째", "Du Beonjjae"),
    ("Silent", "조용한", "Joyonghan"),
    ("Tender", "다정한", "Dajeonghan"),
)
SURNAMES = (
    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh",
    "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Jeon", "Hong", "Yoo", "Ko", "Moon", "Yang",
    "Son", "Bae", "Baek", "Heo", "Nam", "Noh", "Ha", "Kwak", "Sung", "Cha", "Joo", "Woo",
)  # fmt: skip
# Other romanizations of a surname, used as an actor's alias (never a surname of the pool).
SURNAME_VARIANTS = {"Lee": "Yi", "Park": "Bak", "Choi": "Choe", "Jung": "Jeong", "Lim": "Im"}
SYLLABLES = (
    "Min", "Ji", "Seo", "Hyun", "Woo", "Jin", "Soo", "Young", "Hye", "Eun", "Joon", "Ho",
    "Yeon", "Ha", "Na", "Bin", "Sung", "Tae", "Kyung", "Sang", "Hee", "Won", "Jae", "Yoon",
    "Da", "Ah", "Ra", "Gyu", "Dong", "Hoon", "Seok", "Mi", "So", "Ye", "Chan", "In", "Kyu",
    "Hwa", "Il", "Su", "Gun", "Ri", "Bo", "Yu", "Ok", "Nam", "Myung", "Chul", "Geon", "Do",
)  # fmt: skip
NETWORKS = (
    "KBS2", "MBC", "SBS", "tvN", "JTBC", "OCN", "ENA", "Netflix", "Disney+", "TVING",
    "Coupang Play", "MBN", "Channel A", "TV Chosun", "KBS1", "Wavve",
)  # fmt: skip
# Commonest first: genres are Zipf-distributed too (half the shipped cards are romances).
GENRES = (
    "romance", "comedy", "thriller", "drama", "melodrama", "fantasy", "mystery", "action",
    "coming-of-age", "historical", "crime", "family", "medical", "legal", "office", "sports",
    "horror", "sci-fi", "youth", "political", "music", "slice of life",
)  # fmt: skip
EPISODES = (8, 10, 12, 12, 16, 16, 16, 16, 20, 24, 32, 40, 50, 100)
STREAMERS = ("Netflix", "Viki", "Disney+", "Prime Video", "TVING", "Wavve", "Kocowa")
REGIONS = ("US", "KR", "GB", "CA", "AU", "JP", "PH", "SG", "MY", "ID", "BR", "MX", "DE")

DEFAULT_SEED = 7
REMAKE_SHARE = 0.03  # a title already used comes back as a remake this often
SEQUEL_SHARE = 0.02
ALIAS_SHARE = 0.25
SIMILAR_SHARE = 0.15
# Lists that also name a drama we lack (every one of the 210 entries on shipped cards names
# one of our cards exactly; a few misses keep the hard case in).
ABSENT_SIMILAR_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class _Title:
    english: str
    hangul: str
    romanized: str


def _weights(count: int, skew: float) -> list[float]:
    """Zipf-like cumulative weights (for ``random.choices(cum_weights=...)``): the first
    items are picked far more often, as in real titles and casts."""
    return list(itertools.accumulate(1.0 / (rank + 1) ** skew for rank in range(count)))


class _Words:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._noun_weights = _weights(len(NOUNS), 0.7)
        self._adjective_weights = _weights(len(ADJECTIVES), 0.5)

    def noun(self) -> tuple[str, str, str]:
        return self.rng.choices(NOUNS, cum_weights=self._noun_weights)[0]

    def adjective(self) -> tuple[str, str, str]:
        return self.rng.choices(ADJECTIVES, cum_weights=self._adjective_weights)[0]

    def title(self, words: int) -> _Title:
        """A title in one of the patterns K-drama titles use, with its Korean and romanized
        forms (Korean puts the possessive first: "Garden of Stars" is "별의 정원")."""
        rng = self.rng
        a, b = self.noun(), self.noun()
        adjective = self.adjective()
        pattern = rng.randrange(6 if words <= 2 else 4)
        if words >= 4:  # "Hidden Garden of Spring Rain"
            c, d = self.noun(), self.noun()
            return (
                _Title(
                    f"{adjective[0]} {a[0]} of {b[0]} {c[0]}",
                    f"{b[1]} {c[1]}의 {adjective[1]} {a[1]}",
                    f"{b[2]} {c[2]}ui {adjective[2]} {a[2]}",
                )
                if pattern < 2
                else _join((adjective, a, b, d))
            )
        if words == 3:
            c = self.noun()
            if pattern == 0:
                return _join((adjective, a, b))
            if pattern == 1:
                return _Title(
                    f"{adjective[0]} {a[0]} of {b[0]}",
                    f"{b[1]}의 {adjective[1]} {a[1]}",
                    f"{b[2]}ui {adjective[2]} {a[2]}",
                )
            if pattern == 2:
                return _Title(
                    f"My {adjective[0]} {a[0]}",
                    f"나의 {adjective[1]} {a[1]}",
                    f"Naui {adjective[2]} {a[2]}",
                )
            return _join((a, b, c))
        if pattern in (0, 1):
            return _join((adjective, a))
        if pattern == 2:
            return _Title(f"{a[0]} of {b[0]}", f"{b[1]}의 {a[1]}", f"{b[2]}ui {a[2]}")
        if pattern == 3:
            return _Title(f"The {a[0]}'s {b[0]}", f"{a[1]}의 {b[1]}", f"{a[2]}ui {b[2]}")
        if pattern == 4:
            return _Title(f"My {a[0]}", f"나의 {a[1]}", f"Naui {a[2]}")
        return _join((a, b))


def _join(words: Iterable[tuple[str, str, str]]) -> _Title:
    parts = list(words)
    return _Title(
        " ".join(w[0] for w in parts), " ".join(w[1] for w in parts), " ".join(w[2] for w in parts)
    )


def _actor_pool(rng: random.Random, size: int, taken: set[str]) -> list[tuple[str, str | None]]:
    """``size`` distinct actor names (distinct even with spaces folded away), a few with
    another spelling of their surname as an alias ("Lee Ji Won" / "Yi Ji Won")."""
    pool: list[tuple[str, str | None]] = []
    seen = set(taken)
    surname_weights = _weights(len(SURNAMES), 0.6)
    attempts = 0
    while len(pool) < size:
        attempts += 1
        surname = rng.choices(SURNAMES, cum_weights=surname_weights)[0]
        first, second = rng.choice(SYLLABLES), rng.choice(SYLLABLES).lower()
        name = f"{surname} {first} {second.capitalize()}"
        if attempts > size * 40:  # the syllable space is used up: add a distinguishing letter
            name += f" {chr(ord('A') + attempts % 26)}"
        key = compact(name)
        variant = SURNAME_VARIANTS.get(surname)
        alias = f"{variant} {first}-{second}" if variant and rng.random() < 0.1 else None
        if key in seen or (alias and compact(alias) in seen):
            continue
        seen.add(key)
        if alias:
            seen.add(compact(alias))
        pool.append((name, alias))
    return pool


_GENRE_WEIGHTS = _weights(len(GENRES), 1.0)


def _genres(rng: random.Random, count: int) -> tuple[str, ...]:
    picked: dict[str, None] = {}
    while len(picked) < count:
        picked[rng.choices(GENRES, cum_weights=_GENRE_WEIGHTS)[0]] = None
    return tuple(picked)


def _role(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    return f"{surname} {rng.choice(SYLLABLES)}-{rng.choice(SYLLABLES).lower()}"


def _initials(title: str) -> str:
    words = [w for w in title.replace("'s", "").split() if w[0].isalpha()]
    return "".join(w[0].upper() for w in words) if len(words) >= 3 else ""


def synthetic_cards(count: int, seed: int = DEFAULT_SEED, avoid: Iterable[Card] = ()) -> list[Card]:
    """``count`` cards, the same for the same ``(count, seed)``. ``avoid``: cards they must
    not clash with (the shipped ones): no shared slug, title, actor name or native title."""
    rng = random.Random(f"drama-bot bench {seed}")
    words = _Words(rng)
    avoided = list(avoid)
    taken_titles = {compact(c.title) for c in avoided} | {
        compact(n) for c in avoided for n in (c.native_title or "", *c.aliases) if n
    }
    taken_slugs = {c.slug for c in avoided}
    taken_actors = {compact(n) for c in avoided for m in c.cast for n in (m.actor, *m.aliases)}

    # Titles first, so aliases can be checked against every title afterwards.
    titles: list[tuple[_Title, str, int]] = []  # (title, the form shown, year)
    used: dict[str, set[int]] = {}  # compact title -> years
    misses = 0  # titles rejected in a row: short titles run out first, so go longer
    while len(titles) < count:
        if titles and rng.random() < SEQUEL_SHARE:
            base, shown, year = titles[rng.randrange(len(titles))]
            title = _Title(f"{shown} 2", f"{base.hangul} 2", f"{base.romanized} 2")
            shown, year = title.english, min(year + rng.randint(1, 4), 2026)
        else:
            length = rng.choice((2, 2, 2, 3, 3)) + min(misses // 3, 2)
            title = words.title(length)
            year = min(1990 + int(rng.triangular(0, 37, 33)), 2026)
            shown = title.romanized if rng.random() < 0.2 else title.english
        key = compact(shown)
        if (
            key in taken_titles
            or year in used.get(key, ())
            # most titles are unique; a few come back as remakes in another year
            or (key in used and rng.random() > REMAKE_SHARE)
        ):
            misses += 1
            continue
        misses = 0
        used.setdefault(key, set()).add(year)
        titles.append((title, shown, year))

    pool_size = max(60, count // 2)
    actors = _actor_pool(rng, pool_size, taken_actors)
    actor_weights = _weights(len(actors), 0.5)
    title_keys = set(used) | taken_titles
    alias_keys: set[str] = set()
    cards: list[Card] = []
    slugs: set[str] = set(taken_slugs)
    for title, shown, year in titles:
        base = slugify(shown)[:90].strip("-")
        slug = f"{base}-{year}" if f"{base}-{year}" not in slugs else f"{base}-{year}-{len(cards)}"
        slugs.add(slug)
        aliases: list[str] = []
        if rng.random() < ALIAS_SHARE:
            other = title.english if shown == title.romanized else title.romanized
            candidate = rng.choice([other, _initials(shown) or other])
            key = compact(candidate)
            if key and key not in title_keys and key not in alias_keys:
                alias_keys.add(key)
                aliases.append(candidate)
        cast_size = rng.randint(2, 6)
        members: dict[str, CastMember] = {}
        while len(members) < cast_size:
            name, alias = rng.choices(actors, cum_weights=actor_weights)[0]
            if name not in members:
                members[name] = CastMember(name, _role(rng), (alias,) if alias else ())
        streaming: tuple[StreamingOption, ...] = ()
        if rng.random() < 0.4:
            regions = tuple(sorted(rng.sample(REGIONS, rng.randint(0, 3))))
            streaming = (StreamingOption(rng.choice(STREAMERS), regions),)
        cards.append(
            Card(
                slug=slug,
                title=shown,
                year=year,
                cast=tuple(members.values()),
                native_title=title.hangul if compact(title.hangul) not in taken_titles else None,
                aliases=tuple(aliases),
                network=rng.choice(NETWORKS),
                episodes=rng.choice(EPISODES),
                genres=_genres(rng, rng.randint(1, 4)),
                streaming=streaming,
            )
        )
    # The card writer's own picks: titles of other cards (and now and then one we lack).
    linked: list[Card] = []
    for card in cards:
        similar: tuple[str, ...] = ()
        if rng.random() < SIMILAR_SHARE:
            picks = [rng.choice(cards).title for _ in range(rng.randint(1, 3))]
            if rng.random() < ABSENT_SIMILAR_SHARE:
                picks.append(words.title(3).english)
            similar = tuple(dict.fromkeys(p for p in picks if p != card.title))
        linked.append(_with_similar(card, similar))
    return linked


def _with_similar(card: Card, similar: tuple[str, ...]) -> Card:
    return replace(card, similar=similar) if similar else card


def card_yaml(card: Card) -> str:
    """The card as a card file, keys in the documented order, empty keys left out."""
    data: dict[str, Any] = {"title": card.title}
    if card.native_title:
        data["native_title"] = card.native_title
    if card.aliases:
        data["aliases"] = list(card.aliases)
    data["year"] = card.year
    if card.network:
        data["network"] = card.network
    if card.episodes:
        data["episodes"] = card.episodes
    if card.genres:
        data["genres"] = list(card.genres)
    cast = []
    for member in card.cast:
        entry: dict[str, Any] = {"actor": member.actor}
        if member.role:
            entry["role"] = member.role
        if member.aliases:
            entry["aliases"] = list(member.aliases)
        cast.append(entry)
    data["cast"] = cast
    if card.streaming:
        data["streaming"] = [
            {"service": s.service, **({"regions": list(s.regions)} if s.regions else {})}
            for s in card.streaming
        ]
    if card.similar:
        data["similar"] = list(card.similar)
    if card.review is not None:  # (bench --stories)
        review = {"headline": card.review.headline, "summary": card.review.summary}
        data["review"] = {key: value for key, value in review.items() if value}
    text: str = yaml.dump(
        data,
        Dumper=YamlDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=100,
    )
    return text


def write_cards(cards: Iterable[Card], folder: Path) -> Iterator[Path]:
    """Write each card to ``folder/<slug>.yaml``; yields each path as it is written."""
    folder.mkdir(parents=True, exist_ok=True)
    for card in cards:
        path = folder / f"{card.slug}.yaml"
        path.write_text(card_yaml(card), "utf-8")
        yield path
