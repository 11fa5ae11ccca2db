"""Each thread's Python stack at a moment set in advance, written by that thread itself.

:func:`faulthandler.dump_traceback_later` (the stall watchdog before round 13) has its own C
thread read every other thread's frames while those threads run, without the GIL: a thread
that returns from a deep call meanwhile frees the frames' memory under the reader (CPython
3.11 unmaps a popped stack chunk), and the reader crashed with SIGSEGV in
``_Py_DumpTracebackThreads`` (seen under ``gdb``: the dumping thread in ``dump_traceback``,
another thread in ``munmap``). Every bench child crash of rounds 11 and 12 ran it.

Here a kernel timer per thread (``timer_create`` with ``SIGEV_THREAD_ID``, through
:mod:`ctypes`: Linux) sends that thread a signal of its own when it expires, and
:func:`faulthandler.register` (``all_threads=False``) makes the thread write its own stack
from the signal handler: the thread is stopped in its handler while its frames are read, as
for a fault. Nothing reads a running thread. The event loop's thread writes straight into
the trace file at the stall's moment; each other thread into a file of its own, copied into
the trace when the loop comes back (:meth:`ThreadDumps.take`). Their timers expire
``STAGGER`` apart (faulthandler writes one dump at a time and skips a handler that starts
while another writes).
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import os
import signal
import tempfile
import threading
from dataclasses import dataclass
from typing import BinaryIO

#: Seconds between the timers of successive threads (the loop's thread is first).
STAGGER = 0.001
_SIGEV_THREAD_ID = 4  # (Linux: the signal goes to the thread given, not the process)
_CLOCK_MONOTONIC = 1
_HEADER = b"Stack (most recent call first):\n"  # (faulthandler's, for one thread)
_SINK = open(os.devnull, "wb")  # noqa: SIM115 (where a signal goes once its dumps are done)


class _Sigevent(ctypes.Structure):
    _fields_ = [  # (glibc's struct sigevent, 64 bytes)
        ("value", ctypes.c_void_p),
        ("signo", ctypes.c_int),
        ("notify", ctypes.c_int),
        ("thread_id", ctypes.c_int),
        ("_pad", ctypes.c_int * 11),
    ]


class _Timespec(ctypes.Structure):
    _fields_ = [("sec", ctypes.c_long), ("nsec", ctypes.c_long)]


class _Itimerspec(ctypes.Structure):
    _fields_ = [("interval", _Timespec), ("value", _Timespec)]


def _libc() -> ctypes.PyDLL | None:
    """The C library's timer calls, made holding the GIL (a call that let it go would
    hand it to another thread at every re-arming: stalls of the watchdog's own making)."""
    for name in (None, "librt.so.1"):  # (glibc 2.34 on: in libc; before: librt)
        with contextlib.suppress(OSError, AttributeError):
            library = ctypes.PyDLL(name, use_errno=True)
            library.timer_create.argtypes = [
                ctypes.c_int,
                ctypes.POINTER(_Sigevent),
                ctypes.POINTER(ctypes.c_void_p),
            ]
            library.timer_settime.argtypes = [
                ctypes.c_void_p,
                ctypes.c_int,
                ctypes.POINTER(_Itimerspec),
                ctypes.c_void_p,
            ]
            library.timer_gettime.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Itimerspec)]
            library.timer_delete.argtypes = [ctypes.c_void_p]
            return library
    return None


_LIBC = _libc() if hasattr(signal, "SIGRTMIN") and hasattr(faulthandler, "register") else None


def available() -> bool:
    """Whether threads can be made to dump their own stacks here (Linux)."""
    return _LIBC is not None


@dataclass(slots=True)
class _Slot:
    """A thread's signal, its timer and the file its handler writes to."""

    thread: threading.Thread
    signum: int
    timer: ctypes.c_void_p
    file: BinaryIO


