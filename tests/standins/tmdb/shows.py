"""The stand-in's catalogue: invented test data in the shapes of TMDB's API reference.

Ids are in the 900000s (shows) and 800000s (people) so they are never mistaken for real TMDB
ids; names follow cards the tests write. Nothing here is a claim about a real show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Person:
    id: int
    name: str
    original_name: str | None = None  # TMDB's credits repeat the name here
    korean_name: str | None = None  # data.name of the ko-KR translation, if any


@dataclass
class Show:
    id: int
    name: str
    original_name: str
    first_air_date: str
    networks: list[str] = field(default_factory=list)
    seasons: list[int] = field(default_factory=lambda: [16])  # episode count per season
    poster_path: str | None = None
    vote_average: float = 0.0
    vote_count: int = 0
    cast: list[tuple[Person, str]] = field(default_factory=list)  # (person, character)
    providers: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    also_known_as: list[str] = field(default_factory=list)  # other names search finds
    popularity: float = 10.0

    def search_result(self) -> dict[str, Any]:
        """An entry of ``/search/tv``'s ``results``."""
        return {
            "adult": False,
            "backdrop_path": None,
            "genre_ids": [18],
            "id": self.id,
            "origin_country": ["KR"],
            "original_language": "ko",
            "original_name": self.original_name,
            "overview": "Invented test data.",
            "popularity": self.popularity,
            "poster_path": self.poster_path,
            "first_air_date": self.first_air_date,
            "name": self.name,
            "vote_average": self.vote_average,
            "vote_count": self.vote_count,
        }

    def details(self) -> dict[str, Any]:
        """``/tv/{series_id}`` without appended answers."""
        return {
            **self.search_result(),
            "created_by": [],
            "episode_run_time": [60],
            "genres": [{"id": 18, "name": "Drama"}],
            "homepage": "",
            "in_production": False,
            "languages": ["ko"],
            "last_air_date": self.first_air_date,
            "networks": [
                {"id": 1000 + i, "logo_path": None, "name": name, "origin_country": "KR"}
                for i, name in enumerate(self.networks)
            ],
            "number_of_episodes": sum(self.seasons),
            "number_of_seasons": len(self.seasons),
            "production_companies": [],
            "production_countries": [{"iso_3166_1": "KR", "name": "South Korea"}],
            "seasons": [
                {
                    "air_date": self.first_air_date,
                    "episode_count": count,
                    "id": self.id * 10 + number,
                    "name": f"Season {number}",
                    "overview": "",
                    "poster_path": None,
                    "season_number": number,
                    "vote_average": 0,
                }
                for number, count in enumerate(self.seasons, start=1)
            ],
            "spoken_languages": [{"english_name": "Korean", "iso_639_1": "ko", "name": "한국어"}],
            "status": "Ended",
            "tagline": "",
            "type": "Scripted",
        }

    def aggregate_credits(self) -> dict[str, Any]:
        return {
            "cast": [
                {
                    "adult": False,
                    "gender": 0,
                    "id": person.id,
                    "known_for_department": "Acting",
                    "name": person.name,
                    "original_name": person.original_name or person.name,
                    "popularity": 5.0,
                    "profile_path": None,
                    "roles": [
                        {
                            "credit_id": f"c{person.id}",
                            "character": character,
                            "episode_count": sum(self.seasons),
                        }
                    ],
                    "total_episode_count": sum(self.seasons),
                    "order": order,
                }
                for order, (person, character) in enumerate(self.cast)
            ],
            "crew": [],
            "id": self.id,
        }

    def watch_providers(self) -> dict[str, Any]:
        results: dict[str, Any] = {}
        for region, kinds in self.providers.items():
            entry: dict[str, Any] = {
                "link": f"https://www.themoviedb.org/tv/{self.id}/watch?locale={region}"
            }
            for kind, names in kinds.items():
                entry[kind] = [
                    {
                        "logo_path": f"/logo{abs(hash(name)) % 1000}.jpg",
                        "provider_id": 100 + index,
                        "provider_name": name,
                        "display_priority": index,
                    }
                    for index, name in enumerate(names)
                ]
            results[region] = entry
        return {"id": self.id, "results": results}


def person_translations(person: Person) -> dict[str, Any]:
    """``/person/{person_id}/translations``: English always, Korean when the person has it."""
    translations = [
        {
            "iso_3166_1": "US",
            "iso_639_1": "en",
            "name": "English",
            "english_name": "English",
            "data": {"biography": "", "name": person.name},
        }
    ]
    if person.korean_name:
        translations.append(
            {
                "iso_3166_1": "KR",
                "iso_639_1": "ko",
                "name": "한국어/조선말",
                "english_name": "Korean",
                "data": {"biography": "", "name": person.korean_name},
            }
        )
    return {"id": person.id, "translations": translations}


IM = Person(800001, "Im Si-wan", korean_name="임시완")
SHIN = Person(800002, "Shin Se-kyung", original_name="신세경")  # Hangul already in the credit
CHOI = Person(800003, "Choi Soo-young", korean_name="최수영")
KANG = Person(800004, "Kang Tae-oh")  # no Korean translation: stays unknown


def default_shows() -> list[Show]:
    """A fresh catalogue per stand-in (tests may change it)."""
    run_on = Show(
        900001,
        "Run On",
        "런 온",
        "2020-12-16",
        networks=["JTBC"],
        seasons=[16],
        poster_path="/runon900001.jpg",
        vote_average=8.137,
        vote_count=321,
        cast=[
            (IM, "Ki Seon-gyeom"),
            (SHIN, "Oh Mi-joo"),
            (CHOI, "Seo Dan-ah"),
            (KANG, "Lee Young-hwa"),
        ],
        providers={
            "US": {"flatrate": ["Netflix"], "buy": ["Apple TV"]},
            "KR": {"flatrate": ["Netflix", "Netflix basic with Ads"]},
            "GB": {"flatrate": ["Netflix"]},
            "JP": {"flatrate": ["Netflix"]},
        },
    )
    return [
        run_on,
        # Same English name and year, different shows: a card without a native title is
        # ambiguous; with one, the original name decides.
        Show(900010, "Twin Title", "쌍둥이 제목", "2019-03-01", networks=["KBS2"]),
        Show(900011, "Twin Title", "다른 제목", "2019-09-01", networks=["tvN"]),
        # A later run finds no such show (a remake years later).
        Show(900020, "Old Story", "옛날 이야기", "2004-01-01", networks=["MBC"]),
        # Several seasons: the episode count of "the show" is not a card's count.
        Show(
            900030,
            "Long Show",
            "긴 드라마",
            "2021-05-01",
            networks=["tvN"],
            seasons=[12, 12],
            vote_average=7.5,
            vote_count=40,
        ),
        # Free with ads in the US, rent in GB.
        Show(
            900040,
            "Quiet Days",
            "조용한 날들",
            "2022-02-02",
            networks=["ENA"],
            seasons=[8],
            providers={
                "US": {"ads": ["Rakuten Viki"], "free": ["KOCOWA"]},
                "GB": {"rent": ["Amazon Video"]},
            },
        ),
    ]
