"""Typed settings, read from a YAML file; the Discord token comes from the environment."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
TOKEN_ENV = "DISCORD_TOKEN"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """The config file or the token is missing or wrong; the message says what to fix."""


def default_data_dir() -> Path:
    """``./data/cards`` when it exists, else the checkout's cards (editable install), else the
    catalog installed with the package (``<prefix>/share/drama-bot/cards``)."""
    for candidate in (
        Path("data/cards"),
        PACKAGE_ROOT / "data" / "cards",
        Path(sys.prefix) / "share" / "drama-bot" / "cards",
    ):
        if candidate.is_dir():
            return candidate
    return Path("data/cards")


@dataclass(frozen=True, slots=True)
class Config:
    data_dir: Path = field(default_factory=default_data_dir)
    database: Path = Path("state/drama-bot.sqlite3")
    admin_user_ids: tuple[int, ...] = ()
    admin_role_ids: tuple[int, ...] = ()
    dev_guild_ids: tuple[int, ...] = ()
    sync_global: bool = True
    log_level: str = "INFO"
    token_file: Path | None = None
    # A reload (by /reload or by the watcher) that would remove more than this share of the
    # catalog, or all of it, is refused unless confirmed.
    max_removed_share: float = 0.5
    # Watch the cards folder and reload changed cards by themselves (`drama-bot run`).
    watch_cards: bool = True

    def token(self) -> str:
        """The bot token from ``DISCORD_TOKEN`` or ``token_file``; never from the config itself."""
        token = os.environ.get(TOKEN_ENV, "").strip()
        if not token and self.token_file is not None:
            try:
                token = self.token_file.read_text("utf-8").strip()
            except OSError as exc:
                raise ConfigError(
                    f"cannot read token_file {self.token_file}: {exc.strerror}"
                ) from exc
        if not token:
            raise ConfigError(
                f"no Discord token: set {TOKEN_ENV} (or token_file in the config) "
                "to your bot's token"
            )
        return token


def load_config(path: Path | None) -> Config:
    """Read the YAML config; with no path, the defaults (fine for ``ask`` and ``check``)."""
    if path is None:
        return Config()
    try:
        raw = yaml.safe_load(path.read_text("utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    return _from_mapping(raw, path)


def _from_mapping(raw: dict[str, Any], path: Path) -> Config:
    known = {f.name for f in fields(Config)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    if "token" in raw:
        raise ConfigError(f"{path}: never put the token in the config; use {TOKEN_ENV}")
    base = path.parent
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None:
            continue
        if name in {"data_dir", "database", "token_file"}:
            values[name] = _path(value, base, name, path)
        elif name.endswith("_ids"):
            values[name] = _ids(value, name, path)
        elif name == "sync_global":
            if not isinstance(value, bool):
                raise ConfigError(f"{path}: sync_global must be true or false")
            values[name] = value
        elif name == "watch_cards":
            if not isinstance(value, bool):
                raise ConfigError(f"{path}: watch_cards must be true or false")
            values[name] = value
        elif name == "max_removed_share":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ConfigError(
                    f"{path}: max_removed_share must be a number from 0 to 1 (e.g. 0.5 for 50%)"
                )
            values[name] = float(value)
        elif name == "log_level":
            level = str(value).upper()
            if level not in LOG_LEVELS:
                raise ConfigError(f"{path}: log_level must be one of {', '.join(LOG_LEVELS)}")
            values[name] = level
    return Config(**values)


def _path(value: Any, base: Path, name: str, path: Path) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: {name} must be a path")
    candidate = Path(value).expanduser()
    return candidate if candidate.is_absolute() else base / candidate


def _ids(value: Any, name: str, path: Path) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{path}: {name} must be a list of Discord IDs")
    ids = []
    for item in value:
        try:
            ids.append(int(item))
        except (TypeError, ValueError):
            raise ConfigError(f"{path}: {name} has {item!r}, which is not a Discord ID") from None
    return tuple(ids)
