"""What an admin is told after a reload: what changed, or why nothing did."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.answering.answers import Notice
from bot.answering.render import escape
from bot.cards.errors import CardError
from bot.catalog.service import ReloadReport

MAX_LISTED = 15


def reload_notice(report: ReloadReport, answered_by: str | None = None) -> Notice:
    """What an admin sees after ``/reload``; ``answered_by`` names the shard that reloaded
    (each process of a sharded bot reloads its own catalog)."""
    notice = _reload_notice(report)
    if answered_by:
        notice = replace(notice, lines=(*notice.lines, f"Answered by {answered_by}."))
    return notice


def _reload_notice(report: ReloadReport) -> Notice:
    if not report.applied:
        count = len(report.errors)
        by_card: dict[str, list[CardError]] = {}
        for error in report.errors:
            # Admins see file names, not the server's folders.
            shown = replace(error, path=Path(error.path).name)
            by_card.setdefault(error.path, []).append(shown)
        lines = tuple(
            f"`{_tick_safe(str(errors[0]))}`"
            + (f" (+{len(errors) - 1} more in this card)" if len(errors) > 1 else "")
            for errors in by_card.values()
        )
        files = len(by_card)
        return Notice(
            "reload",
            f"Nothing changed: {count} error{'s' * (count != 1)} in {files} card"
            f"{'s' * (files != 1)}. Still serving the last good catalog ({report.total} cards). "
            "Fix these (`drama-bot check` lists every error) and run /reload again:",
            title="Reload refused",
            lines=lines,
        )
    diff = report.diff
    lines = []
    for label, slugs in (
        ("Added", diff.added),
        ("Changed", diff.changed),
        ("Removed", diff.removed),
    ):
        if slugs:
            names = ", ".join(escape(report.titles.get(s, s)) for s in slugs[:MAX_LISTED])
            more = f" and {len(slugs) - MAX_LISTED} more" if len(slugs) > MAX_LISTED else ""
            lines.append(f"{label}: {names}{more}")
    return Notice(
        "reload",
        f"Reloaded {report.total} cards: {len(diff.added)} added, {len(diff.changed)} changed, "
        f"{len(diff.removed)} removed.",
        title="Catalog reloaded",
        lines=tuple(lines),
        ok=True,
    )


def _tick_safe(text: str) -> str:
    return text.replace("`", "'")
