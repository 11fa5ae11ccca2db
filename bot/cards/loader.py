"""Loading a folder of card files: reading each file, then checking the cards against each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.cards.errors import CardError
from bot.cards.model import Card
from bot.cards.reader import CARD_SUFFIX, parse_card
from bot.text import slugify

MAX_CARD_BYTES = 256 * 1024


@dataclass(slots=True)
class LoadResult:
    """Every card that validated, and every error found. ``ok`` only when there are no errors."""

    cards: list[Card] = field(default_factory=list)
    errors: list[CardError] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def read_card_file(path: Path, shown: str | None = None) -> tuple[Card | None, list[CardError]]:
    """Read one card file from disk; ``shown`` is the path as errors should print it."""
    name = shown or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CARD_BYTES:
            return None, [
                CardError(
                    name, 1, "file", f"is {size} bytes; a card may be at most {MAX_CARD_BYTES}"
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [CardError(name, 1, "file", f"cannot be read: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [CardError(name, line, "file", "is not UTF-8 text")]
    return parse_card(text, name, path.stem)


def load_cards(directory: Path) -> LoadResult:
    """Read and validate every card in a folder, then check the cards against each other."""
    result = LoadResult()
    if not directory.is_dir():
        result.errors.append(CardError(str(directory), 1, "data", "is not a folder of cards"))
        return result
    for path in sorted(directory.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix == ".yml" or (path.suffix == CARD_SUFFIX and not path.is_file()):
            result.errors.append(
                CardError(str(path), 1, "file", f"cards must be files named <slug>{CARD_SUFFIX}")
            )
            continue
        if path.suffix != CARD_SUFFIX:
            continue
        result.files += 1
        card, errors = read_card_file(path)
        result.errors.extend(errors)
        if card is not None:
            result.cards.append(card)
    result.errors.extend(_cross_card_errors(result.cards, directory))
    if result.errors:
        bad = {Path(e.path).stem for e in result.errors}
        result.cards = [c for c in result.cards if c.slug not in bad]
    result.errors.sort()
    return result


def _cross_card_errors(cards: list[Card], directory: Path) -> list[CardError]:
    errors: list[CardError] = []
    by_slug: dict[str, Card] = {}
    by_title: dict[tuple[str, int], Card] = {}
    for card in cards:
        path = str(directory / f"{card.slug}{CARD_SUFFIX}")
        if card.slug.casefold() in by_slug:
            other = by_slug[card.slug.casefold()]
            errors.append(
                CardError(path, 1, "slug", f"duplicates the slug of {other.slug}{CARD_SUFFIX}")
            )
        by_slug[card.slug.casefold()] = card
        key = (slugify(card.title), card.year)
        if key in by_title:
            other = by_title[key]
            for first, second in ((card, other), (other, card)):
                errors.append(
                    CardError(
                        str(directory / f"{first.slug}{CARD_SUFFIX}"),
                        _title_line(directory / f"{first.slug}{CARD_SUFFIX}"),
                        "title",
                        f"'{first.title}' ({first.year}) is also the title and year of "
                        f"{second.slug}{CARD_SUFFIX}",
                    )
                )
        else:
            by_title[key] = card
    return errors


def _title_line(path: Path) -> int:
    try:
        for number, line in enumerate(path.read_text("utf-8-sig").splitlines(), start=1):
            if line.startswith("title:"):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1