class ThreadDumps:
    """Per-thread timers for the threads of this process, re-armed together by :meth:`arm`
    (from the loop's thread, which must be the thread that made this object)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.loop_thread = threading.current_thread()
        self._slots: dict[int, _Slot] = {}  # by thread ident
        self._free = list(range(signal.SIGRTMAX, signal.SIGRTMIN + 3, -1))  # (pop: the lowest)
        self._spare: dict[int, BinaryIO] = {}  # a signal's file, kept for the next thread

    def arm(self, seconds: float) -> None:
        """Every live thread's timer set to expire ``seconds`` from now (the loop's thread),
        or ``STAGGER`` more per thread after it; threads that ended are dropped."""
        self._follow_threads()
        for order, slot in enumerate(self._slots.values()):
            _set(slot.timer, seconds + order * STAGGER)

    def fired(self) -> bool:
        """Whether any thread's timer went off since :meth:`arm` (asked holding the GIL: no
        system call that lets it go, so the loop's thread can ask at every tick)."""
        return any(_expired(slot.timer) for slot in self._slots.values())

    def take(self) -> bytes:
        """The other threads' stacks written since the last call, each under a ``Thread
        0x... (most recent call first): NAME`` line (as faulthandler names a thread).
        Only the files of threads whose timer went off are read: each read is system calls
        that let the GIL go, and the loop's thread waits up to a switch interval to get it
        back from a busy thread after each (reading every thread's file at every tick made
        the 100,000-card cold load's loop 61 ms late, round 13)."""
        found = []
        for ident, slot in self._slots.items():
            if not _expired(slot.timer):
                continue
            written = _drain(slot.file)
            if slot.thread is self.loop_thread or not written.startswith(_HEADER):
                continue
            header = f"Thread 0x{ident:016x} (most recent call first): {slot.thread.name}\n"
            found.append(header.encode() + written[len(_HEADER) :])
        return b"".join(found)

    def close(self) -> None:
        """Every timer deleted, every signal's dump sent nowhere (a signal already on its way
        finds a handler still: an unhandled real-time signal would end the process)."""
        for slot in list(self._slots.values()):
            self._drop(slot)
        for signum, file in self._spare.items():
            faulthandler.register(signum, file=_SINK, all_threads=False)
            file.close()
        self._spare.clear()

    def _follow_threads(self) -> None:
        live = {thread.ident: thread for thread in threading.enumerate()}
        for ident, slot in list(self._slots.items()):
            if live.get(ident) is not slot.thread:
                self._drop(slot)
        if self.loop_thread.ident not in self._slots:  # (first: its timer expires first)
            self._add(self.loop_thread)
        for ident, thread in live.items():
            if ident not in self._slots and self._free and thread.native_id is not None:
                self._add(thread)

    def _add(self, thread: threading.Thread) -> None:
        signum = self._free.pop()
        file = self._spare.pop(signum, None)
        if file is None:
            file = _appended(tempfile.TemporaryFile("a+b", buffering=0))  # noqa: SIM115
        own = self.out if thread is self.loop_thread else file
        faulthandler.register(signum, file=own, all_threads=False)
        timer = _timer_for(thread.native_id, signum)  # type: ignore[arg-type]
        if timer is None:
            self._spare[signum] = file
            self._free.append(signum)
            return
        assert thread.ident is not None
        self._slots[thread.ident] = _Slot(thread, signum, timer, file)

    def _drop(self, slot: _Slot) -> None:
        assert _LIBC is not None
        fired = _expired(slot.timer)
        _LIBC.timer_delete(slot.timer)
        faulthandler.register(slot.signum, file=slot.file, all_threads=False)  # (not `out`)
        if fired:  # (only then can the file hold a stack: reading it lets the GIL go)
            _drain(slot.file)
        del self._slots[slot.thread.ident]  # type: ignore[arg-type]
        self._spare[slot.signum] = slot.file
        self._free.append(slot.signum)


def _timer_for(native_id: int, signum: int) -> ctypes.c_void_p | None:
    assert _LIBC is not None
    event = _Sigevent(signo=signum, notify=_SIGEV_THREAD_ID, thread_id=native_id)
    timer = ctypes.c_void_p()
    if _LIBC.timer_create(_CLOCK_MONOTONIC, ctypes.byref(event), ctypes.byref(timer)) != 0:
        return None  # (the thread ended meanwhile, or no timer left)
    return timer


def _set(timer: ctypes.c_void_p, seconds: float) -> None:
    assert _LIBC is not None
    whole = int(seconds)
    spec = _Itimerspec(value=_Timespec(whole, int((seconds - whole) * 1e9)))
    _LIBC.timer_settime(timer, 0, ctypes.byref(spec), None)


def _expired(timer: ctypes.c_void_p) -> bool:
    """Whether an armed timer went off (its time left is zero), asked holding the GIL."""
    assert _LIBC is not None
    left = _Itimerspec()
    if _LIBC.timer_gettime(timer, ctypes.byref(left)) != 0:
        return True  # (cannot tell: read the file)
    return left.value.sec == 0 and left.value.nsec == 0


def _appended(file: BinaryIO) -> BinaryIO:
    """``file`` (closed in :meth:`ThreadDumps.close`) with every write going to its end.

    A mode of ``"a"`` given to :func:`open` over a descriptor already open (as
    :func:`tempfile.TemporaryFile` makes it) only moves to the end once: the descriptor is not
    made to append. faulthandler then writes each dump at the offset where the last one ended,
    so after :func:`_drain` emptied the file the next dump began past its end, after a hole of
    zero bytes: no longer a stack :meth:`ThreadDumps.take` recognised, and each thread but the
    loop's was traced at its first stall only (round 19's 53 ms hold on ``catalog-job_0``,
    "its frame not sampled"; branch ``stall20``)."""
    import fcntl  # (POSIX: only reached where per-thread timers exist, Linux)

    fd = file.fileno()
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
    return file


def _drain(file: BinaryIO) -> bytes:
    """What the file holds, and the file emptied (it is opened to append: the next dump
    starts at its beginning again)."""
    fd = file.fileno()
    size = os.fstat(fd).st_size
    if size == 0:
        return b""
    written = os.pread(fd, size, 0)
    os.ftruncate(fd, 0)
    return written
