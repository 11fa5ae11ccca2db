"""A server admin trying the unmodified ``drama-bot run`` (a process, nothing patched) through
the Discord stand-in, the way round 10's brief lists it: every command and option; autocomplete
on every title and actor option (at most 25 choices, names and values at most 100 characters);
errors only the asker sees; ``/reload`` and ``/settings`` refused at run time to a member
without Manage Server (as when a server opened the commands to everyone in *Integrations*);
embeds within Discord's limits for a card at every limit ``check`` allows, its text full of
mentions and markdown; users' mentions, markdown and control characters never echoed raw; an
answer slower than ``defer_answers_after`` deferred, then filled in.

The stand-in validates every request against Discord's OpenAPI description and the limits the
schema cannot express (embed totals, choices, one initial response within 3 s), and the
``standin`` fixture fails the test on any violation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pycountry
import yaml

from bot.answering.commands import COMMANDS, OptionKind
from tests.standins.discord import DiscordStandIn

from .harness import TIMEOUT, copy_cards, visible_text
from .processes import drama_bot_serving, stopped, write_config

MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
MANAGE_MESSAGES = 1 << 13
MARKUP = "**Bold** <@123> @everyone `code` ||spoiler|| [link](https://example.org) "
#: What a message must never show raw: a ping, a mention, markdown from a card or a user.
RAW = re.compile(
    r"@(everyone|here)|(?<!\\)<[@#]|(?<!\\)\*\*Bold|(?<!\\)`code|(?<!\\)\|\|spoiler|(?<!\\)\]\("
    r"|[\x00-\x08\x0b-\x1f\x7f]"
)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
TYPED = "<@123> **Bold** @everyone\x07 `code` ||spoiler|| \x1b[31m zqx"


def rendered(data: dict[str, Any]) -> str:
    """What Discord renders as markdown: content, embed titles, descriptions and fields
    (footers, select-menu labels and autocomplete choices are plain text, shown as written)."""
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def _text(length: int, start: str) -> str:
    """``start`` padded with numbered words to exactly ``length`` characters."""
    words = [start.strip()] + [f"w{n}" for n in range(length)]
    return " ".join(words)[:length]


def limits_card() -> tuple[str, dict[str, Any]]:
    """A card at every size docs/cards.md's limits table allows, its text full of markup: the
    longest card a catalog can hold. (slug, card)"""
    codes = sorted(c.alpha_2 for c in pycountry.countries)
    title = _text(200, f"Zq Limits {MARKUP}")
    card = {
        "title": title,
        "native_title": _text(200, f"한계 {MARKUP}"),
        "aliases": [_text(200, f"Zq Alias {n} {MARKUP}") for n in range(30)],
        "year": 2024,
        "country": "KR",
        "network": _text(100, f"Net {MARKUP}"),
        "episodes": 2000,
        "genres": [f"genre-{chr(97 + n)}-" + "x" * 31 for n in range(20)],
        "cast": [
            {
                "actor": _text(100, f"Zq Actor {n} {MARKUP}"),
                "native_name": "".join(chr(0xAC00 + (n * 61 + k) % 11172) for k in range(60)),
                "role": _text(100, f"Role {n} {MARKUP}"),
                "aliases": [_text(200, f"Zq A{n}-{k} {MARKUP}") for k in range(10)],
            }
            for n in range(60)
        ],
        "streaming": [
            {
                "service": _text(80, f"Svc {n} {MARKUP}"),
                "regions": list(codes),
                "kind": ("subscription", "free", "ads", "rent", "buy")[n % 5],
                "url": "https://example.org/" + "p" * 480,
                "source": _text(60, f"src {MARKUP}"),
            }
            for n in range(30)
        ],
        "ratings": {"overall": 9.5, "romance": 8, "rewatch": 7, "scale": 10},
        "similar": ["Run On", *(_text(200, f"Zq Sim {n} {MARKUP}") for n in range(29))],
        "review": {
            "source": _text(300, f"Src {MARKUP}"),
            "url": "https://example.org/" + "r" * 480,
            "reviewer": _text(100, f"Rev {MARKUP}"),
            "headline": _text(250, f"Head {MARKUP}"),
            "summary": _text(2000, f"Sum {MARKUP}"),
            "highlights": [_text(300, f"H{n} {MARKUP}") for n in range(15)],
            "verdict": _text(1000, f"Verdict {MARKUP}"),
        },
    }
    return "zq-limits", card  # (a file name fits in 100 characters; the title's slug would not)


def _filled(spec_name: str, focus: str, typed: str) -> dict[str, Any]:
    """The options of ``/spec_name`` with every required one filled and ``focus`` typed."""
    fillers = {OptionKind.TITLE: "Run On", OptionKind.ACTOR: "Im Si Wan"}
    spec = COMMANDS[spec_name]
    options: dict[str, Any] = {o.name: fillers[o.kind] for o in spec.options if o.required}
    options[focus] = typed
    return options


async def test_an_admin_tries_every_command_of_the_unmodified_run(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    cards = copy_cards(tmp_path)
    slug, card = limits_card()
    (cards / f"{slug}.yaml").write_text(yaml.safe_dump(card, allow_unicode=True), "utf-8")
    config = write_config(tmp_path, standin, data_dir=str(cards))
    alice = standin.guild.member_named("alice").user
    async with drama_bot_serving(standin, tmp_path, config) as process:
        # Every title and actor option autocompletes (so do regions, genres, networks, years).
        synced = {c["name"]: c for c in standin.commands.scope(standin.guild.id)}
        completing = {OptionKind.TITLE, OptionKind.ACTOR, OptionKind.REGION, OptionKind.GENRE}
        completing |= {OptionKind.NETWORK, OptionKind.YEAR}
        for spec in COMMANDS.values():
            for option in spec.options:
                (shown,) = [
                    o for o in synced[spec.name].get("options", []) if o["name"] == option.name
                ]
                if option.kind in completing:
                    assert shown.get("autocomplete") is True, (spec.name, option.name)

        # Autocomplete: at most 25 choices, each within Discord's sizes (the stand-in checks),
        # for an empty box, a common letter, the longest card's words and hostile text.
        suggested: dict[tuple[str, str, str], list[str]] = {}
        for spec in COMMANDS.values():
            for option in spec.options:
                if option.kind in (OptionKind.FLAG, OptionKind.CHANNEL, OptionKind.RANKING):
                    continue
                for typed in ("", "a", "zq", "Zq Actor 5", TYPED, "x" * 100):
                    asked = await standin.send_autocomplete(
                        spec.name, _filled(spec.name, option.name, typed), focused=option.name
                    )
                    choices = (await asked.wait_response(TIMEOUT)).choices
                    assert len(choices) <= 25, (spec.name, option.name, typed)
                    for choice in choices:
                        assert len(choice["name"]) <= 100 and len(str(choice["value"])) <= 100
                        assert not CONTROL.search(choice["name"]), choice
                    suggested[spec.name, option.name, typed] = [c["name"] for c in choices]
        for (name, option_name, typed), names in suggested.items():
            kind = next(o.kind for o in COMMANDS[name].options if o.name == option_name)
            if kind is OptionKind.TITLE and typed in ("", "a", "zq"):
                assert names, (name, option_name, typed)  # the longest title among them
            if kind is OptionKind.ACTOR and typed in ("", "Zq Actor 5"):
                assert names, (name, option_name, typed)
        # the longest card's title is offered, shortened, and picking it answers with it
        asked = await standin.send_autocomplete("drama", {"title": "zq limits"}, focused="title")
        (first, *_) = (await asked.wait_response(TIMEOUT)).choices
        assert first["value"] == slug and first["name"].endswith("(2024)")

        # Every command on the longest card: answered publicly, within the limits, no raw text.
        for name, options in (
            ("drama", {"title": slug}),
            ("cast", {"title": slug}),
            ("stream", {"title": slug, "region": "KR"}),
            ("stream", {"title": slug}),
            ("rating", {"title": slug}),
            ("similar", {"title": slug}),
            ("actor", {"name": "Zq Actor 7"}),
            ("browse", {"genre": "genre-a-" + "x" * 31}),
            ("top", {"network": card["network"]}),
            ("random", {"year": "2024", "genre": "genre-b-" + "x" * 31}),
            ("help", {}),
            ("about", {}),
            ("settings", {}),
        ):
            interaction = await standin.send_slash(name, options, user=standin.owner)
            response = await interaction.wait_response(TIMEOUT)
            assert response.type == 4, (name, response.type)
            data = response.data or {}
            assert data.get("embeds") or data.get("content"), name
            assert not RAW.search(rendered(data)), (name, rendered(data)[:300])

        # What users type is never echoed raw, and errors are for the asker only.
        for name, options in (
            ("drama", {"title": TYPED}),
            ("actor", {"name": TYPED}),
            ("stream", {"title": "Run On", "region": TYPED}),
            ("browse", {"genre": TYPED}),
            ("settings", {"region": TYPED}),
        ):
            interaction = await standin.send_slash(name, options, user=standin.owner)
            response = await interaction.wait_response(TIMEOUT)
            assert response.ephemeral, (name, response.data)
            shown = rendered(response.data or {})
            assert "123" in shown and not RAW.search(shown), (name, shown)  # quoted, defused

        # /reload and /settings at run time: whatever the server made of the commands'
        # default permissions, a member without Manage Server (or Administrator) is refused,
        # privately, and nothing changes.
        for permissions in ("0", str(MANAGE_MESSAGES)):
            for name, options in (("reload", {}), ("settings", {"region": "JP"})):
                interaction = await standin.send_slash(
                    name, options, user=alice, permissions=permissions
                )
                response = await interaction.wait_response(TIMEOUT)
                assert response.type == 4 and response.ephemeral, (name, response.data)
                assert "admin" in (response.content or "").lower(), response.content
                assert interaction.followups == []
        interaction = await standin.send_slash("settings", {}, user=alice, permissions="0")
        shown = (await interaction.wait_response(TIMEOUT)).data or {}
        assert "JP" not in visible_text(shown) and "Japan" not in visible_text(shown)

        # ... and an admin's goes through: a reload is always deferred, then filled in.
        for permissions in (str(MANAGE_GUILD), str(ADMINISTRATOR)):
            interaction = await standin.send_slash("reload", user=alice, permissions=permissions)
            response = await interaction.wait_response(TIMEOUT)
            assert response.type == 5 and response.ephemeral, response.data
            message = await interaction.wait_original(TIMEOUT, edits=1)
            assert message.embeds and message.embeds[0]["title"] in {
                "Catalog reloaded",
                "Catalog unchanged",
            }, message.embeds
        interaction = await standin.send_slash(
            "settings", {"region": "JP"}, user=alice, permissions=str(MANAGE_GUILD)
        )
        assert "Japan" in visible_text((await interaction.wait_response(TIMEOUT)).data or {})

        _, stderr = await stopped(process)
    said = stderr.decode()
    assert process.returncode == 0, said
    assert "Traceback" not in said and " ERROR " not in said, said


async def test_an_answer_slower_than_the_setting_is_deferred_then_filled_in(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """``defer_answers_after: 0``: an admin who wants every answer acknowledged at once (the
    stand-in cannot slow the bot's own answering down, so the threshold comes down to it)."""
    config = write_config(tmp_path, standin, defer_answers_after=0)
    async with drama_bot_serving(standin, tmp_path, config) as process:
        interaction = await standin.send_slash("drama", {"title": "Run On"})
        response = await interaction.wait_response(TIMEOUT)
        assert response.type == 5 and not response.ephemeral
        message = await interaction.wait_original(TIMEOUT, edits=1)
        assert message.embeds[0]["title"] == "Run On (2020)"
        missing = await standin.send_slash("drama", {"title": "zzqx nothing"})
        assert (await missing.wait_response(TIMEOUT)).type == 5
        # a not-found is private: the public "thinking…" goes, the answer comes privately
        said = await missing.wait_followup(0, TIMEOUT)
        assert said.ephemeral and (said.content or "").startswith("No drama called")
        assert missing.original is not None and missing.original.deleted
        _, stderr = await stopped(process)
    assert process.returncode == 0 and "Traceback" not in stderr.decode()
