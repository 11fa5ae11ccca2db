"""Hostile option values through the running bot (round 14, branch ``serve14``): every text
option of every command, and every autocomplete, typed with each value of ``HOSTILE``; and
what a misbehaving client sends (wrong types, unknown options, subcommands and commands,
nothing focused). Each is answered within Discord's window, never logged at ERROR (the
``standin`` fixture), never pings (``allowed_mentions``), never lets the typed markdown take
effect, and never breaks a limit the stand-in checks (the ``standin`` fixture fails the test
on any violation: embed sizes, fields, choices). One bot for the module, every command asked
in it with each hostile value."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.answering.commands import COMMANDS, OptionKind
from bot.frontend.autocomplete import COMPLETERS
from tests.standins.discord import DiscordStandIn, StandInInteraction

from .conftest import SHARED_BOT
from .conftest import module_drama_bot as drama_bot  # noqa: F401
from .conftest import module_standin as discord_standin  # noqa: F401
from .harness import DEADLINE, TIMEOUT, message_body, message_requests, visible_text
from .test_mentions import PINGABLE, assert_no_pings

#: One bot and stand-in for the module (tests/e2e/conftest.py): each test checks the answers
#: to its own interactions and the messages sent since it began (``since``); what is typed is
#: never stored (no setting, card or catalog changes), and the cooldown is off.
pytestmark = SHARED_BOT

Z = "zqx"  # a marker no card holds: where it is echoed, its neighbours are checked
HOSTILE: dict[str, str] = {
    "6000 chars": ("Run On " * 900)[:6000],
    "6000 chars marked": (Z + " ") * 1500,
    "empty": "",
    "whitespace": " \t \u3000 ",
    "NUL": f"Run\x00On {Z}",
    "ESC": f"\x1b[31m{Z}\x1b[0m",
    "BEL": f"\x07{Z}\x07",
    "CR": f"{Z}\r\n# {Z}",
    "NEL and LS": f"{Z}\u0085> {Z}\u2028# {Z}",
    "zero-width": f"\u200bRun\u200b On\u200b {Z}",
    "bidi": f"\u202e{Z}\u202c \u2066Run On\u2069",
    "combining flood": "Z" + "\u0301" * 1000,
    "emoji": f"👍🏽 👩‍👩‍👧‍👦 🏳️‍🌈 {Z}",
    "surrogate-looking": f"\\ud83d\\ude00 {Z} \\u0000",
    "lone surrogate": f"\ud83d {Z}",
    "mentions": f"@everyone @here <@123> <@!123> <@&456> <#789> </drama:1> {Z}",
    "code fence": f"```{Z}",
    "spoiler": f"||{Z}",
    "heading": f"# {Z}",
    "quote": f"> {Z}",
    "masked link": f"[{Z}](http://evil.example)",
    "star flood": "*" * 500 + Z,
    "invite": f"discord.gg/{Z} https://discord.com/invite/{Z}",
}
# Typed markdown seen taking effect: raw (unescaped) at the start of a line, or unescaped.
RAW_MARKDOWN = re.compile(
    rf"(?<!\\)```{Z}|(?<!\\)\|\|{Z}|(?m:^#+ {Z})|(?m:^>+ {Z})|(?<!\\)\[{Z}\]\(http|(?<!\\)\*\*\*\*"
)
INVITE = re.compile(rf"discord(?:\.gg|\.com/invite)/{Z}")
FILLERS = {OptionKind.TITLE: "Run On", OptionKind.ACTOR: "Im Si Wan"}


def _text_options() -> list[tuple[str, str, dict[str, Any]]]:
    """(command, option, the other required options filled) for every text option."""
    found = []
    for spec in COMMANDS.values():
        for option in spec.options:
            if option.kind in (OptionKind.FLAG, OptionKind.CHANNEL):
                continue  # Discord sends a boolean or a channel id, never text
            others = {o.name: FILLERS[o.kind] for o in spec.options if o.required}
            others.pop(option.name, None)
            found.append((spec.name, option.name, others))
    return found


async def _ask(
    standin: DiscordStandIn, command: str, options: dict[str, str]
) -> StandInInteraction:
    """``/command`` as the owner (so /settings reads what it is given); sent unchecked, as
    a client that ignores the declared lengths would, when a value is outside them."""
    declared = {o["name"]: o for o in _synced(standin, command).get("options", [])}
    if all(_fits_length(declared[name], value) for name, value in options.items()):
        return await standin.send_slash(command, options, user=standin.owner)
    sent = [_option(name, STRING, value) for name, value in options.items()]
    return await standin.send_raw(2, _data(standin, command, sent), user=standin.owner)


def _fits_length(option: dict[str, Any], value: str) -> bool:
    return option.get("min_length", 0) <= len(value) <= option.get("max_length", 6000)


def _in_time(interaction: StandInInteraction, latency: float) -> None:
    assert latency < DEADLINE, (interaction.payload["data"], latency)


def _check_messages(standin: DiscordStandIn, since: int) -> int:
    """No message the bot sent from the stand-in's ``since``-th request on (the test's own:
    the stand-in is the module's) pings anyone or lets the typed markdown work."""
    for request in message_requests(standin, since):
        shown = visible_text(message_body(request))
        assert not PINGABLE.search(shown), shown[:300]
        assert not RAW_MARKDOWN.search(shown), shown[:300]
        assert shown.count("```") % 2 == 0, shown[:300]  # every code block closed
        if INVITE.search(shown):  # an invite link typed is echoed to the asker alone
            assert message_body(request).get("flags", 0) & 64, shown[:300]
    return assert_no_pings(standin, since)


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
async def test_hostile_text_in_every_option_and_autocomplete(
    standin: DiscordStandIn, value: str
) -> None:
    asked, since = 0, len(standin.requests)
    for command, option, others in _text_options():
        interaction = await _ask(standin, command, others | {option: value})
        response = await interaction.wait_response(timeout=TIMEOUT)
        _in_time(interaction, response.latency)
        assert response.type in (4, 5), (command, option, response.type)
        asked += 1
    for command, option in sorted(COMPLETERS):
        interaction = await standin.send_autocomplete(
            command, {option: value}, focused=option, user=standin.owner
        )
        response = await interaction.wait_response(timeout=TIMEOUT)
        _in_time(interaction, response.latency)
        assert response.type == 8, (command, option, response.type)
        asked += 1
    assert asked == len(_text_options()) + len(COMPLETERS)
    assert _check_messages(standin, since) >= len(_text_options())


