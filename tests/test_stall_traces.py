"""The stall watchdog (`drama-bot bench --stall-traces`): when the event loop is held up, the
stack of what held it is written down, and the file reads back as stalls by phase."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from bot.bench.stall_traces import Stall, StallTracer, read_traces

REPO = Path(__file__).resolve().parents[1]


def _hold_the_loop_until_traced(path: Path) -> bool:
    """Keep the event loop's thread busy until the watchdog has written a stack that shows this
    frame (the dump is the event waited for, so nothing here depends on how fast the machine
    is). False if none came in 2 s, a hundred times the watchdog's timeout: on a loaded machine
    the loop may have been late once already while the process waited for a core, and the
    watchdog (one-shot until the loop runs it again) is then not armed during this hold."""
    deadline = time.monotonic() + 2
    while b" in _hold_the_loop_until_traced\n" not in path.read_bytes():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    # Held a little past the dump, so the loop comes back clearly later than the threshold
    # (returning at the dump's very moment made its lateness equal the threshold: not recorded).
    time.sleep(0.04)
    return True


async def _phases(path: Path) -> StallTracer:
    tracer = StallTracer(path, threshold_ms=20)
    async with tracer.tracing("quiet"):
        await asyncio.sleep(0)
    async with tracer.tracing("held"):
        for _ in range(30):
            await asyncio.sleep(0.02)  # (the watchdog is armed)
            if _hold_the_loop_until_traced(path):
                break
        await asyncio.sleep(0.02)  # (the watchdog sees the loop back)
    return tracer


def _busy(stall: Stall) -> list[str]:
    """The frames of the threads that were not waiting during the stall."""
    return [frame for frames in stall.busy() for frame in frames]


def test_a_held_loop_is_traced_to_the_frame_that_held_it(tmp_path: Path) -> None:
    path = tmp_path / "traces.txt"
    tracer = asyncio.run(_phases(path))
    text = path.read_text("utf-8")
    assert "=== phase quiet" in text and "=== end of phase quiet ===" in text
    assert "=== phase held" in text and "=== end of phase held ===" in text
    stalls = read_traces(text)
    assert stalls and all(stall.phase == "held" for stall in stalls)
    assert tracer.traced >= 1
    # The stall the hold made (on a loaded machine another may come first: the process
    # waiting for a core, every thread waiting, traced to no frame of ours).
    held = [s for s in stalls if any(f.endswith(" _hold_the_loop_until_traced") for f in _busy(s))]
    assert held, [stall.threads for stall in stalls]
    first = held[0]
    assert first.late_ms is not None and first.late_ms > 20
    assert first.cpu  # (each thread's CPU time meanwhile, or "none")

    summary = subprocess.run(
        [sys.executable, "-m", "bot.bench.stall_traces", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout.startswith("held: ")
    assert "the loop came back " in summary.stdout
    assert "test_stall_traces.py:" in summary.stdout
    assert "_hold_the_loop_until_traced" in summary.stdout


def _hold_the_gil(stop: threading.Event) -> None:
    """Another thread's long C calls, each holding the GIL until it ends."""
    while not stop.is_set():
        sum(range(3_000_000))


async def _held_elsewhere(path: Path) -> None:
    stop = threading.Event()
    holder = threading.Thread(target=_hold_the_gil, args=(stop,), name="holder")
    tracer = StallTracer(path, threshold_ms=20)
    async with tracer.tracing("elsewhere"):
        holder.start()
        try:
            deadline = time.monotonic() + 20
            while b" in _hold_the_gil\n" not in path.read_bytes():
                assert time.monotonic() < deadline, path.read_text("utf-8")
                await asyncio.sleep(0.005)
        finally:
            stop.set()
            holder.join()


def test_a_gil_held_by_another_thread_is_traced_to_that_thread_by_name(tmp_path: Path) -> None:
    path = tmp_path / "traces.txt"
    asyncio.run(_held_elsewhere(path))
    stalls = read_traces(path.read_text("utf-8"))
    held = [s for s in stalls if any(f.endswith(" _hold_the_gil") for f in _busy(s))]
    assert held, [stall.threads for stall in stalls]
    assert held[0].late_ms is not None and held[0].late_ms > 20
    assert re.search(
        r"^Thread 0x[0-9a-f]+ \(most recent call first\): holder$", path.read_text(), re.M
    )


# A child process whose threads return from deep calls all the time (CPython frees a stack
# chunk at each) while its event loop stalls every few milliseconds under the watchdog.
_CHURN = """
import asyncio, sys, threading, time
from pathlib import Path
from bot.bench.stall_traces import StallTracer
from bot.crash_trace import trace_crashes

def deep(n):
    return 0 if n == 0 else deep(n - 1) + 1

def churn(stop):
    while not stop.is_set():
        deep(400)

async def main():
    stop = threading.Event()
    threads = [threading.Thread(target=churn, args=(stop,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    tracer = StallTracer(Path(sys.argv[1]), threshold_ms=2)
    end = time.monotonic() + float(sys.argv[2])
    async with tracer.tracing("churn"):
        while time.monotonic() < end:
            began = time.monotonic()
            while time.monotonic() - began < 0.01:
                deep(300)
            await asyncio.sleep(0.001)
    stop.set()
    for thread in threads:
        thread.join()
    print(tracer.traced)

trace_crashes()
asyncio.run(main())
"""


