"""Korean titles typed in Revised Romanization (qa3 #6/#7): every shipped card whose native
title is Hangul is found by that title's romanization, worked out here with ``koroman`` (an
RR romanizer with Korean's sound changes), and by the spellings fans use beside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from koroman import romanize

from bot.catalog.snapshot import Catalog
from tests.answer_helpers import asked, got

CARDS = Path(__file__).resolve().parent.parent / "data" / "cards"

# Where koroman cannot give the title's RR: Hanja (神 is "sin"), and a compound of two words
# (조선 + 로코, "Joseon rom-com") that it reads as one, assimilating n-r to n-n.
BY_HAND = {
    "guardian-the-lonely-and-great-god": "sseulsseulhago challanhasin",
    "the-tale-of-nokdu": "joseon roko nokdujeon",
}


def _romanized(native_title: str) -> str:
    # "시즌2" is a season number: fans type the number, as on the English titles.
    return romanize(re.sub(r"\s*시즌\s*(\d+)", r" \1", native_title))


def _hangul_titled() -> list[tuple[str, str]]:
    rows = []
    for path in sorted(CARDS.glob("*.yaml")):
        # (libyaml's safe loader: collected in every xdist worker)
        card = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        native = card.get("native_title") or ""
        if re.search("[가-힣]", native):
            rows.append((path.stem, BY_HAND.get(path.stem) or _romanized(native)))
    return rows


HANGUL_TITLED = _hangul_titled()


def test_most_shipped_cards_have_a_hangul_title() -> None:
    assert len(HANGUL_TITLED) >= 100


@pytest.mark.parametrize(("slug", "romanized"), HANGUL_TITLED)
def test_a_hangul_titles_romanization_names_its_card(
    shipped_catalog: Catalog, slug: str, romanized: str
) -> None:
    assert got(shipped_catalog, f"/drama {romanized}") == (slug, ()), romanized


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # spaces and hyphens where fans put them
        ("/drama sarangui bulsichak", "crash-landing-on-you"),
        ("/drama sarang-ui bulsichak", "crash-landing-on-you"),
        ("/drama sarangui bul-si-chak", "crash-landing-on-you"),
        ("/drama Sarangui Bulsichak", "crash-landing-on-you"),
        ("/drama nunmurui yeowang", "queen-of-tears"),
        ("/drama nunmului yeowang", "queen-of-tears"),
        ("/drama ojingeo geim", "squid-game"),
        ("/drama ojingeo geim 2", "squid-game-2"),
        ("/drama seulgiroun uisa saenghwal", "hospital-playlist"),
        ("/drama seulgiroun uisasaenghwal 2", "hospital-playlist-2"),
        ("/drama sseulsseulhago challanhasin dokkaebi", "guardian-the-lonely-and-great-god"),
        ("/drama jaebeoljip mangnae adeul", "reborn-rich"),
        ("/drama eungdaphara 1988", "reply-1988"),
        ("/drama seonjae eopgo twieo", "lovely-runner"),
        ("/drama sangsokjadeul", "the-heirs"),
        # eo written o, u for eo, one vowel of a long title
        ("/drama byeoreseo on geudae", "my-love-from-the-star"),
        ("/drama byoreseo on geudae", "my-love-from-the-star"),
        ("/drama sonyeon sidae", "boyhood"),
        ("/drama dongbaekkot pil muryeop", "when-the-camellia-blooms"),
        ("/drama haereul pumeun dal", "moon-embracing-the-sun"),
    ],
)
def test_the_usual_variants_of_a_romanization(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ()), line


def test_ask_json_answers_romanized_titles() -> None:
    rows = asked("/drama sarangui bulsichak", "/cast nunmurui yeowang", "/stream binsenjo")
    assert [row["card"] for row in rows] == ["crash-landing-on-you", "queen-of-tears", "vincenzo"]
