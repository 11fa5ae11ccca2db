"""The body the store keeps for a card: its JSON, keys sorted and without spaces, whose
SHA-256 is the card's digest, and which decodes to the very card; a body stored by an
earlier version (``json.dumps``' spaces) still decodes to its card."""

from __future__ import annotations

import hashlib
import json

from bot.bench.synthetic import synthetic_cards
from bot.cards.loader import card_body, load_cards
from bot.cards.model import card_from_dict
from bot.catalog.store import decode_rows
from tests.conftest import SHIPPED_CARDS


def test_a_body_is_the_cards_sorted_json_without_spaces() -> None:
    cards = [*synthetic_cards(2_000, seed=5), *load_cards(SHIPPED_CARDS).cards]
    for card in cards:
        body, digest = card_body(card)
        expected = json.dumps(
            card.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        assert body == expected
        assert digest == hashlib.sha256(body.encode()).hexdigest() == card.digest()
        assert card_from_dict(json.loads(body)) == card


def test_a_body_an_earlier_version_stored_still_decodes_to_its_card() -> None:
    cards = load_cards(SHIPPED_CARDS).cards
    rows = []
    for card in cards:
        old = json.dumps(card.to_dict(), sort_keys=True, ensure_ascii=False).encode()
        digest = hashlib.sha256(old).hexdigest().encode()
        rows.append((card.slug.encode(), 1, 2, b"h", digest, old))
    good, bad = decode_rows(rows)
    assert not bad
    assert [row.card for row in good] == cards
