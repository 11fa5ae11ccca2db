"""A per-user limit on commands: at most ``rate`` in any ``per`` seconds (a sliding window).

One person cannot flood a channel; the limit is checked once per slash command, before it runs.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

# Forget users who have been quiet this long, so the table does not grow without bound.
_PRUNE_EVERY = 1000


class Cooldown:
    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.per = per
        self._clock = clock
        self._recent: dict[int, deque[float]] = {}
        self._hits = 0

    @property
    def tracked_users(self) -> int:
        return len(self._recent)

    @property
    def enabled(self) -> bool:
        return self.rate > 0 and self.per > 0

    def hit(self, user_id: int) -> float:
        """Count one command by ``user_id``: 0.0 when allowed, else the seconds to wait."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        self._hits += 1
        if self._hits % _PRUNE_EVERY == 0:
            self._prune(now)
        recent = self._recent.setdefault(user_id, deque())
        while recent and recent[0] <= now - self.per:
            recent.popleft()
        if len(recent) >= self.rate:
            return recent[0] + self.per - now
        recent.append(now)
        return 0.0

    def _prune(self, now: float) -> None:
        quiet = [
            user for user, times in self._recent.items() if not times or times[-1] <= now - self.per
        ]
        for user in quiet:
            del self._recent[user]
