#!/usr/bin/env python3
"""Try drama-bot by hand against the local Discord stand-in (no Discord account needed).

    .venv/bin/python scripts/try_standin.py "/drama run on"
    .venv/bin/python scripts/try_standin.py "/drama reply" --pick reply-1994
    .venv/bin/python scripts/try_standin.py "/stream run on region:KR" "/reload" --json

Starts the stand-in (tests/standins/discord) on 127.0.0.1, starts the real bot against it with the
shipped cards (or --data) and a temporary database, sends each command line as a slash
command interaction (parsed like `drama-bot ask` does), prints what the user would see and
any requests Discord would have refused or that broke the project's rules, then shuts down.
/reload is sent as the server owner (an admin); everything else as an ordinary member.

Exit status: 0 when the stand-in recorded no violations, 1 when it did, 2 for a bad command
(malformed, or one Discord's client would not send, such as a title over 200 characters).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.answering.commands import UsageError, parse_command_line  # noqa: E402
from bot.answering.plain_text import payload_to_text  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.frontend.app import open_bot  # noqa: E402
from tests.standins.discord import (  # noqa: E402
    DiscordStandIn,
    InvalidOptions,
    StandInInteraction,
    StandInMessage,
)

TIMEOUT = 15.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Send slash commands to the real drama-bot through a local Discord stand-in."
    )
    parser.add_argument("lines", nargs="+", metavar="COMMAND", help='e.g. "/drama run on"')
    parser.add_argument("--json", action="store_true", help="also print the raw JSON bodies")
    parser.add_argument(
        "--pick", metavar="VALUE", help="choose VALUE in the last answer's select menu"
    )
    parser.add_argument("--data", type=Path, help="folder of cards (default: data/cards)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show the bot's logs")
    return parser.parse_args(argv)


def show(title: str, message: StandInMessage, bodies: list[Any], raw: bool) -> None:
    print(f"» {title}")
    print(payload_to_text(message.raw))
    if raw:
        print(json.dumps(bodies, ensure_ascii=False, indent=2))
    print()


def describe(interaction: StandInInteraction, who: str) -> str:
    response = interaction.response
    kind = {4: "answered", 5: "deferred", 7: "message updated"}.get(
        response.type if response else 0, "response"
    )
    latency = f"{response.latency * 1000:.0f} ms" if response else "no response"
    return (
        f"{interaction.name} as {who}: {kind} (type {response.type if response else '-'}) "
        f"in {latency}"
    )


async def send(standin: DiscordStandIn, line: str) -> tuple[StandInInteraction, str]:
    invocation = parse_command_line(line)
    user = standin.owner if invocation.name == "reload" else standin.user
    interaction = await standin.send_slash(invocation.name, invocation.options, user=user)
    return interaction, user.username


async def pick(
    standin: DiscordStandIn, interaction: StandInInteraction, value: str
) -> StandInInteraction:
    message = await interaction.wait_message(timeout=TIMEOUT)
    for custom_id in message.custom_ids():
        component = message.find_component(custom_id) or {}
        if value in [o.get("value") for o in component.get("options", [])]:
            asker = interaction.payload.get("member", {}).get("user", {}).get("id")
            return await standin.send_component(message, custom_id, [value], user=int(asker))
    raise SystemExit(f"try_standin: no menu in the last answer offers {value!r}")


async def run(args: argparse.Namespace) -> int:
    try:
        for line in args.lines:
            parse_command_line(line)
    except UsageError as exc:
        print(f"try_standin: {exc}", file=sys.stderr)
        return 2
    data_dir = args.data or REPO / "data" / "cards"
    began = time.perf_counter()
    status = 0
    with tempfile.TemporaryDirectory(prefix="try-standin-") as temp:
        async with DiscordStandIn() as standin:
            with standin.patch_discord_py():
                config = Config(
                    data_dir=data_dir,
                    database=Path(temp) / "drama-bot.sqlite3",
                    dev_guild_ids=(standin.guild.id,),
                    sync_global=False,
                    discord_api_url=standin.api_url,
                )
                async with open_bot(config) as bot:
                    task = asyncio.create_task(bot.start(standin.token))
                    try:
                        await standin.wait_until_ready(timeout=TIMEOUT)
                        await standin.wait_for_commands(timeout=TIMEOUT)
                        print(
                            f"stand-in at {standin.base_url}; bot ready with "
                            f"{len(bot.service.catalog)} cards in "
                            f"{time.perf_counter() - began:.2f}s\n"
                        )
                        last: StandInInteraction | None = None
                        for line in args.lines:
                            try:
                                last, who = await send(standin, line)
                            except InvalidOptions as exc:  # Discord's client refuses it too
                                shown = line if len(line) <= 60 else line[:59] + "…"
                                print(
                                    f"try_standin: Discord would not send {shown}: {exc}",
                                    file=sys.stderr,
                                )
                                status, last = 2, None
                                break
                            message = await last.wait_message(timeout=TIMEOUT)
                            bodies = [q.json for q in last.requests]
                            show(f"{line}  ({describe(last, who)})", message, bodies, args.json)
                        if args.pick and last is not None and not status:
                            click = await pick(standin, last, args.pick)
                            message = await click.wait_message(timeout=TIMEOUT)
                            bodies = [q.json for q in click.requests]
                            show(
                                f"pick {args.pick}  ({describe(click, 'the asker')})",
                                message,
                                bodies,
                                args.json,
                            )
                    finally:
                        await asyncio.wait_for(bot.close(), TIMEOUT)
                        await asyncio.wait_for(task, TIMEOUT)
            violations = [str(v) for v in standin.violations]
            violations += [
                f"[interaction] {i!r} was never answered" for i in standin.unanswered_interactions()
            ]
    if violations:
        print(f"violations: {len(violations)}")
        for violation in violations:
            print(f"  {violation}")
        return 1
    print("violations: none")
    return status


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:  # "PyNaCl is not installed": voice is irrelevant here
        logging.getLogger("discord.client").setLevel(logging.ERROR)
    try:
        return asyncio.run(run(args))
    except BrokenPipeError:  # `try_standin.py ... | head`: the reader left (as drama-bot ask)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
