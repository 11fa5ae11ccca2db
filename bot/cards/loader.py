"""Loading a folder of card files: listing it, reading each file, then checking the cards
against each other.

Reading is split in steps a reload can reuse: :func:`scan_folder` lists the card files with
their size and modification time (no reading), :func:`read_card` reads and validates one file
and says what it held (the card, its JSON body, a hash of the bytes), and
:func:`cross_card_errors` checks cards against each other. :func:`load_cards` does all three;
``bot.cards.parallel`` spreads the reading over worker processes for big folders. Every step
is total: whatever a folder or file is (or is not), problems come back as
:class:`CardError` values, nothing is raised.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.cards.cross_checks import NameKeys, name_keys, names_across
from bot.cards.errors import WARNING, CardError, not_utf8
from bot.cards.fast_reader import read_card_text
from bot.cards.freeing import free_in_slices
from bot.cards.model import Card, card_json, card_slug
from bot.cards.reader import CARD_SUFFIX, REVIEW_DRAFT_SUFFIX, CardReport
from bot.text import slugify

log = logging.getLogger(__name__)

MAX_CARD_BYTES = 256 * 1024
# Never block: a FIFO named like a card must not hang a reload (O_NONBLOCK), and the type is
# checked on the open file itself, so nothing can be swapped in between.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_CARD_LIKE = frozenset({CARD_SUFFIX, ".yml"})

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
        return self.size == other.size and self.mtime_ns == other.mtime_ns and self.size >= 0


@dataclass(slots=True)
class FolderScan:
    """The card files of a folder by slug, and the problems seen while listing it."""

    directory: Path
    files: dict[str, FileStamp] = field(default_factory=dict)
    errors: list[CardError] = field(default_factory=list)
    ok: bool = True  # False when the folder itself is missing or cannot be listed
    warnings: list[CardError] = field(default_factory=list)  # files left alone, said once

    def path(self, slug: str) -> Path:
        return self.directory / f"{slug}{CARD_SUFFIX}"


@dataclass(frozen=True, slots=True)
class Unloaded:
    """What could be read of a card file that did not load: the names it gives, so that
    answers can say its card could not be loaded instead of "no such drama"."""

    title: str | None  # None when not even the title could be read
    names: tuple[str, ...] = ()  # its native title and aliases

    @classmethod
    def of(cls, card: Card) -> Unloaded:
        """A valid card left out (by an error between cards)."""
        native = (card.native_title,) if card.native_title else ()
        return cls(card.title, native + tuple(card.aliases))


@dataclass(slots=True)
class ReadCard:
    """One card file, read: its card when valid, its errors and warnings, and what the store
    keeps (the card's JSON body and digest, the file's stamp)."""

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
    warnings: list[CardError] = field(default_factory=list)
    title: str | None = None  # the title it gives, even when it has errors
    lines: dict[str, tuple[int, ...]] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # the native title and aliases it gives, likewise
    #: What the checks across cards compare of a valid card (:func:`title_key`,
    #: :func:`~bot.cards.cross_checks.name_keys`), worked out where it was read.
    title_key: tuple[str, int] | None = None
    name_keys: NameKeys | None = None
    #: A valid card read without its ``body`` (see :func:`read_card`), as a worker sends it
    #: back: msgspec's JSON of the card, for crossing between processes only.
    packed: bytes = b""

    @property
    def unloaded(self) -> Unloaded:
        return Unloaded(self.title, self.names)


@dataclass(slots=True)
class LoadResult:
    """Every card that validated, and every error found. ``ok`` only when there are no errors.

    ``warnings`` holds warnings and notes (see :mod:`bot.cards.errors`): they never keep a card
    out. ``unloaded`` maps the slug of every card file that did not load to what could be read
    of its names (:class:`Unloaded`), so answers can say the card is broken.
    """

    cards: list[Card] = field(default_factory=list)
    errors: list[CardError] = field(default_factory=list)
    files: int = 0
    warnings: list[CardError] = field(default_factory=list)
    unloaded: dict[str, Unloaded] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def card_body(card: Card) -> tuple[str, str]:
    """The JSON the store keeps for a card, and its digest (equal to ``card.digest()``)."""
    body = card_json(card)
    return body.decode(), hashlib.sha256(body).hexdigest()


def scan_folder(directory: Path, *, stamps: bool = True) -> FolderScan:
    """List the folder's card files with their size and mtime; nothing is read. Files named
    like cards but not ``<slug>.yaml`` are errors here; anything else odd about a
    ``.yaml`` entry (a folder, a FIFO, a broken link) is reported when it is read. With
    ``stamps`` false no file is looked at (a system call each): every stamp is unknown."""
    scan = FolderScan(directory)
    stamp = _stamp if stamps else _no_stamp
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        scan.ok = False
        scan.errors.append(CardError(str(directory), 1, "data", _folder_problem(exc)))
        return scan
    for entry in entries:
        name = entry.name
        if name.endswith(CARD_SUFFIX) and not name.startswith("."):  # (most of them)
            if name.endswith(REVIEW_DRAFT_SUFFIX):
                scan.warnings.append(_review_draft(directory / name))
                continue
            scan.files[name[: -len(CARD_SUFFIX)]] = stamp(entry)
            continue
        stem, dot, suffix = name.rpartition(".")
        suffix = dot + suffix
        if name.startswith(".") or not dot or suffix.casefold() not in _CARD_LIKE:
            continue
        if suffix != CARD_SUFFIX:
            path = directory / name
            scan.errors.append(
                CardError(
                    str(path),
                    1,
                    "file",
                    f"is not loaded: cards are files named <slug>{CARD_SUFFIX} "
                    f"(lower-case {CARD_SUFFIX}); {_renamed(directory, stem)}",
                )
            )
            continue
        scan.files[stem] = stamp(entry)
    return scan


def _renamed(directory: Path, stem: str) -> str:
    """What to do with a card-like file of another suffix: the name to give it (a slug is
    lower-case: "RUN-ON.YAML" is run-on.yaml, not RUN-ON.yaml), or, when a card has that
    name already, that it looks like a copy of that card."""
    lower = stem.lower()
    if os.path.lexists(directory / f"{lower}{CARD_SUFFIX}"):
        return f"{lower}{CARD_SUFFIX} is here already: if this is a copy of it, remove one"
    return f"rename it to {lower}{CARD_SUFFIX}"


def _review_draft(path: Path) -> CardError:
    """A review draft for a card we have (``start-up.review-draft.yaml``): not a card."""
    card = path.name.removesuffix(REVIEW_DRAFT_SUFFIX) + CARD_SUFFIX
    return CardError(
        str(path),
        1,
        "file",
        f"is a review draft for {card}, not a card, so it is not loaded: merge its review "
        f"into {card}, then delete this file",
        WARNING,
    )


def card_subfolders(directory: Path) -> list[str]:
    """The folders inside ``directory`` that hold card files (``<name>/``, sorted): cards
    there are not read, which an admin who sorts cards into folders should hear once. Only
    one level is looked at; hidden folders and links are left alone."""
    found: list[str] = []
    try:
        if os.stat(directory).st_nlink == 2:
            # A folder's link count is 2 plus its subfolders where the file system counts
            # them (ext4, xfs, tmpfs; others say 1): none here, no need to list 100,000 files.
            return []
        with os.scandir(directory) as listing:
            folders = [
                entry
                for entry in listing
                if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
            ]
        for folder in folders:
            with contextlib.suppress(OSError), os.scandir(folder.path) as inside:
                if any(_card_like(entry.name) for entry in inside):
                    found.append(f"{folder.name}/")
    except OSError:
        return []  # the folder itself: reported where it is read
    return sorted(found)


def subfolder_warning(directory: Path) -> CardError | None:
    """One warning naming every subfolder of ``directory`` that holds cards, or None."""
    folders = card_subfolders(directory)
    if not folders:
        return None
    return CardError(
        str(directory),
        1,
        "data",
        f"cards in subfolders are not read: {', '.join(folders)} "
        f"(cards must be files directly in {directory.name}/)",
        WARNING,
    )


def _card_like(name: str) -> bool:
    _, dot, suffix = name.rpartition(".")
    return bool(dot) and not name.startswith(".") and f".{suffix}".casefold() in _CARD_LIKE


_UNKNOWN_STAMP = FileStamp(-1, -1)


def _no_stamp(entry: os.DirEntry[str]) -> FileStamp:
    return _UNKNOWN_STAMP


def _stamp(entry: os.DirEntry[str]) -> FileStamp:
    try:
        info = entry.stat()
    except OSError:
        return FileStamp(-1, -1)  # read anyway: the read says what is wrong
    if not stat.S_ISREG(info.st_mode):
        return FileStamp(-1, -1)
    return FileStamp(info.st_size, info.st_mtime_ns)


def rescan(scan: FolderScan, names: Iterable[str]) -> FolderScan:
    """``scan`` brought up to date for the files ``names`` only (a watcher's news): each is
    stat'ed again; the others keep their stamps. Only for ``<slug>.yaml`` names."""
    files = dict(scan.files)
    for name in names:
        if name.endswith(REVIEW_DRAFT_SUFFIX):
            continue  # not a card (see scan_folder)
        slug = name.removesuffix(CARD_SUFFIX)
        path = scan.directory / name
        try:
            info = path.stat()
        except FileNotFoundError:
            files.pop(slug, None)
            continue
        except OSError:
            files[slug] = FileStamp(-1, -1)
            continue
        regular = stat.S_ISREG(info.st_mode)
        files[slug] = FileStamp(info.st_size, info.st_mtime_ns) if regular else FileStamp(-1, -1)
    return FolderScan(scan.directory, files)


def read_card(
    path: Path | str,
    shown: str | None = None,
    known_hash: str = "",
    known_digest: str = "",
    folder: str | None = None,
    body: bool = True,
) -> ReadCard:
    """Read and validate one card file, hashing its bytes and encoding the card for the store.

    When the bytes hash to ``known_hash`` the file is not parsed; when the card's digest is
    ``known_digest`` it is not returned: either way the result is ``unchanged``. ``folder``:
    the real path of the file's folder when already worked out (see :func:`read_limited`).
    With ``body`` false (and no ``known_digest``) a valid card's ``body`` and ``digest`` are
    left empty: ``drama-bot check`` stores nothing. Total, as :func:`inspect_card_file`.
    ``path`` may be a string (worker processes are handed strings: no ``Path`` per file)."""
    name = shown or str(path)
    slug = path.stem if isinstance(path, Path) else _stem(path)
    try:
        # (the modification time of the very file opened, taken before it is read)
        raw, mtime_ns = _read_limited(path, MAX_CARD_BYTES, folder)
    except _Unreadable as exc:
        return ReadCard(slug, None, [CardError(name, 1, "file", str(exc))], FileStamp(-1, -1))
    stamp = FileStamp(len(raw), mtime_ns, hashlib.sha256(raw).hexdigest())
    if known_hash and stamp.content_hash == known_hash:
        return ReadCard(slug, None, [], stamp, unchanged=True, parsed=False)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ReadCard(slug, None, [not_utf8(name, raw, exc)], stamp)
    report = _inspect(text, name, slug)
    if report.card is None:
        return ReadCard(
            slug,
            None,
            report.errors,
            stamp,
            warnings=report.warnings,
            title=report.title,
            names=report.names,
        )
    encoded, digest = card_body(report.card) if body or known_digest else ("", "")
    if known_digest and digest == known_digest:
        return ReadCard(slug, None, [], stamp, digest=digest, unchanged=True)
    return ReadCard(
        slug,
        report.card,
        report.errors,
        stamp,
        encoded,
        digest,
        warnings=report.warnings,
        title=report.title,
        lines=report.lines,
        title_key=title_key(report.card),
        name_keys=name_keys(report.card),
    )


def _stem(path: str) -> str:
    """``Path(path).stem`` of a path string."""
    base = os.path.basename(path.rstrip(os.sep) or path)
    dot = base.rfind(".")
    return base[:dot] if 0 < dot < len(base) - 1 else base


def _inspect(text: str, name: str, slug: str) -> CardReport:
    try:
        return read_card_text(text, name, slug)
    except Exception as exc:  # a bug of ours must not take the catalog down: report and go on
        log.exception("unexpected failure while checking %s", name)
        return CardReport(None, [_unexpected(name, exc)])


def _unexpected(name: str, exc: Exception) -> CardError:
    return CardError(
        name, 1, "file", f"could not be checked ({type(exc).__name__}); please report this file"
    )


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
            return CardReport(None, [not_utf8(name, raw, exc)])
        return read_card_text(text, name, path.stem)
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


_OUTSIDE = (
    "is a link to a file outside the cards folder; it is not read (a card must be a file "
    "inside the folder)"
)


def _inside(target: str, folder: str) -> bool:
    return target == folder or target.startswith(folder.rstrip(os.sep) + os.sep)


def _opened_path(fd: int, path: Path | str) -> str:
    """Where the open file ``fd`` really is (Linux: its /proc link, so a link swapped after
    the check below is still caught); elsewhere the path resolved again."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return os.path.realpath(path)


def _may_lead_outside(path: Path | str) -> bool:
    """Whether ``path`` itself may lead out of its folder: a link, ``..``, or an entry that
    cannot be looked at. Anything else is the folder's own entry, inside it by definition, so
    resolving its path again (a system call per component) is not needed."""
    name = path.name if isinstance(path, Path) else os.path.basename(path)
    if name in {"", ".", ".."}:
        return True
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return True


def read_limited(path: Path | str, limit: int = MAX_CARD_BYTES, folder: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raises :class:`_Unreadable`
    (with a message for the admin) for anything else: folders, FIFOs, devices, broken links,
    links to files outside the folder the file is listed in (never opened, so nothing of
    theirs is ever quoted), files it may not read, files too large. ``folder``: the real path
    of ``path.parent``, when the caller worked it out once for many files."""
    return _read_limited(path, limit, folder)[0]


def _read_limited(path: Path | str, limit: int, folder: str | None) -> tuple[bytes, int]:
    """:func:`read_limited`, and the file's modification time (from the open file)."""
    if folder is None:
        parent = path.parent if isinstance(path, Path) else os.path.dirname(path) or "."
        folder = os.path.realpath(parent)
    if _may_lead_outside(path) and not _inside(os.path.realpath(path), folder):
        raise _Unreadable(_OUTSIDE)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _Unreadable(f"cannot be read: {exc.strerror or type(exc).__name__}") from exc
    try:
        if not _inside(_opened_path(fd, path), folder):  # swapped since the check above
            raise _Unreadable(_OUTSIDE)
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
        return b"".join(chunks), info.st_mtime_ns
    except OSError as exc:
        raise _Unreadable(f"cannot be read: {exc.strerror or type(exc).__name__}") from exc
    finally:
        os.close(fd)


def load_cards(
    directory: Path, *, progress: Progress | None = None, workers: int | None = None
) -> LoadResult:
    """Read and validate every card in a folder, then check the cards against each other.

    Total: a folder that is missing or unreadable, and any file in it, end up as errors in the
    result; this function does not raise. Big folders are read by worker processes
    (``bot.cards.parallel``); ``workers=1`` reads in this process."""
    from bot.cards.parallel import read_cards  # the pool module imports this one

    scan = scan_folder(directory, stamps=False)  # (no stamps kept: none needed)
    result = LoadResult(errors=list(scan.errors), files=len(scan.files))
    result.warnings.extend(scan.warnings)
    if scan.ok and (nested := subfolder_warning(directory)) is not None:
        result.warnings.append(nested)
    lines: dict[str, dict[str, tuple[int, ...]]] = {}
    title_keys: dict[str, tuple[str, int]] = {}
    folded: dict[str, NameKeys] = {}
    prefix = str(directory / "_")[:-1]  # (``str(scan.path(slug))`` without a Path each)
    paths = [f"{prefix}{slug}{CARD_SUFFIX}" for slug in scan.files]
    for read in read_cards(paths, progress=progress, workers=workers, bodies=False):
        result.errors.extend(read.errors)
        result.warnings.extend(read.warnings)
        if read.card is not None:
            result.cards.append(read.card)
            lines[read.slug] = read.lines
            if read.title_key is not None:
                title_keys[read.slug] = read.title_key
            if read.name_keys is not None:
                folded[read.slug] = read.name_keys
        else:
            result.unloaded[read.slug] = read.unloaded
    try:
        result.errors.extend(_cross_card_errors(result.cards, directory, title_keys))
        broken = [
            name
            for slug, unloaded in result.unloaded.items()
            for name in (slug, unloaded.title or "", *unloaded.names)
        ]
        errors, warnings = names_across(result.cards, lines, directory, broken, folded)
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
                result.unloaded[card.slug] = Unloaded.of(card)
        result.cards = [c for c in result.cards if c.slug not in bad]
    result.errors.sort()
    result.warnings.sort()
    return result


def title_key(card: Card) -> tuple[str, int]:
    """Two cards with the same key are the same drama written twice."""
    return slugify(card.title), card.year


def cross_card_errors(
    cards: Iterable[Card],
    directory: Path,
    keys: Mapping[str, tuple[str, int]] | None = None,
    lines: Mapping[str, Mapping[str, tuple[int, ...]]] | None = None,
    names: Mapping[str, NameKeys] | None = None,
) -> list[CardError]:
    """Every error between cards (the same title and year twice, clashing slugs, seasons,
    an alias that is another card's title); notes are left out. ``keys`` may hold
    :func:`title_key` values by slug, ``lines`` the lines of the cards just read (others'
    errors point at line 1), ``names`` their :func:`~bot.cards.cross_checks.name_keys`."""
    cards = list(cards)
    errors = _cross_card_errors(cards, directory, keys)
    errors += names_across(cards, lines or {}, directory, (), names)[0]
    return errors


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


def _cross_card_errors(
    cards: list[Card], directory: Path, keys: Mapping[str, tuple[str, int]] | None = None
) -> list[CardError]:
    errors: list[CardError] = []
    by_slug: dict[str, Card] = {}
    by_title: dict[tuple[str, int], Card] = {}
    same_drama: dict[tuple[str, int], list[Card]] = {}  # (only the keys seen twice)
    for card in cards:
        folded = card.slug.casefold()
        if folded in by_slug:
            other = by_slug[folded]
            path = str(directory / f"{card.slug}{CARD_SUFFIX}")  # (built only when needed)
            errors.append(
                CardError(path, 1, "slug", f"duplicates the slug of {other.slug}{CARD_SUFFIX}")
            )
        by_slug[folded] = card
        key = keys[card.slug] if keys is not None and card.slug in keys else title_key(card)
        if key in by_title:
            same_drama.setdefault(key, [by_title[key]]).append(card)
        else:
            by_title[key] = card
    for group in same_drama.values():
        errors.extend(_same_drama_errors(group, directory))
    errors.extend(_series_errors(cards, directory))
    return errors


def _same_drama_errors(group: list[Card], directory: Path) -> list[CardError]:
    """Cards with the same title and year. When exactly one of them is in the file named
    for its title (``vincenzo.yaml``, or ``vincenzo-2021.yaml``), that one keeps loading and
    only the others (a stray ``vincenzo-copy.yaml``) are errors; otherwise every one is."""
    named = [card for card in group if card.slug in _own_names(card)]
    kept = named[0] if len(named) == 1 else None
    errors: list[CardError] = []
    for card in group:
        if card is kept:
            continue
        path = directory / f"{card.slug}{CARD_SUFFIX}"
        if kept is not None:
            message = (
                f"'{card.title}' ({card.year}) is already the card {kept.slug}{CARD_SUFFIX}, "
                "which is the one loaded; this file is left out (delete it if it is a copy, "
                "or correct its title or year)"
            )
        else:
            others = ", ".join(f"{c.slug}{CARD_SUFFIX}" for c in group if c is not card)
            message = f"'{card.title}' ({card.year}) is also the title and year of {others}"
        errors.append(CardError(str(path), _key_line(path, "title"), "title", message))
    return errors


def _own_names(card: Card) -> set[str]:
    """The file names (without ``.yaml``) a card's title and year give it."""
    return {card_slug(card.title), card_slug(card.title, card.year)}


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
    # (a key and a list per card, freed with the frame in one call: 24 ms of a cold load's
    # CPU at 100,000 cards; branch margin13)
    free_in_slices(seasons, by_slug)
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
