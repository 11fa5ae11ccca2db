"""``drama-bot enrich``'s options: apart from the command (:mod:`bot.cli.enrich`), which loads
the TMDB client, aiohttp and rich, so that building the command line costs every other
subcommand nothing."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.sources.tmdb.choices import DEFAULT_REGIONS, OVERWRITABLE


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    enrich = commands.add_parser(
        "enrich",
        help="bring facts from TMDB into the cards (prints the changes; --write applies them)",
    )
    enrich.add_argument("--data", type=Path, help="folder of cards (default: data/cards)")
    enrich.add_argument("--config", type=Path, help="config file (data_dir and tmdb_url)")
    enrich.add_argument("--only", nargs="+", metavar="SLUG", help="enrich only these cards")
    enrich.add_argument(
        "--regions",
        default=",".join(DEFAULT_REGIONS),
        metavar="US,KR,…",
        help=f"countries to read streaming for (default: {','.join(DEFAULT_REGIONS)})",
    )
    enrich.add_argument("--write", action="store_true", help="apply the changes to the files")
    enrich.add_argument(
        "--overwrite",
        nargs="+",
        default=[],
        metavar="KEY",
        choices=OVERWRITABLE,
        help=f"replace hand-written values of these keys too ({', '.join(OVERWRITABLE)})",
    )
    enrich.add_argument("--rent-buy", action="store_true", help="also list rent and buy offers")
    enrich.add_argument(
        "--refresh", action="store_true", help="also redo cards a run finished today"
    )
    enrich.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="per request (default 10)"
    )
    enrich.add_argument(
        "--concurrency", type=int, default=4, metavar="N", help="cards at once (default 4)"
    )
    enrich.add_argument(
        "--retries", type=int, default=4, metavar="N", help="retries per request (default 4)"
    )
    enrich.add_argument("--quiet", action="store_true", help="no progress bar")
