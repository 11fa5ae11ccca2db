"""``drama-bot run`` and ``drama-bot sync`` as processes: signals, and one line plus a distinct
exit status for every way Discord can end the run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from enum import IntEnum

import aiohttp
import discord

from bot.catalog.opening import DatabaseRefused, connect_store
from bot.catalog.service import CatalogService
from bot.catalog.store import StoreError
from bot.config import TOKEN_ENV, Config
from bot.frontend.app import (
    NoCards,
    NotDiscordsApi,
    calm_discord_logs,
    make_bot,
    open_bot,
    use_discord_at,
)
from bot.frontend.sync import run_sync_operations
from bot.redact import redact

log = logging.getLogger(__name__)


class Exit(IntEnum):
    """``drama-bot run``'s exit statuses (README, "Running it in Discord")."""

    OK = 0
    FAILED = 1  # drama-bot sync: an operation failed
    CONFIG = 2  # the config, a token missing or rejected at login, no cards or no database
    UNREACHABLE = 3  # Discord could not be reached, or did not answer as its API, at start-up
    TOKEN_INVALIDATED = 4  # gateway close 4004: the token was reset while running
    INTENTS = 5  # gateway close 4013/4014: intents invalid or not enabled for this bot
    SHARDING = 6  # gateway close 4010/4011: invalid shard, or sharding required
    GATEWAY = 7  # another gateway close Discord does not let a client retry
    DATABASE_TOO_NEW = 8  # the database was written by a newer drama-bot (left untouched)


TOKEN_REJECTED = f"Discord rejected the token; check {TOKEN_ENV} (or token_file)"
#: Gateway close codes after which discord.py does not reconnect.
CLOSE_CODES: dict[int, tuple[Exit, str]] = {
    4004: (
        Exit.TOKEN_INVALIDATED,
        "Discord closed the connection because the token is no longer valid (was it reset in "
        f"the Developer Portal?); set the new token in {TOKEN_ENV} and start the bot again",
    ),
    4013: (Exit.INTENTS, "Discord refused the gateway intents as invalid"),
    4014: (
        Exit.INTENTS,
        "Discord refused the gateway intents: this bot asks for an intent that is not enabled "
        "for it (Developer Portal -> Bot -> Privileged Gateway Intents)",
    ),
    4010: (Exit.SHARDING, "Discord refused the shard: shard_ids must be below shard_count"),
    4011: (
        Exit.SHARDING,
        "Discord requires sharding for this bot (too many servers for one connection); set "
        "shard_count: auto",
    ),
    4012: (Exit.GATEWAY, "Discord refused the gateway API version; update drama-bot"),
}


def run_bot(config: Config) -> int:
    """``drama-bot run``: validate the token's presence, then serve until stopped."""
    token = config.token()  # raises ConfigError with a one-line explanation
    _quiet_logs(config)
    return asyncio.run(serve(config, token))


def _quiet_logs(config: Config) -> None:
    logging.getLogger().setLevel(config.log_level)


def _say(text: str) -> None:
    print(redact(f"drama-bot: {text}"), file=sys.stderr)


async def serve(config: Config, token: str) -> int:
    """Run the bot until it is closed (SIGTERM/SIGINT); the exit status for the shell."""
    try:
        return await _serve(config, token)
    except StoreError as exc:  # a newer bot's database: its state is not ours to rewrite
        _say(str(exc))
        return Exit.DATABASE_TOO_NEW
    except DatabaseRefused as exc:  # something else is at the database path: left alone
        _say(f"database {exc}; it was left untouched")
        return Exit.CONFIG
    except NoCards as exc:
        _say(str(exc))
        return Exit.CONFIG


async def _serve(config: Config, token: str) -> int:
    async with open_bot(config) as bot:
        loop = asyncio.get_running_loop()
        # SIGHUP too (a terminal closed, a supervisor's hang-up): stopped as cleanly, never
        # killed by the default action (answers in flight lost, the gateway left open).
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, lambda: asyncio.create_task(bot.close()))
        return await _until_stopped(lambda: _start(bot, config, token))


