"""A full reload's catalog built in another process and kept in the database.

A full reload that built the new catalog in the serving process made it while the old one
served, beside the reload's temporaries (read cards, line maps, the write's rows, the build's
own lists): freeing those and then the old catalog left holes in nearly every 1 MiB arena of
CPython's small-object allocator, and the process grew by four fifths of its size after the
first full reload (issue 10: 560 → 1,040 MB at 100,000 cards) and stayed there.

So once a full reload's cards are in the database, a worker process reads them back from
there, builds the catalog (its similarity in a process of its own, as in this one) and keeps
it in the database as a start would (``bot.catalog.derived``, under the fingerprint of those
very cards). The serving process then takes it in as a warm start does: the cards read back
from the database and the kept catalog decoded, in worker threads and a piece at a time, in
one sweep, so that what it holds from then on is made compactly, and the old catalog's arenas
come free whole once it is replaced.

Any failure (the process cannot start, dies, finds other cards in the database than those it
was told of, cannot write) is raised as :class:`BuildFailed`: the reload is not applied and
the last good catalog keeps serving.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import traceback
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from bot.cards.model import Card
from bot.catalog import derived
from bot.catalog.snapshot import Catalog
from bot.catalog.store import Store, decoded
from bot.crash_trace import ended, start_worker, worker_context

log = logging.getLogger(__name__)

#: From this many cards on, a full reload builds the catalog in a worker process (below, a
#: process costs more to start than the build it would take away).
WORKER_FROM = 5_000
#: Seconds to wait for the worker before giving up (the 100,000-card build takes about 30 s
#: of CPU).
TIMEOUT_S = 900.0


class BuildFailed(RuntimeError):
    """The worker process did not build and keep the catalog. ``reason`` says how, for the
    admin's reply: "start" (it could not start), "timeout" (no answer in time), "stopped" (it
    ended without an answer: ``exit_code``, negative for the signal that killed it), "failed"
    (it raised), "" (the catalog it kept could not be read back)."""

    def __init__(self, message: str, reason: str = "", exit_code: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.exit_code = exit_code


class CodeChanged(BuildFailed):
    """The worker runs other code than this process (the bot's files were updated since it
    started): what it would build may not be what this process can read, so it builds
    nothing (the caller builds the catalog itself)."""


def build_and_keep(
    database: str, print_: str, busy_timeout_ms: int, timeout_s: float = TIMEOUT_S
) -> str:
    """Build the catalog of the cards ``database`` holds in a worker process and keep it
    there; its header (``derived.header``). The cards must be those of fingerprint ``print_``
    (the ones the reload wrote), else nothing is kept. Blocks: run it in a thread."""
    context = worker_context()  # (as the card readers: no threads)
    ours, theirs = context.Pipe(duplex=False)
    code = derived.code_version()
    process: BaseProcess = context.Process(
        target=_work,
        args=(theirs, database, print_, code, busy_timeout_ms),
        name="drama-bot build",
    )
    try:
        process.start()
    except (OSError, RuntimeError, AssertionError) as exc:
        ours.close()
        theirs.close()
        raise BuildFailed(f"the build process could not start ({exc})", "start") from exc
    theirs.close()
    log.info("building the new catalog in process %d", process.pid)
    try:
        if not ours.poll(timeout_s):
            raise BuildFailed(f"the build process gave no answer in {timeout_s:g} s", "timeout")
        try:
            outcome, detail = ours.recv()
        except (EOFError, OSError) as exc:
            process.join(5)
            code = process.exitcode
            raise BuildFailed(
                f"the build process stopped ({ended(code)})", "stopped", code
            ) from exc
        if outcome == "code":
            raise CodeChanged(f"the bot's code changed on disk since it started ({detail})")
        if outcome != "kept":
            raise BuildFailed(f"the build process failed: {detail}", "failed")
        return str(detail)
    finally:
        ours.close()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()


def _work(conn: Connection, database: str, print_: str, code: str, busy_timeout_ms: int) -> None:
    """The worker: the stored cards read, checked against ``print_``, built, kept."""
    start_worker()  # (a native crash here: its stack on the serving process's stderr)
    gc.disable()  # (a short-lived process: the collector would only walk what it builds)
    if derived.code_version() != code:
        conn.send(("code", f"{code[:12]} there, {derived.code_version()[:12]} here"))
        conn.close()
        return
    try:
        head = asyncio.run(_build_and_keep(database, print_, busy_timeout_ms))
    except BaseException as exc:  # (reported to the serving process, which raises it)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        conn.send(("failed", detail))
    else:
        conn.send(("kept", head))
    finally:
        conn.close()


async def _build_and_keep(database: str, print_: str, busy_timeout_ms: int) -> str:
    store = Store.open(database)
    store.busy_timeout_ms = busy_timeout_ms
    async with store:
        cards = []
        pairs: list[tuple[str, str]] = []
        async for batch in store.stored_batches():
            for slug, _stamp, digest, card in decoded(batch):
                if card is None:
                    raise ValueError(f"the stored card {slug!r} cannot be read")
                cards.append(card)
                pairs.append((slug, digest))
        if derived.fingerprint(pairs) != print_:
            raise ValueError("the database holds other cards than the reload wrote")
        return await keep_built(store, print_, cards)


async def keep_built(store: Store, print_: str, cards: list[Card]) -> str:
    """Build the catalog of ``cards`` (those of fingerprint ``print_``) and keep it in
    ``store`` as a start would; its header. (In a worker process.)"""
    catalog = Catalog.build(cards)
    head, parts = derived.encode(print_, catalog)
    values: dict[str, str | bytes] = {derived.META_KEY: head}
    values |= {f"{derived.META_KEY}.{n}": part for n, part in enumerate(parts)}
    await store.set_meta(values, clear_prefix=derived.META_KEY)
    return head
