"""Typed settings, read from a YAML file; the Discord token comes from the environment.

Every problem of a config file is reported at once, each as ``path:line: key: message`` (as
``drama-bot check`` does for cards), with "did you mean" for misspelt keys. The token is never
read from the config, and never printed: anything that looks like one is masked.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from rapidfuzz import fuzz, process

from bot.redact import looks_like_token, redact
from bot.text import user_before_host

log = logging.getLogger(__name__)

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
TOKEN_ENV = "DISCORD_TOKEN"
DISCORD_URL_ENV = "DRAMA_BOT_DISCORD_URL"
DEFAULT_DISCORD_URL = "https://discord.com/api/v10"
DEFAULT_TMDB_URL = "https://api.themoviedb.org/3"
TMDB_URL_ENV = "DRAMA_BOT_TMDB_URL"  # overrides the config's tmdb_url (tests, proxies)
#: Outside services' addresses: the setting, and the environment variable that wins over it.
SERVICE_URL_ENV = {"discord_api_url": DISCORD_URL_ENV, "tmdb_url": TMDB_URL_ENV}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
#: Discord's limit on shards is far above this; a typo such as 20000 is caught.
MAX_SHARDS = 4096
#: Interaction answers must start within 3 s; deferring later than this is too late.
MAX_DEFER_SECONDS = 2.0
#: A config file is a few dozen lines; anything this big is some other file given by mistake.
MAX_CONFIG_BYTES = 1 << 20
#: A token is under a hundred characters.
MAX_TOKEN_FILE_BYTES = 1 << 16
_TOKEN_KEYS = frozenset({"token", "bot_token", "discord_token", "discord_bot_token", "secret"})


class ConfigError(Exception):
    """The config file or the token is missing or wrong; the message says what to fix.

    ``problems`` lists every problem found, each ``path:line: key: message``; ``summary`` is
    the one-line message (``str()`` holds both)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = [redact(p) for p in problems or []]
        self.summary = redact(message)
        super().__init__("\n".join([*self.problems, self.summary]))


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


ShardCount = int | Literal["auto"] | None
DEFAULT_DATABASE = Path("state/drama-bot.sqlite3")


@dataclass(frozen=True, slots=True)
class Config:
    data_dir: Path = field(default_factory=default_data_dir)
    database: Path = DEFAULT_DATABASE
    admin_user_ids: tuple[int, ...] = ()
    admin_role_ids: tuple[int, ...] = ()
    dev_guild_ids: tuple[int, ...] = ()
    #: True/False, or None ("auto"): global commands only when there are no dev guilds, so a
    #: command never shows twice in a server.
    sync_global: bool | None = None
    log_level: str = "INFO"
    token_file: Path | None = None
    discord_api_url: str = DEFAULT_DISCORD_URL
    shard_count: ShardCount = None
    shard_ids: tuple[int, ...] | None = None
    heartbeat_file: Path | None = None
    defer_answers_after: float = 1.0
    cooldown_commands: int = 5  # per user, in any cooldown_seconds; 0 turns the limit off
    cooldown_seconds: float = 10.0
    page_timeout_seconds: float = 600.0  # page buttons switch off after this (at most 840)
    project_url: str = "https://github.com/drama-bot/drama-bot"
    tmdb_url: str = DEFAULT_TMDB_URL  # TMDB API v3 base, for `drama-bot enrich`
    # A reload (by /reload or by the watcher) that would remove more than this share of the
    # catalog, or all of it, is refused unless confirmed.
    max_removed_share: float = 0.5
    # Watch the cards folder and reload changed cards by themselves (`drama-bot run`).
    watch_cards: bool = True
    # How long a big reload's worker process may take for each step (reading and checking
    # the cards, then building) before it is killed and the reload fails.
    reload_timeout_seconds: float = 900.0

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))
        return redact(f"Config({shown})")

    @property
    def syncs_global(self) -> bool:
        """Whether start-up syncs the global command set (``auto``: when no dev guilds)."""
        return self.sync_global if self.sync_global is not None else not self.dev_guild_ids

    @property
    def heartbeat_path(self) -> Path:
        """The file the running bot touches while connected (``drama-bot health`` reads it);
        one per process: processes that run different shards get different files."""
        if self.heartbeat_file is not None:
            return self.heartbeat_file
        suffix = "" if not self.shard_ids else "-shards-" + "-".join(map(str, self.shard_ids))
        return self.database.with_name(f"{self.database.stem}{suffix}.heartbeat")

    def token(self) -> str:
        """The bot token from ``DISCORD_TOKEN`` or ``token_file``; never from the config itself."""
        token = os.environ.get(TOKEN_ENV, "").strip()
        source = TOKEN_ENV
        if not token and self.token_file is not None:
            source = f"token_file {self.token_file}"
            if looks_like_token(str(self.token_file)):
                raise ConfigError(_TOKEN_AS_PATH)
            try:
                token = read_small_text(self.token_file, MAX_TOKEN_FILE_BYTES).strip()
            except _Unreadable as exc:
                raise ConfigError(f"cannot read token_file {self.token_file}: {exc}") from None
        if not token:
            raise ConfigError(
                f"no Discord token: set {TOKEN_ENV} (or token_file in the config) "
                "to your bot's token"
            )
        _check_token_shape(token, source)
        return token


