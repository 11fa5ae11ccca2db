"""Every kind of answer, rendered for a Korean reader through the answer layer, carries no
English interface text; the same answers for an English reader are unchanged.

The cards are written for this test (romanized titles, Korean review text), so any English
left in a Korean answer is interface text that was not translated."""

from __future__ import annotations

import json
import random
import re
import string
import time
from pathlib import Path
from typing import Any

import pytest

from bot.answering import i18n
from bot.answering.answers import Choices, NotFound, Subject, UnknownRegion
from bot.answering.commands import parse_command_line
from bot.answering.dispatch import answer, page_of
from bot.answering.info import BotStatus, about_answer
from bot.answering.notices import reload_notice, reload_summary
from bot.answering.plain_text import payload_to_text
from bot.answering.render import render
from bot.answering.settings_view import outside_a_server, settings_notice
from bot.catalog.service import CatalogService
from bot.catalog.settings import ServerSettings
from bot.catalog.store import Store
from tests.conftest import WriteCard

ASKER = 7

HANEUL_GIL = """
title: Haneul Gil
native_title: 하늘길
year: 2021
network: tvN
episodes: 16
genres: [romance, thriller]
cast:
{cast}
streaming:
  - service: Netflix
    checked: 2026-11-25
    source: TMDB
  - service: Viki
    kind: ads
    regions: [US, CA]
    checked: 2026-10
  - service: Apple TV
    kind: rent
    regions: [US]
  - service: Apple TV
    kind: buy
    regions: [US]
ratings: {{scale: 5, overall: 4.5, romance: 4, rewatch: null}}
review:
  source: 드라마 일기
  reviewer: 민지
  url: https://blog.example.kr/haneul-gil
  headline: 천천히 스며드는 이야기
  summary: 두 사람이 서로를 알아 가는 과정이 따뜻해요.
  highlights: [배우들의 호흡, 음악]
  verdict: 주말에 몰아 보기 좋아요.
similar: [Byeol Bit, Eobsneun Jemok]
poster: https://image.tmdb.org/t/p/w500/haneul.jpg
links:
  official: https://tvn.example.kr/haneul-gil
  mydramalist: https://mydramalist.com/1-haneul-gil
  wikipedia: https://ko.wikipedia.org/wiki/haneul-gil
  imdb: https://www.imdb.com/title/tt0000001/
community_rating: {{score: 8.1, scale: 10, source: TMDB, votes: 1234, checked: 2026-11-25}}
"""

BYEOL_BIT = """
title: Byeol Bit
year: 2019
network: tvN
genres: [romance, thriller]
cast:
  - actor: Kim Haneul
    role: Yun Seo
"""

GUREUM = """
title: Gureum
year: 2018
network: KBS2
genres: [medical]
cast:
  - actor: Jo Gureum
    role: Baek Do
streaming:
  - service: Viki
    regions: [US]
    checked: 2026-11
review:
  headline: 조용한 병원 이야기
community_rating: {score: 7.4, scale: 10, source: MyDramaList}
"""


def _cast() -> str:
    members = [("Kim Haneul", "Seo Yun", "[김하늘]")] + [
        (f"Choi Dan{n}", f"Ha Rin{n}", "[]") for n in range(1, 17)
    ]
    return "\n".join(
        f"  - actor: {actor}\n    role: {role}\n    aliases: {aliases}"
        for actor, role, aliases in members
    )


def _dal_bam(n: int) -> str:
    return (
        f"title: Dal Bam {n}\nyear: {2000 + n}\nnetwork: JTBC\ngenres: [thriller]\n"
        f"cast:\n  - actor: Park Byeol\n    role: Han Seol{n}\n"
    )


@pytest.fixture
def cards(write_card: WriteCard, cards_dir: Path) -> Path:
    write_card("haneul-gil", HANEUL_GIL.format(cast=_cast()))
    write_card("byeol-bit", BYEOL_BIT)
    write_card("gureum", GUREUM)
    for n in range(1, 12):
        write_card(f"dal-bam-{n}", _dal_bam(n))
    return cards_dir


# ---------------------------------------------------------------------------- English left over

_WORD = re.compile(r"[A-Za-z]{3,}")


def _forms(message: Any) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [message]


def _same_in(locale: str) -> set[str]:
    """Keys whose text this language keeps as in English on purpose."""
    english, other = i18n.messages("en"), i18n.messages(locale)
    return {key for key in english if _forms(english[key]) == _forms(other[key])}


# Kept in English on purpose: names of sites, TMDB's required notice, and wording made only of
# placeholders and symbols.
KEPT_IN_KOREAN = {
    "credits.tmdb_notice",
    "links.imdb",
    "links.mydramalist",
    "list.separator",
    "browse.heading",
    "community.score",
    "scores.line",
    "settings.region_value",
    "help.line",
    "top.empty",
}


# Names every language writes the same way (a fragment that is only one of these is no sign
# of an untranslated sentence).
NAMES = {"JustWatch"}


