"""Usage errors for a Korean reader (`drama-bot ask --json --locale ko`): command and option
names are the ones a Korean Discord client shows (the same names the Translator gives
Discord), so every example in a message can be typed back as it is."""

from __future__ import annotations

import json
import re

from bot.answering import i18n
from bot.answering.commands import COMMANDS, parse_command_line
from tests.test_cli import drama_bot

# Every English command and option name, as it would appear after a slash or before a colon.
ENGLISH_NAMES = re.compile(
    r"/(?:"
    + "|".join(COMMANDS)
    + r")\b|\b(?:"
    + "|".join({o.name for spec in COMMANDS.values() for o in spec.options})
    + r")\b"
)


def korean(*lines: str) -> list[dict[str, object]]:
    done = drama_bot("ask", "--json", "--locale", "ko", "--quiet", stdin="\n".join(lines))
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_usage_errors_use_the_korean_command_and_option_names() -> None:
    records = korean("/cast", "/drama", "/reload confirm:maybe", "/foo", "hello there")
    said = {record["command"]: record["message"]["content"] for record in records}
    assert said["/cast"] == "/출연진 명령어에는 제목 값이 필요해요. 예: /출연진 Reply 1988"
    assert said["/drama"].startswith("/드라마 명령어에는 제목 값이 필요해요. 예: /드라마 ")
    assert said["/reload confirm:maybe"] == "/새로고침 확인: true 또는 false로 입력해 주세요."
    assert said["/foo"].startswith("없는 명령어예요: /foo. 명령어: /드라마, /출연진, /스트리밍")
    assert said["hello there"].startswith("명령어는 /로 시작해요. 예: /드라마 Run On")
    for record in records:
        content = str(record["message"]["content"])
        # the only English names left are what the user typed, quoted or after "/foo"
        shown = content.replace("/foo", "").split("“")[0]
        assert not ENGLISH_NAMES.search(shown), content


def test_the_korean_names_in_examples_can_be_typed_back() -> None:
    """What a message suggests (`/출연진 Reply 1988`, `/새로고침 확인:true`) is a command
    line `ask` reads, with the same meaning as the English one."""
    assert parse_command_line("/출연진 Reply 1988") == parse_command_line("/cast Reply 1988")
    assert parse_command_line("/스트리밍 Run On 지역:KR") == parse_command_line(
        "/stream Run On region:KR"
    )
    assert parse_command_line("/새로고침 확인:true") == parse_command_line("/reload confirm:true")
    assert parse_command_line("/둘러보기 장르:로맨스 연도:2020년").options == {
        "genre": "로맨스",
        "year": "2020년",
    }
    (record,) = korean("/드라마 Run On")
    assert record["card"] == "run-on"


def test_every_korean_sentence_names_commands_and_options_the_korean_way() -> None:
    """No Korean sentence or description spells out an English command (`/stream`) or an
    option before a colon (`confirm:true`): those are {command} placeholders or Korean names."""
    option_names = {o.name for spec in COMMANDS.values() for o in spec.options}
    english_use = re.compile(
        r"/(?:" + "|".join(COMMANDS) + r")\b|\b(?:" + "|".join(option_names) + r"):"
    )
    found = []
    for key, message in i18n.messages("ko").items():
        for form in message.values() if isinstance(message, dict) else (message,):
            if english_use.search(str(form)):
                found.append((key, form))
    for name in COMMANDS:
        for what in ("name", "description"):
            shown = i18n.command_text("ko", name, what) or ""
            if english_use.search(shown):
                found.append((name, shown))
        for option in COMMANDS[name].options:
            shown = i18n.option_text("ko", name, option.name, "description") or ""
            if english_use.search(shown):
                found.append((f"{name} {option.name}", shown))
    assert found == []
