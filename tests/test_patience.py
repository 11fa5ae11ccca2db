"""The e2e tests' bounds stretch with the machine's load (tests/patience.py), within limits."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from tests.patience import MOST, patient


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch) -> Callable[[float, float], None]:
    def set_load(one: float, five: float) -> None:
        monkeypatch.setattr(os, "getloadavg", lambda: (one, five, 0.0))
        monkeypatch.setattr(os, "cpu_count", lambda: 2)

    return set_load


def test_an_idle_machine_keeps_the_bound(load: Callable[[float, float], None]) -> None:
    load(0.3, 1.9)
    assert patient(20.0) == 20.0


def test_a_busy_machine_stretches_it_by_its_load_per_core(
    load: Callable[[float, float], None],
) -> None:
    load(22.0, 14.0)  # "READY within 20 s" failed at load 20+ on 2 cores
    assert patient(20.0) == pytest.approx(220.0)
    load(3.0, 24.0)  # a burst just ended: the 5-minute average still counts
    assert patient(5.0) == pytest.approx(60.0)


def test_a_real_hang_still_fails(load: Callable[[float, float], None]) -> None:
    load(400.0, 400.0)
    assert patient(20.0) == 20.0 * MOST == 300.0
