"""Validate JSON bodies against schemas inside the OpenAPI document with ``jsonschema``.

``$ref`` pointers (``#/components/schemas/...``) are resolved inside the document by
registering the whole document as one resource. Union bodies (``anyOf``/``oneOf``, such as
the interaction callback) are narrowed by their ``type`` discriminator when one exists;
the reported error is picked by jsonschema's best-match ranking
(``jsonschema.exceptions.relevance``) with a branch-aware descent into unions (see
``_deepest_best_match`` for why ``best_match``'s own descent is not used as is).

Relaxations (documented, deliberate):

* ``SnowflakeType`` also accepts non-negative integers in *requests*: Discord accepts
  integer ids and discord.py sends some (e.g. ``allowed_mentions.users``) as ``int``.
  Responses produced by the stand-in are checked against the strict string form.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, relevance
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .spec import OpenAPISpec

_DOC_URI = "urn:discord-openapi"
#: How many bodies' verdicts a validator remembers (then it starts again).
VERDICTS_KEPT = 2048


@dataclass(frozen=True)
class FieldError:
    """One failure: where (JSON path inside the body) and what.

    ``blocking`` errors make the stand-in answer 400 like Discord; non-blocking ones
    (project policy such as "always send allowed_mentions") are only recorded.
    ``discord_code`` overrides the top-level error code (default 50035 Invalid Form Body).
    """

    path: tuple[str | int, ...]
    message: str
    keyword: str
    code: str
    blocking: bool = True
    discord_code: int | None = None

    @property
    def json_path(self) -> str:
        return format_json_path(self.path)

    def __str__(self) -> str:
        return f"{self.json_path}: {self.message}"


def format_json_path(path: Iterable[str | int]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


_KEYWORD_CODES = {
    "maxLength": "BASE_TYPE_BAD_LENGTH",
    "minLength": "BASE_TYPE_BAD_LENGTH",
    "maxItems": "BASE_TYPE_MAX_LENGTH",
    "minItems": "BASE_TYPE_MIN_LENGTH",
    "required": "BASE_TYPE_REQUIRED",
    "type": "BASE_TYPE_INVALID",
    "enum": "BASE_TYPE_CHOICES",
    "const": "BASE_TYPE_CHOICES",
    "pattern": "STRING_TYPE_REGEX",
    "maximum": "NUMBER_TYPE_MAX",
    "minimum": "NUMBER_TYPE_MIN",
    "uniqueItems": "BASE_TYPE_UNIQUE",
    "maxProperties": "BASE_TYPE_MAX_LENGTH",
}


class SchemaValidator:
    """Validates instances against JSON pointers into one OpenAPI document."""

    def __init__(self, spec: OpenAPISpec, *, relax_snowflakes: bool) -> None:
        document = spec.document
        if relax_snowflakes:
            document = copy.deepcopy(document)
            schemas = document.get("components", {}).get("schemas", {})
            if "SnowflakeType" in schemas:
                strict = schemas["SnowflakeType"]
                schemas["SnowflakeType"] = {
                    "anyOf": [strict, {"type": "integer", "minimum": 0}],
                }
        self._spec = spec
        self._document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry: Registry = Registry().with_resource(_DOC_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}
        self._verdicts: dict[tuple[str, str], tuple[FieldError, ...]] = {}

    def _validator(self, pointer: str) -> Draft202012Validator:
        validator = self._validators.get(pointer)
        if validator is None:
            schema = {"$ref": f"{_DOC_URI}{pointer}"}
            validator = Draft202012Validator(schema, registry=self._registry)
            self._validators[pointer] = validator
        return validator

    def schema_at(self, pointer: str) -> Any:
        node: Any = self._document
        for token in pointer.lstrip("#").split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def validate(self, pointer: str, instance: Any) -> list[FieldError]:
        """Return the failures of ``instance`` against the schema at ``pointer``.

        For a union schema the alternatives whose ``type`` discriminator matches the
        instance are tried; the reported error is the best match among them. A body seen
        before (the same JSON text, keys in the same order) gets the verdict it got then: the
        verdict depends on nothing else, and every bot started in a test process sends the
        same command sync (its validation was most of the e2e suite's CPU, round 15).
        """
        key = (pointer, json.dumps(instance))
        verdict = self._verdicts.get(key)
        if verdict is None:
            if len(self._verdicts) >= VERDICTS_KEPT:
                self._verdicts.clear()
            verdict = self._verdicts[key] = tuple(self._validate(pointer, instance))
        return list(verdict)

    def _validate(self, pointer: str, instance: Any) -> list[FieldError]:
        narrowed = self._narrow_union(pointer, instance)
        if narrowed is not None:
            if not narrowed:
                return [self._no_alternative_error(pointer, instance)]
            errors: list[ValidationError] = []
            for alternative in narrowed:
                alt_errors = list(self._validator(alternative).iter_errors(instance))
                if not alt_errors:
                    return []
                errors.extend(alt_errors)
            return [self._to_field_error(_deepest_best_match(errors))]
        errors = list(self._validator(pointer).iter_errors(instance))
        if not errors:
            return []
        return [self._to_field_error(_deepest_best_match(errors))]

    def _narrow_union(self, pointer: str, instance: Any) -> list[str] | None:
        """Pointers of the union alternatives whose ``type`` enum admits ``instance``.

        ``None`` when the schema at ``pointer`` is not a discriminated union.
        """
        pointer, schema = self._deref_pointer(pointer)
        key = "anyOf" if "anyOf" in schema else "oneOf" if "oneOf" in schema else None
        if key is None or not isinstance(instance, dict) or "type" not in instance:
            return None
        candidates: list[str] = []
        discriminated = False
        for index in range(len(schema[key])):
            alt_pointer, resolved = self._deref_pointer(f"{pointer}/{key}/{index}")
            enum = resolved.get("properties", {}).get("type", {}).get("enum")
            if enum is None:
                continue
            discriminated = True
            if instance["type"] in enum:
                candidates.append(alt_pointer)
        return candidates if discriminated else None

    def _deref_pointer(self, pointer: str) -> tuple[str, dict[str, Any]]:
        schema = self.schema_at(pointer)
        for _ in range(20):
            if not (isinstance(schema, dict) and "$ref" in schema):
                break
            pointer = schema["$ref"]
            schema = self.schema_at(pointer)
        return pointer, schema if isinstance(schema, dict) else {}

    def _deref(self, schema: Any) -> dict[str, Any]:
        for _ in range(20):
            if not (isinstance(schema, dict) and "$ref" in schema):
                break
            schema = self.schema_at(schema["$ref"])
        return schema if isinstance(schema, dict) else {}

    def _no_alternative_error(self, pointer: str, instance: dict[str, Any]) -> FieldError:
        schema = self._deref(self.schema_at(pointer))
        allowed: list[Any] = []
        for alternative in schema.get("anyOf") or schema.get("oneOf") or []:
            allowed.extend(
                self._deref(alternative).get("properties", {}).get("type", {}).get("enum", [])
            )
        return FieldError(
            path=("type",),
            message=f"{instance.get('type')!r} is not one of {sorted(set(allowed))}",
            keyword="enum",
            code="BASE_TYPE_CHOICES",
        )

    @staticmethod
    def _to_field_error(error: ValidationError) -> FieldError:
        keyword = str(error.validator)
        return FieldError(
            path=tuple(error.absolute_path),
            message=describe_error(error),
            keyword=keyword,
            code=_KEYWORD_CODES.get(keyword, "BASE_TYPE_INVALID"),
        )


def _deepest_best_match(errors: list[ValidationError]) -> ValidationError:
    """The error to report: jsonschema's best-match ranking, with a better union descent.

    The top-level pick is ``jsonschema.exceptions.best_match``'s own first step (the most
    ``relevance``-ranked error). ``best_match`` then descends into ``anyOf``/``oneOf``
    context by depth alone, which for Discord's discriminated unions often lands in the
    wrong branch (e.g. "type must be 10" for a string select whose custom_id is too long)
    or stops at the union when branches tie. Instead, each union's failing branches are
    scored (recursively): an error saying the instance is the wrong JSON type for the
    branch, or that its ``type`` discriminator does not match, costs 100, any other leaf
    error 1. The cheapest branch is the one the caller most likely meant; its most
    relevant error is reported. A union of constants (e.g. allowed_mentions.parse items)
    is reported as one "must be one of [...]" error.
    """
    best = max(errors, key=relevance)
    while best.context:
        branches = _branches(best)
        constants = _union_of_constants(branches)
        if constants is not None:
            return ValidationError(
                f"{best.instance!r} is not one of {constants}",
                validator="enum",
                validator_value=constants,
                instance=best.instance,
                path=best.absolute_path,
            )
        chosen = min(branches, key=_branch_cost)
        best = max(chosen, key=relevance)
    return best


def _union_of_constants(branches: list[list[ValidationError]]) -> list[Any] | None:
    allowed: list[Any] = []
    for branch in branches:
        if len(branch) != 1 or list(branch[0].relative_path):
            return None
        error = branch[0]
        if error.validator == "const":
            allowed.append(error.validator_value)
        elif error.validator == "enum":
            allowed.extend(error.validator_value)
        elif error.validator == "type" and error.validator_value == "null":
            continue
        else:
            return None
    return allowed or None


def _branches(error: ValidationError) -> list[list[ValidationError]]:
    grouped: dict[Any, list[ValidationError]] = defaultdict(list)
    for sub in error.context:
        branch = sub.relative_schema_path[0] if sub.relative_schema_path else None
        grouped[branch].append(sub)
    return list(grouped.values())


def _branch_cost(errors: list[ValidationError]) -> int:
    return sum(_error_cost(error) for error in errors)


def _error_cost(error: ValidationError) -> int:
    path = list(error.relative_path)
    if not path and error.validator == "type":
        return 100
    if path == ["type"] and error.validator in ("enum", "const"):
        return 100
    if error.context:
        return min(_branch_cost(branch) for branch in _branches(error))
    return 1


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_error(error: ValidationError) -> str:
    """A short, Discord-flavoured message for a jsonschema error (no huge instance dumps)."""
    keyword = error.validator
    limit = error.validator_value
    instance = error.instance
    size = len(instance) if isinstance(instance, str | list | dict) else None
    if keyword == "maxItems":
        return f"Must be {limit} or fewer in length (got {size} items)."
    if keyword == "minItems":
        return f"Must be {limit} or more in length (got {size} items)."
    if keyword == "maxLength":
        return f"Must be {limit} or fewer in length (got {size} characters)."
    if keyword == "minLength":
        return f"Must be {limit} or more in length (got {size} characters)."
    if keyword == "maxProperties":
        return f"Must have {limit} or fewer entries (got {size})."
    if keyword in ("enum", "const"):
        allowed = limit if isinstance(limit, list) else [limit]
        return f"Value must be one of {allowed} (got {_short(instance)})."
    if keyword == "type":
        return f"Expected type {limit}, got {type(instance).__name__} {_short(instance)}."
    if keyword == "pattern":
        return f"String value {_short(instance)} did not match validation regex {limit!r}."
    if keyword in ("maximum", "minimum"):
        word = "less" if keyword == "maximum" else "greater"
        return f"Value must be {word} than or equal to {limit} (got {_short(instance)})."
    if keyword == "uniqueItems":
        return "Items must be unique."
    if keyword == "additionalProperties":
        return f"Unexpected properties: {error.message}"
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."


_SHARED: dict[tuple[int, bool], SchemaValidator] = {}


def shared_validator(spec: OpenAPISpec, *, relax_snowflakes: bool) -> SchemaValidator:
    """One validator per (spec, mode) per process: building one copies the whole document."""
    key = (id(spec), relax_snowflakes)
    validator = _SHARED.get(key)
    if validator is None:
        validator = _SHARED[key] = SchemaValidator(spec, relax_snowflakes=relax_snowflakes)
    return validator


def errors_object(errors: Iterable[FieldError]) -> dict[str, Any]:
    """Build Discord's nested ``errors`` object from field errors.

    ``data.embeds[0].fields`` becomes
    ``{"data": {"embeds": {"0": {"fields": {"_errors": [...]}}}}}``.
    """
    root: dict[str, Any] = {}
    for error in errors:
        node = root
        for part in error.path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": error.code, "message": error.message})
    return root
