"""A local stand-in for Discord that an unmodified discord.py client talks to.

The stand-in is an aiohttp server on 127.0.0.1 (random port) with Discord's REST API under
``/api/v10`` and a gateway websocket at ``/gateway`` (RESUME at ``/gateway/resume``, the
``resume_gateway_url`` READY hands out). Every REST request is recorded and validated
against Discord's published OpenAPI description (``openapi/openapi.json``, shipped beside it)
plus documented limits the schema cannot express; problems become ``violations`` and, when
Discord would refuse the request, the same error Discord sends (e.g. 400 50035).

Starting it
-----------
Use the pytest fixture (``from tests.standins.discord.fixtures import discord_standin`` in a
conftest) or the async context manager::

    async with DiscordStandIn(guilds=[Guild.create("Drama Club")],
                              response_deadline=3.0) as discord_:
        with discord_.patch_discord_py():   # Route.BASE + DEFAULT_GATEWAY, restored after
            async with bot:
                runner = asyncio.create_task(bot.start(discord_.token))
                await discord_.wait_until_ready()      # READY + GUILD_CREATEs sent
                await discord_.wait_for_commands()     # the bot synced its tree
                ...
                await bot.close()
                await runner

The bot's own code needs no test mode: it is started with ``discord_.token`` and everything
else (application id, guilds, gateway URL) comes from the stand-in like from Discord.

Acting as Discord users
-----------------------
``interaction = await discord_.send_slash("recommend", {"genre": "thriller"}, user=...,
guild_id=..., channel=..., roles=[...], permissions="8")`` dispatches INTERACTION_CREATE
(type 2) for a synced command (``"group sub"`` for sub-commands; ``guild_id=None`` = DM).
Option values are checked against the synced definition the way a client would.

``await discord_.send_autocomplete("recommend", {"title": "Cra"}, focused="title")`` (type 4)
and ``await discord_.send_component(message_or_interaction, custom_id, values=[...])``
(type 3: a select-menu choice or, without values, a button click on a message the bot sent).
``await discord_.send_modal_submit(interaction, {"custom_id": "text"})`` (type 5) submits a
modal the bot opened with callback type 9.

Each returns a ``StandInInteraction``:

* ``response = await interaction.wait_response(timeout=5)`` -> ``InteractionResponse``
  (``type``, ``data``, ``content``, ``embeds``, ``components``, ``choices``, ``ephemeral``,
  ``latency``).
* ``await interaction.wait_followup(0)`` -> ``StandInMessage`` (the first followup).
* ``await interaction.wait_original(edits=1)`` -> the @original message after edits.
* ``await interaction.wait_message()`` -> the first message a user would see (type 4/7
  response, the deferred message once filled in, or the first followup).
* ``interaction.original``, ``interaction.followups``, ``interaction.messages``,
  ``interaction.requests``.

``StandInMessage`` has ``content``, ``embeds``, ``components``, ``flags``, ``ephemeral``,
``loading``, ``custom_ids()``, ``find_component(custom_id)``, ``text()``, ``history``, ``raw``.

Breaking things
---------------
* ``await discord_.drop_connection()`` closes the gateway socket (code 4000) or, with
  ``reconnect_op=True``, sends op 7. Events dispatched meanwhile are replayed on RESUME;
  ``await discord_.wait_resumed()`` waits for it.
* ``discord_.rate_limit_next("POST", r"/callback$", count=1, retry_after=0.05)`` makes the
  next matching request(s) get 429 (discord.py waits ``retry_after`` and retries). As on
  Discord, the 429 empties its bucket (route + channel/guild/webhook/interaction) for
  ``retry_after``: anything sent there sooner gets 429 again and a ``ratelimit`` violation.
* ``discord_.fail_next("PUT", r"/commands$", count=2, status=503)`` answers with server errors
  (500/502/503/504); ``after_processing=True`` does the request first and loses the answer.
* ``DiscordStandIn(max_concurrency=2, identify_limit=True)``: ``GET /gateway/bot`` says how
  many IDENTIFYs Discord allows per 5 s, and IDENTIFYs breaking that (per key
  ``shard_id % max_concurrency``) become violations.
* ``await discord_.reset_token()`` resets the bot token: REST with the old one gets 401, the
  gateway is closed with 4004. ``drop_connection(code=4014)`` closes with any close code.
* ``DiscordStandIn(response_deadline=0.2)`` shortens the 3 s initial-response deadline;
  ``followup_window`` shortens the 15 min token lifetime.
* ``await discord_.invalidate_session()`` sends op 9.
* ``await discord_.delete_channel(thread)`` deletes a channel or thread (``THREAD_DELETE`` /
  ``CHANNEL_DELETE``): a message, interaction response or follow-up there gets 404 10003
  Unknown Channel (no violation: the client could not know). ``await
  discord_.archive_thread(thread, locked=True)`` archives it (``THREAD_UPDATE``): a message
  there unarchives a thread that is not locked, and gets 400 50083 in one that is.

Inspecting
----------
``requests`` (``RecordedRequest``: method, path, query, json, time, status, response,
interaction), ``violations`` (``Violation``: kind, method, path, json_path, message),
``assert_no_violations()`` (also flags interactions never acknowledged in time),
``clear_violations()``, ``expect_unanswered(interaction)`` (a test made answering impossible
on purpose, e.g. a 429 longer than the deadline), ``commands`` (``SyncedCommands``:
``global_commands``,
``guild_commands``, ``global_payload``, ``guild_payloads``, ``find(name, guild_id)``),
``messages``, ``interactions``, ``frames`` (gateway payloads), ``connections``,
``self_check_failures`` (stand-in answers that did not match the spec: stand-in bugs).
``check_request(method, path, body)`` returns the problems the stand-in would find in a
body without any bot or server (handy for checking a renderer's output directly).

World
-----
``Guild.create(name, channels=(...), users=(...))`` builds a guild with @everyone, an Admin
role, a category with text channels and members; the bot is added with a managed role
(``bot_permissions``). ``discord_.guild``, ``discord_.channel``, ``discord_.user`` are the
defaults ``send_*`` use.

What is validated
-----------------
Each REST body against the OpenAPI request schema of its operation (unions narrowed by
their ``type`` discriminator, best-match error reported with its JSON path), plus
``limits.py``: embed totals (6000) and per-field limits, <=10 embeds, <=25 fields, content
<=2000, component rules (<=25 select options, custom_id <=100, unique custom_ids), command
names (Discord's regex, lower case), descriptions 1-100, <=25 options/choices, choice
names/values <=100, autocomplete <=25 choices, modal limits, allowed_mentions present on
every message (project policy, recorded but not refused); interaction rules: one initial
response (40060), within the deadline (10062), valid callback type for the interaction
type, followups/edits only after acknowledging and within the token lifetime; bot token on
authenticated routes; unknown or unimplemented endpoints (404 + violation).

Known simplifications
---------------------
* Gateway payloads are not schema-checked (the OpenAPI file covers REST only); frames are
  JSON text, zlib-stream compressed when asked (zstd-stream requests get plain text).
* Permissions ignore channel overwrites; ``default_member_permissions`` of a command is not
  enforced when a test invokes it (guild admins can grant access, so both outcomes exist).
* Message ``mentions`` are always empty; message ``type`` is 20/23 for command responses and
  0 otherwise; the first followup after a "thinking" defer fills in the loading message.
* ``invalidate_session()`` makes discord.py re-IDENTIFY, which it delays by 5 s
  (``Client.before_identify_hook``); sharded test bots should override that hook.
* ``Guild.on_shard(shard, count)`` makes a guild whose id routes it to that shard.
* A bot's ``on_ready`` waits ``guild_ready_timeout`` (2 s by default) after the last
  GUILD_CREATE; interactions are served before that, so tests need not wait for it.
"""

from .commands import CommandNotSynced, InvalidOptions, SyncedCommands
from .entities import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    MANAGE_GUILD,
    MANAGE_MESSAGES,
    Channel,
    Guild,
    Member,
    Role,
    User,
    new_id,
)
from .interactions import InteractionResponse, StandInInteraction
from .messages import StandInMessage
from .ratelimits import FaultRule, RateLimitRule
from .records import GatewayConnection, GatewayFrame, RecordedRequest, Violation
from .schema_validation import FieldError
from .server import DiscordStandIn

__all__ = [
    "ADMINISTRATOR",
    "ALL_PERMISSIONS",
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_EVERYONE_PERMISSIONS",
    "MANAGE_GUILD",
    "MANAGE_MESSAGES",
    "Channel",
    "CommandNotSynced",
    "DiscordStandIn",
    "FaultRule",
    "FieldError",
    "GatewayConnection",
    "GatewayFrame",
    "Guild",
    "InteractionResponse",
    "InvalidOptions",
    "Member",
    "RateLimitRule",
    "RecordedRequest",
    "Role",
    "StandInInteraction",
    "StandInMessage",
    "SyncedCommands",
    "User",
    "Violation",
    "new_id",
]
