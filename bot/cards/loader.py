"""Loading a folder of card files: listing it, reading each file, then checking the cards
against each other.

Reading is split in steps a reload can reuse: :func:`scan_folder` lists the card files with
their size and modification time (no reading), :func:`read_card` reads and validates one file
and says what it held (the card, its JSON body, a hash of the bytes), and
:func:`cross_card_errors` checks cards against each other. :func:`load_cards` does all three;
``bot.cards.parallel`` spreads the reading over worker processes for big folders.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.cards.errors import CardError
from bot.cards.model import Card
from bot.cards.reader import CARD_SUFFIX, parse_card
from bot.text import slugify

MAX_CARD_BYTES = 256 * 1024

#: ``progress(done, total)``: called as files are read, for a progress bar.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What identifies a card file's content without reading it: size and modification time,
    plus the SHA-256 of its bytes once read (``""`` before)."""

    size: int
    mtime_ns: int
    content_hash: str = ""

    def same_file(self, other: FileStamp) -> bool:
        return self.size == other.size and self.mtime_ns == other.mtime_ns


@dataclass(slots=True)
class FolderScan:
    """The card files of a folder by slug, and the problems seen while listing it."""

    directory: Path
    files: dict[str, FileStamp] = field(default_factory=dict)
    errors: list[CardError] = field(default_factory=list)
    ok: bool = True  # False when the folder itself is missing or cannot be listed

    def path(self, slug: str) -> Path:
        return self.directory / f"{slug}{CARD_SUFFIX}"


@dataclass(slots=True)
class ReadCard:
    """One card file, read: its card when valid, its errors, and what the store keeps."""

    slug: str
    card: Card | None
    errors: list[CardError]
    stamp: FileStamp
    body: str = ""  # the card as JSON with sorted keys ("" when invalid)
    digest: str = ""  # SHA-256 of ``body``: tells changed cards from unchanged ones
    #: The file holds the card already known (its bytes hash to the known hash: not parsed;
    #: or its card has the known digest): ``card`` is None, nothing to send or store again.
    unchanged: bool = False
    parsed: bool = True  # False when the YAML was not parsed (same bytes, unreadable file)


@dataclass(slots=True)
class LoadResult:
    """Every card that validated, and every error found. ``ok`` only when there are no errors."""

    cards: list[Card] = field(default_factory=list)
    errors: list[CardError] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def card_body(card: Card) -> tuple[str, str]:
    """The JSON the store keeps for a card, and its digest (equal to ``card.digest()``)."""
    body = json.dumps(card.to_dict(), sort_keys=True, ensure_ascii=False)
    return body, hashlib.sha256(body.encode()).hexdigest()


def scan_folder(directory: Path) -> FolderScan:
    """List ``<slug>.yaml`` files with their size and mtime; nothing is read."""
    scan = FolderScan(directory)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except FileNotFoundError:
        scan.ok = False
        scan.errors.append(CardError(str(directory), 1, "data", "is not a folder of cards"))
        return scan
    except OSError as exc:
        scan.ok = False
        reason = exc.strerror or str(exc)
        scan.errors.append(CardError(str(directory), 1, "data", f"cannot be listed: {reason}"))
        return scan
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        stem, dot, suffix = name.rpartition(".")
        suffix = dot + suffix
        if suffix == ".yml" or (suffix == CARD_SUFFIX and not _is_file(entry)):
            scan.errors.append(
                CardError(entry.path, 1, "file", f"cards must be files named <slug>{CARD_SUFFIX}")
            )
            continue
        if suffix != CARD_SUFFIX:
            continue
        try:
            info = entry.stat()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            scan.errors.append(CardError(entry.path, 1, "file", f"cannot be read: {reason}"))
            continue
        scan.files[stem] = FileStamp(info.st_size, info.st_mtime_ns)
    return scan


def rescan(scan: FolderScan, names: Iterable[str]) -> FolderScan:
    """``scan`` brought up to date for the files ``names`` only (a watcher's news): each is
    stat'ed again; the others keep their stamps. Only for ``<slug>.yaml`` names."""
    files = dict(scan.files)
    for name in names:
        slug = name.removesuffix(CARD_SUFFIX)
        path = scan.directory / name
        try:
            info = path.stat()
        except OSError:
            files.pop(slug, None)
            continue
        files[slug] = FileStamp(info.st_size, info.st_mtime_ns)
    return FolderScan(scan.directory, files)


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def read_card_file(path: Path, shown: str | None = None) -> tuple[Card | None, list[CardError]]:
    """Read one card file from disk; ``shown`` is the path as errors should print it."""
    read = read_card(path, shown)
    return read.card, read.errors


