"""A full reload done in a worker process: the folder listed, the changed cards read and
checked, the plan made, the rows written and the new catalog built and kept in the database,
all there; the serving process gets back only the report's data and reads the kept catalog
back as a warm start does (``Rebuilding._reload_apart``).

Why: after a full reload done in the serving process, what pinned CPython's arenas was
mostly the reload's own temporaries (the cards it parsed, the plan, the rows it wrote; branch
``flatpy9`` in docs/performance.md), which a process of its own takes away whole when it ends.

The worker plans against the cards the database holds; it does only what the serving process
would do with the same cards (their fingerprint is checked first), and it answers "here"
(the serving process then reloads by itself, as before) whenever it cannot vouch for that:
other cards in the database, damaged rows, a database it cannot write now (another process
holds the write lock, or it fails), or a reload that is no full build after all (a few edits
updated in place, only stamps moved). It dies or fails before its rows are written: "here"
too. Once they are written and the cards passed their checks, it says so and waits for a go;
a failure from then on is :class:`BuildFailed`, as for ``build_worker``. So is a worker that
gives no answer in time (``CatalogService.reload_timeout_s``) at either step: it is killed
(its transaction, if any, rolled back), and the reload fails rather than being done here.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import os
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cards.errors import CardError
from bot.cards.loader import FolderScan
from bot.cards.parallel import end_with
from bot.cards.turns import in_thread
from bot.catalog import derived
from bot.catalog.build_worker import TIMEOUT_S, BuildFailed, keep_built
from bot.catalog.entries import fingerprint_of
from bot.catalog.folder_scan import PackedScan, unpacked
from bot.catalog.reload_plan import Plan, small_edit
from bot.catalog.reload_report import report_titles
from bot.catalog.store import CatalogDiff, Store, is_busy
from bot.catalog.stored_cards import changes, made_all
from bot.crash_trace import ended, start_worker, worker_context

if TYPE_CHECKING:
    from bot.catalog.service import CatalogService

log = logging.getLogger("bot.catalog.build_worker")  # (the build's records, as before)


@dataclass(slots=True)
class Outcome:
    """What the worker sends back: ``kind`` is "here" (the serving process reloads by itself;
    ``why`` says why), "errors" (broken cards: not applied), "refused" (the removal guard),
    "nothing" (no card changed, no stamp moved) or "checked" (written; building)."""

    kind: str
    why: str = ""
    diff: CatalogDiff = field(default_factory=CatalogDiff)
    errors: tuple[CardError, ...] = ()
    titles: dict[str, str] = field(default_factory=dict)
    parsed: int = 0
    listed: bool = True
    folder_ok: bool = True
    refused: str = ""
    guard: str = ""  # the guard's reason as data (``ReloadReport.guard``)
    linked: bool = False  # the listing found a card reached through a link
    print_: str = ""  # the new cards' fingerprint


#: ``shown(step, done, total)``: a reload's worker is at ``step`` (:data:`STEPS`), with
#: ``done`` of ``total`` files read (0 and 0 when the step counts nothing).
Shown = Callable[[str, int, int], None]
#: The steps a reload's worker tells, in order (the serving process tells the last one).
STEPS = ("starting", "reading", "writing", "building", "taking in")


@dataclass(slots=True)
class Request:
    """What the serving process asks of the worker."""

    database: str
    data_dir: Path
    busy_timeout_ms: int
    served_print: str  # the fingerprint of the cards the serving process serves
    only: list[str] | None
    trust_stamps: bool
    full: bool
    confirm: bool
    max_removed_share: float
    unsettled: bool
    handed: bool = False  # the folder's listing follows on the pipe (``Reloading``)
    shows: bool = False  # the worker tells its progress (``Shown``)


async def started(
    request: Request,
    listing: PackedScan | None = None,
    timeout_s: float = TIMEOUT_S,
    shown: Shown | None = None,
) -> Reloading:
    """A reload's worker (:class:`Reloading`), started from a thread: ``Process.start`` waits
    for the forkserver to fork it (and starts the forkserver the first time), 110 to 313 ms
    on the event loop at load 25. Cancelled meanwhile (the bot stopping), the worker is
    stopped and let go as soon as it has started."""
    starting = asyncio.ensure_future(in_thread(Reloading, request, listing, timeout_s, shown))
    try:
        worker = await asyncio.shield(starting)
    except asyncio.CancelledError:
        starting.add_done_callback(_let_go)
        raise
    log.info("reloading the cards in process %d", worker.pid)
    return worker


def _let_go(starting: asyncio.Future[Reloading]) -> None:
    """The worker of a reload cancelled while it started, stopped (in a thread of its own:
    ``close`` waits for the process to end)."""
    if starting.cancelled() or starting.exception() is not None:
        return
    worker = starting.result()
    worker.stop()
    threading.Thread(target=worker.close, name="drama-bot reload's end", daemon=True).start()


class Reloading:
    """The worker process of one reload, seen from the serving process (started by
    :func:`started`)."""

    def __init__(
        self,
        request: Request,
        listing: PackedScan | None = None,
        timeout_s: float = TIMEOUT_S,
        shown: Shown | None = None,
    ) -> None:
        """``listing``: the folder as the serving process listed it for this reload (sent
        with the first message; the worker then does not list it). ``timeout_s``: how long
        each of its two answers may take (then it is killed and the reload fails).
        ``shown``: what to tell of the worker's progress (called in the thread that waits
        for its answer)."""
        self._listing = listing
        self._timeout_s = timeout_s
        self._shown = shown
        request.shows = shown is not None
        request.handed = listing is not None
        context = worker_context()  # (as the card readers)
        self._conn, theirs = context.Pipe(duplex=True)
        self._process: BaseProcess = context.Process(
            target=_work,
            args=(theirs, request, derived.code_version(), os.getpid()),
            name="drama-bot reload",
        )
        try:
            self._process.start()
        finally:
            theirs.close()
        self.pid = self._process.pid

    def checked(self) -> Outcome:
        """The worker's first answer (blocks: run it in a thread); "here" when it dies or
        fails before it wrote anything. Raises :class:`BuildFailed` ("timeout") when it gives
        no answer in time, once it is killed: what hung there (a disk, a card) would hang a
        reload done here too, holding the reload lock for good."""
        try:
            if self._listing is not None:
                listing, self._listing = self._listing, None
                self._conn.send(("listing", listing))
            kind, detail = self._answer("the reload process")
        except (EOFError, OSError):
            self._process.join(5)
            return Outcome("here", f"it stopped ({ended(self._process.exitcode)})")
        if kind == "outcome":
            return detail  # type: ignore[no-any-return]
        return Outcome("here", str(detail))

    def kept(self) -> str:
        """Tell the worker to build and keep the catalog; the header it kept (blocks).
        Raises :class:`BuildFailed`."""
        log.info("building the new catalog in process %d", self.pid)
        try:
            self._conn.send("build")
            kind, detail = self._answer("the build process")
        except (EOFError, OSError) as exc:
            self._process.join(5)
            code = self._process.exitcode
            raise BuildFailed(
                f"the build process stopped ({ended(code)})", "stopped", code
            ) from exc
        if kind != "kept":
            raise BuildFailed(f"the build process failed: {detail}", "failed")
        return str(detail)

    def _answer(self, what: str) -> tuple[str, object]:
        """The worker's next answer, what it tells of its progress meanwhile shown; kill it
        and raise :class:`BuildFailed` when no answer comes within the time allowed."""
        deadline = time.monotonic() + self._timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self._conn.poll(left):
                self.stop()
                self._process.join(5)
                raise BuildFailed(f"{what} gave no answer in {self._timeout_s:g} s", "timeout")
            kind, detail = self._conn.recv()
            if kind != "progress":
                return kind, detail
            if self._shown is not None:
                self._shown(*detail)

    def stop(self) -> None:
        """Kill the worker (the reload was cancelled: the bot is stopping); whatever waits for
        its answer gets "it stopped". Its database transaction, if any, is rolled back."""
        if self._process.is_alive():
            self._process.kill()

    def close(self) -> None:
        """Let go of the worker (killed if it still runs). Blocks: run it in a thread."""
        self._conn.close()
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def _work(conn: Connection, request: Request, code: str, parent: int) -> None:
    start_worker()  # (a native crash here: its stack on the serving process's stderr)
    gc.disable()  # (a short-lived process: the collector would only walk what it makes)
    end_with(parent)  # (the serving process killed: this one ends too, as card readers do)
    try:
        if derived.code_version() != code:
            here = derived.code_version()[:12]
            why = f"the bot's code changed on disk ({code[:12]} there, {here} here)"
            conn.send(("outcome", Outcome("here", why)))
            return
        asyncio.run(_reload(conn, request))
    except BaseException as exc:  # (reported to the serving process)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        with contextlib.suppress(OSError):
            conn.send(("failed", detail))
    finally:
        conn.close()


async def _reload(conn: Connection, request: Request) -> None:
    from bot.catalog.service import CatalogService

    store = Store.open(request.database)
    store.busy_timeout_ms = request.busy_timeout_ms
    async with store:
        service = CatalogService(
            store, request.data_dir, max_removed_share=request.max_removed_share
        )
        service.journal_from = 1 << 62  # (the serving process keeps the folder's journal)
        tell = _teller(conn) if request.shows else None
        if tell is not None:
            service.progress = functools.partial(tell, "reading")  # (files read: done, total)
        scanned = None
        if request.handed:
            kind, listing = conn.recv()
            assert kind == "listing", kind
            scanned = unpacked(listing)
        outcome, plan = await _checked(service, request, scanned, tell)
        conn.send(("outcome", outcome))
        if plan is None or conn.recv() != "build":
            return
        if tell is not None:
            tell("building", 0, 0)
        cards = [entry.card for entry in plan.entries.values()]
        head = await keep_built(store, outcome.print_, cards)
        conn.send(("kept", head))


async def _checked(
    service: CatalogService, request: Request, scanned: FolderScan | None, tell: Shown | None
) -> tuple[Outcome, Plan | None]:
    """The reload planned, checked and (for a full build) written by ``service``, over the
    cards the database holds (from ``scanned``, the serving process's listing, when it
    handed one); the plan when the catalog is to be built. ``tell``: its progress."""
    entries, damaged = await service._stored_entries()
    if damaged:
        return Outcome("here", f"{damaged} damaged card rows in the database"), None
    if fingerprint_of(entries) != request.served_print:
        return Outcome("here", "the database holds other cards than those served"), None
    if made_all(entries):  # (the checks across cards look at every card)
        return Outcome("here", "damaged card rows in the database"), None
    service._entries = entries
    service._unsettled = request.unsettled
    only = None if request.only is None else set(request.only)
    plan = await service._plan(only, trust_stamps=request.trust_stamps, scanned=scanned)
    outcome = Outcome(
        "",
        diff=plan.diff,
        parsed=plan.parsed,
        listed=plan.listed,
        folder_ok=plan.folder_ok,
        linked=service._links_found,
    )
    if plan.errors:
        outcome.kind, outcome.errors = "errors", tuple(plan.errors)
        return outcome, None
    refused = service._guard(plan, confirm=request.confirm)
    if refused:
        outcome.kind, outcome.refused = "refused", refused
        outcome.guard = service._guard_kind(plan)
        return outcome, None
    if not plan.changes_cards and not plan.restamped and not request.full:
        outcome.kind = "nothing"
        return outcome, None
    if not (plan.changes_cards or request.full) or (
        plan.changes_cards and not request.full and small_edit(plan.diff)
    ):
        return Outcome("here", "not a full build"), None
    outcome.titles = report_titles(plan, entries)
    *_, rows = changes({}, {}, set(), plan)
    if tell is not None:  # (the rows go in one transaction: counted when it is done)
        tell("writing", 0, len(rows[0]))
    try:
        await service.store.write_changes(*rows, service._source)
    except sqlite3.DatabaseError as exc:
        busy = "busy" if is_busy(exc) else "failing"
        return Outcome("here", f"the database is {busy} ({exc})"), None
    if tell is not None:
        tell("writing", len(rows[0]), len(rows[0]))
    outcome.kind = "checked"
    outcome.print_ = fingerprint_of(plan.entries)
    return outcome, plan


def _teller(conn: Connection) -> Shown:
    """``shown`` for the serving process: what the worker is at, sent on the pipe."""

    def tell(step: str, done: int, total: int) -> None:
        conn.send(("progress", (step, done, total)))

    return tell