#: What a Discord bot token is made of (base64url parts joined by dots); anything else inside
#: it was pasted with it, and would only come back as "rejected" or worse.
_TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9._\-]+")


def _check_token_shape(token: str, source: str) -> None:
    """One line naming what is wrong with a token that cannot be one (never the token)."""
    if token.startswith(("Bot ", "Bearer ")):
        prefix = token.split(" ", 1)[0]
        raise ConfigError(
            f'{source} starts with "{prefix} ": give the token alone, without the prefix of '
            "the Authorization header"
        )
    if _TOKEN_CHARACTERS.fullmatch(token) is None:
        raise ConfigError(
            f"{source} does not hold a Discord token alone: it has a space, a line break or a "
            "character no token has; give the token on one line, nothing else"
        )


_TOKEN_AS_PATH = (
    "token_file holds what looks like the bot token itself; put the token in a file and "
    f"give that file's path, or set {TOKEN_ENV}"
)
_TOKEN_IN_FILE = (
    "this looks like a Discord bot token; never put the token in the config (anyone who "
    f"can read the file can run your bot): set {TOKEN_ENV}, or token_file to a file that holds "
    "it, and reset the token in the Developer Portal if this file was shared"
)


class _Invalid(Exception):
    """A value is wrong; the message says how."""


def load_config(path: Path | None, services: Collection[str] | None = None) -> Config:
    """Read the YAML config; with no path, the defaults (fine for ``ask`` and ``check``).

    ``services``: the address settings (``discord_api_url``, ``tmdb_url``) the command uses;
    only their environment variables are read and checked (None: all of them), so a command
    is never refused for the address of a service it does not talk to.

    Service addresses from the environment (``DRAMA_BOT_DISCORD_URL``, ``DRAMA_BOT_TMDB_URL``)
    win over the file. Raises :class:`ConfigError` listing every problem in the file."""
    config = Config() if path is None else _read(path)
    for name, variable in SERVICE_URL_ENV.items():
        if services is not None and name not in services:
            continue
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                url = _CHECKS[name](value, Path("."))
            except _Invalid as exc:
                raise ConfigError(f"{variable}: {exc}") from None
            config = _replace(config, **{name: url})
    return config


def _replace(config: Config, **changes: Any) -> Config:
    values = {f.name: getattr(config, f.name) for f in fields(config)} | changes
    return Config(**values)


class _Unreadable(Exception):
    """A small text file (the config, the token file) cannot be read; the message says why."""


def read_small_text(path: Path, limit: int) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes. Raises
    :class:`_Unreadable` for anything else, without waiting or reading on: a FIFO (whose
    open would block until a writer came), a device (``/dev/zero`` never ends), a folder, a
    file too big or not UTF-8."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise _Unreadable(exc.strerror or type(exc).__name__) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _Unreadable("Is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise _Unreadable("not a regular file (a FIFO, socket or device)")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 16):
            size += len(chunk)
            if size > limit:  # (checked as it is read: the file may grow meanwhile)
                raise _Unreadable(f"over {limit:,} bytes; is it the right file?")
            chunks.append(chunk)
    except OSError as exc:
        raise _Unreadable(exc.strerror or type(exc).__name__) from None
    finally:
        os.close(fd)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise _Unreadable("not UTF-8 text") from None


