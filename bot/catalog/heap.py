"""Keeping big builds from stalling the event loop: the garbage collector and the GIL.

Building a catalog creates millions of small objects. With the cyclic collector on, every few
hundred allocations it scans the young generation, and the full collections that follow scan
every object alive, holding the GIL for up to seconds: the event loop (heartbeats, answers)
stops meanwhile, even though the build runs in another thread. Catalog objects form no
reference cycles, so nothing is lost by pausing the collector while they are built and then
moving the survivors to the permanent generation (:func:`gc.freeze`), which later collections
no longer scan. Frozen objects are still freed by reference counting when a newer catalog
replaces them.

The GIL: a thread doing pure-Python work hands the GIL over only every "switch interval"
(5 ms by default); while a reload runs, :func:`responsive` shortens it, so the event loop gets
its turn quickly and answers keep flowing.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator, Mapping

from bot.cards import turns
from bot.cards.turns import in_thread, responsive

__all__ = ["responsive"]  # (kept here too: it was made here first)

_lock = threading.Lock()
_paused = 0
_was_enabled = True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; when the last pause ends, freeze what was
    built (so no collection rescans it) before the collector runs again. Nests, and works
    across threads. Where jemalloc serves, what the block makes comes from one of its build
    arenas (:func:`_emptier_build_arena`)."""
    global _paused, _was_enabled, _target
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        if _target is None:
            _target = _emptier_build_arena()
        _paused += 1
        target = _target
    previous = _bind(target) if target is not None else None
    try:
        yield
    finally:
        if previous is not None:
            _bind(previous)
        with _lock:
            _paused -= 1
            if _paused == 0:
                gc.freeze()
                if _was_enabled:
                    gc.enable()


#: Where jemalloc serves Python's objects: how many arenas of its own what a pause builds
#: comes from (a catalog built or read back, a reload's work), the emptier one each time.
BUILD_ARENAS = 2
_build_arenas: list[int] = []
_target: int | None = None


def _emptier_build_arena() -> int | None:
    """The emptier of jemalloc's build arenas (made on first use: the first pause binds to the
    first; :func:`switch_build_arena` to the other), or None where jemalloc does not serve
    this process (or they cannot be made).

    Why (``docs/performance.md``, branch ``flat10``): a full reload reads the new catalog back
    while the old one serves. Made in the same arena, the new catalog's objects fill the holes
    in the old one's slabs (jemalloc hands out the lowest free region first), so once the old
    catalog is freed those slabs stay, part-full; reload after reload the catalog spreads over
    more of them (20,000 cards, six full reloads: slab fragmentation 23 -> 32 MB, RSS +6.5%).
    Made in the arena the catalog before last was freed from, it shares no slab with the one
    serving, and the old one's arena empties (17 -> 17 MB, RSS +3.5%). Answers and the event
    loop keep to jemalloc's usual arenas."""
    global _build_arenas
    jemalloc = _jemalloc_loaded()
    if not jemalloc:
        return None
    if not _build_arenas:
        made: list[int] = []
        for _ in range(BUILD_ARENAS):
            index = ctypes.c_uint(0)
            size = ctypes.c_size_t(ctypes.sizeof(index))
            if jemalloc.mallctl(b"arenas.create", ctypes.byref(index), ctypes.byref(size), None, 0):
                return None
            made.append(index.value)
        _build_arenas = made
    held = _held(jemalloc)
    if held is None:
        return None  # (no statistics in this jemalloc: leave the arenas alone)
    return min(zip(held, _build_arenas, strict=True))[1]


def build_arenas_held() -> list[int] | None:
    """Bytes in use in each of jemalloc's build arenas now (none made yet: an empty list), or
    None where jemalloc does not serve this process."""
    jemalloc = _jemalloc_loaded()
    if not jemalloc:
        return None
    with _lock:
        return _held(jemalloc)


