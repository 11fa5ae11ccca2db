"""A long title shown in a select menu or an autocomplete choice keeps its year: the year is
what tells a drama from its remake of the same name (branch polish10; before, the year was
cut off with the end of the title)."""

from __future__ import annotations

from bot.answering.escaping import cut_label

LONG = "The Extremely Long Chronicle of " + " ".join(["Endless Rainy Afternoons"] * 6)


def test_a_long_titles_label_keeps_its_year() -> None:
    shown = cut_label(f"{LONG} (2022)", 100)
    assert len(shown) <= 100 and shown.endswith("… (2022)")
    assert LONG.startswith(shown.removesuffix("… (2022)"))
    # short labels, and labels with no year (actors), are as before
    assert cut_label("Run On (2020)", 100) == "Run On (2020)"
    assert cut_label("x " * 80, 100).endswith("…") and len(cut_label("x " * 80, 100)) <= 100
