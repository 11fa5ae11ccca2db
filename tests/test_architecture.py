"""Layers import only downward, and nothing below the front ends imports discord.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"

# Bottom to top. A module may import its own layer and the layers before it.
LAYERS = (
    "process_caches",
    "text",
    "redact",
    "crash_trace",
    "config",
    "cards",
    "matching",
    "catalog",
    "answering",
    "sources",
    "bench",
)
FRONT_ENDS = ("frontend", "cli")


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
    return found


MODULES = sorted(p for p in BOT.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(BOT)))
def test_imports_point_down_the_layers(path: Path) -> None:
    own = path.relative_to(BOT).parts[0].removesuffix(".py")
    if own in FRONT_ENDS or own in {"__init__", "__main__"}:
        return
    assert own in LAYERS, f"{own} is not a known layer; add it to LAYERS"
    for module, line in _imports(path):
        if module.split(".")[0] == "discord":
            pytest.fail(f"{path.name}:{line} imports discord.py below the front end")
        if not module.startswith("bot.") or module == "bot":
            continue
        target = _layer(module)
        assert target not in FRONT_ENDS, f"{path.name}:{line}: {module} is a front end"
        assert LAYERS.index(target) <= LAYERS.index(own), (
            f"{path.relative_to(BOT)}:{line} imports {module}, a layer above {own}"
        )


def test_every_package_folder_is_a_known_layer() -> None:
    folders = {p.name for p in BOT.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert folders <= set(LAYERS) | set(FRONT_ENDS)


REPO = BOT.parent


def _table_packages(text: str, heading: str) -> list[str]:
    """The `bot/...` names in the first column of the table under ``heading``, in order."""
    section = text.split(heading, 1)[1]
    names = []
    for line in section.splitlines():
        if line.startswith("| `bot/"):
            names.append(line.split("`")[1].removeprefix("bot/").removesuffix("/"))
        elif names and not line.startswith("|"):
            break
    return [name.removesuffix(".py") for name in names]


@pytest.mark.parametrize(
    ("document", "heading"),
    [("README.md", "## How it works"), ("docs/architecture.md", "# Architecture")],
)
def test_the_docs_list_the_layers_bottom_up(document: str, heading: str) -> None:
    """Both tables say each package imports only the ones above it, so their rows are in
    LAYERS order, front ends last."""
    listed = _table_packages((REPO / document).read_text("utf-8"), heading)
    order = [*LAYERS, *FRONT_ENDS]
    assert set(order) <= set(listed), sorted(set(order) - set(listed))
    layers = [name for name in listed if name in order]
    assert layers == order, layers


def test_readme_names_each_dependency_once() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Dependencies, and why", 1)[1]
    named = [name.lower() for name in re.findall(r"\*\*([A-Za-z0-9_.-]+)\*\*", section)]
    repeated = sorted({name for name in named if named.count(name) > 1})
    assert repeated == []


# Names of discord.py's that the front end may not reach into (round 13: it set
# ``interaction.response._response_type``, which a discord.py release may rename or drop).
def _private_attributes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Attribute) or not re.match(r"_[a-z]", node.attr):
            continue
        owner = ast.unparse(node.value)
        if owner not in ("self", "cls"):  # (our own classes' private parts)
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_front_end_uses_no_private_attribute_of_discord_objects() -> None:
    paths = sorted((BOT / "frontend").rglob("*.py"))
    assert paths
    assert [hit for path in paths for hit in _private_attributes(path)] == []