def _held(jemalloc: ctypes.CDLL) -> list[int] | None:
    epoch = ctypes.c_uint64(1)
    size = ctypes.c_size_t(ctypes.sizeof(epoch))
    jemalloc.mallctl(b"epoch", ctypes.byref(epoch), ctypes.byref(size), ctypes.byref(epoch), size)
    held: list[int] = []
    for index in _build_arenas:
        total = 0
        for kind in ("small", "large"):
            value = ctypes.c_size_t(0)
            size = ctypes.c_size_t(ctypes.sizeof(value))
            name = f"stats.arenas.{index}.{kind}.allocated".encode()
            if jemalloc.mallctl(name, ctypes.byref(value), ctypes.byref(size), None, 0):
                return None
            total += value.value
        held.append(total)
    return held


def switch_build_arena() -> None:
    """A whole new catalog is about to be made beside the one serving (a full reload): what
    pauses of the collector make from now on comes from the emptier build arena, which the
    serving catalog is not in (where jemalloc serves; else nothing changes)."""
    global _target
    with _lock:
        if _target is not None:
            _target = _emptier_build_arena()


def _bind(arena: int) -> int | None:
    """Let this thread's allocations come from jemalloc's ``arena``; the arena it used before
    (None if it could not be changed)."""
    jemalloc = _jemalloc_loaded()
    if not jemalloc:
        return None
    old, new = ctypes.c_uint(0), ctypes.c_uint(arena)
    size = ctypes.c_size_t(ctypes.sizeof(old))
    if jemalloc.mallctl(
        b"thread.arena", ctypes.byref(old), ctypes.byref(size), ctypes.byref(new), size
    ):
        return None
    return old.value


#: Containers smaller than this are freed in one go.
PIECE = 256
#: Memory is handed back to the system only after freeing at least this many items:
#: ``malloc_trim`` holds the allocator's locks while it walks the heap (a quarter of a second
#: at 100,000 cards), so every thread that allocates, the event loop's included, waits.
TRIM_AFTER = 50_000
_libc: ctypes.CDLL | bool | None = None


async def release(garbage: list[object]) -> None:
    """Free big structures in a worker thread, a piece at a time.

    Freeing millions of objects by reference counting takes about as long as making them. On
    the event loop that is a stall; in a thread it is one too if a single call (``dict``'s
    deallocation) frees them all while holding the GIL. So containers that nothing else
    refers to are emptied item by item, in Python, which hands the GIL over between items.
    Objects still in use elsewhere (cards shared with the new catalog) are only let go."""
    await in_thread(_dismantle_and_trim, garbage)


class Shared:
    """Garbage whose items live on elsewhere but for a few: the cards and entries dicts an
    in-place edit replaced by copies (every card but the edited ones is in the copy too). It is
    emptied in one call (a hundred thousand references let go: under a millisecond, freeing
    only the edited cards), not walked item by item as what it alone holds would be (tens of
    milliseconds at 100,000 cards, for a one-card edit)."""

    __slots__ = ("held",)

    def __init__(self, held: object) -> None:
        self.held: object = held


def free_in_pieces(garbage: list[object]) -> int:
    """:func:`release`'s freeing, here and now (in a worker thread already): for what a build
    made only for itself, which would otherwise be freed in one call when it goes out of
    scope. How many items were freed."""
    return _dismantle(garbage)


def _dismantle_and_trim(garbage: list[object]) -> None:
    # In a turn (``bot.cards.turns``), the hand-back too: the allocator holds its locks
    # while it hands memory back, and a job allocating meanwhile would wait for them holding
    # the GIL (and the event loop for the GIL).
    with turns.taking("release"):
        with collector_paused():  # (a full collection would walk what is being freed)
            freed = _dismantle(garbage)
        if freed >= TRIM_AFTER:
            _trim()
        else:  # (jemalloc's purge takes milliseconds: whatever was freed goes back now)
            _purge()


#: glibc's ``M_MMAP_THRESHOLD``: blocks this big or bigger get a memory map of their own,
#: handed back to the system as soon as they are freed.
MMAP_THRESHOLD = 128 << 10
_M_MMAP_THRESHOLD = -3
_tuned = False


