"""The ``drama-bot`` command line: parse arguments, set up logging, run a subcommand."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import NoReturn

from bot import __version__
from bot.cli import help_texts
from bot.cli.json_failure import JSON_COMMANDS, say_failure, wants_json
from bot.cli.options import with_shards
from bot.cli.usage_errors import unrecognized, with_nearest_choice
from bot.config import ConfigError, load_config
from bot.crash_trace import trace_crashes
from bot.redact import install_log_redaction

log = logging.getLogger("bot")
DISCORD = ("discord_api_url",)  # the only outside service run and sync talk to


class _Parser(argparse.ArgumentParser):
    """argparse's parser; a command's whose ``--json`` was asked for also says a wrong
    argument as one JSON object on stdout (:mod:`bot.cli.json_failure`)."""

    json_command: str | None = None  # ``ask`` or ``bench`` run with --json

    def error(self, message: str) -> NoReturn:
        message = with_nearest_choice(message)
        if "arguments are required: COMMAND" in message:
            message += f" (`{self.prog} --help` lists them)"
        if self.json_command is not None:
            say_failure(argparse.Namespace(command=self.json_command, json=True), message, 2)
        super().error(message)

    def parse_args(  # type: ignore[override]
        self, args: list[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """As argparse's, but arguments a command does not know are said by that command's
        parser: its usage, the nearest flag and its ``--help`` (``usage_errors``)."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self.commands.get(getattr(parsed, "command", None) or "", self)
            command.error(unrecognized(command, extras))
        return parsed

    @property
    def commands(self) -> dict[str, argparse.ArgumentParser]:
        """The subcommands' parsers, by name (none for a subcommand's own parser)."""
        found = self._subparsers._group_actions if self._subparsers is not None else []
        return {
            name: parser
            for action in found
            if isinstance(action, argparse._SubParsersAction)
            for name, parser in action.choices.items()
        }


