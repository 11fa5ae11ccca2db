"""An empty catalog is what a service holds before its first load, made on the event loop: it
must cost nothing there. The common-words lists (wordfreq's, about
0.03 s) load with the first catalog that has names, in the build's worker thread."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

PROBE = """
from bot.catalog.snapshot import Catalog
from bot.cards.model import Card, CastMember
from bot.matching.common_words import loaded
Catalog.build([])
print("empty", loaded())
Catalog.build([Card("run-on", "Run On", 2020, (CastMember("Im Si Wan"),))])
print("built", loaded())
"""


def test_an_empty_catalog_does_not_load_the_common_words_but_a_real_one_does() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == ["empty False", "built True"]


KEEP = """
import pickle, sys
from bot.catalog import derived
from bot.catalog.snapshot import Catalog
from bot.cards.model import Card, CastMember
catalog = Catalog.build([Card("run-on", "Run On", 2020, (CastMember("Im Si Wan"),))])
head, parts = derived.encode("print", catalog)
pickle.dump((head, parts, catalog.cards), sys.stdout.buffer)
"""

ASSEMBLE = """
import json, pickle, sys
from bot.catalog import derived
from bot.catalog.snapshot import Catalog
from bot.matching.common_words import loaded
head, parts, cards = pickle.load(sys.stdin.buffer)
built = derived.decode(parts, json.loads(head)["sha256"], list(cards.values()))
print("decoded", loaded())
catalog = Catalog.assembled(cards, built)
print("assembled", catalog is not None and loaded())
"""


def test_a_catalog_read_back_from_the_database_loads_the_common_words() -> None:
    """A warm start assembles the catalog in a worker thread: the word list loads there, not
    on the event loop at the first query that needs it."""
    kept = subprocess.run(
        [sys.executable, "-c", KEEP], cwd=REPO, capture_output=True, check=True
    ).stdout
    done = subprocess.run(
        [sys.executable, "-c", ASSEMBLE],
        cwd=REPO,
        input=kept,
        capture_output=True,
        check=True,
    )
    assert done.stdout.decode().split("\n")[:2] == ["decoded False", "assembled True"]