def tune_allocator() -> None:
    """Keep glibc's threshold for memory-mapped blocks where it starts (glibc only; elsewhere a
    no-op; once per process).

    By default glibc raises the threshold to the size of the biggest mapped block freed (up to
    32 MB): after the first catalog is kept (parts of 4 MB) or a big dict's table is freed,
    blocks of that size come from its heap instead, and once freed stay in the process. A
    full reload at 10,000 cards left 124 MB free but held that way, 45 MB with the threshold
    fixed (RSS after three full reloads 298 -> 249 MB, ``scripts/memory_breakdown.py``)."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    libc = _c_library()
    if libc:
        with contextlib.suppress(AttributeError):
            libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


#: CPython reads its allocator's name from this variable before it starts (``malloc``: every
#: object from the C library's ``malloc``; ``pymalloc``: its own 1 MiB arenas, the default).
ALLOCATOR_ENV = "PYTHONMALLOC"
#: The dynamic linker loads these libraries first: ours puts jemalloc's ``malloc`` in place.
PRELOAD_ENV = "LD_PRELOAD"
#: jemalloc's "every arena" index for ``mallctl("arena.<i>.purge")``.
_ALL_ARENAS = 4096
_jemalloc: ctypes.CDLL | bool | None = None


def serving_environment(environ: Mapping[str, str]) -> dict[str, str] | None:
    """The environment a serving process (``drama-bot run``, the bench's children) is started
    with: jemalloc's ``malloc`` for every Python object, where the system has jemalloc and
    the operator did not choose an allocator (any value of ``PYTHONMALLOC``: ``pymalloc`` for
    CPython's own); None to leave ``environ`` as it is.

    Why (``docs/performance.md``, branch ``memflat8``): CPython's allocator puts objects of up
    to 512 bytes in 1 MiB arenas that go back to the system only when every object in them is
    freed, and the few dozen objects born during a full reload that outlive the next one pin an
    arena each: RSS grew 27% (20,000 cards) to 93% (100,000) over full reloads, with memory in
    use flat. glibc's ``malloc`` does no better (page-sized holes between the new catalog's
    objects). jemalloc keeps objects of a size together in small slabs and hands back every
    page it no longer uses (:func:`_trim`): RSS after reloads stays within a few percent of
    what a start holds."""
    if environ.get(ALLOCATOR_ENV) is not None:
        return None
    library = jemalloc_library()
    if library is None:
        return None
    preload = " ".join(filter(None, (library, environ.get(PRELOAD_ENV, "").strip())))
    return {**environ, ALLOCATOR_ENV: "malloc", PRELOAD_ENV: preload}


def jemalloc_library() -> str | None:
    """jemalloc's shared library as the dynamic linker finds it (``libjemalloc.so.2``; the
    Debian package ``libjemalloc2``), or None where the system has none."""
    return ctypes.util.find_library("jemalloc")


def restart_with_serving_allocator() -> None:
    """Start this program again, in this process (same id, arguments, standard streams), with
    :func:`serving_environment` if it changes anything; else return. Call it before any
    thread or file is opened: ``os.execve`` replaces the interpreter, it does not return."""
    if sys.flags.ignore_environment:  # (-E: the variable would be ignored, and we would loop)
        return
    environment = serving_environment(os.environ)
    if environment is None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    # A Ctrl-C during the new interpreter's own set-up would meet the signal's default action
    # there (death by SIGINT, not 130): hold it back across the exec (a blocked signal stays
    # pending through it); ``bot.cli.main.main`` lets it through where it turns it into 130.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        os.execve(sys.executable, sys.orig_argv, environment)
    finally:  # (only reached when the exec failed; the new program lets it through itself)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def serving_allocator() -> str:
    """What this process's Python objects come from: ``jemalloc``, ``malloc`` (the C
    library's), ``pymalloc`` (CPython's own) or another value of ``PYTHONMALLOC``."""
    chosen = None if sys.flags.ignore_environment else os.environ.get(ALLOCATOR_ENV)
    if chosen == "malloc" and _jemalloc_loaded():
        return "jemalloc"
    return chosen or "pymalloc"


def started_allocator(environ: Mapping[str, str]) -> str:
    """What the objects of a process started with ``environ`` will come from (names as in
    :func:`serving_allocator`)."""
    chosen = environ.get(ALLOCATOR_ENV) or "pymalloc"
    if chosen == "malloc" and "jemalloc" in environ.get(PRELOAD_ENV, ""):
        return "jemalloc"
    return chosen


def _jemalloc_loaded() -> ctypes.CDLL | None:
    """This process's jemalloc (preloaded), or None."""
    global _jemalloc
    if _jemalloc is None:
        try:
            process = ctypes.CDLL(None)
            process.mallctl.argtypes = [
                ctypes.c_char_p,
                ctypes.c_void_p,
                ctypes.c_void_p,
                ctypes.c_void_p,
                ctypes.c_size_t,
            ]
            _jemalloc = process
        except (OSError, AttributeError):
            _jemalloc = False
    return _jemalloc or None


