"""The story index: every card's story text (``story_text``) in an SQLite FTS5 table, ranked
with FTS5's BM25, so "the one where the lawyer has autism" finds its drama.

It lives in an SQLite file of its own beside the database (``<database>-stories``; a file in
the temporary folder, removed at close, for an in-memory database): the words and postings
are SQLite's pages, not Python objects, so the process's memory does not grow with it; its
writes never hold the database's write lock (shards and ``/settings`` write there); and a
damaged or stale index is deleted and built again without touching anything else.

Writes go through one connection in one worker thread (``StoryIndex.sync``); searches through
read connections of their own (WAL: a search never waits for a write, and sees the last
committed state). The tokenizer is FTS5's ``porter unicode61 remove_diacritics 2``: English
stems ("zombies", "zombie"; "lawyers", "lawyer"), accents folded, Hangul words kept whole.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import re
import sqlite3
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TypeVar

from rapidfuzz import fuzz, process

from bot.cards.model import Card
from bot.cards.turns import give_way, pass_turn, stepped_aside
from bot.catalog.lazy_cards import card_apart
from bot.catalog.story_text import COLUMNS, WEIGHTS, story_row

log = logging.getLogger(__name__)

T = TypeVar("T")

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: What the index's rows are made of: a change here (the columns, the tokenizer) builds it
#: again from the cards at the next start.
FORMAT = "2"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS story_cards (
    id      INTEGER PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE,
    digest  TEXT NOT NULL,
    story   BLOB NOT NULL  -- a hash of its row's text (a card changed elsewhere: not rewritten)
);
CREATE VIRTUAL TABLE IF NOT EXISTS stories USING fts5(
    {", ".join(COLUMNS)}, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS stories_vocab USING fts5vocab(stories, 'row');
CREATE TABLE IF NOT EXISTS story_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_TABLES = ("stories_vocab", "stories", "story_cards", "story_meta")
#: Rows written per transaction (a search never waits for them: WAL).
BATCH = 2_000
#: Cards made into rows and written per piece, and slugs compared per piece: the sync gives way
#: between pieces (``turns.give_way``: the turn, and the GIL for a moment), so an answer asked
#: meanwhile never waits behind more than a piece, whatever the catalog's size.
ROWS_PIECE = 64
COMPARED_PIECE = 1_024
#: The ``story_meta`` key holding the fingerprint (``bot.catalog.derived``) of the cards the
#: index was last brought up to date with: a start of the same cards compares none of them.
CATALOG_KEY = "catalog"
#: How many best-ranked cards a search looks at, and how many vocabulary terms a typo is
#: compared with (those sharing its first letters).
POOL = 40
VOCABULARY_LOOKED_AT = 4_000
#: Each read connection's page cache (SQLite's default is 2 MB a connection).
READER_CACHE_KB = 512
#: A typo's nearest term of the vocabulary is taken from this score on (rapidfuzz's ratio).
TYPO_SCORE = 80
TYPO_MIN_LETTERS = 5
#: After a search found the index locked by another process (SQLite's busy or locked), the
#: searches of this long answer nothing at once instead of each waiting the lock's timeout
#: (2 s: an autocomplete per keystroke, each holding a worker thread answers need too).
LOCKED_PAUSE = 5.0
_BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED (an error's primary code)
#: How long a process that found the index damaged waits for another one building it again
#: (shards sharing the file) before it builds it itself.
REBUILD_WAIT = 120.0


@dataclass(frozen=True, slots=True)
class StoryHit:
    slug: str
    matched: int  # how many of the query's words its story holds
    rank: float  # FTS5's BM25 (lower is better)
    held: int = 0  # how many of the query's words some story holds (as typed, or spelt near)


def stories_path(database: str) -> str | None:
    """The story index's file for a database file (None for an in-memory database)."""
    return None if database == ":memory:" else f"{database}-stories"


