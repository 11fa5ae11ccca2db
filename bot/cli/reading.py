"""Lines read by a thread of their own, handed to the event loop one at a time.

``drama-bot ask`` read its commands from stdin on the event loop's thread: waiting there for
the next line, it did not end on Ctrl-C (8 of 8 tries, round 13). The kernel gives SIGINT to
any thread of the process; Python's handler runs on the main thread only, which went on
waiting in ``read`` until a line or the end of stdin came. Read here, the main thread waits
in the event loop, which the signal wakes, and ``ask`` ends with 130 at once. The reading
thread is a daemon: a process that ends while it waits for a line does not wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterable

_END = object()


async def read_apart(lines: Iterable[str]) -> AsyncIterator[str]:
    """``lines`` as they come, read on a daemon thread (a list or tuple is just iterated)."""
    if isinstance(lines, list | tuple):
        for line in lines:
            yield line
        return
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[object] = asyncio.Queue()

    def put(item: object) -> None:
        # (the loop closed: the process is ending, and nobody wants the line)
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(queue.put_nowait, item)

    def read() -> None:
        try:
            for line in lines:
                put(line)
        except Exception as exc:  # (an unreadable stdin: raised where the lines are used)
            put(exc)
        else:
            put(_END)

    threading.Thread(target=read, name="stdin-reader", daemon=True).start()
    while (item := await queue.get()) is not _END:
        if isinstance(item, Exception):
            raise item
        yield item  # type: ignore[misc]
