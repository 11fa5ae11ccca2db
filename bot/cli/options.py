"""Options several subcommands share: which folder of cards and which database to use."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import Config, ConfigError, load_config, override


def data_dir(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return Path(args.data)
    return load_config(args.config, services=()).data_dir


def database(args: argparse.Namespace) -> str:
    """``--database``, else the config's database when ``--config`` is given (the bot's own
    cache: a big catalog starts in seconds), else an in-memory database."""
    if getattr(args, "database", None) is not None:
        return str(args.database)
    if args.config is not None:
        return str(load_config(args.config, services=()).database)
    from bot.catalog.store import MEMORY  # (the store loads only for the commands that use it)

    return MEMORY


def max_removed_share(args: argparse.Namespace) -> float:
    return load_config(args.config, services=()).max_removed_share


def reload_timeout(args: argparse.Namespace) -> float:
    return load_config(args.config, services=()).reload_timeout_seconds


def with_shards(config: Config, args: argparse.Namespace) -> Config:
    """The config with ``--shard-count``/``--shard-ids`` applied (checked like the file)."""
    count, ids = getattr(args, "shard_count", None), getattr(args, "shard_ids", None)
    if count is None and ids is None:
        return config
    changes: dict[str, object] = {}
    if count is not None:
        changes["shard_count"] = count
    if ids is not None:
        changes["shard_ids"] = ids
    try:
        return override(config, **changes)
    except ConfigError as exc:
        raise ConfigError(f"command line: {exc}") from None