def read_card(
    path: Path, shown: str | None = None, known_hash: str = "", known_digest: str = ""
) -> ReadCard:
    """Read and validate one card file, hashing its bytes and encoding the card for the store.

    When the bytes hash to ``known_hash`` the file is not parsed; when the card's digest is
    ``known_digest`` it is not returned: either way the result is ``unchanged``."""
    name = shown or str(path)
    slug = path.stem
    try:
        info = path.stat()
        stamp = FileStamp(info.st_size, info.st_mtime_ns)
        if info.st_size > MAX_CARD_BYTES:
            message = f"is {info.st_size} bytes; a card may be at most {MAX_CARD_BYTES}"
            return ReadCard(slug, None, [CardError(name, 1, "file", message)], stamp)
        raw = path.read_bytes()
    except OSError as exc:
        error = CardError(name, 1, "file", f"cannot be read: {exc.strerror or exc}")
        return ReadCard(slug, None, [error], FileStamp(-1, -1))
    stamp = FileStamp(len(raw), stamp.mtime_ns, hashlib.sha256(raw).hexdigest())
    if known_hash and stamp.content_hash == known_hash:
        return ReadCard(slug, None, [], stamp, unchanged=True, parsed=False)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return ReadCard(slug, None, [CardError(name, line, "file", "is not UTF-8 text")], stamp)
    card, errors = parse_card(text, name, slug)
    if card is None:
        return ReadCard(slug, None, errors, stamp)
    body, digest = card_body(card)
    if known_digest and digest == known_digest:
        return ReadCard(slug, None, [], stamp, digest=digest, unchanged=True)
    return ReadCard(slug, card, errors, stamp, body, digest)


def title_key(card: Card) -> tuple[str, int]:
    """Two cards with the same key are the same drama written twice."""
    return slugify(card.title), card.year


def cross_card_errors(
    cards: Iterable[Card],
    directory: Path,
    keys: Mapping[str, tuple[str, int]] | None = None,
) -> list[CardError]:
    """Problems between cards: two cards with the same title and year, clashing slugs.

    ``keys`` may hold precomputed :func:`title_key` values by slug (a reload keeps them)."""
    cards = list(cards)
    errors: list[CardError] = []
    by_slug: dict[str, Card] = {}
    by_title: dict[tuple[str, int], Card] = {}
    for card in cards:
        path = str(directory / f"{card.slug}{CARD_SUFFIX}")
        folded = card.slug.casefold()
        if folded in by_slug:
            other = by_slug[folded]
            errors.append(
                CardError(path, 1, "slug", f"duplicates the slug of {other.slug}{CARD_SUFFIX}")
            )
        by_slug[folded] = card
        key = keys[card.slug] if keys is not None and card.slug in keys else title_key(card)
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


def load_cards(
    directory: Path, *, progress: Progress | None = None, workers: int | None = None
) -> LoadResult:
    """Read and validate every card in a folder, then check the cards against each other.

    Big folders are read by worker processes (``bot.cards.parallel``); ``workers=1`` reads
    in this process."""
    from bot.cards.parallel import read_cards  # the pool module imports this one

    scan = scan_folder(directory)
    result = LoadResult(errors=list(scan.errors), files=len(scan.files))
    for read in read_cards([scan.path(s) for s in scan.files], progress=progress, workers=workers):
        result.errors.extend(read.errors)
        if read.card is not None:
            result.cards.append(read.card)
    return finish_load(result, directory)


def finish_load(
    result: LoadResult, directory: Path, keys: Mapping[str, tuple[str, int]] | None = None
) -> LoadResult:
    """Add the checks across cards; with any error, drop the cards named in one."""
    result.errors.extend(cross_card_errors(result.cards, directory, keys))
    if result.errors:
        bad = {Path(e.path).stem for e in result.errors}
        result.cards = [c for c in result.cards if c.slug not in bad]
    result.errors.sort()
    return result


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