class StoryIndex:
    """The story index of one database (see the module's doc)."""

    def __init__(self, path: str | None = None) -> None:
        self._path: str | None = None
        self._temporary = True
        self._placed = False
        self._writer: sqlite3.Connection | None = None  # (open while a sync runs)
        self._checked = False  # whether the file's tables were counted (once a process)
        self._lock = threading.Lock()  # one writer at a time
        #: Whether the index has been brought up to date with a catalog at least once (a
        #: search before answers nothing: "not found", as before the index).
        self.ready = False
        self.damaged = False  # a search found the file damaged: the next sync rebuilds it
        #: Called (once, from the searching thread) when a search finds the file damaged or
        #: gone, so that it is built again while the catalog serves (``story_following``).
        self.when_damaged: Callable[[], object] | None = None
        self._locked_until = 0.0  # (time.monotonic: see LOCKED_PAUSE)
        #: The file as it was (``_identity``) when the writer last opened it, and when a search
        #: found it damaged: a rebuild tells from it whether another process built it since.
        self._opened: tuple[int, ...] | None = None
        self._damaged_file: tuple[int, ...] | None = None
        self._in_turn = False  # (a rebuild's: the file made again inside its turn)
        if path is not None:
            self.place(path)

    def place(self, path: str | None) -> None:
        """Where the index lives (None: a temporary file, made at the first sync)."""
        self._path, self._temporary, self._placed = path, path is None, True
        self._checked = False

    @property
    def placed(self) -> bool:
        return self._placed

    @property
    def searchable(self) -> bool:
        """Whether a search can read the index now: built once, not found damaged (being
        built again), not paused for another process's lock. When it is not, a search finds
        nothing, which says nothing about the stories."""
        return self.ready and not self.damaged and time.monotonic() >= self._locked_until

    @property
    def path(self) -> str:
        if self._path is None:
            handle, self._path = tempfile.mkstemp(prefix="drama-bot-stories-", suffix=".sqlite3")
            os.close(handle)
            weakref.finalize(self, _remove_files, self._path)  # (at exit at the latest)
        return self._path

    # -- writing ----------------------------------------------------------------------
    def holds(self, fingerprint: str, count: int | None = None) -> bool:
        """Whether the index was last brought up to date with exactly the cards of
        ``fingerprint`` (their fingerprint, ``bot.catalog.derived``), holds a row for each
        of them (``count``: how many; another process may have deleted rows and left the
        fingerprint), and its file reads as whole (its format, and once a process its
        tables' counts): then it is ready, and no card needs comparing (a warm start of
        unchanged cards)."""
        with self._lock:
            if self.damaged:
                return False
            try:
                db = self._connection()
                found = db.execute(
                    "SELECT value FROM story_meta WHERE key = ?", (CATALOG_KEY,)
                ).fetchone()
                if count is not None and found is not None:
                    (rows,) = db.execute("SELECT count(*) FROM story_cards").fetchone()
                    found = found if rows == count else None
            except sqlite3.DatabaseError:  # (the sync that follows says why, and mends it)
                return False
            finally:
                self._close_writer()
            if found is None or found[0] != fingerprint:
                return False
            self.ready = True
            return True

    def sync(
        self,
        cards: Mapping[str, Card],
        digests: Mapping[str, str],
        only: Iterable[str] | None = None,
        *,
        fingerprint: str | None = None,
    ) -> int:
        """Bring the index up to date with ``cards`` (their ``digests`` by slug): every card
        when ``only`` is None (the stored digests compared, only the differing cards written),
        else only the slugs ``only`` names (a reload's added, changed and removed cards).
        A card whose story text is as stored (another key of it changed) only has its digest
        updated. A damaged file is deleted and the index built again. ``fingerprint``: that
        of every card served after it (:meth:`holds`), kept once the sync is done (the one
        kept before is forgotten first: a sync cut short leaves none). Returns how many
        cards' rows were written or removed."""
        with self._lock:
            try:
                try:
                    if self.damaged:  # (a search could not read it: built again)
                        written = self._rebuild(cards, digests, fingerprint, self._damaged_file)
                    else:
                        written = self._sync(cards, digests, only, fingerprint)
                except sqlite3.OperationalError as exc:
                    if self._temporary:
                        raise
                    # A read-only folder, a full disk, a lock held too long: the index goes
                    # to a temporary file for this process (the database is not touched).
                    log.warning(
                        "the story index %s cannot be written (%s); keeping it in a temporary "
                        "file instead",
                        self.path,
                        exc,
                    )
                    self._discard()
                    self.place(None)
                    written = self._sync(cards, digests, None, fingerprint)
                except sqlite3.DatabaseError as exc:
                    log.warning(
                        "the story index %s is damaged (%s); building it again", self.path, exc
                    )
                    written = self._rebuild(cards, digests, fingerprint, self._opened)
            finally:
                self._close_writer()  # (its page cache, and FTS5's buffers, given back)
            self.damaged = False
            self.ready = True
            return written

    def _rebuild(
        self,
        cards: Mapping[str, Card],
        digests: Mapping[str, str],
        fingerprint: str | None,
        damaged: tuple[int, ...] | None,
    ) -> int:
        """Build the index again from ``cards`` after its file (``damaged``: as it was then)
        was found damaged. Processes sharing the file (shards) take turns (:func:`_turn`):
        one that finds the file made again since by another compares its cards with it,
        as a start does, instead of deleting it (before, each deleted the file and built its
        own: the work done twice, and the first one's rows written to a file unlinked
        under it, or "disk I/O error" and the index moved to a temporary file)."""
        self._close_writer()
        with _turn(None if self._temporary else self.path):
            self._in_turn = True
            try:
                now = _identity(self.path)
                if damaged is not None and now is not None and now != damaged:
                    try:  # (built again by another process since: used, if whole)
                        return self._sync(cards, digests, None, fingerprint)
                    except sqlite3.OperationalError:
                        raise
                    except sqlite3.DatabaseError:
                        self._close_writer()
                self._discard()
                return self._sync(cards, digests, None, fingerprint)
            finally:
                self._in_turn = False
                self._close_writer()  # (its journal checkpointed before the turn is given)

    def _close_writer(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(sqlite3.Error):
                self._writer.close()
            self._writer = None

    def _sync(
        self,
        cards: Mapping[str, Card],
        digests: Mapping[str, str],
        only: Iterable[str] | None,
        fingerprint: str | None,
    ) -> int:
        db = self._connection()
        with _transaction(db):
            db.execute("DELETE FROM story_meta WHERE key = ?", (CATALOG_KEY,))
        if only is None:
            stored = _stored_digests(db)
            gone, wanted = _compared(stored, digests)
            del stored
        else:
            named = set(only)
            gone = [slug for slug in named if slug not in digests]
            wanted = [(slug, digests[slug]) for slug in named if slug in digests]
        for start in range(0, len(gone), BATCH):
            with _transaction(db):
                for piece in pieces(gone[start : start + BATCH], ROWS_PIECE):
                    _remove(db, piece)
                    give_way()
        written = len(gone)
        for start in range(0, len(wanted), BATCH):
            with _transaction(db):  # (a transaction of BATCH cards, written a piece at a time)
                for piece in pieces(wanted[start : start + BATCH], ROWS_PIECE):
                    written += _write(db, cards, dict(piece))
                    give_way()
            pass_turn()  # (between batches: a reload waiting for a turn takes it)
        if fingerprint is not None:
            with _transaction(db):
                db.execute(
                    "INSERT OR REPLACE INTO story_meta VALUES (?, ?)", (CATALOG_KEY, fingerprint)
                )
        return written

    def _connection(self) -> sqlite3.Connection:
        if self._writer is None:
            # A file not made yet is made in turn with the other processes sharing it: two
            # shards turning one new file into a WAL database at once got "disk I/O error" or
            # "database is locked" (5 of 150 paired starts in a probe), and one moved to a
            # temporary file.
            made = self._temporary or self._in_turn or not _unmade(self.path)
            with contextlib.nullcontext() if made else _turn(self.path):
                self._writer = self._open()
        return self._writer

    def _open(self) -> sqlite3.Connection:
        self._opened = _identity(self.path)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA busy_timeout = 15000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            meta = db.execute("SELECT name FROM sqlite_master WHERE name = 'story_meta'").fetchone()
            found = (
                db.execute("SELECT value FROM story_meta WHERE key = 'format'").fetchone()
                if meta
                else None
            )
            checked, self._checked = self._checked, True  # (once a process)
            if found is not None and (found[0] != FORMAT or not (checked or _consistent(db))):
                # (made by other code, or a table lost or emptied: built again)
                for table in _TABLES:
                    db.execute(f"DROP TABLE IF EXISTS {table}")
            db.executescript(_SCHEMA)
            db.execute("INSERT OR REPLACE INTO story_meta VALUES ('format', ?)", (FORMAT,))
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _discard(self) -> None:
        """Close and delete the index's file (and its journals)."""
        self._close_writer()
        if self._path is not None:
            _remove_files(self._path)

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
            if self._temporary:
                self._discard()

    # -- searching --------------------------------------------------------------------
    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read connection of its own, closed after (a search is rare: only a query no
        title fits; no connection, statement cache or page cache is kept between them)."""
        db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        try:
            db.execute("PRAGMA busy_timeout = 2000")
            db.execute(f"PRAGMA cache_size = -{READER_CACHE_KB}")
            yield db
        finally:
            db.close()

    def search(
        self, words: Iterable[str], limit: int = POOL, *, columns: tuple[str, ...] = ()
    ) -> list[StoryHit]:
        """The cards whose story holds the most of ``words`` (each as typed, or its nearest
        spelling in the index's vocabulary), best first: most words held, then BM25. Empty
        before the index is ready or when it cannot be read (it is then built again)."""
        if not self.ready or time.monotonic() < self._locked_until:
            return []
        seen = _identity(self.path)
        try:
            with self._reading() as db:
                return _search(db, list(words), limit, columns)
        except sqlite3.DatabaseError as exc:
            if (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF in _BUSY:
                # (another process holds it: not damage, and never deleted for it)
                self._locked_until = time.monotonic() + LOCKED_PAUSE
                log.warning(
                    "the story index %s is locked by another process (%s); story searches "
                    "find nothing for %g s",
                    self.path,
                    exc,
                    LOCKED_PAUSE,
                )
                return []
            log.warning("the story index %s cannot be read (%s); building it again", self.path, exc)
            if not self.damaged:
                self._damaged_file = seen
                self.damaged = True
                if self.when_damaged is not None:
                    self.when_damaged()
            return []


def _write(db: sqlite3.Connection, cards: Mapping[str, Card], digests: dict[str, str]) -> int:
    """Write the rows of the cards ``digests`` names (a piece): a card whose story is as
    stored only has its digest updated. How many cards' rows were written."""
    slugs = list(digests)
    rows = {slug: story_row(card_apart(cards, slug)) for slug in slugs}
    hashes = {slug: _hash(row) for slug, row in rows.items()}
    marks = ", ".join("?" * len(slugs))
    found = db.execute(f"SELECT slug, story FROM story_cards WHERE slug IN ({marks})", slugs)
    same = [slug for slug, story in found if story == hashes[slug]]
    # (the card changed, its story did not: an episode count, a service)
    db.executemany(
        "UPDATE story_cards SET digest = ? WHERE slug = ?",
        [(digests[slug], slug) for slug in same],
    )
    for slug in same:
        del rows[slug]
    _remove(db, list(rows))
    (last,) = db.execute("SELECT coalesce(max(id), 0) FROM story_cards").fetchone()
    ids = range(last + 1, last + 1 + len(rows))
    db.executemany(
        "INSERT INTO story_cards (id, slug, digest, story) VALUES (?, ?, ?, ?)",
        [(rowid, slug, digests[slug], hashes[slug]) for rowid, slug in zip(ids, rows, strict=True)],
    )
    db.executemany(
        f"INSERT INTO stories (rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})",
        [(rowid, *row) for rowid, row in zip(ids, rows.values(), strict=True)],
    )
    return len(rows)


def _stored_digests(db: sqlite3.Connection) -> dict[str, str]:
    """Every stored card's digest, read a piece at a time (giving way between pieces)."""
    stored: dict[str, str] = {}
    cursor = db.execute("SELECT slug, digest FROM story_cards")
    while found := cursor.fetchmany(COMPARED_PIECE):
        stored.update(found)
        give_way()
    return stored


def pieces(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size``."""
    them = iter(items)
    while piece := list(islice(them, size)):
        yield piece


def _compared(
    stored: dict[str, str], digests: Mapping[str, str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The index's cards no longer served (its slugs), and the served cards whose digest it
    lacks (slug and digest, in the served order), looked at a piece at a time (giving way
    between pieces); each piece in one comprehension, no function called per card (a
    ``lambda`` per card was 0.30 s of CPU at 100,000 cards: branch ``stall18``)."""
    gone: list[str] = []
    for piece in pieces(stored, COMPARED_PIECE):
        gone += [slug for slug in piece if slug not in digests]
        give_way()
    held = stored.items()  # (an item in it: that slug with that very digest)
    wanted: list[tuple[str, str]] = []
    for items in pieces(digests.items(), COMPARED_PIECE):
        wanted += [item for item in items if item not in held]
        give_way()
    return gone, wanted


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, its lock taken at its start (the connection commits each
    statement alone otherwise: ``with db`` begins nothing in autocommit mode). Another
    process writing the same index (a shard) waits for it, and reads the rows it wrote once
    they are all there: the next row id, a card's rows, are never taken twice."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _hash(row: tuple[str, ...]) -> bytes:
    return hashlib.blake2b("\x1f".join(row).encode(), digest_size=16).digest()


def _consistent(db: sqlite3.Connection) -> bool:
    """Whether the index holds a row for each card it lists (once per process: a count of
    each table; damage in the file shows here too, as ``sqlite3.DatabaseError``)."""
    try:
        (cards,) = db.execute("SELECT count(*) FROM story_cards").fetchone()
        (rows,) = db.execute("SELECT count(*) FROM stories").fetchone()
    except sqlite3.OperationalError:  # (a table missing)
        return False
    return bool(cards == rows)


def _identity(path: str) -> tuple[int, ...] | None:
    """The file at ``path`` as it is now (another file there, or this one written, differs);
    None when there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_ctime_ns, found.st_size)


def _unmade(path: str) -> bool:
    """Whether no database is at ``path`` yet (no file, or one nothing was written to)."""
    found = _identity(path)
    return found is None or found[3] == 0


@contextlib.contextmanager
def _turn(path: str | None) -> Iterator[None]:
    """The turn to make the index's file at ``path``, or build it again, among the processes
    sharing it: an exclusive ``flock`` of ``<path>-lock`` (kept: a lock file deleted could be
    locked by one process while another makes a new one), waited for up to ``REBUILD_WAIT``
    (a process stopped while holding it delays the others, never stops them). None (a
    temporary file, this process's own), or a folder where the lock file cannot be made: no
    turn taken."""
    handle = -1
    if path is not None:
        with contextlib.suppress(OSError):
            handle = os.open(f"{path}-lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        if handle >= 0 and not _locked(handle):
            # Another shard makes or rebuilds the file: waited for without the catalog's turn
            # (a reload of this process's would wait for it as long: round 19's leftover).
            with stepped_aside():
                deadline = time.monotonic() + REBUILD_WAIT
                while time.monotonic() < deadline and not _locked(handle):
                    time.sleep(0.05)
        yield
    finally:
        if handle >= 0:
            os.close(handle)


def _locked(handle: int) -> bool:
    """Whether this process now holds the exclusive ``flock`` of ``handle`` (or the file
    system has none: then no turn is kept); False while another process holds it."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # (a file system without flock)
        return True
    return True


def _remove_files(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):  # (gone already, or a read-only folder)
            Path(path + suffix).unlink()


def _remove(db: sqlite3.Connection, slugs: list[str]) -> None:
    marks = ", ".join("?" * len(slugs))
    found = db.execute(f"SELECT id FROM story_cards WHERE slug IN ({marks})", slugs)
    ids = [row[0] for row in found]
    if ids:
        id_marks = ", ".join("?" * len(ids))
        db.execute(f"DELETE FROM stories WHERE rowid IN ({id_marks})", ids)
        db.execute(f"DELETE FROM story_cards WHERE id IN ({id_marks})", ids)


def _phrase(term: str) -> str:
    """A word as an FTS5 string (its own quotes doubled): never read as FTS5's syntax."""
    return '"' + term.replace('"', '""') + '"'


def _search(
    db: sqlite3.Connection, words: list[str], limit: int, columns: tuple[str, ...] = ()
) -> list[StoryHit]:
    terms = [term for word in words if (term := _terms_for(db, word)) is not None]
    if not terms:
        return []
    if columns:  # (only these columns: FTS5's column filter on each term)
        within = "{" + " ".join(columns) + "}"
        terms = [f"{within} : {term}" for term in terms]
    # Every word first (an intersection of postings: cheap); the cards holding only some of
    # them (a union, each card ranked: dearer) only when no card holds them all.
    pool = _ranked(db, " AND ".join(terms), limit)
    if pool:
        slugs = _slugs(db, [rowid for rowid, _ in pool])
        held = len(terms)
        return [StoryHit(slugs[rowid], held, rank, held) for rowid, rank in pool if rowid in slugs]
    pool = _ranked(db, " OR ".join(terms), limit) if len(terms) > 1 else []
    if not pool:
        return []
    ids = [rowid for rowid, _ in pool]
    marks = ", ".join("?" * len(ids))
    matched = dict.fromkeys(ids, 0)
    for term in terms:
        for (rowid,) in db.execute(
            f"SELECT rowid FROM stories WHERE stories MATCH ? AND rowid IN ({marks})", (term, *ids)
        ):
            matched[rowid] += 1
    slugs = _slugs(db, ids)
    hits = [
        StoryHit(slugs[rowid], matched[rowid], rank, len(terms))
        for rowid, rank in pool
        if rowid in slugs
    ]
    hits.sort(key=lambda hit: (-hit.matched, hit.rank))
    return hits


def _ranked(db: sqlite3.Connection, expression: str, limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` cards for an FTS5 expression, by BM25 (the columns weighted)."""
    weights = ", ".join(map(str, WEIGHTS))
    return db.execute(
        f"SELECT rowid, bm25(stories, {weights}) FROM stories WHERE stories MATCH ? "
        "ORDER BY rank LIMIT ?",
        (expression, limit),
    ).fetchall()


def _slugs(db: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    marks = ", ".join("?" * len(ids))
    return dict(db.execute(f"SELECT id, slug FROM story_cards WHERE id IN ({marks})", ids))


def _terms_for(db: sqlite3.Connection, word: str) -> str | None:
    """A word, or words that mean the same written ``mom|mother``, as one FTS5 term: the
    first as :func:`_term_for` finds it (or its nearest spelling), the others only as typed,
    any of them (OR)."""
    first, *others = word.split("|")
    found = [_term_for(db, first), *(_held(db, _phrase(other)) for other in others)]
    terms = [term for term in found if term is not None]
    return None if not terms else terms[0] if len(terms) == 1 else f"({' OR '.join(terms)})"


def _held(db: sqlite3.Connection, phrase: str) -> str | None:
    """``phrase`` when some story holds it."""
    found = db.execute("SELECT 1 FROM stories WHERE stories MATCH ? LIMIT 1", (phrase,))
    return phrase if found.fetchone() else None


def _term_for(db: sqlite3.Connection, word: str) -> str | None:
    """``word`` as an FTS5 term when some story holds it (stemmed as the index is), else the
    nearest term of the vocabulary sharing its first letters (a typo), else None."""
    # A Hangul word is the start of the words it is found in: a particle is written on to
    # its noun ("유령이" holds "유령"), and FTS5 cannot take it off.
    phrase = _phrase(word) + ("*" if _HANGUL.search(word) else "")
    if _held(db, phrase):
        return phrase
    if len(word) < TYPO_MIN_LETTERS:
        return None
    start = word[:2]
    end = start[:-1] + chr(ord(start[-1]) + 1)
    # (a stem is at most two letters shorter than its word, "zombies" is "zombi", and the
    # start of a longer word is no typo of it: "forest" is not "fore")
    shortest = max(TYPO_MIN_LETTERS, len(word) - 2)
    vocabulary = [
        term
        for (term,) in db.execute(
            "SELECT term FROM stories_vocab WHERE term >= ? AND term < ? LIMIT ?",
            (start, end, VOCABULARY_LOOKED_AT),
        )
        if len(term) >= shortest
    ]
    best = process.extractOne(word, vocabulary, scorer=_stem_ratio, score_cutoff=TYPO_SCORE)
    return _phrase(best[0]) if best is not None else None


def _stem_ratio(word: str, term: str, **_: object) -> float:
    """How near a typed word is to a stemmed term: the whole word, or its start as long as
    the term and a letter more (a stem is a word's start: "lawyers" ~ "lawyer")."""
    return max(fuzz.ratio(word, term), fuzz.ratio(word[: len(term) + 1], term))
