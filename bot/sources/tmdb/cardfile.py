"""Editing a card file in place: the admin's comments, key order, quoting and layout survive
(ruamel.yaml's round trip), and a file is replaced only by a version that passes ``check``.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.cards.errors import CardError
from bot.cards.model import Card
from bot.cards.reader import CARD_KEYS, parse_card

_BLOCK_ITEM = re.compile(r"^(?P<indent> *)- ", re.MULTILINE)


def _yaml_for(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the admin wrote
    # Lists as this file writes them: "cast:\n  - actor" (offset 2) or "cast:\n- actor".
    first = _BLOCK_ITEM.search(text)
    offset = len(first.group("indent")) if first else 2
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    yaml.representer.add_representer(type(None), _null)
    return yaml


def _null(representer: Any, _data: None) -> Any:
    """``null`` as the card contract writes it (ruamel would write nothing at all)."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def flow_map(items: dict[str, Any]) -> CommentedMap:
    """A mapping written on one line: ``{service: Netflix, regions: [US, KR], ...}``."""
    mapping = CommentedMap()
    for key, value in items.items():
        mapping[key] = flow_seq(value) if isinstance(value, list | tuple) else value
    mapping.fa.set_flow_style()
    return mapping


def flow_seq(values: list[Any] | tuple[Any, ...]) -> CommentedSeq:
    seq = CommentedSeq(list(values))
    seq.fa.set_flow_style()
    return seq


class CardDocument:
    """One card's YAML, loaded for editing."""

    def __init__(self, text: str):
        self.original = text
        self._yaml = _yaml_for(text)
        data = self._yaml.load(text)
        if not isinstance(data, CommentedMap):
            raise ValueError("a card is a mapping of keys")
        self.data: CommentedMap = data

    def set(self, key: str, value: Any) -> None:
        """Set a top-level key, keeping its place, or adding it where the card contract lists
        it (after the nearest key that comes before it)."""
        if key in self.data:
            self.data[key] = value
            return
        order = list(CARD_KEYS)
        rank = order.index(key) if key in order else len(order)
        position = 0
        for index, existing in enumerate(self.data):
            if existing in order and order.index(existing) < rank:
                position = index + 1
        self.data.insert(position, key, value)

    def set_cast_field(self, index: int, key: str, value: Any) -> None:
        """Set ``cast[index].key``, right after ``actor`` when it is new."""
        member = self.data["cast"][index]
        if key in member:
            member[key] = value
        else:
            keys = list(member)
            after = keys.index("actor") + 1 if "actor" in keys else len(keys)
            member.insert(after, key, value)

    def replace_streaming(self, keep: Callable[[Any], bool], new: list[CommentedMap]) -> None:
        """Keep the entries ``keep`` accepts, in place, and append ``new`` after them."""
        current = self.data.get("streaming")
        if not isinstance(current, CommentedSeq):
            if not new:
                return
            current = CommentedSeq()
            self.set("streaming", current)
        for index in reversed(range(len(current))):
            if not keep(current[index]):
                del current[index]
        current.extend(new)
        if not current:
            del self.data["streaming"]

    def dump(self) -> str:
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return out.getvalue()


def validated(text: str, path: Path) -> tuple[Card | None, list[CardError]]:
    """The card ``text`` would be at ``path``: what ``drama-bot check`` would say of it."""
    return parse_card(text, str(path), path.stem)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step (a reader sees the old or the new file, never
    half of one), keeping the file's permissions."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
