"""Benchmark results as tables a person reads (rich renders them; plain text off a terminal)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from bot.bench.stories import MEASURED_KINDS as KINDS


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
        "n",
        "p50",
        "p99",
        "base p50",
        "base p99",
        "acc.",
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
    ("one card changed, seen by the watcher", "one_change_watched_s", "s"),
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


MARKDOWN_ROWS = (
    ("title resolve p50 / p99 (ms)", "resolve_p50_ms", "resolve_p99_ms"),
    ("naive baseline p50 / p99 (ms)", "baseline_resolve_p50_ms", "baseline_resolve_p99_ms"),
    ("accuracy, ours / baseline", "accuracy", "baseline_accuracy"),
    ("autocomplete p50 / p99 (ms)", "autocomplete_p50_ms", "autocomplete_p99_ms"),
    ("whole answer p50 / p99 (ms)", "answer_p50_ms", "answer_p99_ms"),
    ("cold load (s)", "cold_load_s", None),
    ("warm start (s)", "warm_start_s", None),
    ("reload: nothing / one card / every card changed (s)", "noop_reload_s", None),
    ("one card changed, as the watcher reports it (s)", "one_change_watched_s", None),
    ("answers during the full reload p50 / p99 (ms)", "serve_p50_during_reload_ms", None),
    ("worst event-loop stall (ms)", "worst_loop_stall_ms", None),
    ("RSS after start / after three reloads (MB)", "rss_mb", "rss_after_reloads_mb"),
    ("machine load average (1 min) at the end", "load_average_1m", None),
)


def _figure(value: Any) -> str:
    if isinstance(value, float) and value <= 1 and value != 0 and value == round(value, 4):
        return f"{value:.3g}"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"
    return str(value)


def markdown(results: list[dict[str, Any]]) -> str:
    """A Markdown table, one column per catalog size (for docs/performance.md)."""
    ordered = sorted(results, key=lambda r: r["cards"])
    header = "| | " + " | ".join(f"{r['cards']:,} cards" for r in ordered) + " |"
    lines = [header, "| --- |" + " ---: |" * len(ordered)]
    for label, first, second in MARKDOWN_ROWS:
        cells = []
        for result in ordered:
            if first == "noop_reload_s":
                values = [result.get(k) for k in ("noop_reload_s", "one_change_reload_s")]
                values.append(result.get("full_reload_s"))
            elif first == "serve_p50_during_reload_ms":
                values = [result.get(first), result.get("serve_p99_during_reload_ms")]
            else:
                values = [result.get(first)] + ([result.get(second)] if second else [])
            if first in ("accuracy",):
                cells.append(" / ".join(f"{v:.1%}" for v in values if v is not None))
            else:
                cells.append(" / ".join(_figure(v) for v in values if v is not None))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    kinds = [k for k in KINDS if k in ordered[-1]["per_kind"]]
    lines += [
        "",
        "Per query kind at the largest size (p50 ms ours / baseline; accuracy ours / baseline):",
        "",
    ]
    lines.append(
        "| kind | queries | p50 ours / baseline | p99 ours / baseline "
        "| accuracy ours / baseline | wrong confident ours / baseline |"
    )
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in kinds:
        f = ordered[-1]["per_kind"][kind]
        lines.append(
            f"| {kind} | {f['queries']} | {_figure(f['resolve_p50_ms'])} / "
            f"{_figure(f['baseline_resolve_p50_ms'])} | {_figure(f['resolve_p99_ms'])} / "
            f"{_figure(f['baseline_resolve_p99_ms'])} | {f['accuracy']:.1%} / "
            f"{f['baseline_accuracy']:.1%} | {f['outcomes'].get('wrong', 0)} / "
            f"{f['baseline_outcomes'].get('wrong', 0)} |"
        )
    return "\n".join(lines) + "\n"