def english_fragments() -> set[str]:
    """The literal pieces of every English sentence (between placeholders) that hold a word."""
    fragments = set()
    for key, message in i18n.messages("en").items():
        if key in KEPT_IN_KOREAN:
            continue
        for form in _forms(message):
            for literal, *_ in string.Formatter().parse(form):
                piece = literal.strip(" .,:;!?()*`“”—·\n…[]◀▶")
                if _WORD.search(piece) and piece not in NAMES:
                    fragments.add(piece)
    return fragments


def visible_text(payload: dict[str, Any]) -> list[str]:
    """Everything a reader sees in a message."""
    texts = [payload["content"]]
    for embed in payload["embeds"]:
        texts += [embed.get("title", ""), embed.get("description", "")]
        texts.append(embed.get("footer", {}).get("text", ""))
        for item in embed.get("fields", []):
            texts += [item["name"], item["value"]]
    for row in payload["components"]:
        for component in row["components"]:
            texts += [component.get("label", ""), component.get("placeholder", "")]
            texts += [option["label"] for option in component.get("options", [])]
    kept = [
        i18n.text(key, "en")
        for key in KEPT_IN_KOREAN
        if "{" not in i18n.text(key, "en") and _WORD.search(i18n.text(key, "en"))
    ]
    cleaned = []
    for text in texts:
        for english in kept:
            text = text.replace(english, "")
        cleaned.append(text)
    return [t for t in cleaned if t]


def english_in(payload: dict[str, Any], fragments: set[str]) -> list[str]:
    found = []
    for text in visible_text(payload):
        for fragment in fragments:
            if re.search(rf"(?<![A-Za-z-]){re.escape(fragment)}(?![A-Za-z-])", text):
                found.append(f"{fragment!r} in {text[:120]!r}")
    return found


def test_only_deliberate_keys_read_the_same_in_korean() -> None:
    assert _same_in("ko") == KEPT_IN_KOREAN


# ---------------------------------------------------------------------------- every answer


async def every_answer(cards: Path, tmp_path: Path) -> dict[str, Any]:
    """One of each kind of answer (by a name for failure messages), from real cards, a real
    database and real reloads."""
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, cards)
        first = await service.start()
        assert first.applied, first.errors
        catalog = service.catalog
        found: dict[str, Any] = {}
        lines = [
            "/drama Haneul Gil",
            "/drama Byeol Bit",
            "/drama Gureum",
            "/cast Haneul Gil",
            "/stream Haneul Gil",
            "/stream Haneul Gil region:KR",
            "/stream Haneul Gil region:US",
            "/stream Gureum region:KR",
            "/stream Gureum region:Mongolia",
            "/stream Byeol Bit",
            "/stream Haneul Gil region:Brazl",
            "/stream Haneul Gil region:qqxzv",
            "/rating Haneul Gil",
            "/rating Byeol Bit",
            "/rating Gureum",
            "/similar Haneul Gil",
            "/similar Byeol Bit",
            "/similar Gureum",
            "/actor Park Byeol",
            "/actor Kim Haneul",
            "/actor Zzyzx Qwerty",
            "/drama Zzyzx Qwerty",
            "/random genre:romcom",
            "/random genre:qqqqqqqq",
            "/random year:1990",
            "/random",
            "/random genre:thriller network:JTBC year:2000s",
            "/browse genre:thriller",
            "/browse actor:Park Byeol",
            "/browse network:KBS",
            "/browse network:Qqqqqq",
            "/browse year:soon",
            "/browse actor:Zzyzx Qwerty",
            "/browse genre:medical network:JTBC",
            "/top",
            "/top by:community",
            "/top network:JTBC",
            "/top by:community network:JTBC",
            "/top by:popularity",
            "/help",
            "/settings",
        ]
        for line in lines:
            found[line] = answer(catalog, parse_command_line(line), rng=random.Random(3))
        found["/stream Haneul Gil (server's region)"] = answer(
            catalog, parse_command_line("/stream Haneul Gil"), default_region="CA"
        )
        found["/browse page 2"] = page_of(catalog, "browse", "g=thriller", 1)
        found["/cast page 2"] = page_of(catalog, "cast", "haneul-gil", 1)
        found["did you mean (one)"] = Choices(
            "drama", "Haneul", Subject.DRAMA, (("haneul-gil", "Haneul Gil (2021)"),)
        )
        found["did you mean (several)"] = Choices(
            "actor", "Park", Subject.ACTOR, (("park-byeol", "Park Byeol"), ("kim", "Kim Haneul"))
        )
        found["unknown region"] = UnknownRegion("stream", "Atlantis")
        found["a card that failed to load"] = NotFound(
            "drama", "Sae Byeok", Subject.DRAMA, unloaded="Sae Byeok"
        )
        found["settings"] = settings_notice(ServerSettings("KR", frozenset({8, 9})))
        found["settings (none)"] = settings_notice(ServerSettings())
        found["settings outside a server"] = outside_a_server()

        (cards / "gureum.yaml").unlink()
        (cards / "new-one.yaml").write_text(_dal_bam(20).replace("Dal Bam 20", "Sae Gil"))
        byeol = cards / "byeol-bit.yaml"
        byeol.write_text(byeol.read_text().replace("2019", "2018"))
        done = await service.reload()
        assert done.applied and done.diff.added and done.diff.removed and done.diff.changed
        found["reload"] = reload_notice(done)
        (cards / "dal-bam-1.yaml").write_text("title: Dal Bam 1\nyear: soon\ncast: []\n")
        refused = await service.reload()
        assert not refused.applied and len(refused.errors) >= 2
        found["reload refused"] = reload_notice(refused, served=service.catalog.cards)
        assert found["reload refused"].title == "Reload refused"  # dal-bam-1's edit waits
        found["reload unchanged"] = reload_notice(refused)  # as if it had never loaded
        assert found["reload unchanged"].title == "Catalog unchanged"
        status = BotStatus(
            "1.2.3",
            len(service.catalog),
            time.time(),
            time.time(),
            reload_summary(refused),
            i18n.Phrase("about.shard_of", shard=1, shards=4),
        )
        found["/about"] = about_answer(status)
        found["/about (after a good reload)"] = about_answer(
            BotStatus("1.2.3", 3, time.time(), time.time(), reload_summary(done))
        )
    return found


