"""How a catalog groups credits into actors: spellings an alias links are one person, named by
the spelling most cards use (the first met on a tie), with one credit per drama, newest first.
Cards are real YAML files read by the loader; the catalog is the one a load builds."""

from __future__ import annotations

from pathlib import Path
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cards.loader import load_cards
from bot.cards.model import Card, CastMember
from bot.catalog.snapshot import Catalog
from bot.matching.folding import compact
from bot.text import slugify


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


# -- the grouping against its plain definition, on many small catalogs ---------------------

_NAMES = ["Kim Ji-won", "Kim Jiwon", "Lee Do-hyun", "Lee Do Hyun", "Park Eun-bin", "Han So-hee"]


def _reference(cards: list[Card]) -> dict[str, tuple[str, tuple[str, ...], list, tuple]]:
    """What the grouping means, credit by credit: spellings linked by an alias are one group;
    its name is the spelling most credited (the first met on a tie), its aliases every other
    spelling and alias, its native names in the order met, one credit per drama (the first
    listing), newest first then by slug."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for card in cards:
        for member in card.cast:
            for alias in member.aliases:
                parent[find(compact(alias))] = find(compact(member.actor))
    groups: dict[str, dict] = {}
    for card in cards:
        for billing, member in enumerate(card.cast, start=1):
            group = groups.setdefault(
                find(compact(member.actor)),
                {"counts": {}, "aliases": set(), "native": {}, "credits": {}},
            )
            group["counts"][member.actor] = group["counts"].get(member.actor, 0) + 1
            group["aliases"].update(member.aliases)
            if member.native_name:
                group["native"][member.native_name] = None
            group["credits"].setdefault(card.slug, (card.year, member.role, billing))
    found = {}
    for group in groups.values():
        counts = group["counts"]
        name = max(counts.items(), key=lambda item: item[1])[0]
        credits = sorted(group["credits"].items(), key=lambda item: (-item[1][0], item[0]))
        found[slugify(name) or find(compact(name))] = (
            name,
            tuple(sorted((group["aliases"] | set(counts)) - {name})),
            [(slug, role, billing) for slug, (_, role, billing) in credits],
            tuple(group["native"]),
        )
    return found


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(_NAMES),
                st.sampled_from([None, "Lead", "Friend"]),
                st.lists(st.sampled_from(_NAMES), max_size=2),
                st.sampled_from([None, "김지원", "이도현"]),
            ),
            min_size=1,
            max_size=4,
        ),
        min_size=1,
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_grouping_matches_its_plain_definition(casts: list, random: Random) -> None:
    cards = [
        Card(
            slug=f"show-{number}",
            title=f"Show {number}",
            year=random.choice([2015, 2018, 2020]),
            cast=tuple(
                CastMember(actor, role, tuple(aliases), native)
                for actor, role, aliases, native in cast
            ),
        )
        for number, cast in enumerate(casts)
    ]
    random.shuffle(cards)  # (the build orders cards by title: it must not matter here)
    actors = Catalog.build(cards).actors
    ordered = sorted(cards, key=lambda c: (c.title.casefold(), c.year, c.slug))
    expected = _reference(ordered)
    assert {
        actor.id: (
            actor.name,
            actor.aliases,
            [(c.slug, c.role, c.billing) for c in actor.credits],
            actor.native_names,
        )
        for actor in actors.values()
    } == expected
