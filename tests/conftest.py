"""Shared fixtures: the shipped catalog, and helpers that write real card files."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog

REPO = Path(__file__).resolve().parent.parent
SHIPPED_CARDS = REPO / "data" / "cards"

RUN_ON_YAML = (SHIPPED_CARDS / "run-on.yaml").read_text("utf-8")


@pytest.fixture(scope="session")
def shipped_catalog() -> Catalog:
    result = load_cards(SHIPPED_CARDS)
    assert result.ok, [str(e) for e in result.errors]
    return Catalog.build(result.cards)


@pytest.fixture
def cards_dir(tmp_path: Path) -> Path:
    """An empty folder of cards."""
    folder = tmp_path / "cards"
    folder.mkdir()
    return folder


WriteCard = Callable[[str, str], Path]


@pytest.fixture
def write_card(cards_dir: Path) -> WriteCard:
    """Write ``<slug>.yaml`` with the given (dedented) YAML text into ``cards_dir``."""

    def write(slug: str, text: str) -> Path:
        path = cards_dir / f"{slug}.yaml"
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
        return path

    return write


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped cards, free to break."""
    folder = tmp_path / "shipped"
    shutil.copytree(SHIPPED_CARDS, folder)
    return folder


def minimal_card(title: str, year: int = 2020, actor: str = "Test Actor", **extra: str) -> str:
    """YAML text of a small valid card."""
    lines = [f"title: {json.dumps(title)}", f"year: {year}", "cast:", f"  - actor: {actor}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"