def _read(path: Path) -> Config:
    try:
        text = read_small_text(path, MAX_CONFIG_BYTES)
    except _Unreadable as exc:
        if str(exc) == "not UTF-8 text":
            raise ConfigError(f"{path}: {_encoding_problem(path)}") from None
        raise ConfigError(f"cannot read config {path}: {exc}") from None
    token_lines = {
        number: f"{path}:{number}: (token): {_TOKEN_IN_FILE}"
        for number, line in enumerate(text.splitlines(), 1)
        if looks_like_token(line)
    }
    problems: list[str] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc
        if mark is not None and text[mark.index : mark.index + 1] == "\t":  # (a "token")
            problem = "a tab character; YAML indents with spaces only"
        problems.append(f"{path}:{line}: (yaml): not valid YAML: {problem}")
        raise _failure(path, problems, token_lines) from None
    except yaml.YAMLError as exc:
        problems.append(f"{path}:1: (yaml): not valid YAML: {exc}")
        raise _failure(path, problems, token_lines) from None
    values: dict[str, Any] = {}
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""):
        pass
    elif not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1
        problems.append(f"{path}:{line}: (file): expected a mapping of settings")
    else:
        values = _settings(root, path, problems)
    if "database" not in values:  # the default is relative to the config's folder too
        values["database"] = (_default_database(path), 0)
    _cross_checks(values, path, problems)
    if problems or token_lines:
        raise _failure(path, problems, token_lines)
    return Config(**{name: value for name, (value, _) in values.items()})


def _failure(path: Path, problems: list[str], token_lines: dict[int, str]) -> ConfigError:
    """Every problem in line order; a line that looks like a token gets the token message
    unless a more specific problem already names that line."""

    def line_of(problem: str) -> int:
        return int(problem[len(str(path)) + 1 :].split(":", 1)[0])

    named = {line_of(p) for p in problems}
    problems = problems + [text for line, text in token_lines.items() if line not in named]
    unique = sorted(dict.fromkeys(problems), key=line_of)
    return ConfigError(f"{len(unique)} problem(s) in the config file {path}", unique)


def _encoding_problem(path: Path) -> str:
    """A config that is not UTF-8: one saved as UTF-16 (a byte order mark first, as Windows
    Notepad may save it) is named so (round 16: "not UTF-8 text" alone)."""
    try:
        with path.open("rb") as file:
            head = file.read(2)
    except OSError:
        head = b""
    if head in (b"\xff\xfe", b"\xfe\xff"):
        return "is UTF-16 text (it starts with a byte order mark); save it as UTF-8"
    return "not UTF-8 text"


Check = Callable[[Any, Path], Any]


def _settings(root: yaml.MappingNode, path: Path, problems: list[str]) -> dict[str, Any]:
    """Each known key checked; ``{name: (value, line)}`` for the good ones."""
    known = {f.name for f in fields(Config)}
    values: dict[str, Any] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(name, str):
            problems.append(f"{path}:{line}: (key): a setting's name must be text")
            continue
        shown = name[:60]
        if name in _TOKEN_KEYS:
            problems.append(f"{path}:{line}: {shown}: {_TOKEN_IN_FILE}")
            continue
        if name not in known:
            hint = process.extractOne(name, sorted(known), scorer=fuzz.ratio, score_cutoff=65)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
            problems.append(
                f"{path}:{line}: {shown}: unknown setting{suggestion} "
                f"(known: {', '.join(sorted(known))})"
            )
            continue
        if name in values:
            problems.append(f"{path}:{line}: {name}: set twice (also on line {values[name][1]})")
            continue
        try:
            raw = yaml.SafeLoader("").construct_object(value_node, deep=True)
        except yaml.YAMLError as exc:
            problems.append(f"{path}:{line}: {name}: {exc}")
            continue
        if raw is None:
            continue  # "key:" with no value keeps the default
        try:
            values[name] = (_CHECKS[name](raw, path.parent), line)
        except _Invalid as exc:
            problems.append(f"{path}:{value_node.start_mark.line + 1}: {name}: {exc}")
    return values


_SAID_MOVED: set[Path] = set()


