"""Run the suite in another order: an opt-in pytest plugin for the flake hunt (``-p tests.order``).

``DRAMA_BOT_TEST_ORDER=reverse`` runs the tests last to first, ``shuffle:SEED`` in an order
drawn from SEED (the same on every xdist worker, as xdist requires). A test that fails only in
another order depends on what an earlier test left behind (docs/testing.md, "The flake hunt").
Nothing is reordered unless the plugin is named on the command line.
"""

from __future__ import annotations

import os
import random

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    order = os.environ.get("DRAMA_BOT_TEST_ORDER", "")
    if order == "reverse":
        items.reverse()
    elif order.startswith("shuffle:"):
        random.Random(order.removeprefix("shuffle:")).shuffle(items)
    elif order:
        raise pytest.UsageError(f"DRAMA_BOT_TEST_ORDER={order!r}: use reverse or shuffle:SEED")
