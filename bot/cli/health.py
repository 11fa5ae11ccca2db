"""`drama-bot health`: is the running bot connected to Discord? (the Docker HEALTHCHECK)"""

from __future__ import annotations

import argparse

from bot.config import Config
from bot.frontend.heartbeat import check_health


def run_health(config: Config, args: argparse.Namespace) -> int:
    health = check_health(config.heartbeat_path, max_age=args.max_age, grace=args.grace)
    print(health.message)
    return 0 if health.ok else 1
