"""An empty catalog is what a service holds before its first load, made on the event loop: it
must cost nothing there. The common-words list (wordfreq: an import and a word list, about
0.15 s) loads with the first catalog that has names, in the build's worker thread."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import sys
from bot.catalog.snapshot import Catalog
from bot.cards.model import Card, CastMember
Catalog.build([])
print("empty", "wordfreq" in sys.modules)
Catalog.build([Card("run-on", "Run On", 2020, (CastMember("Im Si Wan"),))])
print("built", "wordfreq" in sys.modules)
"""


def test_an_empty_catalog_does_not_load_the_common_words_but_a_real_one_does() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == ["empty False", "built True"]
