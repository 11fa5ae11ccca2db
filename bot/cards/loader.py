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
                        _key_line(directory / f"{first.slug}{CARD_SUFFIX}", "title"),
                        "title",
                        f"'{first.title}' ({first.year}) is also the title and year of "
                        f"{second.slug}{CARD_SUFFIX}",
                    )
                )
        else:
            by_title[key] = card
    errors.extend(_series_errors(cards, directory))
    return errors


def _series_errors(cards: list[Card], directory: Path) -> list[CardError]:
    """``series`` names the first season's card; seasons of one series are distinct."""
    errors: list[CardError] = []
    by_slug = {card.slug: card for card in cards}
    seasons: dict[tuple[str, int], list[Card]] = {}

    def report(card: Card, key: str, message: str) -> None:
        path = directory / f"{card.slug}{CARD_SUFFIX}"
        errors.append(CardError(str(path), _key_line(path, key), key, message))

    for card in cards:
        if card.series is None:
            if card.season is not None and card.season > 1:
                report(
                    card,
                    "season",
                    f"season {card.season} needs `series:` naming the first season's card",
                )
            seasons.setdefault((card.slug, card.season or 1), []).append(card)
            continue
        head = by_slug.get(card.series)
        if card.series == card.slug:
            report(card, "series", "names this card itself; leave `series` out on season 1")
        elif head is None:
            exists = (directory / f"{card.series}{CARD_SUFFIX}").is_file()
            report(
                card,
                "series",
                f"names {card.series}{CARD_SUFFIX}, which has errors of its own"
                if exists
                else f"names {card.series}, but there is no card {card.series}{CARD_SUFFIX}",
            )
        elif head.series is not None:
            report(
                card,
                "series",
                f"names {head.slug}, which is itself a later season of {head.series}; "
                f"name the first season's card, {head.series}",
            )
        elif head.season not in (None, 1):
            report(
                card,
                "series",
                f"names {head.slug}, which is season {head.season}; name the first season's card",
            )
        if card.season is None:
            report(card, "season", "a card with `series` needs its `season` number")
        elif card.series != card.slug:
            seasons.setdefault((card.series, card.season), []).append(card)
    for (series, season), same in seasons.items():
        if len(same) > 1:
            for card in same:
                others = ", ".join(f"{c.slug}{CARD_SUFFIX}" for c in same if c is not card)
                report(card, "season", f"season {season} of {series} is also {others}")
    return errors


def _key_line(path: Path, key: str) -> int:
    """The line where a top-level key starts (1 when the file cannot be read again)."""
    try:
        for number, line in enumerate(path.read_text("utf-8-sig").splitlines(), start=1):
            if line.startswith(f"{key}:"):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1
