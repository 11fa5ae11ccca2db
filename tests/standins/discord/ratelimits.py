"""Rate-limit headers on every answer, 429s on demand, and server errors on demand.

Every response carries ``X-RateLimit-*`` headers like Discord's (a generous bucket, so
discord.py never pre-emptively sleeps). A test can ask that the next N requests matching
a method and path regex get ``429 Too Many Requests`` with ``retry_after`` in the body and
``Retry-After``/``X-RateLimit-*``/``X-RateLimit-Scope`` headers; discord.py sleeps for
``retry_after`` and retries, which the test can then observe.

As on Discord, a 429 empties its bucket until ``retry_after`` has passed: the bucket is the
route (method and path template) plus its top-level resource (channel, guild, webhook id and
token; an interaction's id and token likewise), or every route for a global limit. A request
sent into an empty bucket gets another 429 with the time still to wait, and, unless the
limit's scope is ``shared``, is recorded as a violation: Discord counts such requests as
invalid and bans clients that send 10,000 in 10 minutes.

``fail_next`` answers the next N matching requests with a server error (500, 502, 503, 504),
optionally *after* doing what was asked (the answer was lost on the way back, so a retry
meets "already done").
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

#: Path parameters that make a separate bucket (Discord's "top-level resources").
MAJOR_PARAMETERS = (
    "channel_id",
    "guild_id",
    "webhook_id",
    "webhook_token",
    "interaction_id",
    "interaction_token",
)
#: How late a retry may arrive after ``retry_after`` and still count as waiting (clocks).
HOLD_TOLERANCE = 0.02


@dataclass
class Hold:
    """A bucket emptied by a 429, until ``until`` (monotonic)."""

    until: float
    scope: str
    is_global: bool


@dataclass
class FaultRule:
    """ "Answer the next ``remaining`` requests matching this with ``status``"."""

    method: str
    path_regex: re.Pattern[str]
    remaining: int
    status: int
    after_processing: bool
    hits: list[float] = field(default_factory=list)
    #: Answer an HTML page instead of Discord's JSON (what a proxy or captive portal in front
    #: of Discord sends); then ``status`` may also be 200.
    html: bool = False

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method.upper())) and bool(self.path_regex.search(path))


SERVER_ERRORS = {
    500: "500: Internal Server Error",
    502: "502: Bad Gateway",
    503: "503: Service Unavailable",
    504: "504: Gateway Timeout",
}


def bucket_key(method: str, route: str, params: dict[str, str]) -> str:
    major = "+".join(params[name] for name in MAJOR_PARAMETERS if name in params)
    return f"{method.upper()} {route}:{major}"


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
        self.faults: list[FaultRule] = []
        self.holds: dict[str, Hold] = {}

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

    def hold(self, key: str, rule: RateLimitRule) -> None:
        """Empty the bucket ``key`` (or every bucket, for a global limit) for the 429's time."""
        hold = Hold(time.monotonic() + rule.retry_after, rule.scope, rule.is_global)
        self.holds["*" if rule.is_global else key] = hold

    def held(self, key: str) -> Hold | None:
        """The hold still emptying this request's bucket, if any."""
        now = time.monotonic()
        for name in ("*", key):
            hold = self.holds.get(name)
            if hold is not None and hold.until - HOLD_TOLERANCE > now:
                return hold
        return None

    def add_fault(
        self,
        method: str,
        path_regex: str,
        count: int,
        status: int,
        after_processing: bool,
        html: bool = False,
    ) -> FaultRule:
        if status not in SERVER_ERRORS and not (html and status == 200):
            raise ValueError(f"status {status} is not one of {sorted(SERVER_ERRORS)}")
        rule = FaultRule(
            method.upper(), re.compile(path_regex), count, status, after_processing, html=html
        )
        self.faults.append(rule)
        return rule

    def fault(self, method: str, path: str) -> FaultRule | None:
        """The fault rule for this request (consuming one of its uses), if any."""
        for rule in self.faults:
            if rule.remaining > 0 and rule.matches(method, path):
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

    def limited(
        self, rule: RateLimitRule | Hold, route: str
    ) -> tuple[dict[str, str], dict[str, Any]]:
        """Headers and body of a 429 for ``rule`` (or for a request into a held bucket)."""
        if isinstance(rule, Hold):
            rule = RateLimitRule(
                "*",
                re.compile(""),
                0,
                round(max(0.0, rule.until - time.monotonic()), 3),
                rule.scope,
                rule.is_global,
            )
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