def _synced(standin: DiscordStandIn, name: str) -> dict[str, Any]:
    for command in standin.commands.scope(standin.guild.id):
        if command["name"] == name:
            return command
    raise AssertionError(f"/{name} was not synced")


def _data(standin: DiscordStandIn, name: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    command = _synced(standin, name)
    data = {"id": command["id"], "name": name, "type": 1, "options": options}
    return data | {"guild_id": str(standin.guild.id)}


def _option(name: str, kind: int, value: Any, **more: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "value": value, **more}


STRING, INTEGER, BOOLEAN, CHANNEL = 3, 4, 5, 7
# What a misbehaving or out-of-date client sends: (command, options as sent, autocomplete?)
MISBEHAVING: dict[str, tuple[str, list[dict[str, Any]], bool]] = {
    "number for a title": ("drama", [_option("title", INTEGER, 1988)], False),
    "number typed as a string title": ("drama", [_option("title", STRING, 1988)], False),
    "list for a title": ("cast", [_option("title", STRING, ["Run On"])], False),
    "null title": ("rating", [_option("title", STRING, None)], False),
    "object for a name": ("actor", [_option("name", STRING, {"a": 1})], False),
    "string for a year": ("browse", [_option("year", STRING, "twenty")], False),
    "float for a year": ("top", [_option("year", INTEGER, 2020.5)], False),
    "huge year": ("random", [_option("year", INTEGER, 10**30)], False),
    "string for a flag": ("reload", [_option("confirm", STRING, "yes")], False),
    "string for a channel": ("settings", [_option("public_channel", CHANNEL, "#general")], False),
    "unknown region choice": ("stream", [_option("title", STRING, "Run On"),
                                         _option("region", STRING, "ZZ" * 50)], False),
    "unknown option": ("drama", [_option("title", STRING, "Run On"),
                                 _option("year", INTEGER, 2020)], False),
    "an option for /help": ("help", [_option("topic", STRING, "@everyone")], False),
    "an option for /about": ("about", [_option("x", INTEGER, 1)], False),
    "required option missing": ("similar", [], False),
    "options missing entirely": ("stream", None, False),  # type: ignore[dict-item]
    "unknown subcommand": ("drama", [{"name": "info", "type": 1, "options": [
        _option("title", STRING, "Run On")]}], False),
    "option twice": ("drama", [_option("title", STRING, "Run On"),
                               _option("title", STRING, "Reply 1988")], False),
    "autocomplete, nothing focused": ("drama", [_option("title", STRING, "Run")], True),
    "autocomplete, unfocused option": ("stream", [_option("title", STRING, "Run On"),
                                                  _option("region", STRING, "K")], True),
    "autocomplete, two focused": ("stream", [_option("title", STRING, "Run", focused=True),
                                             _option("region", STRING, "K", focused=True)], True),
    "autocomplete, number focused": ("drama", [_option("title", INTEGER, 7, focused=True)], True),
    "autocomplete, unknown option focused": ("drama", [_option("year", STRING, "20",
                                                               focused=True)], True),
    "autocomplete on a command without": ("help", [_option("x", STRING, "", focused=True)], True),
}  # fmt: skip


@pytest.mark.parametrize("label", list(MISBEHAVING))
async def test_what_a_misbehaving_client_sends_is_answered(
    standin: DiscordStandIn, label: str
) -> None:
    command, options, autocomplete = MISBEHAVING[label]
    since = len(standin.requests)
    data = _data(standin, command, options or [])
    if options is None:
        del data["options"]
    interaction = await standin.send_raw(4 if autocomplete else 2, data, user=standin.owner)
    response = await interaction.wait_response(timeout=TIMEOUT)
    _in_time(interaction, response.latency)
    if autocomplete:
        assert response.type == 8
    else:
        assert response.type in (4, 5)
        assert response.ephemeral or response.type == 5 or not response.content
    _check_messages(standin, since)


@pytest.mark.parametrize("name", ["dramaa", "x" * 32, "drama info"])
async def test_an_unknown_command_is_answered_privately(standin: DiscordStandIn, name: str) -> None:
    data = {"id": "1", "name": name, "type": 1, "options": [], "guild_id": str(standin.guild.id)}
    since = len(standin.requests)
    interaction = await standin.send_raw(2, data)
    response = await interaction.wait_response(timeout=TIMEOUT)
    _in_time(interaction, response.latency)
    assert response.type == 4 and response.ephemeral
    assert response.content
    completion = await standin.send_raw(4, data | {"options": [_option("q", 3, "", focused=True)]})
    assert (await completion.wait_response(timeout=TIMEOUT)).type == 8
    _check_messages(standin, since)
