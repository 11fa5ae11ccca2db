"""Discord rules that the OpenAPI schema does not (or cannot) express.

Each checker takes a request body (already JSON-decoded) and returns ``FieldError``s with
paths relative to that body. Sources: Discord's developer documentation (message, embed,
component, application-command and interaction-response limits). Some rules repeat what
the schema says; that is deliberate, so the limits hold even if the published schema
loosens, and duplicates are removed by path in ``rest.py``.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from .schema_validation import FieldError

try:  # The third-party ``regex`` module understands \p{sc=...}; use it when present.
    import regex as _regex  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    _regex = None

Path = tuple[str | int, ...]

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
CUSTOM_ID_MAX = 100
SELECT_OPTIONS_MAX = 25
SELECT_OPTION_TEXT_MAX = 100
SELECT_PLACEHOLDER_MAX = 150
BUTTON_LABEL_MAX = 80
ACTION_ROWS_MAX = 5
ROW_BUTTONS_MAX = 5
COMMAND_NAME_MAX = 32
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_STRING_VALUE_MAX = 100
COMMAND_TOTAL_CHARS_MAX = 4000
CHAT_INPUT_COMMANDS_MAX = 100
CONTEXT_MENU_COMMANDS_MAX = 5
AUTOCOMPLETE_CHOICES_MAX = 25
MODAL_TITLE_MAX = 45

MESSAGE_FLAG_COMPONENTS_V2 = 1 << 15
NAME_RULE = r"^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$"

_DEVANAGARI = ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x11B00, 0x11B5F))
_THAI = ((0x0E01, 0x0E3A), (0x0E40, 0x0E5B))


@functools.lru_cache(maxsize=1)
def discord_locales() -> frozenset[str]:
    """The locales Discord accepts as keys of ``*_localizations`` (AvailableLocalesEnum)."""
    from .spec import load_spec

    schema = load_spec().document["components"]["schemas"]["AvailableLocalesEnum"]
    return frozenset(item["const"] for item in schema["oneOf"])


def _check_localizations(
    errors: list[FieldError], path: Path, owner: dict[str, Any], *, names: bool
) -> None:
    """``name_localizations`` (a command's or option's: the name rule, lower case; a choice's:
    1-100 characters) and ``description_localizations`` (1-100), keyed by Discord's locales.
    The schema checks lengths but not the keys nor the name rule in every language."""
    for key in ("name_localizations", "description_localizations"):
        values = owner.get(key)
        if not isinstance(values, dict):
            continue
        for locale, text in values.items():
            where = (*path, key, locale)
            if locale not in discord_locales():
                errors.append(
                    _err(where, f"{locale!r} is not a Discord locale.", "ENUM_TYPE_COERCE")
                )
            if text is None:
                continue
            if key == "name_localizations" and names:
                _check_chat_name(errors, where, text, f"{locale} name")
            else:
                most = CHOICE_NAME_MAX if key == "name_localizations" else COMMAND_DESCRIPTION_MAX
                _check_len(errors, where, text, most, minimum=1, what=key)


def _err(path: Path, message: str, code: str = "BASE_TYPE_INVALID", **extra: Any) -> FieldError:
    return FieldError(path=path, message=message, keyword="discord-rule", code=code, **extra)


def _in_ranges(char: str, ranges: Iterable[tuple[int, int]]) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in ranges)


def matches_name_rule(name: str) -> bool:
    """``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`` (Discord's command-name rule)."""
    if _regex is not None:
        return _regex.fullmatch(NAME_RULE[1:-1], name) is not None
    if not 1 <= len(name) <= COMMAND_NAME_MAX:
        return False
    for char in name:
        if char in "-_'":
            continue
        if unicodedata.category(char)[0] in ("L", "N"):
            continue
        if _in_ranges(char, _DEVANAGARI) or _in_ranges(char, _THAI):
            continue
        return False
    return True


def _text_len(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def _check_len(
    errors: list[FieldError],
    path: Path,
    value: Any,
    maximum: int,
    *,
    minimum: int = 0,
    what: str = "",
) -> None:
    if not isinstance(value, str):
        return
    if len(value) > maximum:
        label = f"{what} " if what else ""
        errors.append(
            _err(
                path,
                f"{label}must be {maximum} or fewer in length (got {len(value)} characters).",
                "BASE_TYPE_MAX_LENGTH",
            )
        )
    elif len(value) < minimum:
        label = f"{what} " if what else ""
        errors.append(
            _err(
                path,
                f"{label}must be at least {minimum} in length (got {len(value)}).",
                "BASE_TYPE_MIN_LENGTH",
            )
        )


def _check_count(
    errors: list[FieldError], path: Path, items: Any, maximum: int, what: str
) -> list[Any]:
    if not isinstance(items, list):
        return []
    if len(items) > maximum:
        errors.append(
            _err(
                path,
                f"Too many {what}: must be {maximum} or fewer in length (got {len(items)}).",
                "BASE_TYPE_MAX_LENGTH",
            )
        )
    return items


# --------------------------------------------------------------------------- messages


def check_message(
    body: Any,
    base: Path = (),
    *,
    creating: bool,
    require_allowed_mentions: bool,
    has_files: bool = False,
) -> list[FieldError]:
    """Limits for a message body (create or edit): content, embeds, components, mentions."""
    if not isinstance(body, dict):
        return []
    errors: list[FieldError] = []
    _check_len(errors, (*base, "content"), body.get("content"), CONTENT_MAX, what="content")
    errors.extend(check_embeds(body.get("embeds"), (*base, "embeds")))
    flags = body.get("flags") or 0
    errors.extend(
        check_components(
            body.get("components"),
            (*base, "components"),
            components_v2=bool(flags & MESSAGE_FLAG_COMPONENTS_V2),
        )
    )
    errors.extend(
        _check_allowed_mentions(body.get("allowed_mentions"), (*base, "allowed_mentions"))
    )
    if creating and not has_files and _is_empty_message(body):
        errors.append(
            _err(base, "Cannot send an empty message", "MESSAGE_EMPTY", discord_code=50006)
        )
    if require_allowed_mentions and "allowed_mentions" not in body:
        errors.append(
            _err(
                (*base, "allowed_mentions"),
                "Message sent without allowed_mentions (project policy: every message must "
                "say which mentions may ping; set Client(allowed_mentions=...) or pass it).",
                "POLICY_ALLOWED_MENTIONS",
                blocking=False,
            )
        )
    return errors


def _is_empty_message(body: dict[str, Any]) -> bool:
    if body.get("flags", 0) and body["flags"] & MESSAGE_FLAG_COMPONENTS_V2:
        return not body.get("components")
    return not (
        body.get("content")
        or body.get("embeds")
        or body.get("components")
        or body.get("sticker_ids")
        or body.get("poll")
        or body.get("attachments")
    )


def _check_allowed_mentions(value: Any, path: Path) -> list[FieldError]:
    if not isinstance(value, dict):
        return []
    errors: list[FieldError] = []
    parse = value.get("parse") or []
    for key in ("users", "roles"):
        if key in parse and value.get(key):
            errors.append(
                _err(
                    path,
                    f'parse contains "{key}" and {key} is also a non-empty list; Discord '
                    "rejects this combination.",
                    "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                )
            )
    return errors


def embed_text_length(embed: dict[str, Any]) -> int:
    """Characters counted towards the 6000 limit for one embed."""
    total = _text_len(embed.get("title")) + _text_len(embed.get("description"))
    for field in embed.get("fields") or []:
        if isinstance(field, dict):
            total += _text_len(field.get("name")) + _text_len(field.get("value"))
    footer = embed.get("footer")
    if isinstance(footer, dict):
        total += _text_len(footer.get("text"))
    author = embed.get("author")
    if isinstance(author, dict):
        total += _text_len(author.get("name"))
    return total


def check_embeds(embeds: Any, path: Path) -> list[FieldError]:
    errors: list[FieldError] = []
    items = _check_count(errors, path, embeds, EMBEDS_MAX, "embeds")
    total = 0
    for index, embed in enumerate(items):
        if not isinstance(embed, dict):
            continue
        here = (*path, index)
        total += embed_text_length(embed)
        _check_len(errors, (*here, "title"), embed.get("title"), EMBED_TITLE_MAX, what="title")
        _check_len(
            errors,
            (*here, "description"),
            embed.get("description"),
            EMBED_DESCRIPTION_MAX,
            what="description",
        )
        fields = _check_count(
            errors, (*here, "fields"), embed.get("fields"), EMBED_FIELDS_MAX, "embed fields"
        )
        for f_index, field in enumerate(fields):
            if not isinstance(field, dict):
                continue
            f_path = (*here, "fields", f_index)
            for key, maximum in (("name", EMBED_FIELD_NAME_MAX), ("value", EMBED_FIELD_VALUE_MAX)):
                text = field.get(key)
                if not isinstance(text, str) or not text.strip():
                    errors.append(
                        _err(
                            (*f_path, key),
                            f"embed field {key} is required and must not be blank.",
                            "BASE_TYPE_REQUIRED",
                        )
                    )
                _check_len(errors, (*f_path, key), text, maximum, what=f"field {key}")
        footer = embed.get("footer")
        if isinstance(footer, dict):
            _check_len(
                errors,
                (*here, "footer", "text"),
                footer.get("text"),
                EMBED_FOOTER_MAX,
                what="footer text",
            )
        author = embed.get("author")
        if isinstance(author, dict):
            _check_len(
                errors,
                (*here, "author", "name"),
                author.get("name"),
                EMBED_AUTHOR_MAX,
                what="author name",
            )
    if total > EMBED_TOTAL_MAX:
        errors.append(
            _err(
                path,
                f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX} characters (got {total}: "
                "title+description+field names/values+footer text+author name, all embeds).",
                "MESSAGE_EMBEDS_TOO_LARGE",
            )
        )
    return errors


def check_components(components: Any, path: Path, *, components_v2: bool) -> list[FieldError]:
    errors: list[FieldError] = []
    if not isinstance(components, list):
        return errors
    if not components_v2:
        _check_count(errors, path, components, ACTION_ROWS_MAX, "action rows")
    custom_ids: dict[str, Path] = {}
    for index, component in enumerate(components):
        _walk_component(component, (*path, index), errors, custom_ids)
    return errors


def _walk_component(
    component: Any, path: Path, errors: list[FieldError], custom_ids: dict[str, Path]
) -> None:
    if not isinstance(component, dict):
        return
    kind = component.get("type")
    custom_id = component.get("custom_id")
    if custom_id is not None:
        _check_len(
            errors, (*path, "custom_id"), custom_id, CUSTOM_ID_MAX, minimum=1, what="custom_id"
        )
        if isinstance(custom_id, str):
            if custom_id in custom_ids:
                errors.append(
                    _err(
                        (*path, "custom_id"),
                        f"custom_id {custom_id!r} is duplicated in this message.",
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                    )
                )
            custom_ids[custom_id] = path
    if kind == 1:  # action row
        children = component.get("components") or []
        selects = [c for c in children if isinstance(c, dict) and c.get("type") in (3, 5, 6, 7, 8)]
        if selects and len(children) > 1:
            errors.append(
                _err(
                    (*path, "components"),
                    "An action row holding a select menu cannot hold anything else.",
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                )
            )
        _check_count(errors, (*path, "components"), children, ROW_BUTTONS_MAX, "row components")
    elif kind == 2:  # button
        _check_len(
            errors, (*path, "label"), component.get("label"), BUTTON_LABEL_MAX, what="button label"
        )
        style = component.get("style")
        if style == 5 and not component.get("url"):
            errors.append(_err((*path, "url"), "Link buttons need a url.", "BASE_TYPE_REQUIRED"))
        if style not in (5, 6) and not custom_id:
            errors.append(
                _err((*path, "custom_id"), "Buttons need a custom_id.", "BASE_TYPE_REQUIRED")
            )
    elif kind == 3:  # string select
        _check_select(component, path, errors)
    elif kind in (5, 6, 7, 8):
        _check_len(
            errors,
            (*path, "placeholder"),
            component.get("placeholder"),
            SELECT_PLACEHOLDER_MAX,
            what="placeholder",
        )
    for key in ("components", "accessory"):
        child = component.get(key)
        if key == "components" and kind == 1:
            for index, sub in enumerate(child or []):
                _walk_component(sub, (*path, key, index), errors, custom_ids)
        elif isinstance(child, list):
            for index, sub in enumerate(child):
                _walk_component(sub, (*path, key, index), errors, custom_ids)
        elif isinstance(child, dict):
            _walk_component(child, (*path, key), errors, custom_ids)


def _check_select(component: dict[str, Any], path: Path, errors: list[FieldError]) -> None:
    options = component.get("options")
    if not isinstance(options, list) or not options:
        errors.append(
            _err((*path, "options"), "A select menu needs 1 to 25 options.", "BASE_TYPE_REQUIRED")
        )
        options = []
    _check_count(errors, (*path, "options"), options, SELECT_OPTIONS_MAX, "select options")
    _check_len(
        errors,
        (*path, "placeholder"),
        component.get("placeholder"),
        SELECT_PLACEHOLDER_MAX,
        what="placeholder",
    )
    values_seen: set[str] = set()
    for index, option in enumerate(options):
        if not isinstance(option, dict):
            continue
        o_path = (*path, "options", index)
        for key in ("label", "value", "description"):
            _check_len(
                errors,
                (*o_path, key),
                option.get(key),
                SELECT_OPTION_TEXT_MAX,
                minimum=1 if key != "description" else 0,
                what=f"option {key}",
            )
        value = option.get("value")
        if isinstance(value, str):
            if value in values_seen:
                errors.append(
                    _err(
                        (*o_path, "value"),
                        f"Duplicate select option value {value!r}.",
                        "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                    )
                )
            values_seen.add(value)
    min_values = component.get("min_values", 1)
    max_values = component.get("max_values", 1)
    if isinstance(min_values, int) and isinstance(max_values, int):
        if min_values > max_values:
            errors.append(
                _err(
                    (*path, "min_values"),
                    "min_values must not exceed max_values.",
                    "NUMBER_TYPE_MAX",
                )
            )
        if options and max_values > len(options):
            errors.append(
                _err(
                    (*path, "max_values"),
                    f"max_values ({max_values}) exceeds the number of options ({len(options)}).",
                    "NUMBER_TYPE_MAX",
                )
            )


# --------------------------------------------------------------------------- commands


def check_command_list(commands: Any, path: Path = ()) -> list[FieldError]:
    """Bulk overwrite body: each command, plus counts and duplicate names per type."""
    if not isinstance(commands, list):
        return []
    errors: list[FieldError] = []
    seen: dict[tuple[int, str], int] = {}
    per_type: dict[int, int] = {}
    for index, command in enumerate(commands):
        errors.extend(check_command(command, (*path, index)))
        if not isinstance(command, dict):
            continue
        kind = command.get("type") or 1
        per_type[kind] = per_type.get(kind, 0) + 1
        name = command.get("name")
        if isinstance(name, str):
            key = (kind, name)
            if key in seen:
                errors.append(
                    _err(
                        (*path, index, "name"),
                        f"Application command names must be unique ({name!r} is also at "
                        f"index {seen[key]}).",
                        "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    )
                )
            seen[key] = index
    if per_type.get(1, 0) > CHAT_INPUT_COMMANDS_MAX:
        errors.append(
            _err(
                path, f"More than {CHAT_INPUT_COMMANDS_MAX} slash commands.", "BASE_TYPE_MAX_LENGTH"
            )
        )
    for kind in (2, 3):
        if per_type.get(kind, 0) > CONTEXT_MENU_COMMANDS_MAX:
            errors.append(
                _err(
                    path,
                    f"More than {CONTEXT_MENU_COMMANDS_MAX} context menu commands of type {kind}.",
                    "BASE_TYPE_MAX_LENGTH",
                )
            )
    return errors


def check_command(command: Any, path: Path = ()) -> list[FieldError]:
    if not isinstance(command, dict):
        return []
    errors: list[FieldError] = []
    kind = command.get("type") or 1
    name = command.get("name")
    if kind == 1:
        _check_chat_name(errors, (*path, "name"), name, "command")
        _check_description(errors, (*path, "description"), command.get("description"))
        _check_localizations(errors, path, command, names=True)
        options = command.get("options") or []
        errors.extend(_check_options(options, (*path, "options"), depth=0))
        total = _command_chars(command)
        if total > COMMAND_TOTAL_CHARS_MAX:
            errors.append(
                _err(
                    path,
                    f"Command {name!r} is too large: {total} characters in names, "
                    f"descriptions and choices (max {COMMAND_TOTAL_CHARS_MAX}).",
                    "APPLICATION_COMMAND_TOO_LARGE",
                )
            )
    else:
        if not isinstance(name, str) or not 1 <= len(name) <= COMMAND_NAME_MAX:
            errors.append(
                _err(
                    (*path, "name"),
                    "Context menu names must be 1-32 characters.",
                    "BASE_TYPE_BAD_LENGTH",
                )
            )
        if command.get("description"):
            errors.append(
                _err(
                    (*path, "description"),
                    "Context menu commands must have an empty description.",
                    "BASE_TYPE_INVALID",
                )
            )
        if command.get("options"):
            errors.append(
                _err(
                    (*path, "options"),
                    "Context menu commands take no options.",
                    "BASE_TYPE_INVALID",
                )
            )
    return errors


def _check_chat_name(errors: list[FieldError], path: Path, name: Any, what: str) -> None:
    if not isinstance(name, str):
        errors.append(_err(path, f"{what} name is required.", "BASE_TYPE_REQUIRED"))
        return
    if not matches_name_rule(name):
        errors.append(
            _err(
                path,
                f"{what} name {name!r} does not match {NAME_RULE} "
                "(1-32 letters, digits, '-', '_' or \"'\"; no spaces).",
                "APPLICATION_COMMAND_INVALID_NAME",
            )
        )
    elif name != name.lower():
        errors.append(
            _err(
                path,
                f"{what} name {name!r} must be lower case.",
                "APPLICATION_COMMAND_INVALID_NAME",
            )
        )


def _check_description(errors: list[FieldError], path: Path, description: Any) -> None:
    if not isinstance(description, str) or not description:
        errors.append(
            _err(path, "description is required (1-100 characters).", "BASE_TYPE_REQUIRED")
        )
        return
    _check_len(errors, path, description, COMMAND_DESCRIPTION_MAX, minimum=1, what="description")


def _check_options(options: Any, path: Path, depth: int) -> list[FieldError]:
    errors: list[FieldError] = []
    items = _check_count(errors, path, options, COMMAND_OPTIONS_MAX, "options")
    names: set[str] = set()
    seen_optional = False
    kinds = {o.get("type") for o in items if isinstance(o, dict)}
    if kinds & {1, 2} and kinds - {1, 2}:
        errors.append(
            _err(
                path,
                "Sub-commands and groups cannot be mixed with other options.",
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            )
        )
    for index, option in enumerate(items):
        if not isinstance(option, dict):
            continue
        o_path = (*path, index)
        name = option.get("name")
        _check_chat_name(errors, (*o_path, "name"), name, "option")
        if isinstance(name, str):
            if name in names:
                errors.append(
                    _err(
                        (*o_path, "name"),
                        f"Duplicate option name {name!r}.",
                        "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    )
                )
            names.add(name)
        _check_description(errors, (*o_path, "description"), option.get("description"))
        _check_localizations(errors, o_path, option, names=True)
        kind = option.get("type")
        if kind in (1, 2):
            if kind == 2 and depth > 0:
                errors.append(
                    _err(
                        (*o_path, "type"),
                        "Groups cannot be nested.",
                        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    )
                )
            if depth > 1:
                errors.append(
                    _err(
                        (*o_path, "type"),
                        "Sub-commands nested too deep.",
                        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    )
                )
            sub = option.get("options") or []
            if kind == 2 and any(isinstance(s, dict) and s.get("type") != 1 for s in sub):
                errors.append(
                    _err(
                        (*o_path, "options"),
                        "Groups may only hold sub-commands.",
                        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    )
                )
            errors.extend(_check_options(sub, (*o_path, "options"), depth + 1))
            continue
        required = bool(option.get("required"))
        if required and seen_optional:
            errors.append(
                _err(
                    (*o_path, "required"),
                    "Required options must be placed before non-required options.",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                )
            )
        if not required:
            seen_optional = True
        errors.extend(_check_choices(option, o_path))
        _check_bounds(option, o_path, errors)
    return errors


def _check_choices(option: dict[str, Any], path: Path) -> list[FieldError]:
    errors: list[FieldError] = []
    choices = option.get("choices")
    if choices and option.get("autocomplete"):
        errors.append(
            _err(
                (*path, "autocomplete"),
                "autocomplete cannot be set together with choices.",
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
            )
        )
    items = _check_count(errors, (*path, "choices"), choices, COMMAND_CHOICES_MAX, "choices")
    errors.extend(_check_choice_items(items, (*path, "choices"), option.get("type")))
    return errors


def _check_choice_items(items: list[Any], path: Path, option_type: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    for index, choice in enumerate(items):
        if not isinstance(choice, dict):
            continue
        c_path = (*path, index)
        _check_len(
            errors,
            (*c_path, "name"),
            choice.get("name"),
            CHOICE_NAME_MAX,
            minimum=1,
            what="choice name",
        )
        _check_localizations(errors, c_path, choice, names=False)
        value = choice.get("value")
        if isinstance(value, str):
            _check_len(
                errors, (*c_path, "value"), value, CHOICE_STRING_VALUE_MAX, what="choice value"
            )
        expected: tuple[type, ...] | None = (
            {3: (str,), 4: (int,), 10: (int, float)}.get(option_type)
            if isinstance(option_type, int)
            else None
        )
        if expected and (isinstance(value, bool) or not isinstance(value, expected)):
            errors.append(
                _err(
                    (*c_path, "value"),
                    f"choice value {value!r} does not fit option type {option_type}.",
                    "BASE_TYPE_INVALID",
                )
            )
    return errors


def _check_bounds(option: dict[str, Any], path: Path, errors: list[FieldError]) -> None:
    for low_key, high_key, low, high in (
        ("min_length", "max_length", 0, 6000),
        ("min_value", "max_value", None, None),
    ):
        low_v, high_v = option.get(low_key), option.get(high_key)
        for key, val in ((low_key, low_v), (high_key, high_v)):
            if (
                isinstance(val, int | float)
                and low is not None
                and high is not None
                and not (low <= val <= high)
            ):
                errors.append(
                    _err(
                        (*path, key), f"{key} must be between {low} and {high}.", "NUMBER_TYPE_MAX"
                    )
                )
        if isinstance(low_v, int | float) and isinstance(high_v, int | float) and low_v > high_v:
            errors.append(
                _err((*path, low_key), f"{low_key} must not exceed {high_key}.", "NUMBER_TYPE_MAX")
            )


def _command_chars(command: dict[str, Any]) -> int:
    total = _text_len(command.get("name")) + _text_len(command.get("description"))

    def walk(options: list[Any]) -> int:
        count = 0
        for option in options:
            if not isinstance(option, dict):
                continue
            count += _text_len(option.get("name")) + _text_len(option.get("description"))
            for choice in option.get("choices") or []:
                if isinstance(choice, dict):
                    count += _text_len(choice.get("name"))
                    value = choice.get("value")
                    count += len(value) if isinstance(value, str) else len(str(value))
            count += walk(option.get("options") or [])
        return count

    return total + walk(command.get("options") or [])


# --------------------------------------------------------------------------- interactions


def check_interaction_callback(
    body: Any, *, require_allowed_mentions: bool, has_files: bool = False
) -> list[FieldError]:
    if not isinstance(body, dict):
        return []
    kind = body.get("type")
    data = body.get("data")
    if kind == 4:
        return check_message(
            data or {},
            ("data",),
            creating=True,
            require_allowed_mentions=require_allowed_mentions,
            has_files=has_files,
        )
    if kind == 7 and isinstance(data, dict):
        return check_message(
            data, ("data",), creating=False, require_allowed_mentions=require_allowed_mentions
        )
    if kind == 8:
        return check_autocomplete(data, ("data",))
    if kind == 9:
        return check_modal(data, ("data",))
    return []


def check_autocomplete(data: Any, path: Path) -> list[FieldError]:
    errors: list[FieldError] = []
    if not isinstance(data, dict):
        return [_err(path, "Autocomplete results need data.choices.", "BASE_TYPE_REQUIRED")]
    choices = _check_count(
        errors,
        (*path, "choices"),
        data.get("choices"),
        AUTOCOMPLETE_CHOICES_MAX,
        "autocomplete choices",
    )
    errors.extend(_check_choice_items(choices, (*path, "choices"), None))
    return errors


def check_modal(data: Any, path: Path) -> list[FieldError]:
    errors: list[FieldError] = []
    if not isinstance(data, dict):
        return [_err(path, "A modal needs data.", "BASE_TYPE_REQUIRED")]
    _check_len(
        errors, (*path, "title"), data.get("title"), MODAL_TITLE_MAX, minimum=1, what="modal title"
    )
    _check_len(
        errors,
        (*path, "custom_id"),
        data.get("custom_id"),
        CUSTOM_ID_MAX,
        minimum=1,
        what="custom_id",
    )
    components = data.get("components")
    if not isinstance(components, list) or not 1 <= len(components) <= ACTION_ROWS_MAX:
        errors.append(
            _err((*path, "components"), "A modal needs 1 to 5 components.", "BASE_TYPE_BAD_LENGTH")
        )
    return errors


# --------------------------------------------------------------------------- dispatch

BodyChecker = Callable[[Any, bool, bool], list[FieldError]]


def checks_for(operation_id: str) -> BodyChecker | None:
    """The rule checker for an OpenAPI operation id, or ``None``.

    The returned callable takes ``(body, require_allowed_mentions, has_files)``.
    """
    return _CHECKERS.get(operation_id)


def _message_create(body: Any, policy: bool, files: bool) -> list[FieldError]:
    return check_message(body, creating=True, require_allowed_mentions=policy, has_files=files)


def _message_edit(body: Any, policy: bool, files: bool) -> list[FieldError]:
    return check_message(body, creating=False, require_allowed_mentions=policy, has_files=files)


def _callback(body: Any, policy: bool, files: bool) -> list[FieldError]:
    return check_interaction_callback(body, require_allowed_mentions=policy, has_files=files)


def _commands(body: Any, _policy: bool, _files: bool) -> list[FieldError]:
    return check_command_list(body)


def _command(body: Any, _policy: bool, _files: bool) -> list[FieldError]:
    return check_command(body)


def _command_patch(body: Any, _policy: bool, _files: bool) -> list[FieldError]:
    # PATCH carries only changed fields; check what is present with chat-input rules.
    if not isinstance(body, dict):
        return []
    merged = {"name": "placeholder", "description": "placeholder", **body}
    return check_command(merged)


_CHECKERS: dict[str, BodyChecker] = {
    "create_interaction_response": _callback,
    "execute_webhook": _message_create,
    "update_webhook_message": _message_edit,
    "update_original_webhook_message": _message_edit,
    "create_message": _message_create,
    "update_message": _message_edit,
    "bulk_set_application_commands": _commands,
    "bulk_set_guild_application_commands": _commands,
    "create_application_command": _command,
    "create_guild_application_command": _command,
    "update_application_command": _command_patch,
    "update_guild_application_command": _command_patch,
}
