"""Whether the database file the bot opened is still the one at its path, and mending it.

SQLite keeps writing to a file it has open after the file is deleted: the bot serves on,
but everything it writes from then on (a server's ``/settings``, the stored catalog) goes
to a file no path reaches, and is gone when the bot restarts. Round 14 (branch ``serve14``)
found it so through ``drama-bot run`` (a region set after the file was deleted was unset
after a restart) and nothing said it. Now, at each ``/reload`` and when the bot stops, a
deleted file is written again whole at its path (``Store.rewrite_at_path``) and the bot
goes on with it: nothing is lost, and the admin's ``/reload`` report and the log say so. A
file *replaced* by another (a backup put back, say) is left alone and said: it is the
admin's. A file written again by another process sharing the database (a shard that
reloaded first) is followed: the store reopens on it (round 15, branch ``serve15``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3

from bot.catalog.service import CatalogService
from bot.catalog.store import MEMORY

log = logging.getLogger(__name__)


class DatabaseFile:
    """The database file at ``path`` as it was when the bot opened it (or last wrote it)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._identity: tuple[int, int] | None = None
        if path != MEMORY:
            with contextlib.suppress(OSError):  # (not there to watch: the store said why)
                self._identity = _identity(path)

    def lost(self) -> str | None:
        """``"deleted"`` or ``"replaced"`` when the path no longer reaches the file the bot
        opened (None when it does, or the bot serves from memory)."""
        if self._identity is None:
            return None
        try:
            now = _identity(self.path)
        except FileNotFoundError:
            return "deleted"
        except OSError:
            return None  # (unreadable for a moment: said by whatever reads it next)
        return None if now == self._identity else "replaced"

    async def mend(self, service: CatalogService) -> str | None:
        """Write a deleted file again (see the module); what the admin is told:
        ``"rewritten"``, ``"deleted"`` (it could not be), ``"replaced"``, or None."""
        what = self.lost()
        if what == "deleted":
            try:
                await service.rewrite_database()
                self._identity = _identity(self.path)
            except (OSError, sqlite3.Error) as exc:
                log.warning(
                    "the database file %s was deleted while the bot ran and could not be "
                    "written again (%s): what the bot writes now (server settings, the stored "
                    "catalog) is lost when it stops",
                    self.path,
                    exc,
                )
                return what
            log.warning(
                "the database file %s was deleted while the bot ran: written again whole "
                "at its path, nothing lost",
                self.path,
            )
            return "rewritten"
        if what == "replaced" and await _followed(service, self.path):
            log.info(  # (its own process said so too: bot.catalog.store)
                "the database file %s was written again by another process sharing it "
                "(a shard): the bot goes on with it",
                self.path,
            )
            self._identity = service.store.opened_file
            return None
        if what == "replaced":
            log.warning(
                "the database file %s was replaced by another while the bot ran: the bot "
                "goes on with the file it opened; restart it to use the new one",
                self.path,
            )
        return what


async def _followed(service: CatalogService, path: str) -> bool:
    """Whether the store is on the file at ``path`` now: another process sharing the
    database wrote it again there, and the store followed (``Store.follow_rewrite``, also
    done before each of its writes)."""
    await service.store.follow_rewrite()
    try:
        return service.store.opened_file == _identity(path)
    except OSError:
        return False


def _identity(path: str) -> tuple[int, int]:
    found = os.stat(path)
    return found.st_dev, found.st_ino
