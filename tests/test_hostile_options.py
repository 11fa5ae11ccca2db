"""Whatever a user types into any option of any command is echoed defused: no mention, no
markdown of theirs takes effect, in every language. Driven through `drama-bot ask --json`,
the payload Discord would receive."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot.answering.commands import COMMANDS, OptionKind
from tests.test_cli import drama_bot

# Each hostile value, and what must never appear raw in a payload once it was typed.
HOSTILE = {
    "@everyone": "@everyone",
    "@here look": "@here",
    "<@123>": "<@123>",
    "<@&456>": "<@&456>",
    "<#789>": "<#789>",
    "**zqx**": "**zqx**",
    "__zqx__": "__zqx__",
    "`zqx`": "`zqx`",
    "[zqx](https://evil.example)": "](https://evil",
    "||zqx||": "||zqx||",
    "~~zqx~~": "~~zqx~~",
}
# Required options are filled with something that works, so the hostile one is what is read.
FILLER = {OptionKind.TITLE: "Run On", OptionKind.ACTOR: "Im Si Wan"}


def _lines() -> list[str]:
    lines = []
    for spec in COMMANDS.values():
        for option in spec.options:
            others = " ".join(
                f"{o.name}:{FILLER[o.kind]}" for o in spec.options if o.required and o is not option
            )
            for value in HOSTILE:
                lines.append(f"/{spec.name} {others} {option.name}:{value}".replace("  ", " "))
    return lines


def _visible(payload: dict[str, Any]) -> list[str]:
    """Every piece of text Discord shows from a message payload."""
    shown = [payload.get("content", "")]
    for embed in payload.get("embeds", []):
        shown += [embed.get("title", ""), embed.get("description", "")]
        shown += [embed.get("footer", {}).get("text", "")]
        for item in embed.get("fields", []):
            shown += [item["name"], item["value"]]
    for row in payload.get("components", []):
        for component in row.get("components", []):
            shown += [component.get("label", ""), component.get("placeholder", "")]
            shown += [o["label"] for o in component.get("options", [])]
    return shown


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_hostile_text_in_every_option_is_echoed_defused(locale: str) -> None:
    lines = _lines()
    done = drama_bot("ask", "--json", "--quiet", "--locale", locale, stdin="\n".join(lines))
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["command"] for r in records] == lines
    for record in records:
        typed = next(v for v in HOSTILE if record["command"].endswith(f":{v}"))
        raw = re.compile(r"(?<!\\)" + re.escape(HOSTILE[typed]))  # not escaped
        for text in _visible(record["message"]):
            assert not raw.search(text), (record["command"], text)
    by_line = {r["command"]: r["message"] for r in records}
    # The cases QA found, shown defused rather than dropped.
    zwsp = "\u200b"
    assert f"@{zwsp}everyone" in by_line["/random genre:@everyone"]["content"]
    assert f"\\<@{zwsp}123\\>" in by_line["/browse actor:<@123>"]["content"]
    assert "\\*\\*zqx\\*\\*" in by_line["/browse network:**zqx**"]["content"]
