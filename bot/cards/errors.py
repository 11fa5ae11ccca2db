"""Problems found in card files, each located by path, line and key.

Three levels: an **error** keeps a card (and a reload) out; a **warning** is probably a mistake
but the card loads (a misspelt network, a file name that does not fit the title); a **note** is
worth knowing (a `similar` title we have no card for).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.redact import redact
from bot.text import shown_safely

Level = Literal["error", "warning", "note"]
ERROR: Level = "error"
WARNING: Level = "warning"
NOTE: Level = "note"


@dataclass(frozen=True, slots=True, order=True)
class CardError:
    """One problem in one card file, located by line and key.

    Printed as ``path:line: key: message``; warnings and notes say so at the start of the
    message (``path:line: key: warning: message``). Whatever came from the file (its name,
    a key) is printed on one line, with control and bidirectional characters escaped, and
    anything shaped like a Discord token in it is masked (:mod:`bot.redact`).
    """

    path: str
    line: int
    key: str
    message: str
    level: Level = ERROR

    def __post_init__(self) -> None:
        # A token pasted into a card (as a value, a key, a file name) is never shown back:
        # not by `check`, `ask`, the reload report or a log line.
        for name in ("path", "key", "message"):
            value = getattr(self, name)
            if (masked := redact(value)) != value:
                object.__setattr__(self, name, masked)

    def __str__(self) -> str:
        prefix = "" if self.level == ERROR else f"{self.level}: "
        return shown_safely(f"{self.path}:{self.line}: {self.key}: {prefix}{self.message}")

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def not_utf8(path: str, raw: bytes, exc: UnicodeDecodeError) -> CardError:
    """A card file whose bytes are not UTF-8, at the line of the first byte that is not; one
    saved as UTF-16 (a byte order mark first, as some Windows editors write) says so."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return CardError(
            path, 1, "file", "is UTF-16 text (it starts with a byte order mark); save it as UTF-8"
        )
    return CardError(path, raw[: exc.start].count(b"\n") + 1, "file", "is not UTF-8 text")
