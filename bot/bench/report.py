"""Benchmark results as tables a person reads (rich renders them; plain text off a terminal)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from bot.bench.queries import KINDS


def _ms(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def kinds_table(result: dict[str, Any]) -> Table:
    table = Table(
        title=f"{result['cards']:,} cards: resolving, ours beside the baseline (base)",
        caption="times in ms; accuracy = right confident answer, or the right 'did you mean' "
        "when the truth is ambiguous; for absent titles, no confident answer",
    )
    for header in (
        "kind",
        "queries",
        "p50",
        "p99",
        "base p50",
        "base p99",
        "accuracy",
        "base acc.",
        "wrong",
        "base wrong",
    ):
        table.add_column(header, justify="left" if header == "kind" else "right")
    per_kind = result["per_kind"]
    rows = [(kind, per_kind[kind]) for kind in KINDS if kind in per_kind]
    rows.append(("all", {"queries": result["queries"], **result}))
    for kind, figures in rows:
        table.add_row(
            kind,
            str(figures["queries"]),
            _ms(figures["resolve_p50_ms"]),
            _ms(figures["resolve_p99_ms"]),
            _ms(figures["baseline_resolve_p50_ms"]),
            _ms(figures["baseline_resolve_p99_ms"]),
            f"{figures['accuracy']:.1%}",
            f"{figures['baseline_accuracy']:.1%}",
            str(figures["outcomes"].get("wrong", 0)),
            str(figures["baseline_outcomes"].get("wrong", 0)),
        )
    return table


SUMMARY_ROWS = (
    ("autocomplete p99", "autocomplete_p99_ms", "ms"),
    ("whole answer p99 (resolve + similar + render)", "answer_p99_ms", "ms"),
    ("cold load (YAML → SQLite → ready)", "cold_load_s", "s"),
    ("warm start (database built, cards unchanged)", "warm_start_s", "s"),
    ("reload, nothing changed", "noop_reload_s", "s"),
    ("reload, one card changed", "one_change_reload_s", "s"),
    ("reload, every card changed", "full_reload_s", "s"),
    ("answer p99 during that full reload", "serve_p99_during_reload_ms", "ms"),
    ("worst event-loop stall (loads and reloads)", "worst_loop_stall_ms", "ms"),
    ("memory (RSS) after start and queries", "rss_mb", "MB"),
    ("memory (RSS) after three reloads", "rss_after_reloads_mb", "MB"),
)


def summary_table(result: dict[str, Any]) -> Table:
    runs = result.get("runs", 1)
    table = Table(
        title=f"{result['cards']:,} cards: serving, loading and memory"
        + (f" (median of {runs} runs)" if runs > 1 else "")
    )
    table.add_column("what")
    table.add_column("figure", justify="right")
    for label, name, unit in SUMMARY_ROWS:
        if name in result:
            value = result[name]
            shown = (
                _ms(value) if unit == "ms" else f"{value:.2f}" if unit == "s" else f"{value:.0f}"
            )
            table.add_row(label, f"{shown} {unit}")
    return table
