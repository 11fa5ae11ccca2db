"""Options several subcommands share: which folder of cards to use."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import Config, ConfigError, load_config, override


def data_dir(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return Path(args.data)
    return load_config(args.config).data_dir


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
