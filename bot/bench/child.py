"""One measuring process: ``python -m bot.bench.child cold|serve FOLDER DATABASE QUERIES
[N [TRACES THRESHOLD_MS]]`` (``N``: the serve process's full reloads, 1 unless given; with a
trace file, every stall over the threshold is traced there: :mod:`bot.bench.stall_traces`).

It prints one JSON object per line on stdout: ``{"progress": [stage, done, total]}`` while it
works, then ``{"result": {...}}``. The parent (:mod:`bot.bench.runner`) starts it fresh for
every measurement, so no run inherits another's memory, caches or loaded modules.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from pathlib import Path

from bot.bench.measure import cold_load, load_queries, serve
from bot.bench.stall_traces import StallTracer
from bot.crash_trace import trace_crashes

PROGRESS_EVERY = 0.1  # seconds between progress lines


def main(argv: list[str]) -> int:
    trace_crashes()  # (a crash mid-measurement: its stack is in the stderr the bench shows)
    mode, folder, database, queries_path, *more = argv
    full_reloads = int(more[0]) if more else 1
    tracing = more[1:3]
    tracer = StallTracer(Path(tracing[0]), float(tracing[1])) if tracing else None
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    last = 0.0

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done in (0, total) or now - last >= PROGRESS_EVERY:
            last = now
            print(json.dumps({"progress": [stage, done, total]}), flush=True)

    if mode == "cold":  # (then the baseline's pass over the queries)
        queries = load_queries(Path(queries_path))
        result = asyncio.run(cold_load(Path(folder), Path(database), progress, tracer, queries))
    elif mode == "serve":
        queries = load_queries(Path(queries_path))
        result = asyncio.run(
            serve(Path(folder), Path(database), queries, progress, full_reloads, tracer)
        )
    else:
        print(f"unknown mode {mode!r}", file=sys.stderr)
        return 2
    print(json.dumps({"result": result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
