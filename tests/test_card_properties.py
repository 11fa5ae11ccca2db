"""The loader's contract is total: any bytes, any YAML tree, any file name becomes a card or
``path:line: key: message`` errors; nothing is raised, by the loader or by `drama-bot check`.

Property-based (hypothesis): the generated inputs include everything YAML can say (huge and
odd numbers, NaN, dates, binary, deep and wide trees, arbitrary Unicode) shaped both freely and
like a card, so the checks deep inside a card are reached too.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cards.errors import CardError
from bot.cards.loader import load_cards
from bot.cards.model import LINK_NAMES, SCORE_NAMES, card_from_dict
from bot.cards.reader import CARD_KEYS
from bot.cli.main import main
from bot.text import UNSAFE_CHARS, is_invisible

PROPERTIES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Digits(str):
    """A number too long for Python's int() (4,300 digits), written into YAML as a plain int."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    Digits, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:int", str(value))
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.builds(
        lambda size, digit, prefix: Digits(prefix + digit * size),
        st.integers(min_value=4000, max_value=6000),
        st.sampled_from("19f"),
        st.sampled_from(["", "-", "0x"]),
    ).filter(lambda d: not d.endswith("f") or d.startswith("0x")),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=80),
    st.sampled_from(["2020", "0x1F", "1_000", "1:30", ".nan", "~", "2026-11-25", "null"]),
    st.dates(min_value=datetime.date(1, 1, 1)),
    st.binary(max_size=20),
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=6),
        st.dictionaries(st.one_of(st.text(max_size=20), st.sampled_from(CARD_KEYS)), children),
    ),
    max_leaves=40,
)
SUB_KEYS = {
    "cast": ("actor", "native_name", "role", "aliases"),
    "streaming": ("service", "regions", "kind", "url", "checked"),
    "ratings": ("scale", *SCORE_NAMES),
    "review": ("source", "url", "reviewer", "headline", "summary", "highlights", "verdict"),
    "links": LINK_NAMES,
    "community_rating": ("source", "score", "scale", "votes", "checked"),
}


@st.composite
def card_shaped(draw: st.DrawFn) -> dict[str, Any]:
    """A mapping with real card keys, real sub-keys and arbitrary values in them."""
    card: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(CARD_KEYS), unique=True, max_size=len(CARD_KEYS))):
        if key in SUB_KEYS:
            inner = st.dictionaries(st.sampled_from(SUB_KEYS[key]), TREES, max_size=5)
            value = draw(st.one_of(inner, st.lists(inner, max_size=3), TREES))
        else:
            value = draw(st.one_of(TREES, st.lists(SCALARS, max_size=4)))
        card[key] = value
    return card


def _dump(tree: Any, unicode: bool) -> str:
    return yaml.dump(tree, Dumper=_Dumper, allow_unicode=unicode, sort_keys=False)


@contextlib.contextmanager
def a_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="drama-bot-prop-") as name:
        yield Path(name)


def assert_well_formed(errors: list[CardError], folder: Path) -> None:
    for error in errors:
        shown = str(error)
        assert "\n" not in shown and "\r" not in shown
        assert shown.startswith(f"{error.path}:{error.line}: ") or error.path != shown[:0]
        assert error.line >= 1 and error.key and error.message
        assert "could not be checked" not in error.message, shown  # the last-resort guard
        assert not UNSAFE_CHARS.search(shown)


def assert_card_is_clean(folder: Path) -> None:
    result = load_cards(folder)
    assert_well_formed([*result.errors, *result.warnings], folder)
    for card in result.cards:
        data = card.to_dict()
        assert card_from_dict(data) == card
        for text in _strings(data):
            assert not UNSAFE_CHARS.search(text), text
            assert not is_invisible(text), repr(text)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def check_in_process(folder: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["check", "--data", str(folder)])
    assert "Traceback" not in err.getvalue()
    return status, out.getvalue()


@PROPERTIES
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_card_or_clear_errors(raw: bytes) -> None:
    with a_folder() as folder:
        (folder / "card.yaml").write_bytes(raw)
        assert_card_is_clean(folder)
        status, out = check_in_process(folder)
        assert status in {0, 1}
        assert all(line.startswith(str(folder)) for line in out.splitlines()[:-1] if line)


@PROPERTIES
@given(st.one_of(TREES, card_shaped()), st.booleans())
def test_any_yaml_tree_is_a_card_or_clear_errors(tree: Any, unicode: bool) -> None:
    with a_folder() as folder:
        (folder / "card.yaml").write_text(_dump(tree, unicode), "utf-8")
        assert_card_is_clean(folder)
        status, _ = check_in_process(folder)
        assert status in {0, 1}


@settings(PROPERTIES, max_examples=50)  # each example writes up to six files
@given(
    st.lists(
        st.tuples(
            st.binary(min_size=1, max_size=24).filter(
                lambda n: b"/" not in n and b"\0" not in n and n not in {b".", b".."}
            ),
            st.sampled_from([b".yaml", b".YAML", b".yml", b".Yml", b"", b".txt"]),
            st.one_of(card_shaped(), TREES),
        ),
        max_size=6,
        unique_by=lambda item: item[0] + item[1],
    )
)
def test_any_folder_of_any_file_names_loads_without_raising(
    files: list[tuple[bytes, bytes, Any]],
) -> None:
    with a_folder() as folder:
        for stem, suffix, tree in files:
            path = os.path.join(os.fsencode(folder), stem + suffix)
            with open(path, "wb") as handle:
                handle.write(_dump(tree, True).encode("utf-8"))
        assert_card_is_clean(folder)
        status, _ = check_in_process(folder)
        assert status in {0, 1}
