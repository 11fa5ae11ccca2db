"""The stall watchdog (`drama-bot bench --stall-traces`): when the event loop is held up, the
stack of what held it is written down, and the file reads back as stalls by phase."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

from bot.bench.stall_traces import StallTracer, read_traces

REPO = Path(__file__).resolve().parents[1]


def _hold_the_loop_until_traced(path: Path) -> None:
    """Keep the event loop's thread busy until the watchdog has written a stack (the dump is
    the event waited for, so nothing here depends on how fast the machine is)."""
    deadline = time.monotonic() + 60
    while b"Timeout (" not in path.read_bytes():
        assert time.monotonic() < deadline, "the watchdog never wrote a stack"
        time.sleep(0.001)
    # Held a little past the dump, so the loop comes back clearly later than the threshold
    # (returning at the dump's very moment made its lateness equal the threshold: not recorded).
    time.sleep(0.04)


async def _phases(path: Path) -> StallTracer:
    tracer = StallTracer(path, threshold_ms=20)
    async with tracer.tracing("quiet"):
        await asyncio.sleep(0)
    async with tracer.tracing("held"):
        await asyncio.sleep(0.02)  # (the watchdog is armed)
        _hold_the_loop_until_traced(path)
        await asyncio.sleep(0.02)  # (the watchdog sees the loop back)
    return tracer


def test_a_held_loop_is_traced_to_the_frame_that_held_it(tmp_path: Path) -> None:
    path = tmp_path / "traces.txt"
    tracer = asyncio.run(_phases(path))
    text = path.read_text("utf-8")
    assert "=== phase quiet" in text and "=== end of phase quiet ===" in text
    assert "=== phase held" in text and "=== end of phase held ===" in text
    stalls = read_traces(text)
    assert stalls and all(stall.phase == "held" for stall in stalls)
    assert tracer.traced >= 1
    first = stalls[0]
    assert first.late_ms is not None and first.late_ms > 20
    assert first.cpu  # (each thread's CPU time meanwhile, or "none")
    busy = [frame for frames in first.busy() for frame in frames]
    assert any(frame.endswith(" _hold_the_loop_until_traced") for frame in busy), first.threads

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
