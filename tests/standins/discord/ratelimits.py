"""Rate-limit headers on every answer, and 429s on demand.

Every response carries ``X-RateLimit-*`` headers like Discord's (a generous bucket, so
discord.py never pre-emptively sleeps). A test can ask that the next N requests matching
a method and path regex get ``429 Too Many Requests`` with ``retry_after`` in the body and
``Retry-After``/``X-RateLimit-*``/``X-RateLimit-Scope`` headers; discord.py sleeps for
``retry_after`` and retries, which the test can then observe.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RateLimitRule:
    """ "Answer the next ``remaining`` requests matching this with 429"."""

    method: str  # "*" for any
    path_regex: re.Pattern[str]
    remaining: int
    retry_after: float
    scope: str = "user"  # "user", "shared" or "global"
    is_global: bool = False
    hits: list[float] = field(default_factory=list)  # monotonic times of the 429s sent

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method.upper())) and bool(self.path_regex.search(path))

    @property
    def exhausted(self) -> bool:
        return self.remaining <= 0


def bucket_hash(route: str) -> str:
    return hashlib.sha1(route.encode()).hexdigest()[:16]


class RateLimiter:
    def __init__(self, limit: int = 50, reset_after: float = 1.0) -> None:
        self.limit = limit
        self.reset_after = reset_after
        self.rules: list[RateLimitRule] = []

    def add(
        self,
        method: str,
        path_regex: str,
        count: int,
        retry_after: float,
        scope: str,
        is_global: bool,
    ) -> RateLimitRule:
        rule = RateLimitRule(
            method=method.upper(),
            path_regex=re.compile(path_regex),
            remaining=count,
            retry_after=retry_after,
            scope=scope,
            is_global=is_global,
        )
        self.rules.append(rule)
        return rule

    def take(self, method: str, path: str) -> RateLimitRule | None:
        """The rule that rate-limits this request (consuming one of its uses), if any."""
        for rule in self.rules:
            if not rule.exhausted and rule.matches(method, path):
                rule.remaining -= 1
                rule.hits.append(time.monotonic())
                return rule
        return None

    def headers(self, route: str) -> dict[str, str]:
        reset = time.time() + self.reset_after
        return {
            "X-RateLimit-Bucket": bucket_hash(route),
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.limit - 1),
            "X-RateLimit-Reset": f"{reset:.3f}",
            "X-RateLimit-Reset-After": f"{self.reset_after:.3f}",
        }

    def limited(self, rule: RateLimitRule, route: str) -> tuple[dict[str, str], dict[str, Any]]:
        """Headers and body of a 429 for ``rule``."""
        headers = {
            "Retry-After": str(max(1, math.ceil(rule.retry_after))),
            "X-RateLimit-Scope": rule.scope,
        }
        if rule.is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers.update(
                {
                    "X-RateLimit-Bucket": bucket_hash(route),
                    "X-RateLimit-Limit": str(self.limit),
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
                    "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
                }
            )
        body = {
            "message": "You are being rate limited.",
            "retry_after": rule.retry_after,
            "global": rule.is_global,
            "code": 0,
        }
        return headers, body
