"""The same YAML text reads the same way every time: the tag of each plain scalar is
remembered once resolved (``bot.cards.reader``), so a card read after many others that used
the same words must still see ``yes`` as true/false, ``0x1F`` as a number and ``"2521"`` as
text."""

from __future__ import annotations

from bot.cards.reader import inspect_card

CARD = """\
title: {title}
year: {year}
episodes: {episodes}
cast:
  - actor: Lee Do Hyun
"""


def _errors(title: str, year: str = "2021", episodes: str = "16") -> list[str]:
    text = CARD.format(title=title, year=year, episodes=episodes)
    return [str(e) for e in inspect_card(text, "cards/x.yaml", "x").errors]


def test_a_scalar_reads_the_same_the_first_time_and_after() -> None:
    for _ in range(3):  # cold, then remembered
        assert _errors("yes") == [
            'cards/x.yaml:1: title: expected text, got true/false (put it in quotes, e.g. "2521")'
        ]
        assert _errors('"2521"') == []
        assert _errors("2521") == [
            "cards/x.yaml:1: title: expected text, got a whole number "
            '(put it in quotes, e.g. "2521")'
        ]
        assert _errors("Run On", episodes="0x10") == []
        assert _errors("Run On", year="~") == [
            "cards/x.yaml:2: year: expected a whole number, got nothing (null)"
        ]
