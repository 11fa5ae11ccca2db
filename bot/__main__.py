"""The ``drama-bot`` command line: ask, check, run, import-review."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from bot import __version__
from bot.answering.answers import Notice, answer
from bot.answering.commands import UsageError, parse_command_line
from bot.answering.plain_text import payload_to_text
from bot.answering.render import render
from bot.cards.loader import load_cards
from bot.catalog.service import CatalogService, reload_notice
from bot.catalog.store import Store
from bot.config import ConfigError, load_config

log = logging.getLogger("bot")
CLI_USER_ID = 0  # the asker in offline answers; menus it gets are its own


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drama-bot", description="Answers fans' questions about TV dramas from review cards."
    )
    parser.add_argument("--version", action="version", version=f"drama-bot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer slash commands offline, as Discord would")
    ask.add_argument(
        "line", nargs="?", metavar="COMMAND", help='e.g. "/drama Run On"; default: stdin'
    )
    ask.add_argument("--data", type=Path, help="folder of cards (default: data/cards)")
    ask.add_argument("--config", type=Path, help="config file (only its data_dir is used)")
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")

    check = commands.add_parser("check", help="validate the cards; exit 1 listing every error")
    check.add_argument("--data", type=Path, help="folder of cards (default: data/cards)")
    check.add_argument("--config", type=Path, help="config file (only its data_dir is used)")

    run = commands.add_parser("run", help="start the Discord bot")
    run.add_argument("--config", type=Path, help="config file (see config.example.yaml)")

    review = commands.add_parser("import-review", help="draft a card from a review article")
    review.add_argument("source", metavar="SOURCE", help="a text or HTML file, or an http(s) URL")
    review.add_argument(
        "--out", type=Path, metavar="DIR", help="folder for the draft (default: the data dir)"
    )
    review.add_argument("--config", type=Path, help="config file (only its data_dir is used)")
    review.add_argument("--force", action="store_true", help="overwrite an existing card")
    review.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="time limit for a URL (default: 15)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.command != "run" else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "ask":
            return asyncio.run(_ask(args))
        if args.command == "check":
            return _check(args)
        if args.command == "run":
            from bot.frontend.app import run_bot  # discord.py is only imported to run the bot

            return run_bot(load_config(args.config))
        if args.command == "import-review":
            from bot.sources.review_import import run_import_review

            return run_import_review(args)
    except ConfigError as exc:
        print(f"drama-bot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `drama-bot ask ... | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 2


def _data_dir(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return Path(args.data)
    return load_config(args.config).data_dir


def _check(args: argparse.Namespace) -> int:
    directory = _data_dir(args)
    result = load_cards(directory)
    for error in result.errors:
        print(error)
    if result.errors:
        broken = len({e.path for e in result.errors})
        print(
            f"{len(result.errors)} error(s) in {broken} file(s); "
            f"{len(result.cards)} of {result.files} cards are valid",
            file=sys.stderr,
        )
        return 1
    print(f"OK: {len(result.cards)} cards in {directory}, no errors")
    return 0


async def _ask(args: argparse.Namespace) -> int:
    directory = _data_dir(args)
    if not directory.is_dir():
        print(f"drama-bot: no folder of cards at {directory} (pass --data DIR)", file=sys.stderr)
        return 2
    lines: Iterable[str] = [args.line] if args.line is not None else sys.stdin
    status = 0
    async with Store.open(":memory:") as store:
        service = CatalogService(store, directory)
        report = await service.start()
        for error in report.errors:
            print(f"warning: {error}", file=sys.stderr)
        for raw in lines:
            line = raw.strip()
            if not line:
                continue
            try:
                invocation = parse_command_line(line)
            except UsageError as exc:
                status = 2
                result = Notice("", str(exc))
            else:
                if invocation.name == "reload":
                    result = reload_notice(await service.reload())
                else:
                    result = answer(service.catalog, invocation)
            payload = render(result, CLI_USER_ID)
            if args.json:
                record = {
                    "command": line,
                    "card": result.card_slug,
                    "candidates": list(result.candidate_ids),
                    "message": payload,
                }
                print(json.dumps(record, ensure_ascii=False), flush=True)
            else:
                print(payload_to_text(payload), end="\n\n", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