async def log_in(bot: discord.Client, config: Config, token: str) -> None:
    """``bot.login(token)``, with Discord's server errors and answers that are not its API
    (an HTML page from a proxy or a wrong ``discord_api_url``) raised as
    :class:`NotDiscordsApi`; a rejected token stays ``discord.LoginFailure``."""
    where = config.discord_api_url
    try:
        await bot.login(token)
    except discord.LoginFailure:
        raise
    except discord.HTTPException as exc:
        log.debug("login failed", exc_info=True)
        reason = getattr(exc.response, "reason", "") or ""
        raise NotDiscordsApi(
            f"Discord's API at {where} answered {exc.status} {reason}".rstrip()
            + " at login; try again later, or check discord_api_url / DRAMA_BOT_DISCORD_URL"
        ) from None
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        # discord.py reads a non-JSON answer as text, then fails to index it (our own
        # set-up's faults are SetUpFailed, and not caught here)
        log.debug("login failed", exc_info=True)
        raise NotDiscordsApi(
            f"{where} did not answer as Discord's API does at login ({type(exc).__name__}); "
            "check discord_api_url / DRAMA_BOT_DISCORD_URL and any proxy in between"
        ) from None


async def _start(bot: discord.Client, config: Config, token: str) -> None:
    """``bot.start(token)``, in its two steps, so that login's failures are named."""
    await log_in(bot, config, token)
    await bot.connect()


async def _until_stopped(start: Callable[[], object]) -> int:
    try:
        await start()  # type: ignore[misc]
    except discord.LoginFailure:
        _say(TOKEN_REJECTED)
        return Exit.CONFIG
    except NotDiscordsApi as exc:
        _say(str(exc))
        return Exit.UNREACHABLE
    except discord.PrivilegedIntentsRequired:
        return _closed(4014, "")
    except discord.ConnectionClosed as exc:
        return _closed(exc.code, exc.reason)
    except discord.GatewayNotFound:
        _say("cannot reach Discord: it did not say where its gateway is (GET /gateway/bot)")
        return Exit.UNREACHABLE
    except (aiohttp.ClientConnectionError, OSError) as exc:
        _say(f"cannot reach Discord: {exc}")
        return Exit.UNREACHABLE
    return Exit.OK


def _closed(code: int, reason: str) -> int:
    status, text = CLOSE_CODES.get(
        code,
        (Exit.GATEWAY, f"Discord closed the gateway connection ({code} {reason}".strip() + ")"),
    )
    _say(f"{text} [gateway close {code}]")
    return status


def run_sync(config: Config, clear_guilds: list[int], clear_global: bool) -> int:
    """``drama-bot sync``: log in over REST only and sync, or remove stale commands."""
    token = config.token()
    _quiet_logs(config)
    return asyncio.run(_sync(config, token, clear_guilds, clear_global))


async def _sync(config: Config, token: str, clear_guilds: list[int], clear_global: bool) -> int:
    use_discord_at(config.discord_api_url)
    calm_discord_logs()  # no warnings about voice libraries a bot without voice never uses
    try:
        store = await connect_store(config.database, cards=config.data_dir)
    except StoreError as exc:
        _say(str(exc))
        return Exit.DATABASE_TOO_NEW
    except DatabaseRefused as exc:
        _say(f"database {exc}; it was left untouched")
        return Exit.CONFIG
    try:
        service = CatalogService(store, config.data_dir)  # commands need no cards loaded
        async with make_bot(config, service, store, serving=False) as bot:  # type: ignore[attr-defined]
            try:
                await log_in(bot, config, token)  # type: ignore[arg-type]
            except discord.LoginFailure:
                _say(TOKEN_REJECTED)
                return Exit.CONFIG
            except NotDiscordsApi as exc:
                _say(str(exc))
                return Exit.UNREACHABLE
            except (aiohttp.ClientConnectionError, OSError) as exc:
                _say(f"cannot reach Discord: {exc}")
                return Exit.UNREACHABLE
            ok = await run_sync_operations(bot, clear_guilds, clear_global, print)
    finally:
        await store.close()
    return Exit.OK if ok else Exit.FAILED
