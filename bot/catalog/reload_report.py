"""What a start or reload of the catalog did, as :class:`ReloadReport`, and the titles
it names."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from bot.cards.errors import CardError
from bot.catalog.entries import Entry
from bot.catalog.reload_plan import Plan
from bot.catalog.store import CatalogDiff

log = logging.getLogger("bot.catalog.service")  # (the service's records, as before the split)

#: How many of each list a reload report names by title (the first ones): the rest are counted.
TITLED_IN_REPORT = 15


@dataclass(frozen=True, slots=True)
class ReloadReport:
    applied: bool
    total: int
    diff: CatalogDiff = field(default_factory=CatalogDiff)
    errors: tuple[CardError, ...] = ()
    #: The titles of the first ``TITLED_IN_REPORT`` slugs of each of the diff's lists.
    titles: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    #: Why a reload with valid cards was not applied (the removal guard); "" otherwise.
    refused: str = ""
    #: How many card files were read and parsed (the others came from the cache).
    parsed: int = 0
    #: The guard's reason as data: "empty", "unreadable" or "share" ("" when not refused),
    #: how many cards the reload would remove, and the allowed share in percent.
    guard: str = ""
    would_remove: int = 0
    share_percent: int = 0
    finished_at: float = field(default_factory=time.time)  # Unix time
    #: Whether the whole folder was listed (False: only the files the watcher or the
    #: kernel's journal named were looked at).
    listed: bool = True
    #: Whether the cards folder itself could be listed (False: removed, replaced by a file,
    #: unreadable; its one error says which).
    folder_ok: bool = True

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.refused)

    def summary(self) -> str:
        """One line for status displays: what this load or reload did."""
        if self.refused:
            return f"refused ({self.refused}); serving {self.total} cards"
        if not self.applied:
            return f"refused ({len(self.errors)} card errors); serving {self.total} cards"
        diff = self.diff
        return (
            f"{self.total} cards ({len(diff.added)} added, {len(diff.changed)} changed, "
            f"{len(diff.removed)} removed)"
        )


def report_titles(plan: Plan, current: dict[str, Entry]) -> dict[str, str]:
    """The titles a reload's report names: the first few cards it adds, changes or removes
    (only those: a card read back is made when first asked for, see ``lazy_cards``)."""
    diff, shown = plan.diff, slice(TITLED_IN_REPORT)
    titles = {slug: current[slug].card.title for slug in diff.removed[shown]}
    for slug in (*diff.added[shown], *diff.changed[shown]):
        titles[slug] = plan.entries[slug].card.title
    return titles


def rehomed(
    diff: CatalogDiff, titles: dict[str, str], entries: dict[str, Entry]
) -> tuple[CatalogDiff, dict[str, str]]:
    """The report's slugs and titles as the texts the cards read back hold (equal texts), and
    fresh copies of those of removed cards: the report lives until the next reload, and the
    texts of the cards the reload read, or of the old catalog, would keep a few objects alive
    in every part of the memory those filled (``bot.catalog.build_worker``)."""

    def home(slug: str) -> str:
        entry = entries.get(slug)  # (a card or its stored body: both hold the slug read back)
        return entry.held.slug if entry is not None else slug.encode().decode()

    def title(slug: str, text: str) -> str:
        entry = entries.get(slug)
        return entry.card.title if entry is not None else text.encode().decode()

    rehomed = CatalogDiff(
        added=tuple(map(home, diff.added)),
        changed=tuple(map(home, diff.changed)),
        removed=tuple(map(home, diff.removed)),
        unchanged=diff.unchanged,
    )
    return rehomed, {home(slug): title(slug, text) for slug, text in titles.items()}


def log_watched(report: ReloadReport) -> None:
    if report.refused:
        log.warning(
            "cards changed on disk, not applied: %s; /reload confirm:true applies it",
            report.refused,
        )
    elif report.errors:
        log.warning(
            "cards changed on disk, not applied: %d errors, e.g. %s",
            len(report.errors),
            "; ".join(str(e) for e in report.errors[:3]),
        )
