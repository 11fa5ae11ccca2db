"""Loading Discord's OpenAPI description and finding the operation for a request.

The document ships with the tests in ``openapi/`` beside this file (MIT-licensed, copied from
discord/discord-api-spec; ``openapi/SOURCE.txt`` names the commit). ``DISCORD_OPENAPI_SPEC``
may point at another copy, e.g. a newer one to try.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPEC_ENV_VAR = "DISCORD_OPENAPI_SPEC"
SHIPPED_SPEC = Path(__file__).resolve().parent / "openapi" / "openapi.json"
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def find_spec_file() -> Path:
    """Return the path of ``openapi.json`` or raise ``FileNotFoundError``."""
    override = os.environ.get(SPEC_ENV_VAR)
    if override:
        path = Path(override)
        if not path.is_file():
            raise FileNotFoundError(f"{SPEC_ENV_VAR}={override!r} is not a file")
        return path
    if not SHIPPED_SPEC.is_file():
        raise FileNotFoundError(f"Discord OpenAPI description missing: {SHIPPED_SPEC}")
    return SHIPPED_SPEC


@dataclass(frozen=True)
class Operation:
    """One method of one path template in the OpenAPI document."""

    method: str
    template: str
    operation_id: str
    pointer: str  # JSON pointer of the operation object inside the document
    definition: dict[str, Any] = field(repr=False, compare=False)

    @property
    def auth_optional(self) -> bool:
        """True when the spec lists an empty security requirement (no token needed)."""
        return any(not req for req in self.definition.get("security", []))

    def request_schema_pointer(self, media_type: str = "application/json") -> str | None:
        body = self.definition.get("requestBody")
        if not body or media_type not in body.get("content", {}):
            return None
        return f"{self.pointer}/requestBody/content/{_escape(media_type)}/schema"

    @property
    def body_required(self) -> bool:
        return bool(self.definition.get("requestBody", {}).get("required"))

    def response_schema_pointer(self, status: int) -> str | None:
        responses = self.definition.get("responses", {})
        entry = responses.get(str(status))
        if entry is None or "$ref" in entry:
            return None
        if "application/json" not in entry.get("content", {}):
            return None
        return f"{self.pointer}/responses/{status}/content/application~1json/schema"

    def documented_statuses(self) -> set[str]:
        return set(self.definition.get("responses", {}))


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@dataclass
class _Template:
    template: str
    regex: re.Pattern[str]
    literal_segments: int
    operations: dict[str, Operation]


class OpenAPISpec:
    """The parsed document plus a path-template index."""

    def __init__(self, document: dict[str, Any], source: Path | None = None) -> None:
        self.document = document
        self.source = source
        self.base_path = "/api/v10"
        servers = document.get("servers") or []
        if servers:
            url = servers[0].get("url", "")
            match = re.match(r"^[a-z]+://[^/]+(?P<path>/.*)?$", url)
            if match and match.group("path"):
                self.base_path = match.group("path").rstrip("/")
        self._templates: list[_Template] = []
        for template, item in document.get("paths", {}).items():
            ops: dict[str, Operation] = {}
            for method in _HTTP_METHODS:
                if method in item:
                    ops[method.upper()] = Operation(
                        method=method.upper(),
                        template=template,
                        operation_id=item[method].get("operationId", f"{method} {template}"),
                        pointer=f"#/paths/{_escape(template)}/{method}",
                        definition=item[method],
                    )
            self._templates.append(
                _Template(
                    template=template,
                    regex=_template_regex(template),
                    literal_segments=sum(
                        1 for seg in template.split("/") if seg and "{" not in seg
                    ),
                    operations=ops,
                )
            )
        # Literal segments win over parameters: /applications/@me before /applications/{id}.
        self._templates.sort(key=lambda t: -t.literal_segments)

    @property
    def title(self) -> str:
        info = self.document.get("info", {})
        return f"{info.get('title', 'Discord API')} v{info.get('version', '?')}"

    def match(self, method: str, path: str) -> tuple[Operation | None, dict[str, str], bool]:
        """Find the operation for ``method`` on ``path`` (path without the /api/vN prefix).

        Returns ``(operation, path_params, path_known)``; ``path_known`` tells whether the
        path template exists at all (so a wrong method can be told from an unknown path).
        """
        path_known = False
        for tpl in self._templates:
            found = tpl.regex.fullmatch(path)
            if not found:
                continue
            path_known = True
            op = tpl.operations.get(method.upper())
            if op is not None:
                return op, found.groupdict(), True
        return None, {}, path_known

    def resolve_pointer(self, pointer: str) -> Any:
        node: Any = self.document
        for token in pointer.lstrip("#").split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node


def _template_regex(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    for piece in re.split(r"(\{[^}]+\})", template):
        if piece.startswith("{") and piece.endswith("}"):
            parts.append(f"(?P<{piece[1:-1]}>[^/]+)")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


@functools.lru_cache(maxsize=4)
def _load(path: str) -> OpenAPISpec:
    with open(path, encoding="utf-8") as handle:
        return OpenAPISpec(json.load(handle), Path(path))


def load_spec(path: Path | str | None = None) -> OpenAPISpec:
    """Load (and cache per process) the OpenAPI description."""
    return _load(str(Path(path) if path is not None else find_spec_file()))
