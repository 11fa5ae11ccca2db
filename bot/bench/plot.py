"""Drawing benchmark results against catalog size: latency and load time, ours beside the
baseline, log scales on both axes. matplotlib is an optional dependency (``.[bench]``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

LATENCY = (
    ("resolve_p50_ms", "resolve p50 (ours)", "C0", "-"),
    ("resolve_p99_ms", "resolve p99 (ours)", "C0", "--"),
    ("baseline_resolve_p50_ms", "resolve p50 (baseline)", "C3", "-"),
    ("baseline_resolve_p99_ms", "resolve p99 (baseline)", "C3", "--"),
    ("answer_p99_ms", "whole answer p99 (ours)", "C2", ":"),
    ("autocomplete_p99_ms", "autocomplete p99 (ours)", "C1", ":"),
)
LOADING = (
    ("cold_load_s", "cold load", "C0", "-"),
    ("warm_start_s", "warm start", "C1", "-"),
    ("noop_reload_s", "reload, nothing changed", "C2", "--"),
    ("one_change_reload_s", "reload, one card changed", "C4", "--"),
    ("full_reload_s", "reload, every card changed", "C3", ":"),
)


class PlotError(Exception):
    """The plot cannot be drawn (matplotlib missing, or nothing to draw)."""


def plot(results: Sequence[dict[str, Any]], path: Path, title: str | None = None) -> Path:
    """Write a PNG with two panels (latency, load time) against the number of cards."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise PlotError(
            "--plot needs matplotlib: pip install 'drama-bot[bench]' (or matplotlib)"
        ) from exc
    ordered = sorted(results, key=lambda r: r["cards"])
    if not ordered:
        raise PlotError("no results to plot")
    sizes = [r["cards"] for r in ordered]
    figure, (latency, loading) = plt.subplots(1, 2, figsize=(12, 5), constrained_layout=True)
    for axes, series, unit in ((latency, LATENCY, "ms"), (loading, LOADING, "s")):
        for name, label, colour, style in series:
            points = [(r["cards"], r[name]) for r in ordered if r.get(name)]
            if points:
                xs, ys = zip(*points, strict=True)
                axes.plot(xs, ys, style, marker="o", color=colour, label=label)
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("cards in the catalog")
        axes.set_ylabel(unit)
        axes.set_xticks(sizes, [f"{s:,}" for s in sizes])
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize="small")
    latency.set_title("Latency per query")
    loading.set_title("Loading and reloading")
    first = ordered[0]
    figure.suptitle(
        title
        or f"drama-bot bench ({first.get('date', '')}, {first.get('cpus', '?')} CPUs, "
        f"Python {first.get('python', '?')}, median of {first.get('runs', 1)} run(s))"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
