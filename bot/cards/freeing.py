"""Big temporaries emptied a slice per C call: a list or dict of a hundred thousand small
objects freed in one go (with the frame that holds it, or by ``clear()``) holds the GIL for
tens of milliseconds, and a thread doing it stalls the event loop."""

from __future__ import annotations

from collections import deque
from itertools import islice
from typing import Any

from bot.cards.turns import pass_turn

#: Items freed per C call by :func:`free_in_slices` (each may own a few objects).
FREE_PIECE = 256


def free_in_slices(*containers: list[Any] | dict[Any, Any]) -> None:
    """Empty lists and dicts ``FREE_PIECE`` items per C call (in a worker thread): for the big
    temporaries of a reload whose items are small and own nothing big (a ``list.clear()``
    of 100,000 read cards is one call that holds the GIL for about 0.1 s of CPU), where
    ``bot.catalog.heap.free_in_pieces``'s look at every item would cost more than the
    freeing."""
    for container in containers:
        if isinstance(container, list):
            while container:
                del container[-FREE_PIECE:]
                pass_turn()
        else:
            # popitem called in C (no Python per item) until the slice is done; it takes the
            # newest entry, so the dict never scans past the holes left by the ones before.
            pops = iter(container.popitem, None)  # (never None: ends with the slice)
            while container:
                deque(islice(pops, min(FREE_PIECE, len(container))), maxlen=0)
                pass_turn()
