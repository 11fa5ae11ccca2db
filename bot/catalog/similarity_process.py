"""Every card's computed picks worked out in another process, while this one builds the rest.

A full catalog build at 100,000 cards spends about a third of its time on computed similarity
(:class:`~bot.catalog.similarity.SimilarityIndex` and its ``all_closest``), and the rest on the
name indexes, actors and facets, one after the other on one core. Similarity needs only a few
fields of each card and, to finish, the titles each card lists itself (worked out with the
title index): so it runs in a worker process on the other core, started before the title index
is built, and is told those titles when they are known.

What crosses between the processes is plain data, sent a piece at a time (no single big C call
holding this process's GIL, which a build in a thread shares with the event loop): each card's
traits as msgpack rows, the titles each card lists as card numbers, the picks back as numbers
in an int32 array. The picks are made into this process's own slug strings (no copy of each).

The picks are exactly those of ``SimilarityIndex(cards).all_closest(exclude)`` here: the worker
runs that very code on the same fields. Small catalogs (a process costs more to start than it
saves), and any failure of the worker (it cannot start, dies, sends nothing), work it out in
this process instead.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import queue
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import NamedTuple

import msgspec
import numpy as np

from bot.cards.model import Card
from bot.catalog.heap import free_in_pieces
from bot.catalog.similarity import SimilarityIndex
from bot.crash_trace import ended, start_worker, worker_context

log = logging.getLogger(__name__)

#: Below this many cards the picks are worked out in this process.
PROCESS_THRESHOLD = 5_000
#: Cards per message to the worker (each encoded in one short C call).
ROWS_PER_MESSAGE = 4_096
#: Cards whose picks are made into slugs per step when they come back (see ``_received``).
CARDS_PER_PIECE = 4_096
#: Seconds to wait for the worker's picks before working them out here instead.
TIMEOUT_S = 600.0


class _Member(NamedTuple):
    actor: str


class _Alike(NamedTuple):
    """What similarity reads of a card (the attributes of :class:`Card` it uses)."""

    slug: str
    title: str
    year: int
    season: int | None
    series: str | None
    network: str | None
    genres: tuple[str, ...]
    cast: tuple[_Member, ...]


_ROWS = msgspec.msgpack.Decoder(list[_Alike])
_PAIRS = msgspec.msgpack.Decoder(list[tuple[int, list[int]]])
_ENCODER = msgspec.msgpack.Encoder()


class ComputedPicks:
    """``all_closest`` for a list of cards, started now and collected with :meth:`result`."""

    def __init__(
        self,
        cards: Sequence[Card],
        *,
        threshold: int = PROCESS_THRESHOLD,
        timeout: float = TIMEOUT_S,
    ) -> None:
        self._cards = cards
        self._timeout = timeout
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._exclude: dict[str, frozenset[str]] = {}
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._sender: threading.Thread | None = None
        self._failed = ""  # why sending failed
        if len(cards) >= max(threshold, 2):
            self._start()

    @property
    def in_process(self) -> bool:
        """Whether a worker process is working the picks out."""
        return self._process is not None

    def _start(self) -> None:
        # forkserver, as the card readers: no copy of this process's threads and their locks.
        context = worker_context()
        ours, theirs = context.Pipe()
        try:
            process = context.Process(target=_work, args=(theirs,), daemon=True)
            process.start()
        except (OSError, RuntimeError, AssertionError) as exc:  # (a daemon may not fork)
            log.warning("cannot start a process for similarity (%s); computing it here", exc)
            ours.close()
            theirs.close()
            return
        theirs.close()
        self._process, self._conn = process, ours
        # A thread of ours writes to the pipe: the worker reads nothing while it starts (its
        # imports), and the build must not wait for it meanwhile.
        self._sender = threading.Thread(target=self._send, args=(ours,), daemon=True)
        self._sender.start()
        self._outbox.put(_ENCODER.encode(len(self._cards)))
        for start in range(0, len(self._cards), ROWS_PER_MESSAGE):
            rows = [_row(card) for card in self._cards[start : start + ROWS_PER_MESSAGE]]
            self._outbox.put(_ENCODER.encode(rows))

    def _send(self, conn: Connection) -> None:
        """The sending thread: every message put in the outbox, until None."""
        try:
            while (message := self._outbox.get()) is not None:
                conn.send_bytes(message)
        except OSError as exc:
            self._failed = f"the similarity process stopped ({exc})"

    def exclude(self, exclude: dict[str, frozenset[str]]) -> None:
        """By slug, the slugs each card must not pick (itself and the titles it lists): the
        worker ranks every card once it has these."""
        self._exclude = exclude
        if self._conn is None:
            return
        number = {card.slug: n for n, card in enumerate(self._cards)}
        pairs = [
            (number[slug], [number[s] for s in slugs if s in number])
            for slug, slugs in exclude.items()
            if slug in number
        ]
        for start in range(0, len(pairs), ROWS_PER_MESSAGE):
            self._outbox.put(_ENCODER.encode(pairs[start : start + ROWS_PER_MESSAGE]))
        self._outbox.put(b"")  # the end of the exclusions
        self._outbox.put(None)  # (and of what the sending thread sends)

    def result(self) -> dict[str, tuple[str, ...]]:
        """The picks, by slug (cards with none left out): the worker's, or worked out here."""
        if self._conn is not None:
            try:
                picks = self._received(self._conn)
                if self._failed:
                    raise ValueError(self._failed)
            except (OSError, EOFError, ValueError) as exc:
                self._give_up(self._why_failed(exc))
            else:
                self._close()
                return picks
        index = SimilarityIndex(self._cards)
        picks = index.all_closest(self._exclude)
        free_in_pieces([index])  # (hundreds of thousands of lists: not in one call)
        return picks

    def _received(self, conn: Connection) -> dict[str, tuple[str, ...]]:
        if not conn.poll(self._timeout):
            raise ValueError(f"no answer in {self._timeout:.0f} s")
        head = conn.recv_bytes()
        if not head:
            raise ValueError("it could not work the picks out")
        counts = np.frombuffer(head, dtype=np.int32)
        if len(counts) != len(self._cards):
            raise ValueError("picks for another number of cards")
        flat = np.frombuffer(conn.recv_bytes(), dtype=np.int32)
        if len(flat) != int(counts.sum()) or (
            len(flat) and not 0 <= flat.min() <= flat.max() < len(self._cards)
        ):
            raise ValueError("picks that name no card")
        slugs = [card.slug for card in self._cards]
        ends = np.cumsum(counts)
        picks: dict[str, tuple[str, ...]] = {}
        begin = 0
        # A piece of cards at a time: ``tolist()`` of every pick at once is one C call making
        # (and later freeing) hundreds of thousands of ints while it holds the GIL.
        for first in range(0, len(slugs), CARDS_PER_PIECE):
            piece_ends = ends[first : first + CARDS_PER_PIECE].tolist()
            offset = begin
            chosen = [slugs[n] for n in flat[begin : piece_ends[-1]].tolist()]
            for slug, end in zip(slugs[first : first + len(piece_ends)], piece_ends, strict=True):
                if end > begin:
                    picks[slug] = tuple(chosen[begin - offset : end - offset])
                begin = end
        return picks

    def _why_failed(self, exc: BaseException) -> str:
        """What the warning says when the worker's answer did not come: how the process
        ended when it did (killed by a signal: a crash, the out-of-memory killer), else
        what reading its answer raised."""
        process = self._process
        if process is not None:
            if not isinstance(exc, ValueError):  # (no answer in time: it may still run)
                process.join(1)  # (its end broke the pipe: its exit code is on the way)
            if process.exitcode:
                return f"the similarity process stopped ({ended(process.exitcode)})"
        return f"the similarity process failed ({exc})"

    def _give_up(self, why: str) -> None:
        log.warning("%s; computing similarity in this process", why)
        self._close(wait=0)

    def _close(self, wait: float = 5.0) -> None:
        """Let the worker go: it ends by itself once it has sent the picks (else it is
        killed after ``wait`` seconds)."""
        if self._process is not None:
            self._process.join(wait)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None
        if self._sender is not None:
            # (gone, the worker closed its end: a sender still writing stops with an error)
            self._outbox.put(None)
            self._sender.join()
            self._sender = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _row(card: Card) -> tuple[object, ...]:
    return (
        card.slug,
        card.title,
        card.year,
        card.season,
        card.series,
        card.network,
        card.genres,
        [(member.actor,) for member in card.cast],
    )


