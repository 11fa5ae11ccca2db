"""Application commands: what the bot registered, and building the ``data`` of a command
interaction the way a Discord client would from what a test asks for."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .entities import Channel, Guild, Member, Role, User
from .payloads import (
    channel_payload,
    drop_none,
    member_payload,
    role_payload,
    user_payload,
)
from .snowflakes import SnowflakeFactory

SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING = 3
INTEGER = 4
BOOLEAN = 5
USER = 6
CHANNEL = 7
ROLE = 8
MENTIONABLE = 9
NUMBER = 10
ATTACHMENT = 11

OptionsArg = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


class CommandNotSynced(LookupError):
    """The test invoked a command the bot never registered (Discord would not show it)."""


class InvalidOptions(ValueError):
    """The options a test gave could not have been sent by a Discord client."""


@dataclass
class SyncedCommands:
    """Commands registered by the bot, as Discord stores them, plus the raw payloads."""

    global_commands: list[dict[str, Any]] = field(default_factory=list)
    guild_commands: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    global_payload: list[Any] | None = None  # body of the last PUT .../commands
    guild_payloads: dict[int, list[Any]] = field(default_factory=dict)
    history: list[tuple[int | None, Any]] = field(default_factory=list)  # every write

    @property
    def sync_count(self) -> int:
        return len(self.history)

    def scope(self, guild_id: int | None) -> list[dict[str, Any]]:
        if guild_id is None:
            return self.global_commands
        return self.guild_commands.setdefault(guild_id, [])

    def names(self, guild_id: int | None = None) -> list[str]:
        return [c["name"] for c in self.scope(guild_id)]

    def find(
        self, name: str, guild_id: int | None = None, command_type: int = 1
    ) -> tuple[dict[str, Any], int | None] | None:
        """The command a client in ``guild_id`` would run: guild commands first."""
        if guild_id is not None:
            for command in self.guild_commands.get(guild_id, []):
                if command["name"] == name and command.get("type", 1) == command_type:
                    return command, guild_id
        for command in self.global_commands:
            if command["name"] == name and command.get("type", 1) == command_type:
                return command, None
        return None


class CommandRegistry:
    """Applies the command endpoints to ``SyncedCommands`` (stable ids per name+type)."""

    def __init__(self, application_id: int, ids: SnowflakeFactory) -> None:
        self.application_id = application_id
        self._ids = ids
        self.synced = SyncedCommands()

    def _response(
        self, body: dict[str, Any], guild_id: int | None, existing: dict[str, Any] | None
    ) -> dict[str, Any]:
        command_type = body.get("type") or 1
        permissions = body.get("default_member_permissions")
        response: dict[str, Any] = {
            "id": existing["id"] if existing else str(self._ids.next()),
            "application_id": str(self.application_id),
            "version": str(self._ids.next()),
            "default_member_permissions": None if permissions is None else str(permissions),
            "type": command_type,
            "name": body.get("name"),
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description") or "",
            "description_localizations": body.get("description_localizations"),
            "nsfw": bool(body.get("nsfw", False)),
        }
        if body.get("options"):
            response["options"] = drop_none(copy.deepcopy(body["options"]))
        if guild_id is not None:
            response["guild_id"] = str(guild_id)
        else:
            response["dm_permission"] = body.get("dm_permission", True) is not False
            response["contexts"] = body.get("contexts")
            response["integration_types"] = body.get("integration_types") or [0]
        return response

    def overwrite(self, guild_id: int | None, payload: list[Any]) -> list[dict[str, Any]]:
        current = {(c["name"], c.get("type", 1)): c for c in self.synced.scope(guild_id)}
        commands = [
            self._response(body, guild_id, current.get((body.get("name"), body.get("type") or 1)))
            for body in payload
            if isinstance(body, dict)
        ]
        if guild_id is None:
            self.synced.global_commands = commands
            self.synced.global_payload = copy.deepcopy(payload)
        else:
            self.synced.guild_commands[guild_id] = commands
            self.synced.guild_payloads[guild_id] = copy.deepcopy(payload)
        self.synced.history.append((guild_id, copy.deepcopy(payload)))
        return copy.deepcopy(commands)

    def upsert(self, guild_id: int | None, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        scope = self.synced.scope(guild_id)
        key = (body.get("name"), body.get("type") or 1)
        existing = next((c for c in scope if (c["name"], c.get("type", 1)) == key), None)
        command = self._response(body, guild_id, existing)
        if existing is not None:
            scope[scope.index(existing)] = command
        else:
            scope.append(command)
        self.synced.history.append((guild_id, copy.deepcopy(body)))
        return copy.deepcopy(command), existing is None

    def get(self, guild_id: int | None, command_id: str) -> dict[str, Any] | None:
        return next((c for c in self.synced.scope(guild_id) if c["id"] == command_id), None)

    def edit(
        self, guild_id: int | None, command_id: str, body: dict[str, Any]
    ) -> dict[str, Any] | None:
        existing = self.get(guild_id, command_id)
        if existing is None:
            return None
        merged = {**existing, **body}
        command = self._response(merged, guild_id, existing)
        scope = self.synced.scope(guild_id)
        scope[scope.index(existing)] = command
        self.synced.history.append((guild_id, copy.deepcopy(body)))
        return copy.deepcopy(command)

    def delete(self, guild_id: int | None, command_id: str) -> bool:
        existing = self.get(guild_id, command_id)
        if existing is None:
            return False
        self.synced.scope(guild_id).remove(existing)
        self.synced.history.append((guild_id, None))
        return True


# --------------------------------------------------------------------------- invocation


def _option_list(options: OptionsArg) -> list[tuple[str, Any]]:
    if options is None:
        return []
    if isinstance(options, Mapping):
        return list(options.items())
    out: list[tuple[str, Any]] = []
    for entry in options:
        if "name" not in entry:
            raise InvalidOptions(f"option entries need a 'name': {entry!r}")
        out.append((entry["name"], entry.get("value")))
    return out


def _walk_to_leaf(
    command: dict[str, Any], path: Sequence[str]
) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    """Follow sub-command names; return (leaf option definitions, [(name, type)] chain)."""
    definitions = command.get("options") or []
    chain: list[tuple[str, int]] = []
    for name in path:
        match = next(
            (
                o
                for o in definitions
                if o.get("name") == name and o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)
            ),
            None,
        )
        if match is None:
            available = [
                o["name"] for o in definitions if o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)
            ]
            raise CommandNotSynced(
                f"/{command['name']} has no sub-command {name!r} (has {available})"
            )
        chain.append((name, match["type"]))
        definitions = match.get("options") or []
    if any(o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in definitions):
        subs = [o["name"] for o in definitions]
        raise CommandNotSynced(
            f"/{' '.join([command['name'], *path])} needs a sub-command (one of {subs})"
        )
    return definitions, chain


class _Resolved:
    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}

    def add(self, kind: str, key: int, value: dict[str, Any]) -> None:
        self.data.setdefault(kind, {})[str(key)] = value


def _resolve(
    option_type: int, value: Any, guild: Guild | None, resolved: _Resolved, name: str
) -> str:
    """Turn a User/Member/Channel/Role (or id) into the wire value, filling ``resolved``."""
    if option_type in (USER, MENTIONABLE) and isinstance(value, User | Member):
        user = value.user if isinstance(value, Member) else value
        resolved.add("users", user.id, user_payload(user))
        member = (
            value if isinstance(value, Member) else (guild.get_member(user.id) if guild else None)
        )
        if member is not None and guild is not None:
            entry = member_payload(member, with_user=False)
            entry["permissions"] = str(guild.permissions_for(member.roles, member.user.id))
            resolved.add("members", user.id, entry)
        return str(user.id)
    if option_type in (ROLE, MENTIONABLE) and isinstance(value, Role):
        resolved.add("roles", value.id, role_payload(value))
        return str(value.id)
    if option_type == CHANNEL and isinstance(value, Channel):
        entry = channel_payload(value, guild)
        entry["permissions"] = str(guild.permissions_for([]) if guild else 0)
        resolved.add("channels", value.id, entry)
        return str(value.id)
    if isinstance(value, int) and not isinstance(value, bool) and guild is not None:
        if option_type in (USER, MENTIONABLE):
            member = guild.get_member(value)
            if member is not None:
                return _resolve(option_type, member, guild, resolved, name)
        if option_type in (ROLE, MENTIONABLE):
            role = guild.get_role(value)
            if role is not None:
                return _resolve(ROLE, role, guild, resolved, name)
        if option_type == CHANNEL:
            channel = guild.get_channel(value)
            if channel is not None:
                return _resolve(CHANNEL, channel, guild, resolved, name)
    raise InvalidOptions(
        f"option {name!r}: cannot resolve {value!r} for option type {option_type} in this guild"
    )


def _convert(
    definition: dict[str, Any], value: Any, guild: Guild | None, resolved: _Resolved
) -> Any:
    name = definition["name"]
    kind = definition.get("type")
    if kind == STRING:
        if not isinstance(value, str):
            raise InvalidOptions(f"option {name!r} is a string option, got {value!r}")
        low, high = definition.get("min_length"), definition.get("max_length")
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            raise InvalidOptions(f"option {name!r}: length {len(value)} outside [{low}, {high}]")
    elif kind == INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidOptions(f"option {name!r} is an integer option, got {value!r}")
    elif kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidOptions(f"option {name!r} is a number option, got {value!r}")
    elif kind == BOOLEAN:
        if not isinstance(value, bool):
            raise InvalidOptions(f"option {name!r} is a boolean option, got {value!r}")
    elif kind in (USER, CHANNEL, ROLE, MENTIONABLE):
        allowed = definition.get("channel_types")
        if kind == CHANNEL and allowed and isinstance(value, Channel) and value.type not in allowed:
            raise InvalidOptions(  # (Discord offers only those, and refuses any other)
                f"option {name!r}: a channel of type {value.type} is not one of {allowed}"
            )
        return _resolve(kind, value, guild, resolved, name)
    elif kind == ATTACHMENT:
        raise InvalidOptions(f"option {name!r}: attachment options are not supported")
    if kind in (INTEGER, NUMBER):
        low, high = definition.get("min_value"), definition.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvalidOptions(f"option {name!r}: {value} outside [{low}, {high}]")
    choices = definition.get("choices")
    if choices and value not in [c.get("value") for c in choices]:
        raise InvalidOptions(
            f"option {name!r}: {value!r} is not one of the choices "
            f"{[c.get('value') for c in choices]}"
        )
    return value


def build_command_data(
    command: dict[str, Any],
    scope_guild_id: int | None,
    subcommand_path: Sequence[str],
    options: OptionsArg,
    guild: Guild | None,
    *,
    focused: str | None = None,
) -> dict[str, Any]:
    """``data`` of an APPLICATION_COMMAND (or, with ``focused``, AUTOCOMPLETE) interaction."""
    definitions, chain = _walk_to_leaf(command, subcommand_path)
    by_name = {d["name"]: d for d in definitions}
    resolved = _Resolved()
    leaf: list[dict[str, Any]] = []
    given = _option_list(options)
    if focused is not None and focused not in [n for n, _ in given]:
        given.append((focused, ""))
    for name, value in given:
        definition = by_name.get(name)
        if definition is None:
            raise InvalidOptions(
                f"/{' '.join([command['name'], *subcommand_path])} has no option {name!r} "
                f"(has {sorted(by_name)})"
            )
        entry: dict[str, Any] = {"name": name, "type": definition["type"]}
        if name == focused:
            if not definition.get("autocomplete"):
                raise InvalidOptions(f"option {name!r} does not have autocomplete enabled")
            entry["value"] = value if isinstance(value, str) else str(value)
            entry["focused"] = True
        else:
            entry["value"] = _convert(definition, value, guild, resolved)
        leaf.append(entry)
    if focused is None:
        missing = [
            d["name"]
            for d in definitions
            if d.get("required") and d["name"] not in {n for n, _ in given}
        ]
        if missing:
            raise InvalidOptions(f"required options missing: {missing}")
    nested: list[dict[str, Any]] = leaf
    for name, kind in reversed(chain):
        nested = [{"name": name, "type": kind, "options": nested}]
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": command.get("type", 1),
    }
    if nested:
        data["options"] = nested
    if resolved.data:
        data["resolved"] = resolved.data
    if scope_guild_id is not None:
        data["guild_id"] = str(scope_guild_id)
    return data