def _default_database(config: Path) -> Path:
    """``state/drama-bot.sqlite3`` beside the config file, as every relative path in it.

    Earlier versions put it in the current folder when the config did not say: a database
    found there (and none beside the config) is used rather than starting on an empty one
    (every server's /settings lost), with a warning saying how to keep it."""
    beside = config.parent / DEFAULT_DATABASE
    earlier = Path.cwd() / DEFAULT_DATABASE
    try:
        moved = not beside.exists() and earlier.is_file() and earlier.resolve() != beside.resolve()
    except (OSError, RuntimeError):
        moved = False
    if not moved:
        return beside
    if earlier in _SAID_MOVED:  # (a command may read its config more than once)
        return earlier
    _SAID_MOVED.add(earlier)
    log.warning(
        "database: %s sets no database, so it now defaults to %s (beside the config); using "
        "%s, which earlier versions created in the current folder. To keep it, add "
        "`database: %s` to the config, or move the file beside the config",
        config,
        beside,
        earlier,
        earlier,
    )
    return earlier


def _cross_checks(values: dict[str, Any], path: Path, problems: list[str]) -> None:
    for line, key, message in _shard_problems(values):
        problems.append(f"{path}:{line}: {key}: {message}")
    if "database" in values or "data_dir" in values:
        database, line = values.get("database", (DEFAULT_DATABASE, 0))
        cards, cards_line = values.get("data_dir", (default_data_dir(), 0))
        if clash := database_in_cards(database, cards):
            key = "database" if line else "data_dir"
            problems.append(f"{path}:{line or cards_line}: {key}: {database} {clash}")


def database_in_cards(database: Path, cards: Path) -> str | None:
    """Why ``database`` may not be used with the cards folder ``cards`` (it is that folder, or
    inside it: a reload would read it, a damaged one would be moved out of it), or None."""
    try:
        base, here = cards.resolve(), database.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links: opening it will say so
        return None
    if here == base:
        return "is the cards folder; the database needs a file of its own"
    if here.is_relative_to(base):
        return (
            f"is inside the cards folder {cards}; keep the database elsewhere, such as "
            "state/drama-bot.sqlite3"
        )
    return None


def _shard_problems(values: dict[str, Any]) -> list[tuple[int, str, str]]:
    """Problems between ``shard_count`` and ``shard_ids`` (``values``: name -> (value, line))."""
    count = values.get("shard_count", (None, 0))[0]
    ids, line = values.get("shard_ids", (None, 0))
    if ids is None:
        return []
    if not isinstance(count, int):
        return [
            (
                line,
                "shard_ids",
                "needs shard_count, the total number of shards across every process "
                "(a number, not auto)",
            )
        ]
    too_big = [i for i in ids if i >= count]
    if too_big:
        return [
            (
                line,
                "shard_ids",
                f"{too_big} not below shard_count {count} (shards are numbered 0 to {count - 1})",
            )
        ]
    return []


def override(config: Config, **changes: Any) -> Config:
    """``config`` with settings given outside the file (the command line), checked alike."""
    problems: list[str] = []
    values = {name: (getattr(config, name), 0) for name in ("shard_count", "shard_ids")}
    for name, raw in changes.items():
        if isinstance(raw, str) and raw.isdigit():
            raw = int(raw)
        try:
            values[name] = (_CHECKS[name](raw, Path(".")), 0)
        except _Invalid as exc:
            problems.append(f"{name}: {exc}")
    problems += [f"{key}: {message}" for _, key, message in _shard_problems(values)]
    if problems:
        raise ConfigError("; ".join(problems))
    return _replace(config, **{name: value for name, (value, _) in values.items()})


# --------------------------------------------------------------------------- value checks


def _path(value: Any, base: Path) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("expected a path")
    candidate = Path(value).expanduser()
    return candidate if candidate.is_absolute() else base / candidate


def _token_file(value: Any, base: Path) -> Path:
    if isinstance(value, str) and looks_like_token(value):
        raise _Invalid(_TOKEN_AS_PATH)
    return _path(value, base)


def _ids(value: Any, base: Path) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise _Invalid("expected a list of Discord IDs, e.g. [123456789012345678]")
    ids = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise _Invalid(f"{str(item)[:40]!r} is not a Discord ID")
        text = str(item).strip()
        if not text.isdigit() or not 17 <= len(text) <= 20:
            raise _Invalid(
                f"{text[:40]!r} is not a Discord ID (17 to 20 digits; in Discord, turn on "
                "Developer Mode, then right-click the server, role or user and Copy ID)"
            )
        ids.append(int(text))
    return tuple(ids)


