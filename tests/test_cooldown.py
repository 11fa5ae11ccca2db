"""The per-user command limit: a sliding window, per user, with the time left to wait."""

from __future__ import annotations

from bot.frontend.cooldown import Cooldown


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_sixth_command_in_ten_seconds_waits_until_the_first_expires() -> None:
    clock = Clock()
    limit = Cooldown(5, 10.0, clock)
    for _ in range(5):
        assert limit.hit(1) == 0.0
        clock.now += 1.0
    assert limit.hit(1) == 5.0  # the first was at 100, now is 105
    assert limit.hit(2) == 0.0  # other users are not affected
    clock.now = 110.0
    assert limit.hit(1) == 0.0


def test_a_refused_command_does_not_extend_the_wait() -> None:
    clock = Clock()
    limit = Cooldown(1, 10.0, clock)
    assert limit.hit(7) == 0.0
    clock.now += 4
    assert limit.hit(7) == 6.0
    clock.now += 6
    assert limit.hit(7) == 0.0


def test_zero_turns_the_limit_off() -> None:
    limit = Cooldown(0, 10.0)
    assert all(limit.hit(1) == 0.0 for _ in range(100))


def test_quiet_users_are_forgotten() -> None:
    clock = Clock()
    limit = Cooldown(5, 10.0, clock)
    for user in range(2000):
        limit.hit(user)
    clock.now += 60
    for _ in range(1000):
        limit.hit(99999)
    assert limit.tracked_users <= 2
