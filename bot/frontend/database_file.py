"""Whether the database file the bot opened is still the one at its path.

SQLite keeps writing to a file it has open after the file is deleted or replaced: the bot
serves on, but everything it writes from then on (a server's ``/settings``, the stored
catalog) goes to a file no path reaches, and is gone when the bot restarts. Round 14
(branch ``serve14``) found it so through ``drama-bot run`` (a region set after the file was
deleted was unset after a restart) and nothing said it. Now ``/reload`` tells the admin
and the log says it, at each reload and when the bot stops; what to do is theirs
(restart the bot: it builds a new database from the cards; then set /settings again).
"""

from __future__ import annotations

import contextlib
import logging
import os

from bot.catalog.store import MEMORY

log = logging.getLogger(__name__)


class DatabaseFile:
    """The database file at ``path`` as it was when the bot opened it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._identity: tuple[int, int] | None = None
        if path != MEMORY:
            with contextlib.suppress(OSError):  # (not there to watch: the store said why)
                self._identity = _identity(path)

    def lost(self) -> str | None:
        """``"deleted"`` or ``"replaced"`` when the path no longer reaches the file the bot opened
        (None when it does, or the bot serves from memory)."""
        if self._identity is None:
            return None
        try:
            now = _identity(self.path)
        except FileNotFoundError:
            return "deleted"
        except OSError:
            return None  # (unreadable for a moment: said by whatever reads it next)
        return None if now == self._identity else "replaced"

    def warn(self) -> str | None:
        """:meth:`lost`, logged as a warning when it is not None."""
        what = self.lost()
        if what is not None:
            log.warning(
                "the database file %s was %s while the bot ran: what the bot writes now "
                "(server settings, the stored catalog) is lost when it stops; restart it to "
                "build a new database from the cards, then set /settings again",
                self.path,
                what,
            )
        return what


def _identity(path: str) -> tuple[int, int]:
    found = os.stat(path)
    return found.st_dev, found.st_ino
