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
    ask.add_argument(
        "--config", type=Path, help="config file (its data_dir, database and max_removed_share)"
    )
    ask.add_argument(
        "--database",
        type=Path,
        metavar="FILE",
        help="SQLite cache to reuse (default: the config's with --config, else in memory)",
    )
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")
    ask.add_argument(
        "--force",
        action="store_true",
        help="accept a cards folder that would empty the cached catalog or remove most of it",
    )
    ask.add_argument("--quiet", action="store_true", help="no progress bar on stderr")

    check = commands.add_parser("check", help="validate the cards; exit 1 listing every error")
    check.add_argument("--data", type=Path, help="folder of cards (default: data/cards)")
    check.add_argument("--config", type=Path, help="config file (only its data_dir is used)")
    check.add_argument("--quiet", action="store_true", help="no progress bar on stderr")

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
            from bot.cli.ask import run_ask

            return asyncio.run(run_ask(args))
        if args.command == "check":
            from bot.cli.check import run_check

            return run_check(args)
        if args.command == "run":
            from bot.frontend.app import run_bot  # discord.py is only imported to run the bot

            return run_bot(load_config(args.config))
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
