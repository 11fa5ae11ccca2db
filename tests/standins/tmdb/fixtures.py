"""pytest fixture for the TMDB stand-in: ``from tests.standins.tmdb.fixtures import tmdb``.

The stand-in runs in its own thread and event loop, so plain (synchronous) tests can run
``drama-bot enrich`` through ``bot.cli.main.main`` against it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import TmdbStandIn


@pytest.fixture
def tmdb() -> Iterator[TmdbStandIn]:
    standin = TmdbStandIn()
    standin.start()
    try:
        yield standin
    finally:
        standin.stop()