async def test_korean_answers_carry_no_english_interface_text(cards: Path, tmp_path: Path) -> None:
    answers = await every_answer(cards, tmp_path)
    fragments = english_fragments()
    assert {"Where to watch", "Main cast", "Did you mean", "Previous", "Next"} <= fragments
    leftovers = {}
    for name, result in answers.items():
        payload = render(result, ASKER, "ko")
        assert any(re.search("[가-힣]", text) for text in visible_text(payload)), name
        if found := english_in(payload, fragments):
            leftovers[name] = found
    assert leftovers == {}


async def test_the_same_answers_in_english_are_in_english(cards: Path, tmp_path: Path) -> None:
    answers = await every_answer(cards, tmp_path)
    fragments = english_fragments()
    with_english = [name for name, r in answers.items() if english_in(render(r, ASKER), fragments)]
    assert len(with_english) == len(answers)
    for locale in (None, "en-US", "fr", "de"):  # no file: English, byte for byte
        for result in answers.values():
            assert render(result, ASKER, locale) == render(result, ASKER)
    # A locale with a country part (en-GB, pt-BR) is English too; only the live-availability
    # page, when the user named no region, is that country's.
    for locale, path in (("en-GB", "/uk/"), ("pt-BR", "/br/")):
        for name, result in answers.items():
            shown = json.dumps(render(result, ASKER, locale), ensure_ascii=False)
            english = json.dumps(render(result, ASKER), ensure_ascii=False)
            if "justwatch.com/us/" not in english:
                assert shown == english, (locale, name)
        stream = render(answers["/stream Haneul Gil"], ASKER, locale)
        assert stream["components"][0]["components"][0]["url"].startswith(
            f"https://www.justwatch.com{path}"
        )
        assert english_in(stream, fragments)


async def test_korean_labels_in_a_drama_answer(cards: Path, tmp_path: Path) -> None:
    answers = await every_answer(cards, tmp_path)
    (embed,) = render(answers["/drama Haneul Gil"], ASKER, "ko")["embeds"]
    fields = {item["name"]: item["value"] for item in embed["fields"]}
    assert fields["연도"] == "2021" and fields["방송사"] == "tvN"
    assert fields["장르"] == "로맨스, 스릴러"  # genre tags shown by their Korean names
    assert "**Kim Haneul** (Seo Yun 역)" in fields["주요 출연진"]  # card text as written
    assert (
        "2025년" not in fields["볼 수 있는 곳"]
        and "2026년 10월~2026년 11월" in (fields["볼 수 있는 곳"])
    )
    assert "미국, 캐나다" in fields["볼 수 있는 곳"]  # country names in Korean
    assert fields["커뮤니티 평점 (TMDB)"].startswith("8.1 / 10 (1,234명 투표), 2026년 11월 기준")
    assert embed["footer"]["text"].startswith("리뷰: 드라마 일기 · 작성: 민지")
    stream = render(answers["/stream Haneul Gil (server's region)"], ASKER, "ko")
    assert stream["embeds"][0]["description"].startswith("**캐나다 기준** (이 서버의 기본 지역")


def test_the_terminal_marks_private_answers_in_the_readers_language() -> None:
    payload = render(outside_a_server(), ASKER, "ko")
    assert payload_to_text(payload, "ko").startswith("(나만 볼 수 있는 답변)")
    assert payload_to_text(render(outside_a_server(), ASKER)).startswith("(only you can see")
