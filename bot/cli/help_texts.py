"""What ``drama-bot run --help`` and ``drama-bot sync --help`` tell a new admin beyond the
flags: where the token comes from, what a missing ``--config`` means, and the exit statuses
(README, "Running it in Discord"; round 16: the help listed the flags only)."""

from __future__ import annotations

RUN = """\
Start the Discord bot: it loads the cards, connects to Discord and answers until stopped
(SIGTERM or Ctrl-C). The bot token is read from the DISCORD_TOKEN environment variable (or
the file the config's token_file names), never from the command line or the config. Without
--config the defaults apply: cards in data/cards, the database in state/drama-bot.sqlite3.
Start with: cp config.example.yaml config.yaml (every key is documented there)."""

RUN_EXITS = """\
exit statuses:
  0  stopped by SIGTERM/SIGINT (what was being answered is answered first)
  2  the config has problems (all listed), the token is missing or rejected, the database
     path holds something else, or there are no cards and no stored catalog
  3  Discord cannot be reached, or its address does not answer as Discord's API
  4  the token was reset while the bot ran (gateway close 4004)
  5  Discord refused the gateway intents (4013/4014)
  6  Discord refused the sharding (4010/4011)
  7  another gateway close Discord does not allow a client to retry
  8  the database was written by a newer drama-bot (left untouched)"""

SYNC = """\
Copy the slash commands to Discord now (the servers in dev_guild_ids, and the global set
when the config asks for it), or remove stale copies. Talks to Discord's REST API only; the
token comes from DISCORD_TOKEN (or token_file), as for run."""

SYNC_EXITS = """\
exit statuses:
  0  every operation succeeded
  1  Discord refused one (each is named)
  2  the config has problems, or the token is missing or rejected
  3  Discord cannot be reached, or does not answer as its API
  8  the database was written by a newer drama-bot"""

HEALTH = """\
Exit 0 while the bot started with this config is connected to Discord, 1 otherwise (with
the reason on one line). It reads the heartbeat file the running bot refreshes every 20 s;
Docker's HEALTHCHECK runs it."""
