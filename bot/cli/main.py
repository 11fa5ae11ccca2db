"""The ``drama-bot`` command line: parse arguments, set up logging, run a subcommand."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from bot import __version__
from bot.config import ConfigError, load_config

log = logging.getLogger("bot")


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
    ask.add_argument(
        "--locale",
        default=None,
        help="answer as Discord would for a user with this language, e.g. ko (default: English)",
    )

    check = commands.add_parser("check", help="validate the cards; exit 1 listing every error")
    check.add_argument("--data", type=Path, help="folder of cards (default: data/cards)")
    check.add_argument("--config", type=Path, help="config file (only its data_dir is used)")

    run = commands.add_parser("run", help="start the Discord bot")
    run.add_argument("--config", type=Path, help="config file (see config.example.yaml)")

    review = commands.add_parser(
        "import-review",
        help="draft cards from review articles, feeds, sitemaps or a WordPress export",
    )
    from bot.cli.import_review import add_arguments  # the subcommand owns its options

    add_arguments(review)
    from bot.cli.enrich import add_parser as add_enrich

    add_enrich(commands)
    from bot.cli.bench import add_parser as add_bench

    add_bench(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.command != "run" else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "ask":
            from bot.cli.ask import run_ask

            return asyncio.run(run_ask(args))
        if args.command == "check":
            from bot.cli.check import run_check

            return run_check(args)
        if args.command == "run":
            from bot.frontend.app import run_bot  # discord.py is only imported to run the bot

            return run_bot(load_config(args.config))
        if args.command == "enrich":
            from bot.cli.enrich import run_enrich

            return run_enrich(args)
        if args.command == "bench":
            from bot.cli.bench import run_bench

            return run_bench(args)
        if args.command == "import-review":
            from bot.cli.import_review import run_import_review

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
