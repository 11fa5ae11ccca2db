"""What held the event loop up: each thread's stack, taken while the loop is stalled.

A loop-lag monitor tells how long the loop was late, not why. A watchdog does: a task on the
loop re-arms a timer per thread every ``TICK`` (:mod:`bot.bench.thread_dumps`); when the loop
misses ``threshold`` (it did not come back to re-arm in time), each thread is sent a signal
and writes its own stack (the loop's thread straight into the file, at that moment; the
others' stacks are copied in when the loop comes back, with a line saying how late it was).
The thread that was running Python code or a C call (not waiting in ``select``, a lock or a
queue) is what held the loop up. Before round 13 faulthandler's watchdog thread read every
thread's frames while they ran, which crashed bench children now and then (see
:mod:`bot.bench.thread_dumps`).

``drama-bot bench --stall-traces FILE`` turns it on for every load and reload the bench
times; ``python -m bot.bench.stall_traces FILE`` summarises a file: each stall's lateness, the CPU
each thread ran meanwhile, ``HELD`` when one thread ran for at least half of it (it held the
GIL) or ``waited`` (the process was waiting for a core: a loaded machine), and the innermost
frames of the threads that were not waiting. Files written before round 13 (a ``Timeout``
line, then every thread) read back the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from bot.bench.thread_dumps import ThreadDumps, available

#: The watchdog is re-armed this often (seconds): a stall is caught ``threshold`` after the
#: loop last ran the watchdog.
TICK = 0.005
#: Stalls longer than this (milliseconds) are traced unless told otherwise.
DEFAULT_THRESHOLD_MS = 25.0


class StallTracer:
    """Writes the stacks of every stall longer than ``threshold_ms`` to ``path`` (appended:
    the bench's processes share one file), phase by phase."""

    def __init__(self, path: Path, threshold_ms: float = DEFAULT_THRESHOLD_MS) -> None:
        self.path = path
        self.threshold_ms = threshold_ms
        self.traced = 0  # stalls traced by this tracer so far

    @contextlib.asynccontextmanager
    async def tracing(self, phase: str) -> AsyncIterator[StallTracer]:
        """Trace stalls while the block runs (on the running loop)."""
        with self.path.open("ab", buffering=0) as out:
            self._write(out, f"=== phase {phase} (pid {os.getpid()}, over {self._ms()}) ===")
            task = asyncio.create_task(self._watch(out))
            await asyncio.sleep(0)
            try:
                yield self
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                self._write(out, f"=== end of phase {phase} ===")

    async def _watch(self, out: BinaryIO) -> None:
        loop = asyncio.get_running_loop()
        timeout = self.threshold_ms / 1000 + TICK  # (late by ``threshold`` after a tick)
        if not available():
            self._write(out, "--- no stacks here: per-thread timers need Linux ---")
        dumps = ThreadDumps(out) if available() else None
        # (a thread of its own: the default executor may be busy with the catalog's work)
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stall-writer")
        try:
            while True:
                # (lateness counted from the moment the timers are armed, as they expire)
                began = loop.time()
                if dumps is not None:
                    dumps.arm(timeout)
                before = _thread_cpu()
                await asyncio.sleep(TICK)
                late = (loop.time() - began - TICK) * 1000  # (as the bench's LoopMonitor)
                fired = dumps is not None and dumps.fired()
                stalled = late > self.threshold_ms
                lines: list[str] = []
                if stalled:
                    self.traced += 1
                    lines = [
                        f"--- the loop came back {late:.1f} ms late ---",
                        _cpu_line(before, _thread_cpu()),
                    ]
                if fired or stalled:
                    # (read and written from a thread: each read and write lets the GIL go,
                    # and the loop's thread would wait a switch interval to get it back from
                    # a busy thread after each, lengthening the stall it records)
                    taken = dumps if fired else None
                    await loop.run_in_executor(writer, _record, out, taken, lines)
        finally:
            writer.shutdown(wait=True)  # (a record cancelled mid-way ends before the close)
            if dumps is not None:
                dumps.close()

    def _ms(self) -> str:
        return f"{self.threshold_ms:g} ms"

    @staticmethod
    def _write(out: BinaryIO, line: str) -> None:
        out.write(f"{line}\n".encode())


def _record(out: BinaryIO, dumps: ThreadDumps | None, lines: list[str]) -> None:
    """The other threads' stacks (when their timers went off) and ``lines`` written down;
    stacks written without a stall recorded are read and dropped (the loop came back just
    under the threshold as the timers went off)."""
    others = b"" if dumps is None else dumps.take()
    if lines:
        out.write(others + "".join(f"{line}\n" for line in lines).encode())


def _thread_cpu() -> dict[str, float]:
    """Each thread's CPU time so far (seconds), by name (Linux; elsewhere nothing)."""
    found: dict[str, float] = {}
    for thread in threading.enumerate():
        with contextlib.suppress(OSError, AttributeError, TypeError, ValueError):
            clock = time.pthread_getcpuclockid(thread.ident)  # type: ignore[arg-type]
            found[f"{thread.name}"] = time.clock_gettime(clock)
    return found


def _cpu_line(before: dict[str, float], after: dict[str, float]) -> str:
    """What each thread ran meanwhile: a stall where no thread ran much was the process
    waiting for a core (a loaded machine), not a thread holding the GIL."""
    spent = sorted(
        ((after[name] - before[name]) * 1000, name) for name in after.keys() & before.keys()
    )
    ran = ", ".join(f"{name} {ms:.1f}" for ms, name in reversed(spent) if ms >= 0.1)
    return f"--- CPU meanwhile (ms): {ran or 'none'} ---"


# Reading a file back.

_PHASE = re.compile(r"^=== phase (\S+)")
_BACK = re.compile(r"^--- the loop came back ([\d.]+) ms late ---")
_CPU = re.compile(r"^--- CPU meanwhile \(ms\): (.*) ---")
_THREAD = re.compile(r"^(Current thread|Thread) (0x[0-9a-f]+)")
_FRAME = re.compile(r'^\s+File "(.*)", line (\d+) in (\S+)')
#: A thread whose innermost frame is one of these was waiting, not holding the GIL.
_WAITING = {
    ("threading.py", "wait"),
    ("threading.py", "_acquire_restore"),
    ("thread.py", "_worker"),  # (concurrent.futures' idle thread, in its queue's get)
    ("core.py", "_connection_worker_thread"),  # (aiosqlite's thread, in its queue's get)
    ("threading.py", "_wait_for_tstate_lock"),
    ("selectors.py", "select"),
    ("queue.py", "get"),
    ("connection.py", "_recv"),
    ("connection.py", "_send"),
    ("connection.py", "poll"),
    ("connection.py", "wait"),
    ("subprocess.py", "_communicate"),
}


@dataclass(slots=True)
class Stall:
    phase: str
    late_ms: float | None = None  # None: the loop's return was not recorded
    cpu: str = ""  # each thread's CPU time meanwhile (ms), the busiest first
    threads: list[list[str]] = field(default_factory=list)  # each thread's frames, innermost first

    def busiest(self) -> tuple[str, float]:
        """The thread that ran the most CPU during the stall, and how much (ms)."""
        best = ("", 0.0)
        for part in self.cpu.split(", "):
            name, _, ms = part.rpartition(" ")
            with contextlib.suppress(ValueError):
                if float(ms) > best[1]:
                    best = (name, float(ms))
        return best

    def held(self) -> bool:
        """Whether one thread ran for at least half of the stall: it held the GIL (else the
        process was mostly waiting for a core: a loaded machine)."""
        return self.late_ms is not None and self.busiest()[1] >= self.late_ms / 2

    def busy(self) -> list[list[str]]:
        """The threads that were not waiting (one of them held the GIL)."""
        return [frames for frames in self.threads if frames and not _waits(frames[0])]


def _waits(frame: str) -> bool:
    match = re.match(r"(.*):\d+ (\S+)$", frame)
    if match is None:
        return False
    return (os.path.basename(match[1]), match[2]) in _WAITING


def read_traces(text: str) -> list[Stall]:
    """The stalls of a trace file, in order."""
    stalls: list[Stall] = []
    phase = "?"
    current: Stall | None = None
    for line in text.splitlines():
        if found := _PHASE.match(line):
            phase, current = found[1], None
        elif line.startswith("Timeout ("):  # (faulthandler's watchdog, before round 13)
            current = Stall(phase)
            stalls.append(current)
        elif line.startswith("Stack (most recent call first):"):  # the loop's thread, by itself
            current = Stall(phase, threads=[[]])
            stalls.append(current)
        elif (found := _BACK.match(line)) and current is not None:
            current.late_ms = float(found[1])
        elif (found := _CPU.match(line)) and current is not None:
            current.cpu = found[1]
            current = None
        elif _THREAD.match(line) and current is not None:
            current.threads.append([])
        elif (found := _FRAME.match(line)) and current is not None and current.threads:
            current.threads[-1].append(f"{found[1]}:{found[2]} {found[3]}")
    return stalls


def summary(stalls: list[Stall], depth: int = 4) -> Iterator[str]:
    for stall in stalls:
        late = "?" if stall.late_ms is None else f"{stall.late_ms:.1f}"
        verdict = "HELD" if stall.held() else "waited"
        yield f"{stall.phase}: {verdict}, the loop came back {late} ms late; CPU (ms): {stall.cpu}"
        busy = stall.busy()
        if not busy:
            yield "    (every thread waiting: the process was waiting for a core)"
        for frames in busy:
            yield "    " + " <- ".join(_short(frame) for frame in frames[:depth])


def _short(frame: str) -> str:
    path, _, rest = frame.partition(":")
    parts = Path(path).parts
    return f"{'/'.join(parts[-2:])}:{rest}"


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m bot.bench.stall_traces FILE [DEPTH]", file=sys.stderr)
        return 2
    depth = int(argv[1]) if len(argv) > 1 else 4
    text = Path(argv[0]).read_text("utf-8", errors="replace")
    for line in summary(read_traces(text), depth):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
