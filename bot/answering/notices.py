"""What an admin is told after a reload: what changed, or why nothing did."""

from __future__ import annotations

import signal
from collections.abc import Container
from dataclasses import replace
from pathlib import Path

from bot.answering.answers import Notice
from bot.answering.i18n import CommandName, Phrase
from bot.answering.render import escape
from bot.cards.errors import CardError
from bot.catalog.build_worker import BuildFailed
from bot.catalog.service import TITLED_IN_REPORT, ReloadReport
from bot.crash_trace import signal_name

MAX_LISTED = TITLED_IN_REPORT
#: The signals of a native crash (faulthandler printed the process's stack in the log), not
#: of a process killed from outside (SIGKILL: the out-of-memory killer, SIGTERM: an admin).
CRASH_SIGNALS = frozenset(
    {signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE, signal.SIGILL, signal.SIGABRT}
)


def reload_notice(
    report: ReloadReport,
    answered_by: str | None = None,
    served: Container[str] = (),
    database: str | None = None,
) -> Notice:
    """What an admin sees after ``/reload``; ``answered_by`` names the shard that reloaded
    (each process of a sharded bot reloads its own catalog); ``served`` holds the slugs the
    catalog serves after it (a broken card among them is an edit waiting, not an old error);
    ``database`` says the database file was "rewritten" (deleted while the bot ran, written
    again), "deleted" (and could not be) or "replaced" (``bot.frontend.database_file``), or
    that this reload could not write it and the bot went on in "memory" (a full disk)."""
    notice = _reload_notice(report, served)
    if database:
        lost = Phrase(f"reload.database_{database}")
        notice = replace(notice, lines=(*notice.lines, lost))
    if answered_by:
        answered = Phrase("reload.answered_by", shard=answered_by)
        notice = replace(notice, lines=(*notice.lines, answered))
    return notice


def build_failed_notice(failure: BuildFailed, total: int, answered_by: str | None = None) -> Notice:
    """What an admin sees when a full reload's new catalog could not be built in its own
    process (``bot.catalog.build_worker``): what failed, and that the last good catalog of
    ``total`` cards keeps serving; ``answered_by`` names the shard, as for any reload."""
    code = failure.exit_code
    if failure.reason == "stopped" and code is not None and -code in CRASH_SIGNALS:
        what = Phrase("reload.build_failed_crashed", signal=f"{signal_name(-code)}, {-code}")
    elif failure.reason == "stopped" and code is not None and code < 0:
        what = Phrase("reload.build_failed_killed", signal=-code)
    elif failure.reason == "stopped":
        what = Phrase("reload.build_failed_stopped", code="?" if code is None else code)
    elif failure.reason in {"start", "timeout", "failed"}:
        what = Phrase(f"reload.build_failed_{failure.reason}")
    else:
        what = Phrase("reload.build_failed_other")
    lines = (Phrase("reload.answered_by", shard=answered_by),) if answered_by else ()
    return Notice(
        "reload",
        Phrase("reload.build_failed", what=what, total=total, command=CommandName("reload")),
        title=Phrase("reload.build_failed_title"),
        lines=lines,
    )


def _reload_notice(report: ReloadReport, served: Container[str]) -> Notice:
    if not report.applied and not report.folder_ok:  # (no card read: none to count)
        return Notice(
            "reload",
            Phrase("reload.folder_missing", total=report.total, command=CommandName("reload")),
            title=Phrase("reload.refused_title"),
            lines=tuple(_quoted(replace(e, path=Path(e.path).name)) for e in report.errors),
        )
    if report.refused:
        reasons = {
            "empty": Phrase("reload.guard_empty", total=report.total),
            "unreadable": Phrase("reload.guard_unreadable"),
            "share": Phrase(
                "reload.guard_share",
                removed=report.would_remove,
                total=report.total,
                share=report.share_percent,
            ),
        }
        return Notice(
            "reload",
            Phrase(
                "reload.guarded",
                reason=reasons.get(report.guard, reasons["share"]),
                total=report.total,
                command=CommandName("reload"),
            ),
            title=Phrase("reload.refused_title"),
        )
    if not report.applied:
        count = len(report.errors)
        by_card: dict[str, list[CardError]] = {}
        for error in report.errors:
            # Admins see file names, not the server's folders.
            shown = replace(error, path=Path(error.path).name)
            by_card.setdefault(error.path, []).append(shown)
        lines = tuple(
            Phrase("reload.more_in_card", error=_quoted(errors[0]), count=len(errors) - 1)
            if len(errors) > 1
            else _quoted(errors[0])
            for errors in by_card.values()
        )
        errors = Phrase("reload.errors", count=count)
        if not _held_back(report, served):  # the broken cards are all there is
            return Notice(
                "reload",
                Phrase(
                    "reload.unchanged",
                    count=len(by_card),
                    errors=errors,
                    total=report.total,
                    command=CommandName("reload"),
                ),
                title=Phrase("reload.unchanged_title"),
                lines=lines,
            )
        return Notice(
            "reload",
            Phrase(
                "reload.refused",
                errors=errors,
                cards=Phrase("reload.cards", count=len(by_card)),
                total=report.total,
                command=CommandName("reload"),
            ),
            title=Phrase("reload.refused_title"),
            lines=lines,
        )
    diff = report.diff
    lines = []
    for key, slugs in (
        ("reload.added", diff.added),
        ("reload.changed", diff.changed),
        ("reload.removed", diff.removed),
    ):
        if slugs:
            names: str = ", ".join(escape(report.titles.get(s, s)) for s in slugs[:MAX_LISTED])
            if len(slugs) > MAX_LISTED:
                names = Phrase("list.and_more", names=names, count=len(slugs) - MAX_LISTED)
            lines.append(Phrase(key, names=names))
    return Notice(
        "reload",
        Phrase(
            "reload.done",
            total=report.total,
            added=len(diff.added),
            changed=len(diff.changed),
            removed=len(diff.removed),
        ),
        title=Phrase("reload.done_title"),
        lines=tuple(lines),
        ok=True,
    )


def reload_summary(report: ReloadReport, served: Container[str] = ()) -> Phrase:
    """One line for /about: what the last load or reload did (``served`` as for
    :func:`reload_notice`)."""
    if report.refused:
        return Phrase("about.reload_guarded", total=report.total)
    if not report.applied and not _held_back(report, served):
        cards = len({error.path for error in report.errors})
        return Phrase("about.reload_unchanged", count=cards, total=report.total)
    if not report.applied:
        return Phrase("about.reload_refused", count=len(report.errors), total=report.total)
    diff = report.diff
    return Phrase(
        "about.reload_done",
        total=report.total,
        added=len(diff.added),
        changed=len(diff.changed),
        removed=len(diff.removed),
    )


def _held_back(report: ReloadReport, served: Container[str]) -> bool:
    """Whether a reload refused for broken cards held back a change: valid cards added,
    changed or removed, or an edit that broke a card whose last good version is served."""
    diff = report.diff
    if diff.added or diff.changed or diff.removed:
        return True
    return any(Path(error.path).stem in served for error in report.errors)


def _quoted(error: CardError) -> str:
    return f"`{_tick_safe(str(error))}`"


def _tick_safe(text: str) -> str:
    return text.replace("`", "'")
