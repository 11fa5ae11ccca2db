"""Options several subcommands share: which folder of cards and which database to use."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.catalog.store import MEMORY
from bot.config import load_config


def data_dir(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return Path(args.data)
    return load_config(args.config).data_dir


def database(args: argparse.Namespace) -> str:
    """``--database``, else the config's database when ``--config`` is given (the bot's own
    cache: a big catalog starts in seconds), else an in-memory database."""
    if getattr(args, "database", None) is not None:
        return str(args.database)
    if args.config is not None:
        return str(load_config(args.config).database)
    return MEMORY


def max_removed_share(args: argparse.Namespace) -> float:
    return load_config(args.config).max_removed_share
