"""How a catalog groups credits into actors: spellings an alias links are one person, named by
the spelling most cards use (the first met on a tie), with one credit per drama, newest first.
Cards are real YAML files read by the loader; the catalog is the one a load builds."""

from __future__ import annotations

from pathlib import Path

from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog


def _card(folder: Path, slug: str, title: str, year: int, cast: str) -> None:
    (folder / f"{slug}.yaml").write_text(
        f"title: {title}\nyear: {year}\ngenres: [drama]\ncast:\n{cast}", encoding="utf-8"
    )


def _catalog(folder: Path) -> Catalog:
    loaded = load_cards(folder)
    assert loaded.ok, loaded.errors
    return Catalog.build(loaded.cards)


def test_linked_spellings_are_one_actor_named_as_most_cards_credit_them(tmp_path: Path) -> None:
    # Credited "Park Seo-jun" twice and "Park Seo Joon" three times; one card's credit
    # names the other spelling as an alias, which links them.
    _card(tmp_path, "first-light", "First Light", 2015, "  - actor: Park Seo-jun\n")
    _card(tmp_path, "river-song", "River Song", 2018, "  - actor: Park Seo Joon\n")
    _card(
        tmp_path,
        "night-market",
        "Night Market",
        2021,
        "  - actor: Park Seo Joon\n    aliases: [Park Seo-jun]\n    native_name: 박서준\n",
    )
    _card(tmp_path, "cold-harbor", "Cold Harbor", 2019, "  - actor: Park Seo-jun\n")
    _card(tmp_path, "late-bloom", "Late Bloom", 2023, "  - actor: Park Seo Joon\n")
    actors = _catalog(tmp_path).actors
    assert len(actors) == 1
    (actor,) = actors.values()
    assert actor.name == "Park Seo Joon"
    assert actor.aliases == ("Park Seo-jun",)
    assert actor.native_names == ("박서준",)
    assert [c.slug for c in actor.credits] == [
        "late-bloom",
        "night-market",
        "cold-harbor",
        "river-song",
        "first-light",
    ]


def test_a_tie_goes_to_the_spelling_met_first_and_a_drama_is_credited_once(
    tmp_path: Path,
) -> None:
    # Two spellings used twice each, linked by an alias; the cards are read in file-name
    # order, so "a-..." meets "Kim Go-eun" first. One card lists the person twice.
    _card(
        tmp_path,
        "a-quiet-year",
        "A Quiet Year",
        2016,
        "  - actor: Kim Go-eun\n    role: Ha-na\n  - actor: Kim Go Eun\n    role: Ha-na again\n",
    )
    _card(tmp_path, "b-side", "B Side", 2020, "  - actor: Kim Go Eun\n    aliases: [Kim Go-eun]\n")
    _card(tmp_path, "c-street", "C Street", 2020, "  - actor: Kim Go-eun\n")
    _card(tmp_path, "d-day", "D Day", 2012, "  - actor: Lee Min-ho\n")
    actors = _catalog(tmp_path).actors
    assert sorted(a.name for a in actors.values()) == ["Kim Go-eun", "Lee Min-ho"]
    kim = next(a for a in actors.values() if a.name == "Kim Go-eun")
    assert kim.aliases == ("Kim Go Eun",)
    # one credit per drama (the first listing, as billed), newest first then by slug
    assert [(c.slug, c.role, c.billing) for c in kim.credits] == [
        ("b-side", None, 1),
        ("c-street", None, 1),
        ("a-quiet-year", "Ha-na", 1),
    ]