def _c_library() -> ctypes.CDLL | None:
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _libc.malloc_trim.argtypes = [ctypes.c_size_t]
        except (OSError, AttributeError):
            _libc = False
    return _libc or None


def hand_back() -> None:
    """Hand the C allocator's free memory back to the system (call it in a worker thread):
    after a start, what reading the stored cards freed (70 MB at 100,000 cards, RSS 636 ->
    567 MB). With big blocks mapped on their own (:func:`tune_allocator`) glibc's heap stays
    small and this takes tens of milliseconds, not the quarter of a second it took before."""
    _trim()


def _trim() -> None:
    """Hand the C allocator's free memory back to the system (glibc only; elsewhere a no-op):
    after a big catalog is freed, about 80 MB at 100,000 cards."""
    libc = _c_library()
    if libc:
        libc.malloc_trim(0)
    _purge()


def _purge() -> None:
    """Where jemalloc serves Python's objects (:func:`serving_environment`), hand every page
    its arenas no longer use back to the system now, rather than after its decay time (ten
    seconds, and only while something allocates)."""
    jemalloc = _jemalloc_loaded()
    if jemalloc:
        jemalloc.mallctl(f"arena.{_ALL_ARENAS}.purge".encode(), None, None, None, 0)


def _dismantle(garbage: list[object]) -> int:
    """Free ``garbage`` a piece at a time; how many items the emptied containers held."""
    stack: list[object] = []
    freed = 0
    while garbage:
        root = garbage.pop()
        if isinstance(root, Shared):
            held, root.held = root.held, None
            del root
            if _owned(held):  # (else only let go: a job or an answer still uses it)
                _let_go_at_once(held)
            continue
        if _owned(root):
            stack.append(root)
        del root
        while stack:
            freed += _empty(stack.pop(), stack)
            if not len(stack) % PIECE:  # (a turn handed over between pieces: turns.py)
                turns.pass_turn()
    return freed


def _let_go_at_once(shared: object) -> None:
    """Empty a :class:`Shared` container (or a mapping over one) in one call."""
    if isinstance(shared, dict | list | set):
        shared.clear()
    elif _mutable_object(shared):
        for name in _attributes(shared):
            value = getattr(shared, name, None)
            if isinstance(value, dict | list | set):
                object.__setattr__(shared, name, None)
                if _owned(value):
                    value.clear()
            del value


def _owned(value: object) -> bool:
    """Referenced only by the caller's variable (and getrefcount's argument)."""
    return sys.getrefcount(value) <= 3


