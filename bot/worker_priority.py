"""A worker process runs below the process it works for in the scheduler's eyes.

The cold load's card readers (one per core), the similarity process, the full reload's
worker and its build are CPU-bound for seconds on end, while the process they work for
serves answers from an event loop that only needs a core for a moment at a time. At the
same priority, the kernel shared the cores out evenly: a 100,000-card cold load's worst
event-loop stall (round 14, 2 cores) was the serving process waiting 39.5 ms for a core
that our own readers held, with no thread holding the GIL. A worker that lowers its
priority (a higher nice value, and ``SCHED_BATCH``: "a CPU-bound thread, disfavoured when it
wakes") still gets every cycle nobody else wants, so what it costs the load is only the
moments the serving process's threads ran instead.

Only ever lowered (an unprivileged process may not raise it back; a worker never needs
to), relative to what the worker inherited: the bot run under ``nice 5`` has workers at 15.
Where the system refuses (no such call, a sandbox), the worker runs as it was.
"""

from __future__ import annotations

import contextlib
import os

#: How far below the process they work for the workers run (nice values, capped at 19): a
#: nice-10 thread weighs about a tenth of a nice-0 one in Linux's fair scheduler.
WORKER_NICE = 10

_lowered = False


def lower_priority() -> None:
    """Lower this process's scheduling priority for the rest of its life (once: a second
    call changes nothing). Call it first thing in the worker, before it starts threads (on
    Linux both settings are the calling thread's, and threads inherit them)."""
    global _lowered
    if _lowered:
        return
    _lowered = True
    with contextlib.suppress(AttributeError, OSError):  # (not Linux; or not permitted)
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    with contextlib.suppress(AttributeError, OSError):
        os.nice(WORKER_NICE)  # (capped at 19 by the system)
