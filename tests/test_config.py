"""Settings: the example config is complete and valid; every problem of a config file is
reported at once as ``path:line: key: message``; the token never comes from it."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.config import Config, ConfigError, load_config
from tests.conftest import REPO
from tests.tokens import realistic_tokens

EXAMPLE = REPO / "config.example.yaml"
GUILD = 1175469862512840704
ROLE = 1175469862512840705


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
    config.write_text(f"admin_role_ids: ['{ROLE}', {GUILD}]\nlog_level: debug\n", "utf-8")
    loaded = load_config(config)
    assert loaded.admin_role_ids == (ROLE, GUILD)
    assert loaded.log_level == "DEBUG"
    config.write_text("log_level: loud\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert caught.value.problems == [
        f"{config}:1: log_level: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL"
    ]


def test_every_problem_of_the_config_file_is_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "data_dir: cards\n"
        "databse: state/bot.sqlite3\n"
        "admin_user_ids: [12345, x]\n"
        "sync_globl: true\n"
        "log_level: loud\n"
        "dev_guild_ids: 123456789012345678\n"
        "shard_count: 2\n"
        "shard_ids: [0, 2]\n"
        "defer_answers_after: 5\n"
        "discord_api_url: discord.com\n",
        "utf-8",
    )
    assert main(["run", "--config", str(config)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1] == f"drama-bot: 8 problem(s) in the config file {config}"
    where = [line.split(": ", 2)[0] + ": " + line.split(": ", 2)[1] for line in lines[:-1]]
    assert where == [
        f"{config}:2: databse",
        f"{config}:3: admin_user_ids",
        f"{config}:4: sync_globl",
        f"{config}:5: log_level",
        f"{config}:6: dev_guild_ids",
        f"{config}:8: shard_ids",
        f"{config}:9: defer_answers_after",
        f"{config}:10: discord_api_url",
    ]
    assert "did you mean 'database'?" in lines[0]
    assert "did you mean 'sync_global'?" in lines[2]
    assert "Copy ID" in lines[1]  # says how to get a real ID
    assert "not below shard_count 2" in lines[5]


@pytest.mark.parametrize("token", realistic_tokens(), ids=lambda t: f"{len(t)}-chars")
def test_a_token_in_the_config_file_is_named_and_never_printed(
    tmp_path: Path, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    layouts = {
        "as a setting": f"log_level: INFO\ntoken: {token}\n",
        "as token_file": f"token_file: {token}\n",
        "pasted alone": f"log_level: INFO\n{token}\ndata_dir: cards\n",
        "pasted into a broken line": f"log_level: [INFO\nsync_global: '{token}\n",
        "under another name": f"discord: {{bot: {token}}}\n",
    }
    for layout, text in layouts.items():
        config.write_text(text, "utf-8")
        assert main(["run", "--config", str(config)]) == 2, layout
        err = capsys.readouterr().err
        assert token not in err, layout
        assert token[10:30] not in err, layout  # not even a part of the secret
        assert "token" in err, layout  # ...but the reason is named
        assert re.search(rf"{re.escape(str(config))}:\d+: ", err), layout


def test_token_file_that_holds_the_token_itself_is_refused_without_printing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    for token in realistic_tokens():
        with pytest.raises(ConfigError) as caught:
            Config(token_file=Path(token)).token()
        assert token[10:30] not in str(caught.value)
        assert "looks like the bot token itself" in str(caught.value)


def test_the_repr_of_the_config_masks_tokens() -> None:
    for token in realistic_tokens():
        shown = repr(Config(token_file=Path("/run/secrets") / token))
        assert token[10:30] not in shown and "token hidden" in shown


def test_discord_address_comes_from_the_config_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DRAMA_BOT_DISCORD_URL", raising=False)
    assert load_config(None).discord_api_url == "https://discord.com/api/v10"
    config = tmp_path / "config.yaml"
    config.write_text("discord_api_url: http://127.0.0.1:9/api/v10/\n", "utf-8")
    assert load_config(config).discord_api_url == "http://127.0.0.1:9/api/v10"
    monkeypatch.setenv("DRAMA_BOT_DISCORD_URL", "http://127.0.0.1:8/api/v10")
    assert load_config(config).discord_api_url == "http://127.0.0.1:8/api/v10"
    monkeypatch.setenv("DRAMA_BOT_DISCORD_URL", "ftp://nowhere")
    with pytest.raises(ConfigError, match="DRAMA_BOT_DISCORD_URL: must be an http"):
        load_config(config)


def test_sync_global_auto_syncs_global_commands_only_without_dev_guilds(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("sync_global: auto\n", "utf-8")
    assert load_config(config).syncs_global
    config.write_text(f"dev_guild_ids: [{GUILD}]\n", "utf-8")  # auto is the default
    assert not load_config(config).syncs_global
    config.write_text(f"dev_guild_ids: [{GUILD}]\nsync_global: true\n", "utf-8")
    assert load_config(config).syncs_global


def test_shards_and_heartbeat_files(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("shard_count: auto\n", "utf-8")
    assert load_config(config).shard_count == "auto"
    config.write_text("shard_count: 4\nshard_ids: [3, 1]\ndatabase: db.sqlite3\n", "utf-8")
    loaded = load_config(config)
    assert (loaded.shard_count, loaded.shard_ids) == (4, (1, 3))
    assert loaded.heartbeat_path == tmp_path / "db-shards-1-3.heartbeat"
    config.write_text("shard_ids: [0]\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert caught.value.problems == [
        f"{config}:1: shard_ids: needs shard_count, the total number of shards across every "
        "process (a number, not auto)"
    ]


def test_reload_guard_share_and_the_watcher_are_checked(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("max_removed_share: 0.2\nwatch_cards: false\n", "utf-8")
    loaded = load_config(config)
    assert (loaded.max_removed_share, loaded.watch_cards) == (0.2, False)
    assert (Config().max_removed_share, Config().watch_cards) == (0.5, True)
    for wrong in ("1.5", "-0.1", "half", "true"):
        config.write_text(f"max_removed_share: {wrong}\n", "utf-8")
        with pytest.raises(ConfigError, match="max_removed_share: must be a number from 0 to 1"):
            load_config(config)
    config.write_text("watch_cards: sometimes\n", "utf-8")
    with pytest.raises(ConfigError, match="watch_cards: must be true or false"):
        load_config(config)


@pytest.mark.parametrize(
    ("setting", "variable", "example"),
    [
        ("discord_api_url", "DRAMA_BOT_DISCORD_URL", "https://discord.com/api/v10"),
        ("tmdb_url", "DRAMA_BOT_TMDB_URL", "https://api.themoviedb.org/3"),
    ],
)
def test_a_bad_service_address_gets_that_services_example(
    tmp_path: Path, setting: str, variable: str, example: str
) -> None:
    from tests.test_cli import drama_bot

    command = ["enrich", "--data", str(tmp_path)] if setting == "tmdb_url" else ["sync"]
    done = drama_bot(*command, env={variable: "notaurl", "TMDB_API_KEY": "x"})
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"drama-bot: {variable}: must be an http(s):// address, such as {example}"
    )
    config = tmp_path / "config.yaml"
    config.write_text(f"{setting}: notaurl\n", "utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert raised.value.problems == [
        f"{config}:1: {setting}: must be an http(s):// address, such as {example}"
    ]


@pytest.mark.parametrize(
    ("variable", "commands_not_using_it"),
    [
        ("DRAMA_BOT_DISCORD_URL", [["ask", "/drama Run On"], ["check"], ["health"]]),
        ("DRAMA_BOT_TMDB_URL", [["ask", "/drama Run On"], ["check"]]),
    ],
)
def test_a_service_address_is_only_checked_by_commands_that_use_the_service(
    tmp_path: Path, variable: str, commands_not_using_it: list[list[str]]
) -> None:
    """QA: ``DRAMA_BOT_DISCORD_URL=notaurl drama-bot enrich`` refused to run although enrich
    never talks to Discord. Each command reads only its own services' addresses."""
    from tests.test_cli import drama_bot

    config = tmp_path / "config.yaml"
    config.write_text(f"database: {tmp_path / 'bot.sqlite3'}\n", "utf-8")
    for command in commands_not_using_it:
        done = drama_bot(*command, "--config", str(config), env={variable: "notaurl"})
        assert variable not in done.stderr, (command, done.stderr)
        assert done.returncode != 2, (command, done.stderr)
    user = "sync" if variable == "DRAMA_BOT_DISCORD_URL" else "enrich"
    done = drama_bot(user, "--config", str(config), env={variable: "notaurl", "TMDB_API_KEY": "x"})
    assert done.returncode == 2 and f"drama-bot: {variable}: must be an http" in done.stderr


def test_enrich_runs_with_a_bad_discord_address_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRAMA_BOT_DISCORD_URL", "notaurl")
    assert load_config(None, services=("tmdb_url",)).discord_api_url.startswith("https://")
    with pytest.raises(ConfigError, match="DRAMA_BOT_DISCORD_URL"):
        load_config(None)
