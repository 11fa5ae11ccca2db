"""Reading many card files at once, spread over worker processes.

Parsing YAML and validating a card is pure Python work bound by the GIL, so threads would not
help: big folders are read by a pool of processes (one per core), in chunks, and the results
come back as plain data: a valid card comes back as its JSON body only (the store's form, made
in the worker anyway), decoded into a :class:`Card` here by msgspec's typed decoder, which
costs a fraction of pickling and unpickling the card's objects. A few files are read in this
process, where starting a pool would cost more than it saves.
"""

from __future__ import annotations

import functools
import logging
import os
import pickle
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import msgspec

from bot.cards.cross_checks import NameKeys
from bot.cards.errors import CardError
from bot.cards.loader import FileStamp, Progress, ReadCard, read_card
from bot.cards.model import Card
from bot.cards.turns import taking
from bot.crash_trace import interrupts_held, proc_stat, start_worker, worker_context

#: Below this many files, reading in this process is faster than starting workers.
POOL_THRESHOLD = 2_000
CHUNK = 500

log = logging.getLogger(__name__)


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def read_cards(
    paths: Sequence[Path | str],
    *,
    known_hashes: Sequence[str] | None = None,
    known_digests: Sequence[str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    bodies: bool = True,
) -> list[ReadCard]:
    """Read and validate every file in ``paths``; results in the same order. A file whose
    bytes hash to its entry in ``known_hashes`` is not parsed, and one whose card has its
    entry in ``known_digests`` is not sent back (``ReadCard.unchanged`` for both). With
    ``bodies`` false valid cards come without the store's ``body`` and ``digest`` (for
    whoever stores nothing: encoding them is a tenth of reading a card)."""
    total = len(paths)
    jobs = list(
        zip(
            (str(p) for p in paths),
            known_hashes or [""] * total,
            known_digests or [""] * total,
            strict=True,
        )
    )
    workers = default_workers() if workers is None else max(1, workers)
    if workers > 1 and total >= POOL_THRESHOLD:
        try:
            return _read_in_pool(jobs, workers, progress, bodies)
        except BrokenProcessPool:  # (one was killed: a native crash, the out-of-memory killer)
            log.warning(
                "a card reader process ended abruptly (a crash prints its stack above); "
                "reading the cards in this process"
            )
        except OSError as exc:  # e.g. no /dev/shm in a container
            log.warning("cannot start worker processes (%s); reading in this process", exc)
    results = []
    for number, job in enumerate(jobs, start=1):
        results.append(_read_job(job, bodies=bodies))
        if progress is not None and (number % CHUNK == 0 or number == total):
            progress(number, total)
    return results


def _read_in_pool(
    jobs: list[Job], workers: int, progress: Progress | None, bodies: bool
) -> list[ReadCard]:
    total = len(jobs)
    chunks = [jobs[i : i + CHUNK] for i in range(0, total, CHUNK)]
    # forkserver: the workers do not inherit this process's threads (the event loop's,
    # aiosqlite's), which fork would copy in whatever state their locks were.
    # (Ctrl-C blocked in them: see worker_context)
    context = worker_context()
    results: list[ReadCard] = []
    # (a Ctrl-C inside the pool's own start-up left it half made: held until a chunk is in)
    with (
        interrupts_held() as held,
        ProcessPoolExecutor(
            workers, mp_context=context, initializer=_end_with, initargs=(os.getpid(),)
        ) as pool,
    ):
        read_chunk = functools.partial(_read_chunk_pickled, bodies=bodies)
        answers = pool.map(read_chunk, chunks)
        try:
            for chunk, pickled in zip(chunks, answers, strict=True):
                if held:
                    raise KeyboardInterrupt
                with taking("read chunk"):  # (bot.cards.turns)
                    results.extend(_with_cards(chunk, pickle.loads(pickled)))
                if progress is not None:
                    progress(len(results), total)
        finally:
            answers.close()  # (the chunks not started yet are cancelled, not waited for)
    return results


Job = tuple[str, str, str]  # path, known hash, known digest

#: How often a worker looks whether the process that started it is still there (seconds).
PARENT_CHECK_S = 1.0


def _end_with(parent: int) -> None:
    """A worker's initializer: end the worker soon after ``parent`` (the process reading the
    cards) is gone. Killed mid-read (SIGTERM, SIGKILL, the OOM killer), it never shuts its
    pool down, and each worker, holding the task queue's write end itself, waited for a task
    forever beside the forkserver: the leftover processes also kept the caller's stdout open,
    so ``drama-bot ask ... | cat`` never ended (polish9)."""

    start_worker()  # (a native crash in a reader: its stack on the reading process's stderr)

    def watch() -> None:
        while not _gone(parent):
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


#: (The reload's worker process ends with the serving process the same way.)
end_with = _end_with


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended: no such process, or a zombie (ended, and its own
    parent, e.g. a test's ``subprocess.run``, has not collected it yet)."""
    try:
        return proc_stat(pid)[:1] in ([b"Z"], [b"X"])
    except FileNotFoundError:
        return True
    except OSError:  # no /proc: whether a signal could reach it
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def _read_job(job: Job, folders: dict[str, str] | None = None, bodies: bool = True) -> ReadCard:
    """Read one job's file; ``folders`` remembers the real path of each folder met, so a
    chunk of files in one folder resolves it once, not once per file (the check that each
    file opened is inside it stays per file: ``read_limited``). The path stays a string
    (making a ``Path`` of each was 5% of a worker's time)."""
    path, known_hash, known_digest = job
    folder = None
    if folders is not None:
        parent = os.path.dirname(path) or "."
        folder = folders.get(parent)
        if folder is None:
            folder = folders[parent] = os.path.realpath(parent)
    return read_card(
        path, known_hash=known_hash, known_digest=known_digest, folder=folder, body=bodies
    )


def _read_chunk_pickled(jobs: list[Job], bodies: bool = True) -> bytes:
    """:func:`_read_chunk`, its results pickled here: the pool's result thread, which takes no
    turn (``bot.cards.turns``), then unpickles one ``bytes`` (a copy), not a chunk's hundreds
    of tuples and strings (a few milliseconds holding the GIL beside the reader's decoding);
    they are unpickled in the reading thread, in its turn."""
    return pickle.dumps(_read_chunk(jobs, bodies), pickle.HIGHEST_PROTOCOL)


def _read_chunk(jobs: list[Job], bodies: bool = True) -> list[ReadCard | _Sent]:
    """Read in a worker; each valid card is sent back as its body only (see the module), or
    without a body as msgspec's JSON of the card, in a plain tuple (:data:`_Sent`)."""
    folders: dict[str, str] = {}
    results: list[ReadCard | _Sent] = []
    for job in jobs:
        read = _read_job(job, folders, bodies)
        if read.card is not None and not read.errors:
            stamp = read.stamp
            results.append(
                (
                    read.slug,
                    read.body or _CARD_ENCODER.encode(read.card),
                    read.digest,
                    stamp.size,
                    stamp.mtime_ns,
                    stamp.content_hash,
                    read.title,
                    read.lines,
                    read.title_key,
                    read.name_keys,
                    read.warnings,
                )
            )
        else:
            if read.card is not None:  # pragma: no cover - a valid card has no errors
                if not read.body:
                    read.packed = _CARD_ENCODER.encode(read.card)
                read.card = None
            results.append(read)
    return results


#: A valid card as a worker sends it back: slug, body (``str``) or msgspec's JSON of the
#: card (``bytes``), digest, the file's size, mtime and hash, title, lines, title key, name
#: keys, warnings. A tuple of plain values pickles in about a third of the time a
#: :class:`ReadCard` (a dataclass with slots) and its :class:`FileStamp` take, and unpickles
#: in about half, rebuilding included (0.0135 + 0.0103 ms → 0.0052 + 0.0058 ms a card).
_Sent = tuple[
    str,
    str | bytes,
    str,
    int,
    int,
    str,
    str | None,
    dict[str, tuple[int, ...]],
    tuple[str, int] | None,
    NameKeys | None,
    list[CardError],
]


_CARD_DECODER = msgspec.json.Decoder(Card)
_CARD_ENCODER = msgspec.json.Encoder()


def _with_cards(jobs: list[Job], sent: list[ReadCard | _Sent]) -> list[ReadCard]:
    """The cards a worker sent as bodies or packed, decoded (``card`` None with a ``body``
    or ``packed``: only a valid card has one). Should one not decode, its file is read again
    here."""
    reads = [item if type(item) is not tuple else _unpacked(item) for item in sent]
    for index, (job, read) in enumerate(zip(jobs, reads, strict=True)):
        if read.card is None and (read.body or read.packed):
            try:
                read.card = _CARD_DECODER.decode(read.body or read.packed)
                read.packed = b""
            except msgspec.MsgspecError:  # pragma: no cover - a body we wrote ourselves
                log.exception("cannot decode the card of %s; reading it again", read.slug)
                reads[index] = _read_job(job)
    return reads


def _unpacked(sent: _Sent) -> ReadCard:
    """The :class:`ReadCard` a worker's tuple stands for (its card still to decode)."""
    slug, body, digest, size, mtime_ns, content_hash, title, lines, key, names, warnings = sent
    text, packed = (body, b"") if type(body) is str else ("", body)
    return ReadCard(
        slug,
        None,
        [],
        FileStamp(size, mtime_ns, content_hash),
        text,  # type: ignore[arg-type]
        digest,
        warnings=warnings,
        title=title,
        lines=lines,
        title_key=key,
        name_keys=names,
        packed=packed,  # type: ignore[arg-type]
    )