def _read_until_empty(conn: Connection, messages: list[bytes]) -> None:
    """Every message up to and with the empty one (kept last); stops early if the pipe does."""
    try:
        while True:
            messages.append(conn.recv_bytes())
            if not messages[-1]:
                return
    except (EOFError, OSError):
        return


def _work(conn: Connection) -> None:
    """The worker: rows in, the similarity index built, exclusions in, picks out."""
    # Everything this process makes lives until it ends (``os._exit``, below): the cyclic
    # collector would only walk the rows and the index's millions of objects again and again
    # (about 2 s of this worker's 7 s of CPU at 100,000 cards).
    gc.disable()
    start_worker()  # (a native crash here: its stack on the building process's stderr)
    try:
        total = msgspec.msgpack.decode(conn.recv_bytes(), type=int)
        cards: list[_Alike] = []
        while len(cards) < total:
            cards += _ROWS.decode(conn.recv_bytes())
        # The exclusions are read while the index is built, so the build never waits on a
        # full pipe to send them.
        messages: list[bytes] = []
        reader = threading.Thread(target=_read_until_empty, args=(conn, messages))
        reader.start()
        index = SimilarityIndex(cards)  # type: ignore[arg-type]
        # What does not need the exclusions is done while the build works them out (its
        # title index first): less is left for after, when the build may be waiting.
        index.prepare()
        reader.join()
        exclude: dict[str, frozenset[str]] = {}
        for message in messages[:-1]:
            for number, others in _PAIRS.decode(message):
                exclude[cards[number].slug] = frozenset(cards[n].slug for n in others)
        if not messages or messages[-1]:
            raise EOFError  # the build stopped before it sent them all
        picks = index.all_closest(exclude)
        number_of = {card.slug: n for n, card in enumerate(cards)}
        counts = np.zeros(len(cards), dtype=np.int32)
        flat: list[int] = []
        for n, card in enumerate(cards):
            chosen = picks.get(card.slug, ())
            counts[n] = len(chosen)
            flat += [number_of[slug] for slug in chosen]
        conn.send_bytes(counts.tobytes())
        conn.send_bytes(np.asarray(flat, dtype=np.int32).tobytes())
        conn.close()
        # Done: end now rather than free the index's millions of objects one by one (seconds,
        # which the build would spend waiting for this process to end).
        os._exit(0)
    except (EOFError, OSError):
        pass  # the build gave up on us
    except Exception:
        log.exception("similarity in a worker process failed")
        with contextlib.suppress(OSError):
            conn.send_bytes(b"")
    finally:
        conn.close()
