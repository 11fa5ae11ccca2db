"""Bounds on waits that stretch with how busy the machine is.

A bound such as "``drama-bot run`` gets READY within 20 s" is measured on a machine with a core
to spare. On a shared 2-core machine at a load average of 20, each process gets about a tenth
of a core and a start-up that takes 2 s of CPU takes 20 s of wall time or more: the bound
fails although nothing hangs. :func:`patient` stretches a bound by the load average per core
at the moment of the wait (never below the bound itself, at most :data:`MOST` times it), so a
real hang still fails, later; on an idle machine nothing changes.
"""

from __future__ import annotations

import os

#: The furthest a bound is stretched: 20 s becomes at most 5 minutes.
MOST = 15.0


def stretch() -> float:
    """How many times longer than on an idle machine a wait may take now: the higher of the
    1- and 5-minute load averages per core (a burst starting now is not in the 5-minute one,
    a burst just ended still is), between 1 and :data:`MOST`."""
    try:
        load = max(os.getloadavg()[:2])
    except OSError:  # no load average on this system
        return 1.0
    return min(MOST, max(1.0, load / (os.cpu_count() or 1)))


def patient(seconds: float) -> float:
    """``seconds``, a bound on an idle machine, as long as it may take on this one now."""
    return seconds * stretch()
