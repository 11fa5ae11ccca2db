"""Drafting a review card from one review article (pure: no files, no network).

1. :mod:`bot.sources.review_article` reduces a page to an ``Article`` (headline, text lines,
   section headings) and reads the labelled fact lines into an ``Extracted`` record;
2. :func:`canonical_similar` swaps similar titles for our own card titles when the resolver is
   confident, and :func:`existing_card` finds the drama in our catalog;
3. :func:`render_draft` writes the card YAML with a comment header that lists what the article
   did not give and what a person must still write.

No article prose is copied into the card: summary, verdict and headline are left for a person
to write in our own words. :mod:`bot.sources.review_blog` runs the whole import (sources,
fetching, writing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from bot.cards.model import SCORE_NAMES, Card, card_slug
from bot.cards.reader import CARD_SUFFIX, DRAFT_HEADER
from bot.catalog.snapshot import Catalog
from bot.matching.index import Kind
from bot.sources.review_article import (
    SCORE_LABELS,
    Article,
    Extracted,
    article_from_html,
    article_from_text,
    extract,
    one_line,
)

# ---------------------------------------------------------------------------- our catalog


def canonical_similar(titles: Iterable[str], catalog: Catalog, own_slug: str) -> list[str]:
    """Similar titles, each replaced by our card's title when the resolver is confident."""
    out: list[str] = []
    for title in titles:
        slug = catalog.titles.resolve(title).id
        if slug is not None and slug == own_slug:
            continue
        name = catalog.cards[slug].title if slug is not None else title
        if name.casefold() not in {o.casefold() for o in out}:
            out.append(name)
    return out


def existing_card(title: str, catalog: Catalog, year: int | None = None) -> Card | None:
    """Our card for this drama when the resolver is confident, else None. With a year, a card
    of the same name from another year (a remake, a namesake) is not the same drama."""
    resolution = catalog.titles.resolve(title)
    card = catalog.cards[resolution.id] if resolution.kind is Kind.MATCH and resolution.id else None
    if year is None or (card is not None and abs(card.year - year) <= 1):
        return card
    resolution = catalog.titles.resolve(f"{title} {year}")
    if resolution.kind is Kind.MATCH and resolution.id:
        card = catalog.cards[resolution.id]
        return card if card.year == year else None
    return None


# ---------------------------------------------------------------------------- the draft


def not_found(data: Extracted) -> list[str]:
    """What the article did not give, one line each, for the header and the console."""
    missing: list[str] = []
    if data.year is None:
        missing.append("year: the first air year (the `year:` line is empty)")
    if not data.cast:
        missing.append("cast: the main cast, in billing order")
    if not data.streaming:
        missing.append("streaming: where to watch")
    for name in SCORE_NAMES:
        if name not in data.scores:
            missing.append(f"ratings.{name}: no {SCORE_LABELS[name]} line; left null")
        elif data.scores[name] is None and not data.score_texts.get(name):
            missing.append(
                f"ratings.{name}: {SCORE_LABELS[name]} has no number "
                "(the site may show a star image); left null"
            )
    if not data.similar:
        missing.append("similar: no similar titles")
    if not data.highlights:
        missing.append("review.highlights: no section headings to start from")
    return missing


def still_to_write(data: Extracted) -> list[str]:
    todo = [
        "review.headline, review.summary, review.verdict: in our own words; "
        "never copy the article's prose",
    ]
    facts = {
        "genres (lower-case tags)": data.genres,
        "network": data.network,
        "episodes": data.episodes,
        "native_title": data.native_title,
    }
    if missing := [name for name, value in facts.items() if not value]:
        todo.append(", ".join(missing))
    todo.append("cast roles (optional): add `role:` to each actor")
    if data.highlights:
        todo.append("review.highlights: these are the article's section headings; reword them")
    return todo


def _dump(mapping: dict[str, Any]) -> str:
    return yaml.safe_dump(
        mapping, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
    )


def report(data: Extracted) -> list[tuple[str, list[str]]]:
    """The sections shown in the draft's header and on the console; empty ones left out."""
    sections = [
        ("Not found in the article:", not_found(data)),
        ("Notes:", data.notes),
        ("Still to write:", still_to_write(data)),
    ]
    return [(title, items) for title, items in sections if items]


def _header(data: Extracted, ours: Card | None) -> str:
    origin = one_line(data.url or data.source)
    lines = [
        f"{DRAFT_HEADER} from {origin}",
        "# Check every value against the article, then delete this comment block.",
    ]
    if ours is not None:
        lines.append(
            f"# Our catalog already has this drama: {one_line(ours.label)} "
            f"({ours.slug}{CARD_SUFFIX}). Merge the review into that card rather than adding "
            "a second one."
        )
    for title, items in report(data):
        lines.append(f"# {title}")
        lines.extend(f"#   - {one_line(item)}" for item in items)
    return "\n".join(lines) + "\n"


def render_draft(data: Extracted, ours: Card | None = None) -> str:
    """The card YAML: a comment header, then the keys in the contract's order. ``ours`` is our
    card for the same drama, when the catalog has one."""
    if not data.title:
        raise ValueError("a draft needs a title")
    parts = [_header(data, ours), _dump({"title": data.title})]
    if data.native_title:
        parts.append(_dump({"native_title": data.native_title}))
    if data.year is None:
        parts.append("year:  # TODO: first air year\n")
    else:
        parts.append(_dump({"year": data.year}))
    facts = {"network": data.network, "episodes": data.episodes, "genres": data.genres}
    if present := {key: value for key, value in facts.items() if value}:
        parts.append(_dump(present))
    if data.cast:
        parts.append(_dump({"cast": [{"actor": name} for name in data.cast]}))
    else:
        parts.append("cast: []  # TODO: main cast, in billing order\n")
    if data.streaming:
        parts.append(_dump({"streaming": [{"service": s[:80]} for s in data.streaming]}))
    ratings: dict[str, Any] = {"scale": data.scale}
    ratings.update({name: data.scores.get(name) for name in SCORE_NAMES})
    parts.append(_dump({"ratings": ratings}))
    if data.similar:
        parts.append(_dump({"similar": data.similar}))
    review: dict[str, Any] = {"source": data.source}
    if data.url:
        review["url"] = data.url
    if data.highlights:
        review["highlights"] = data.highlights
    parts.append(_dump({"review": review}))
    return "".join(parts)


def read_article(text: str, is_html: bool) -> Article:
    return article_from_html(text) if is_html else article_from_text(text)


def draft_from_source(text: str, is_html: bool, source: str, catalog: Catalog) -> Extracted:
    """Read one article and link its similar titles to our cards."""
    data = extract(read_article(text, is_html), source)
    link_similar(data, catalog)
    return data


def link_similar(data: Extracted, catalog: Catalog) -> None:
    if data.title:
        data.similar = canonical_similar(data.similar, catalog, card_slug(data.title))
