"""A user whose Discord is set to Korean gets Korean answers, refusals and choices from the
real bot through the Discord stand-in; everyone else keeps the English ones. Menus and page
buttons answer in the language of whoever clicks."""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

import pytest

from bot.answering.plain_text import payload_to_text
from bot.config import Config
from tests.standins.discord import DiscordStandIn

from .conftest import Launch
from .harness import DEADLINE, TIMEOUT, answer, field_values


def buttons(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for row in components for c in row["components"] if c["type"] == 2]


def menus(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for row in components for c in row["components"] if c["type"] == 3]


@pytest.mark.usefixtures("drama_bot")
async def test_a_korean_user_gets_korean_labels_and_english_users_are_unchanged(
    standin: DiscordStandIn,
) -> None:
    _, korean = await answer(standin, "drama", {"title": "Run On"}, locale="ko")
    assert korean.latency < DEADLINE
    (embed,) = korean.embeds
    assert embed["title"] == "Run On (2020)"  # card content is never translated
    fields_ko = field_values(embed)
    assert fields_ko["원제"] == "런 온" and fields_ko["연도"] == "2020"
    assert fields_ko["방송사"] == "JTBC" and "로맨스" in fields_ko["장르"]
    assert "Ki Seon-gyeom 역" in fields_ko["주요 출연진"]
    assert "실시간 시청 정보 확인하기" in fields_ko["볼 수 있는 곳"]
    assert "리뷰의 추천" in fields_ko["비슷한 드라마"]
    assert menus(korean.components)[0]["placeholder"] == "비슷한 드라마 열기…"

    _, english = await answer(standin, "drama", {"title": "Run On"}, locale="en-US")
    fields_en = field_values(english.embeds[0])
    assert fields_en["Native title"] == "런 온" and fields_en["Year"] == "2020"
    assert "Ki Seon-gyeom" in fields_en["Main cast"] and "Where to stream" in fields_en
    assert menus(english.components)[0]["placeholder"] == "Open a similar drama…"
    _, french = await answer(standin, "drama", {"title": "Run On"}, locale="fr")
    assert french.embeds == english.embeds  # no file for fr: English, byte for byte
    _, british = await answer(standin, "drama", {"title": "Run On"}, locale="en-GB")
    where_gb = field_values(british.embeds[0])["Where to stream"]
    assert "https://www.justwatch.com/uk/search?q=Run%20On" in where_gb  # the reader's country
    assert where_gb.replace("/uk/", "/us/") == fields_en["Where to stream"]
    _, korean_stream = await answer(standin, "stream", {"title": "Run On"}, locale="ko")
    (live,) = buttons(korean_stream.components)
    assert live["url"].startswith("https://www.justwatch.com/kr/")  # no region: the reader's

    _, where = await answer(standin, "stream", {"title": "Run On", "region": "KR"}, locale="ko")
    assert where.embeds[0]["title"] == "Run On (2020) 볼 수 있는 곳"
    assert where.embeds[0]["description"].startswith("**한국 기준**")
    (live,) = buttons(where.components)
    assert live["label"] == "실시간 시청 정보 확인 (한국, JustWatch)"


@pytest.mark.usefixtures("drama_bot")
async def test_pages_turn_in_the_language_of_whoever_clicks(standin: DiscordStandIn) -> None:
    asked, response = await answer(
        standin, "browse", {"genre": "romance"}, user="alice", locale="ko"
    )
    (embed,) = response.embeds
    assert embed["title"] == "로맨스 드라마"
    assert "최신순" in embed["footer"]["text"] and "1/" in embed["footer"]["text"]
    previous, following = buttons(response.components)
    assert (previous["label"], following["label"]) == ("◀ 이전", "다음 ▶")
    message = asked.original
    assert message is not None

    refused = await standin.send_component(message, following["custom_id"], user="bob", locale="ko")
    refusal = await refused.wait_response(timeout=TIMEOUT)
    assert refusal.ephemeral
    assert (
        refusal.content
        == "질문한 사람만 페이지를 넘길 수 있어요. /둘러보기 명령어를 직접 실행해 보세요."
    )

    # Alice switched her Discord to English meanwhile: the next page is in English.
    turned = await standin.send_component(message, following["custom_id"], user="alice")
    assert (await turned.wait_response(timeout=TIMEOUT)).type == 7
    assert message.embeds[0]["title"] == "Romance dramas"
    assert "Page 2 of" in message.embeds[0]["footer"]["text"]
    back = next(b for b in buttons(message.components) if b["label"] == "◀ Previous")
    again = await standin.send_component(message, back["custom_id"], user="alice", locale="ko")
    assert (await again.wait_response(timeout=TIMEOUT)).type == 7
    assert message.embeds[0]["title"] == "로맨스 드라마"


