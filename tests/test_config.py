"""Settings: the example config is complete and valid; the token never comes from it."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_config
from tests.conftest import REPO

EXAMPLE = REPO / "config.example.yaml"


def test_example_config_loads_and_documents_every_setting() -> None:
    config = load_config(EXAMPLE)
    assert config.data_dir == REPO / "data" / "cards"
    assert config.database == REPO / "state" / "drama-bot.sqlite3"
    text = EXAMPLE.read_text("utf-8")
    for setting in fields(Config):
        match = re.search(rf"((?:^#.*\n)+)^{setting.name}:", text, re.MULTILINE)
        assert match, f"{setting.name} is not in config.example.yaml with a comment above it"


def test_token_comes_from_the_environment_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="no Discord token"):
        Config().token()
    secret = tmp_path / "token"
    secret.write_text("file-token\n", "utf-8")
    assert Config(token_file=secret).token() == "file-token"
    monkeypatch.setenv("DISCORD_TOKEN", " env-token ")
    assert Config(token_file=secret).token() == "env-token"


def test_ids_and_levels_are_checked(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("admin_role_ids: ['123', 456]\nlog_level: debug\n", "utf-8")
    loaded = load_config(config)
    assert loaded.admin_role_ids == (123, 456)
    assert loaded.log_level == "DEBUG"
    config.write_text("log_level: loud\n", "utf-8")
    with pytest.raises(ConfigError, match="log_level must be one of"):
        load_config(config)


def test_reload_guard_share_and_the_watcher_are_checked(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("max_removed_share: 0.2\nwatch_cards: false\n", "utf-8")
    loaded = load_config(config)
    assert (loaded.max_removed_share, loaded.watch_cards) == (0.2, False)
    assert (Config().max_removed_share, Config().watch_cards) == (0.5, True)
    for wrong in ("1.5", "-0.1", "half", "true"):
        config.write_text(f"max_removed_share: {wrong}\n", "utf-8")
        with pytest.raises(ConfigError, match="max_removed_share must be a number from 0 to 1"):
            load_config(config)
    config.write_text("watch_cards: sometimes\n", "utf-8")
    with pytest.raises(ConfigError, match="watch_cards must be true or false"):
        load_config(config)
