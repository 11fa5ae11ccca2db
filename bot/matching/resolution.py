"""What resolving a query gives: a :class:`Resolution` of one :class:`Kind` (a match,
candidates or none)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    MATCH = "match"
    CANDIDATES = "candidates"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of resolving one query."""

    kind: Kind
    ids: tuple[str, ...] = ()
    query: str = ""
    # The season the query asked for when we do not have it: ``ids`` are the seasons we have.
    missing_season: int | None = None
    # The year the query named when no drama of that name aired then: ``ids`` are what we have.
    missing_year: int | None = None
    # Candidates found on weak evidence (words in another order, one everyday word): they stay
    # a "did you mean" even when they are all seasons of one drama.
    hedged: bool = False

    @property
    def id(self) -> str | None:
        """The matched id when the resolution is confident, else None."""
        return self.ids[0] if self.kind is Kind.MATCH else None