def _empty(container: object, stack: list[object]) -> int:
    """Empty ``container`` (held only by the caller), pushing big children held only by it;
    how many of its items it held alone (freed with it)."""
    held = 0
    if isinstance(container, dict):
        while container:
            _key, value = container.popitem()
            if not len(container) % PIECE:
                turns.pass_turn()
            if _owned(value):
                held += 1
                if _worth(value):
                    stack.append(value)
            del value
    elif isinstance(container, list | set):
        while container:
            value = container.pop()
            if not len(container) % PIECE:
                turns.pass_turn()
            if _owned(value):
                held += 1
                if _worth(value):
                    stack.append(value)
            del value
    elif _mutable_object(container) or _holds_big(container):
        for name in _attributes(container):
            value = getattr(container, name, None)
            if _worth(value) or _holds_many(value):
                object.__setattr__(container, name, None)  # the container is ours alone
                if _owned(value):  # and now the value may be too
                    stack.append(value)
            del value
    return held


def _worth(value: object) -> bool:
    """Big enough to free a piece at a time."""
    if isinstance(value, dict | list | set):
        return len(value) > PIECE
    return _mutable_object(value) or _holds_big(value)


def _holds_many(value: object) -> bool:
    """A small dict, list or set (an attribute of the catalog's objects: a few of them) whose
    items hold more than ``PIECE`` items between them (``Facets.genres``: a few dozen genres,
    each a tuple of its cards' slugs): emptied an item at a time, not freed in one call."""
    if not isinstance(value, dict | list | set):
        return False
    items = value.values() if isinstance(value, dict) else value
    return sum(len(item) for item in items if isinstance(item, _SIZED)) > PIECE


_SIZED = (dict, list, set, tuple, frozenset)


def _holds_big(value: object) -> bool:
    """A frozen instance (a frozen dataclass: its ``__setattr__`` refuses) holding a dict, list
    or set too big to free in one call: emptied as a mutable one is (``object.__setattr__``:
    it is ours alone by then). Freed whole with the catalog's shell, ``Facets`` (its
    slug-to-position dict, an entry per card) was one deallocation of a dict of 100,000
    entries and their numbers (branch ``stall20``). Of an instance with slots, only the
    attributes that held a dict, list or set in the first instance of its class looked at are
    looked at, so one that holds none (a stored card's row, a card) costs a look-up."""
    kind = type(value)
    found = _CONTAINER_SLOTS.get(kind)
    if found is None:
        found = _CONTAINER_SLOTS[kind] = _container_slots(value)
    names, in_dict = found
    for name in names:
        held = getattr(value, name, None)
        if isinstance(held, dict | list | set) and len(held) > PIECE:
            return True
    if in_dict:
        for held in getattr(value, "__dict__", {}).values():
            if isinstance(held, dict | list | set) and len(held) > PIECE:
                return True
    return False


def _container_slots(value: object) -> tuple[tuple[str, ...], bool]:
    """The slots of ``value``'s class that hold a dict, list or set in ``value``, and whether
    its instances have a ``__dict__`` to look in (none of either for builtins and classes)."""
    kind = type(value)
    if kind.__module__ == "builtins" or isinstance(value, type):
        return (), False
    names = tuple(
        name
        for name in _slot_names(kind)
        if isinstance(getattr(value, name, None), dict | list | set)
    )
    return names, hasattr(value, "__dict__")


#: Per class: the slots that held a dict, list or set, and whether it has a ``__dict__``.
_CONTAINER_SLOTS: dict[type, tuple[tuple[str, ...], bool]] = {}


def _mutable_object(value: object) -> bool:
    """An instance of a class whose attributes can be set (frozen dataclasses, tuples, str,
    ... are freed whole: their attributes are small)."""
    kind = type(value)
    return (
        kind.__setattr__ is object.__setattr__
        and kind.__module__ not in {"builtins"}
        and (hasattr(kind, "__slots__") or hasattr(value, "__dict__"))
        and not isinstance(value, type)
    )


def _attributes(value: object) -> list[str]:
    return [*_slot_names(type(value)), *getattr(value, "__dict__", {})]


def _slot_names(kind: type) -> tuple[str, ...]:
    """The slots of ``kind`` and its bases (but ``__dict__`` and ``__weakref__``)."""
    names: list[str] = []
    for klass in kind.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    return tuple(name for name in names if name not in {"__dict__", "__weakref__"})
