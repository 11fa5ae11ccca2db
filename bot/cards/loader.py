"""Loading a folder of card files: reading each file, then checking the cards against each other."""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from bot.cards.cross_checks import names_across
from bot.cards.errors import CardError
from bot.cards.model import Card
from bot.cards.reader import CARD_SUFFIX, CardReport, inspect_card
from bot.text import slugify

log = logging.getLogger(__name__)

MAX_CARD_BYTES = 256 * 1024
# Never block: a FIFO named like a card must not hang a reload (O_NONBLOCK), and the type is
# checked on the open file itself, so nothing can be swapped in between.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_CARD_LIKE = frozenset({CARD_SUFFIX, ".yml"})


@dataclass(slots=True)
class LoadResult:
    """Every card that validated, and every error found. ``ok`` only when there are no errors.

    ``warnings`` holds warnings and notes (see :mod:`bot.cards.errors`): they never keep a card
    out. ``unloaded`` maps the slug of every card file that did not load to the title it gives
    (``None`` when not even that could be read), so answers can say the card is broken.
    """

    cards: list[Card] = field(default_factory=list)
    errors: list[CardError] = field(default_factory=list)
    files: int = 0
    warnings: list[CardError] = field(default_factory=list)
    unloaded: dict[str, str | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Unreadable(Exception):
    """A card file that cannot be read as a card file; the message says why."""


def read_card_file(path: Path, shown: str | None = None) -> tuple[Card | None, list[CardError]]:
    """Read one card file from disk; ``shown`` is the path as errors should print it."""
    report = inspect_card_file(path, shown)
    return report.card, report.errors


def inspect_card_file(path: Path, shown: str | None = None) -> CardReport:
    """Read and validate one card file. Total: whatever the file is (or is not), the answer is
    a report; every problem is a :class:`CardError`, nothing is raised."""
    name = shown or str(path)
    try:
        raw = read_limited(path)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            return CardReport(None, [CardError(name, line, "file", "is not UTF-8 text")])
        return inspect_card(text, name, path.stem)
    except _Unreadable as exc:
        return CardReport(None, [CardError(name, 1, "file", str(exc))])
    except Exception as exc:  # a bug of ours must not take the catalog down: report and go on
        log.exception("unexpected failure while checking %s", name)
        return CardReport(
            None,
            [
                CardError(
                    name,
                    1,
                    "file",
                    f"could not be checked ({type(exc).__name__}); please report this file",
                )
            ],
        )


def read_limited(path: Path, limit: int = MAX_CARD_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raises :class:`_Unreadable`
    (with a message for the admin) for anything else: folders, FIFOs, devices, broken links,
    files it may not read, files too large."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _Unreadable(f"cannot be read: {exc.strerror or type(exc).__name__}") from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _Unreadable(f"is a folder; cards must be files named <slug>{CARD_SUFFIX}")
        if not stat.S_ISREG(info.st_mode):
            raise _Unreadable(
                "is not a regular file (a FIFO, socket or device); "
                f"cards must be files named <slug>{CARD_SUFFIX}"
            )
        if info.st_size > limit:
            raise _Unreadable(f"is {info.st_size} bytes; a card may be at most {limit}")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 16):
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise _Unreadable(f"is over {limit} bytes; a card may be at most {limit}")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise _Unreadable(f"cannot be read: {exc.strerror or type(exc).__name__}") from exc
    finally:
        os.close(fd)


def load_cards(directory: Path) -> LoadResult:
    """Read and validate every card in a folder, then check the cards against each other.

    Total: a folder that is missing or unreadable, and any file in it, end up as errors in the
    result; this function does not raise."""
    result = LoadResult()
    try:
        with os.scandir(directory) as listing:
            entries = sorted(entry.name for entry in listing)
    except OSError as exc:
        result.errors.append(CardError(str(directory), 1, "data", _folder_problem(exc)))
        return result
    lines: dict[str, dict[str, tuple[int, ...]]] = {}
    for name in entries:
        path = directory / name
        suffix = path.suffix
        if name.startswith(".") or suffix.casefold() not in _CARD_LIKE:
            continue
        if suffix != CARD_SUFFIX:
            result.errors.append(
                CardError(
                    str(path),
                    1,
                    "file",
                    f"is not loaded: cards are files named <slug>{CARD_SUFFIX} "
                    f"(lower-case {CARD_SUFFIX}); rename it to {path.stem}{CARD_SUFFIX}",
                )
            )
            continue
        result.files += 1
        report = inspect_card_file(path)
        result.errors.extend(report.errors)
        result.warnings.extend(report.warnings)
        if report.card is not None:
            result.cards.append(report.card)
            lines[report.card.slug] = report.lines
        else:
            result.unloaded[path.stem] = report.title
    try:
        result.errors.extend(_cross_card_errors(result.cards, directory))
        errors, warnings = names_across(result.cards, lines, directory)
        result.errors.extend(errors)
        result.warnings.extend(warnings)
    except Exception as exc:  # pragma: no cover - last resort, as for single files
        log.exception("unexpected failure while checking cards against each other")
        result.errors.append(
            CardError(str(directory), 1, "data", f"could not be checked ({type(exc).__name__})")
        )
    if result.errors:
        bad = {Path(e.path).stem for e in result.errors}
        for card in result.cards:
            if card.slug in bad:
                result.unloaded[card.slug] = card.title
        result.cards = [c for c in result.cards if c.slug not in bad]
    result.errors.sort()
    result.warnings.sort()
    return result


def folder_problem(directory: Path) -> str | None:
    """Why ``directory`` is not a readable folder of cards, or None when it is one."""
    try:
        with os.scandir(directory):
            return None
    except OSError as exc:
        return _folder_problem(exc)


def _folder_problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "is not a folder of cards: there is no such folder"
    if isinstance(exc, NotADirectoryError):
        return "is not a folder of cards: it is a file"
    return f"cannot be read: {exc.strerror or type(exc).__name__}"


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
            exists = os.path.isfile(directory / f"{card.series}{CARD_SUFFIX}")
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
        text = read_limited(path).decode("utf-8-sig")
    except (_Unreadable, UnicodeDecodeError):
        return 1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1