@pytest.mark.usefixtures("drama_bot")
async def test_did_you_mean_asks_and_answers_in_korean(standin: DiscordStandIn) -> None:
    asked, response = await answer(standin, "cast", {"title": "reply"}, user="alice", locale="ko")
    assert "“reply”에 맞는 드라마가 여러 편 있어요" in response.content
    (menu,) = menus(response.components)
    assert menu["placeholder"] == "찾으시는 드라마를 골라 주세요"
    click = await standin.send_component(
        asked, menu["custom_id"], ["reply-1988"], user="alice", locale="ko"
    )
    assert (await click.wait_response(timeout=TIMEOUT)).type == 7
    assert asked.original is not None
    assert asked.original.embeds[0]["title"] == "Reply 1988 (2015) 출연진"
    assert "주요 출연진, 크레딧 순서" in asked.original.embeds[0]["footer"]["text"]

    _, missing = await answer(standin, "actor", {"name": "Zzyzx Qwerty"}, locale="ko")
    assert missing.ephemeral
    assert missing.content.startswith("카탈로그에서 “Zzyzx Qwerty” 배우를 찾지 못했어요.")
    assert "/배우 명령어" in missing.content


@pytest.mark.usefixtures("drama_bot")
async def test_refusals_and_choices_are_korean_too(standin: DiscordStandIn) -> None:
    _, refused = await answer(
        standin, "settings", {"region": "KR"}, user="bob", permissions=0, locale="ko"
    )
    assert refused.ephemeral
    assert refused.content.startswith("이 서버의 설정은 서버 관리자")

    _, settings = await answer(standin, "settings", user=standin.owner, locale="ko")
    (embed,) = settings.embeds
    assert embed["title"] == "서버 설정" and "/스트리밍 기본 지역" in embed["description"]

    typed = await standin.send_autocomplete(
        "browse", {"genre": "로맨"}, focused="genre", locale="ko"
    )
    choices = (await typed.wait_response(timeout=TIMEOUT)).choices
    assert choices[0] == {"name": "로맨스 (romance)", "value": "romance"}
    typed = await standin.send_autocomplete("top", {"by": ""}, focused="by", locale="ko")
    labels = [c["name"] for c in (await typed.wait_response(timeout=TIMEOUT)).choices]
    assert labels == ["리뷰 점수", "커뮤니티 평점"]
    typed = await standin.send_autocomplete(
        "stream", {"title": "Run On", "region": "캐나"}, focused="region", locale="ko"
    )
    names = [c["name"] for c in (await typed.wait_response(timeout=TIMEOUT)).choices]
    assert "캐나다 (CA)" in names


async def test_the_command_limit_speaks_korean(
    standin: DiscordStandIn, launch: Launch, config: Config
) -> None:
    values = {f.name: getattr(config, f.name) for f in fields(config)}
    await launch(Config(**{**values, "cooldown_commands": 1, "cooldown_seconds": 60}))
    _, first = await answer(standin, "help", user="alice", locale="ko")
    assert first.embeds[0]["title"] == "제가 할 수 있는 일"
    assert "`/드라마 Crash Landing on You`" in first.embeds[0]["description"]
    _, slowed = await answer(standin, "help", user="alice", locale="ko")
    assert slowed.ephemeral
    assert slowed.content.startswith("조금만 천천히 물어봐 주세요. 명령어는 60초에 1번까지")
    assert re.search(r"<t:\d+:R> 다시 해 보세요\.$", slowed.content)
    shown = payload_to_text(slowed.data or {}, "ko")
    wait = re.search(r" (\d+)초 후 다시 해 보세요\.$", shown)
    assert wait is not None and 50 < int(wait[1]) <= 61, shown


@pytest.mark.usefixtures("drama_bot")
async def test_settings_region_reads_korean_names_and_suggests_in_korean(
    standin: DiscordStandIn,
) -> None:
    _, taiwan = await answer(
        standin, "settings", {"region": "대만"}, user=standin.owner, locale="ko"
    )
    assert "기본 지역을 바꿨어요: 대만 (TW)." in taiwan.embeds[0]["description"]
    _, typo = await answer(
        standin, "settings", {"region": "Austrlia"}, user=standin.owner, locale="ko"
    )
    assert typo.ephemeral and "혹시 호주 말인가요?" in typo.content
    _, nonsense = await answer(
        standin, "settings", {"region": "Narnia"}, user=standin.owner, locale="ko"
    )
    assert nonsense.ephemeral and "혹시" not in nonsense.content


@pytest.mark.usefixtures("drama_bot")
async def test_year_suggestions_read_the_korean_way(standin: DiscordStandIn) -> None:
    """A Korean reader sees 2010년대 and 2020년 (the values stay 2010s and 2020, which the
    answer reads in any language), and typing 2010년 finds them too."""
    typed = await standin.send_autocomplete("browse", {"year": "201"}, focused="year", locale="ko")
    choices = (await typed.wait_response(timeout=TIMEOUT)).choices
    assert choices[0] == {"name": "2010년대", "value": "2010s"}
    assert {"name": "2019년", "value": "2019"} in choices
    for typing, expected in (("2010년", ["2010년대", "2010년"]), ("2010년대", ["2010년대"])):
        typed = await standin.send_autocomplete(
            "browse", {"year": typing}, focused="year", locale="ko"
        )
        choices = (await typed.wait_response(timeout=TIMEOUT)).choices
        assert [c["name"] for c in choices] == expected
    typed = await standin.send_autocomplete("browse", {"year": "201"}, focused="year")
    english = (await typed.wait_response(timeout=TIMEOUT)).choices
    assert english[0] == {"name": "2010s", "value": "2010s"}  # English is as it was
    _, listed = await answer(standin, "browse", {"year": choices[0]["value"]}, locale="ko")
    assert listed.embeds[0]["title"] == "2010년대 드라마"