def test_the_watchdog_does_not_crash_a_process_whose_threads_run(tmp_path: Path) -> None:
    """Before round 13 this child died of SIGSEGV within seconds (5 runs of 5 s: 5 crashes):
    faulthandler's watchdog thread read the other threads' frames while they freed them."""
    path = tmp_path / "traces.txt"
    for _ in range(2):
        ran = subprocess.run(
            [sys.executable, "-c", _CHURN, str(path), "3"],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
            check=False,
        )
        assert ran.returncode == 0, (ran.returncode, ran.stderr[-2000:])
    assert int(ran.stdout) > 0
    assert read_traces(path.read_text("utf-8"))


def test_a_tick_without_a_stall_reads_no_thread_file(tmp_path: Path, monkeypatch) -> None:
    """Each read of a thread's file is system calls that let the GIL go; the loop's thread then
    waits for a busy thread to hand it back, at every tick (round 13: the 100,000-card cold
    load's loop came back 61 ms late from the watchdog's own reads). With no timer gone off,
    taking the other threads' stacks touches no file."""
    from bot.bench import thread_dumps

    if not thread_dumps.available():
        raise AssertionError("per-thread timers are Linux's; the suite runs on Linux")
    stop = threading.Event()
    idle = [threading.Thread(target=stop.wait, name=f"idle-{n}") for n in range(4)]
    for thread in idle:
        thread.start()
    reads: list[int] = []
    real_fstat = thread_dumps.os.fstat

    def counted(fd: int):  # type: ignore[no-untyped-def]
        reads.append(fd)
        return real_fstat(fd)

    with (tmp_path / "out").open("ab", buffering=0) as out:
        dumps = thread_dumps.ThreadDumps(out)
        try:
            dumps.arm(60.0)  # (no timer goes off during the test)
            monkeypatch.setattr(thread_dumps.os, "fstat", counted)
            for _ in range(3):
                assert dumps.take() == b""
                dumps.arm(60.0)
        finally:
            monkeypatch.undo()
            dumps.close()
            stop.set()
            for thread in idle:
                thread.join()
    assert reads == []


def test_a_traced_stall_is_read_and_written_off_the_loops_thread(
    tmp_path: Path, monkeypatch
) -> None:
    """Reading the other threads' stacks back and writing them down are system calls that let
    the GIL go; done on the loop's thread, each made it wait for a busy thread to hand the GIL
    back, and the stall it recorded grew by that wait (round 13: 26.5 ms stalls recorded as
    53 to 69 ms at 100,000 cards with the watchdog on). They run on a thread of their own."""
    from bot.bench import thread_dumps

    loop_thread = threading.current_thread()
    on_the_loop: list[str] = []
    for name in ("fstat", "pread", "ftruncate"):
        real = getattr(thread_dumps.os, name)

        def watched(*args, _real=real, _name=name):  # type: ignore[no-untyped-def]
            if threading.current_thread() is loop_thread:
                on_the_loop.append(_name)
            return _real(*args)

        monkeypatch.setattr(thread_dumps.os, name, watched)
    path = tmp_path / "traces.txt"
    tracer = asyncio.run(_phases(path))
    assert tracer.traced >= 1
    assert "in _hold_the_loop_until_traced" in path.read_text("utf-8")
    assert on_the_loop == []


def _parked(stop: threading.Event) -> None:
    """A thread whose stack is dumped while it waits (what it does makes no difference to
    the dump: its own signal handler writes it)."""
    stop.wait()


def test_a_threads_stack_is_taken_at_every_stall_not_only_the_first(tmp_path: Path) -> None:
    """Each thread's dump file is emptied after it is read; until round 20 the descriptor did
    not append, so the next dump was written past a hole of zero bytes where the last one had
    ended and was dropped as no stack: every thread but the loop's was traced at its first
    stall only (the 100,000-card cold load's 53 ms hold on ``catalog-job_0``, "its frame not
    sampled", round 19). Three rounds of timers gone off: the thread's stack each time."""
    from bot.bench import thread_dumps

    if not thread_dumps.available():
        raise AssertionError("per-thread timers are Linux's; the suite runs on Linux")
    stop = threading.Event()
    parked = threading.Thread(target=_parked, args=(stop,), name="parked")
    parked.start()
    taken: list[bytes] = []
    with (tmp_path / "out").open("ab", buffering=0) as out:
        dumps = thread_dumps.ThreadDumps(out)
        try:
            for _ in range(3):
                found = b""
                for _attempt in range(40):  # (a bound on the wait, not a measurement)
                    # This thread's timer, then 1 ms later the parked one's (faulthandler
                    # skips a dump that starts while another is written: on a loaded machine
                    # the two can meet; then the timers are set again).
                    dumps.arm(0.001)
                    for _poll in range(50):
                        time.sleep(0.005)
                        found += dumps.take()
                        if b"in _parked" in found:
                            break
                    if b"in _parked" in found:
                        break
                taken.append(found)
        finally:
            dumps.close()
            stop.set()
            parked.join()
    for found in taken:
        assert b"): parked\n" in found and b"in _parked\n" in found, taken
