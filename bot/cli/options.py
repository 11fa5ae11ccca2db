"""Options several subcommands share: which folder of cards to use."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import load_config


def data_dir(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return Path(args.data)
    return load_config(args.config).data_dir