def _bool_or_auto(value: Any, base: Path) -> bool | None:
    if isinstance(value, bool):
        return value
    if value == "auto":
        return None
    raise _Invalid("expected true, false or auto")


def _log_level(value: Any, base: Path) -> str:
    level = str(value).upper()
    if level not in LOG_LEVELS:
        raise _Invalid(f"expected one of {', '.join(LOG_LEVELS)}")
    return level


def _url(value: Any, base: Path, example: str = DEFAULT_DISCORD_URL) -> str:
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise _Invalid(f"must be an http(s):// address, such as {example}")
    if any(ch.isspace() for ch in value):
        raise _Invalid("a URL has no spaces")
    # Refused here, in one line, rather than at the first request (where the address, and any
    # password in it, would be printed): the address is never echoed.
    if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in value):
        raise _Invalid("holds a control character; type the address again")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (a port out of range raises)
    except ValueError:
        raise _Invalid(f"is not a well-formed address, such as {example}") from None
    if user_before_host(value):
        raise _Invalid(
            "holds a user name or password before '@'; drama-bot sends none in an address "
            "(the TMDB key goes in TMDB_API_KEY, the bot token in DISCORD_TOKEN)"
        )
    if not parts.hostname:
        raise _Invalid(f"names no host, such as {example}")
    return value.rstrip("/")


def _tmdb_url(value: Any, base: Path) -> str:
    return _url(value, base, DEFAULT_TMDB_URL)


def _shard_count(value: Any, base: Path) -> ShardCount:
    if value == "auto":
        return "auto"
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SHARDS:
        raise _Invalid(f"expected auto or a whole number from 1 to {MAX_SHARDS}")
    return value


def _shard_ids(value: Any, base: Path) -> tuple[int, ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not value:
        raise _Invalid("expected a list of shard numbers, e.g. [0, 1]")
    if any(isinstance(i, bool) or not isinstance(i, int) or i < 0 for i in value):
        raise _Invalid("shard numbers are whole numbers from 0")
    if len(set(value)) != len(value):
        raise _Invalid("a shard is listed twice")
    return tuple(sorted(value))


def _seconds(value: Any, base: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid("expected a number of seconds")
    if not 0 <= value <= MAX_DEFER_SECONDS:
        raise _Invalid(f"expected 0 to {MAX_DEFER_SECONDS} seconds (Discord waits 3 s)")
    return float(value)


def _count(value: Any, base: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Invalid("must be a whole number, 0 or more")
    return value


def _duration(value: Any, base: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _Invalid("must be a number, 0 or more")
    return value


def _positive_seconds(value: Any, base: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise _Invalid("must be a number of seconds, more than 0")
    return float(value)


def _page_timeout(value: Any, base: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 840:
        raise _Invalid("must be 1 to 840 (Discord lets a reply be edited for 15 minutes)")
    return value


def _https(value: Any, base: Path) -> str:
    if not isinstance(value, str) or not value.startswith("https://"):
        raise _Invalid("must be an https:// address")
    return value


def _share(value: Any, base: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise _Invalid("must be a number from 0 to 1 (e.g. 0.5 for 50%)")
    return float(value)


def _bool(value: Any, base: Path) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("must be true or false")
    return value


_CHECKS: dict[str, Check] = {
    "data_dir": _path,
    "database": _path,
    "admin_user_ids": _ids,
    "admin_role_ids": _ids,
    "dev_guild_ids": _ids,
    "sync_global": _bool_or_auto,
    "log_level": _log_level,
    "token_file": _token_file,
    "discord_api_url": _url,
    "shard_count": _shard_count,
    "shard_ids": _shard_ids,
    "heartbeat_file": _path,
    "defer_answers_after": _seconds,
    "tmdb_url": _tmdb_url,
    "cooldown_commands": _count,
    "cooldown_seconds": _duration,
    "page_timeout_seconds": _page_timeout,
    "project_url": _https,
    "max_removed_share": _share,
    "watch_cards": _bool,
    "reload_timeout_seconds": _positive_seconds,
}