def _parser(raw: list[str] | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="drama-bot", description="Answers fans' questions about TV dramas from review cards."
    )
    parser.add_argument("--version", action="version", version=f"drama-bot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = commands.add_parser(
        "ask",
        help="answer slash commands offline, as Discord would",
        usage="%(prog)s [options] [COMMAND]",
    )
    ask.add_argument(
        "line", nargs="?", metavar="COMMAND", help='e.g. "/drama Run On"; default: stdin'
    )
    ask.add_argument("--data", type=Path, help="folder of cards (default: data/cards)")
    ask.add_argument(
        "--config",
        type=Path,
        help="config file (its data_dir, database, max_removed_share and reload_timeout_seconds)",
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
    ask.add_argument(
        "--locale",
        default=None,
        help="answer as Discord would for a user with this language, e.g. ko (default: English)",
    )
    ask.set_defaults(usage_error=ask.error)

    check = commands.add_parser("check", help="validate the cards; exit 1 listing every error")
    check.add_argument("--data", type=Path, help="folder of cards (default: data/cards)")
    check.add_argument("--config", type=Path, help="config file (only its data_dir is used)")
    check.add_argument("--quiet", action="store_true", help="no progress bar on stderr")

    run = commands.add_parser(
        "run",
        help="start the Discord bot",
        description=help_texts.RUN,
        epilog=help_texts.RUN_EXITS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--config", type=Path, help="config file (see config.example.yaml)")
    _shard_options(run)

    sync = commands.add_parser(
        "sync",
        help="copy the slash commands to Discord now, or remove stale copies",
        description=help_texts.SYNC,
        epilog=help_texts.SYNC_EXITS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sync.add_argument("--config", type=Path, help="config file (see config.example.yaml)")
    sync.add_argument(
        "--clear-guild",
        type=_discord_id,
        action="append",
        default=[],
        metavar="ID",
        help="remove the bot's commands from this server (repeatable)",
    )
    sync.add_argument(
        "--clear-global", action="store_true", help="remove the bot's global commands"
    )

    health = commands.add_parser(
        "health",
        help="exit 0 if the running bot is connected to Discord (Docker HEALTHCHECK)",
        description=help_texts.HEALTH,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    health.add_argument("--config", type=Path, help="the config the bot runs with")
    health.add_argument(
        "--max-age",
        type=float,
        default=90.0,
        metavar="SECONDS",
        help="a heartbeat older than this is stale (default: 90)",
    )
    health.add_argument(
        "--grace",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long a disconnection may last before it counts (default: 60)",
    )
    _shard_options(health)

    review = commands.add_parser(
        "import-review",
        help="draft cards from review articles, feeds, sitemaps or a WordPress export",
    )
    from bot.cli.import_review import add_arguments  # the subcommand owns its options

    add_arguments(review)
    from bot.cli.enrich_options import add_parser as add_enrich

    add_enrich(commands)
    from bot.cli.bench_options import add_parser as add_bench

    add_bench(commands)
    named = _json_command(raw or [])
    if named is not None:  # (a wrong argument is found by the command's parser or this one)
        parser.json_command = commands.choices[named].json_command = named  # type: ignore[attr-defined]
    return parser


def _json_command(raw: list[str]) -> str | None:
    """``ask`` or ``bench`` when the raw arguments run it with ``--json`` (read before they
    are parsed, so a wrong argument can be said as JSON too)."""
    words = raw[: raw.index("--")] if "--" in raw else raw
    named = next((word for word in words if not word.startswith("-")), None)
    return named if named in JSON_COMMANDS and "--json" in words else None


def _shard_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shard-ids",
        type=_shard_list,
        metavar="N[,N...]",
        help="run these shards (overrides shard_ids in the config)",
    )
    parser.add_argument(
        "--shard-count",
        metavar="N|auto",
        help="total shards across every process (overrides shard_count)",
    )


def _shard_list(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected shard numbers such as 0 or 0,1") from None


def _discord_id(text: str) -> int:
    if not text.isdigit() or not 17 <= len(text) <= 20:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a Discord ID (Developer Mode on, then right-click -> Copy ID)"
        )
    return int(text)


def main(argv: list[str] | None = None) -> int:
    """``drama-bot``: its exit status. Ctrl-C ends it with 130 and no traceback at any moment,
    also while it parses its arguments or starts itself again on jemalloc (``run``: the first
    half-second, where an admin's Ctrl-C printed a KeyboardInterrupt traceback: round 16)."""
    try:
        if argv is None:  # (the program itself: a Ctrl-C a restart held back lands here)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        return _main(argv)
    except KeyboardInterrupt:
        return 130
    finally:
        turns = sys.modules.get("bot.cards.turns")  # (loaded only by commands with a catalog)
        if turns is not None:
            turns.end_jobs()  # (its threads end with the command)


def _main(argv: list[str] | None) -> int:
    trace_crashes()  # a native crash prints every thread's Python stack on stderr (the log)
    args = _parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
    if args.command == "run" and argv is None:  # (the program itself, not a caller's test)
        from bot.catalog.heap import restart_with_serving_allocator

        restart_with_serving_allocator()  # jemalloc for Python's objects: see there
    logging.basicConfig(
        level=logging.WARNING if args.command != "run" else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    install_log_redaction()  # no log line or traceback ever shows a token
    try:
        if args.command == "ask":
            from bot.cli.ask import run_ask

            return asyncio.run(run_ask(args))
        if args.command == "check":
            from bot.cli.check import run_check

            return run_check(args)
        if args.command == "run":
            from bot.catalog.heap import serving_allocator
            from bot.frontend.serve import run_bot  # discord.py is only imported to run the bot

            config = with_shards(load_config(args.config, DISCORD), args)
            config.token()  # (no token: one clear line, as run_bot says it, before any log line)
            log.info("Python's objects come from %s", serving_allocator())
            return run_bot(config)
        if args.command == "sync":
            from bot.frontend.serve import run_sync

            return run_sync(load_config(args.config, DISCORD), args.clear_guild, args.clear_global)
        if args.command == "health":
            from bot.cli.health import run_health

            return run_health(with_shards(load_config(args.config, ()), args), args)
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
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"drama-bot: {exc.summary}", file=sys.stderr)
        say_failure(args, exc.summary, 2)
        return 2
    except KeyboardInterrupt:
        from bot.crash_trace import stop_workers

        stop_workers()  # (before the exit unlinks the pools' semaphores: see there)
        say_failure(args, "interrupted (Ctrl-C)", 130)
        return 130
    except BrokenPipeError:  # `drama-bot ask ... | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # a fault of ours: its traceback on stderr, and JSON on stdout
        if not wants_json(args):
            raise
        log.exception("drama-bot %s failed", args.command)
        say_failure(args, f"drama-bot {args.command} failed: {type(exc).__name__}: {exc}", 1)
        return 1
    return 2
