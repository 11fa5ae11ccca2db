"""CPython's own count of its small-object arenas (``bot.catalog.arenas``, where the catalog's
sealing reads the same report; kept here for the bench, its scripts and tests)."""

from __future__ import annotations

from bot.catalog.arenas import arenas, malloc_stats

__all__ = ["arenas", "malloc_stats"]
