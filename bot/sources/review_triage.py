"""Is this post a review of one drama? Blogs that review dramas also post news, episode
recaps, round-ups of several dramas, film reviews and chatter; only reviews become drafts.

Pure: an article and what was extracted from it in, a verdict with a reason out. The reason is
shown to the user as is ("skipped: an episode recap, not a review of the whole drama").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.cards.model import SCORE_NAMES
from bot.sources.review_article import Article, Extracted

# Two of these facts (cast, where to watch, scores, similar titles) make a post a review even
# when its headline does not say so: they are the labels review templates put at the top.
MIN_FACTS = 2


@dataclass(frozen=True, slots=True)
class Verdict:
    is_review: bool
    reason: str  # why not (empty for a review)


REVIEW = Verdict(True, "")

_REVIEW_WORD = re.compile(r"\breview\b", re.IGNORECASE)
_PLURAL_REVIEWS = re.compile(r"\breviews\b", re.IGNORECASE)
# What else a drama blog posts. Each is checked against the headline with the drama's own title
# taken out ("Review: 'Breaking News at Nine'" is a review, not news).
_NOT_A_REVIEW = (
    (
        re.compile(r"\b(?:movie|film|book|novel|webtoon|album|restaurant)\s+review\b", re.I),
        "a review of a film, book or other work, not of a drama",
    ),
    (
        re.compile(r"\brecaps?\b|\bepisodes?\s+\d+(?:\s*(?:-|–|to|&|and)\s*\d+)?\b", re.I),
        "an episode recap, not a review of the whole drama",
    ),
    (
        re.compile(
            r"\b(?:first\s+impressions?|currently\s+watching|now\s+watching|week(?:ly)?\s+\d+)\b",
            re.I,
        ),
        "first impressions of a drama still being watched, not a review",
    ),
    (
        re.compile(
            r"\btop\s+\d+\b|\b\d+\s+(?:best|k-?dramas?|dramas?|shows?)\b|\bbest\s+k-?dramas?\b"
            r"|\bdramas?\s+(?:like|to\s+watch)\b|\bround-?up\b|\bwatch\s*list\b",
            re.I,
        ),
        "a list of several dramas, not a review of one",
    ),
    (
        re.compile(
            r"\b(?:news|casting|cast\s+confirmed|confirmed\s+to\s+star|teasers?|trailers?"
            r"|posters?|stills|first\s+(?:look|peek)|premiere\s+date|ratings\s+report)\b",
            re.I,
        ),
        "news about a drama, not a review",
    ),
)


def triage(article: Article, data: Extracted, categories: Iterable[str] = ()) -> Verdict:
    """Whether the post reviews one drama, with the reason when it does not."""
    if not data.title:
        return Verdict(False, "no title found (no headline, no Title: line)")
    repeated = [
        label for label in ("title", "cast", *SCORE_NAMES) if data.label_counts.get(label, 0) >= 2
    ]
    if repeated:
        label = repeated[0]
        return Verdict(
            False,
            f"covers several dramas ({data.label_counts[label]} different '{label}' lines): "
            "a round-up, not a review of one",
        )
    headline = _without_title(article.headline or data.title, data.title)
    for pattern, reason in _NOT_A_REVIEW:
        if pattern.search(headline):
            return Verdict(False, reason)
    if _PLURAL_REVIEWS.search(headline) and not _REVIEW_WORD.search(headline):
        return Verdict(False, "reviews of several dramas in one post, not a review of one")
    says_review = _REVIEW_WORD.search(headline) is not None or any(
        _REVIEW_WORD.search(category) or _PLURAL_REVIEWS.search(category) for category in categories
    )
    if says_review or len(data.facts) >= MIN_FACTS:
        return REVIEW
    found = ", ".join(sorted(data.facts)) or "none"
    return Verdict(
        False,
        "no sign of a drama review: 'review' is not in the headline or categories, and it "
        f"gives fewer than {MIN_FACTS} of cast, where to watch, scores, similar titles "
        f"(found: {found})",
    )


_QUOTES = "\"'“”‘’«»"


def _without_title(headline: str, title: str) -> str:
    """The headline with the drama's title (and quotes around it) taken out; the whole headline
    when the title was read from all of it (a headline with no quotes and no "Review:")."""
    index = headline.casefold().find(title.casefold())
    if index < 0 or len(title) >= len(headline.strip(_QUOTES + " ")):
        return headline
    before, after = headline[:index].rstrip(_QUOTES), headline[index + len(title) :]
    return f"{before} {after.lstrip(_QUOTES)}".strip()
