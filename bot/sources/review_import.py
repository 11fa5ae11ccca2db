"""Drafting a review card from a review article: ``drama-bot import-review SOURCE``.

The pipeline is pure up to the last step:

1. :mod:`bot.review_article` reduces a page to an ``Article`` (headline, text lines, section
   headings) and reads the labelled fact lines into an ``Extracted`` record;
2. :func:`canonical_similar` swaps similar titles for our own card titles when the resolver is
   confident;
3. :func:`render_draft` writes the card YAML with a comment header that lists what the article
   did not give and what a person must still write.

No article prose is copied into the card: summary, verdict and headline are left for a person
to write in our own words. Only :func:`run_import_review` touches files (and, through
:mod:`bot.review_fetch`, the network).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.cards.loader import load_cards
from bot.cards.model import MAX_SLUG_CHARS, SCORE_NAMES, Card
from bot.cards.reader import CARD_SUFFIX
from bot.catalog.snapshot import Catalog
from bot.config import load_config
from bot.matching.index import Kind
from bot.sources.review_article import (
    SCORE_LABELS,
    Extracted,
    article_from_html,
    article_from_text,
    extract,
    looks_like_html,
    one_line,
)
from bot.sources.review_fetch import DEFAULT_TIMEOUT, FetchError, fetch_page, is_url
from bot.text import slugify

MAX_SOURCE_BYTES = 2 * 1024 * 1024

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


def existing_card(title: str, catalog: Catalog) -> Card | None:
    """Our card for this title when the resolver is confident, else None."""
    resolution = catalog.titles.resolve(title)
    return catalog.cards[resolution.id] if resolution.kind is Kind.MATCH and resolution.id else None


def card_slug(title: str) -> str:
    slug = slugify(title)
    if len(slug) > MAX_SLUG_CHARS:
        slug = slug[:MAX_SLUG_CHARS].rsplit("-", 1)[0]
    return slug


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
        "genres (lower-case tags), network, episodes, native_title",
        "cast roles (optional): add `role:` to each actor",
    ]
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


def _header(data: Extracted) -> str:
    lines = [
        f"# Draft card imported by `drama-bot import-review` from {data.source}",
        "# Check every value against the article, then delete this comment block.",
    ]
    for title, items in report(data):
        lines.append(f"# {title}")
        lines.extend(f"#   - {one_line(item)}" for item in items)
    return "\n".join(lines) + "\n"


def render_draft(data: Extracted) -> str:
    """The card YAML: a comment header, then the keys in the contract's order."""
    if not data.title:
        raise ValueError("a draft needs a title")
    parts = [_header(data), _dump({"title": data.title})]
    if data.year is None:
        parts.append("year:  # TODO: first air year\n")
    else:
        parts.append(_dump({"year": data.year}))
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
    if data.highlights:
        review["highlights"] = data.highlights
    parts.append(_dump({"review": review}))
    return "".join(parts)


# ---------------------------------------------------------------------------- the command


class ReviewImportError(Exception):
    """The import cannot go on; the message is shown to the user as one line."""


def read_source(source: str, timeout: float | None = None) -> tuple[str, bool, str]:
    """The article's text, whether it is HTML, and what ``review.source`` should say."""
    if is_url(source):
        if timeout is not None and not timeout > 0:
            raise ReviewImportError("--timeout must be a positive number of seconds")
        try:
            page = asyncio.run(fetch_page(source, total_seconds=timeout or DEFAULT_TIMEOUT))
        except FetchError as exc:
            raise ReviewImportError(f"cannot fetch {source}: {exc}") from None
        return page.text, page.is_html or looks_like_html("", page.text), source
    if "://" in source:
        raise ReviewImportError(f"{source}: only http:// and https:// addresses can be fetched")
    path = Path(source)
    try:
        if not path.is_file():
            raise ReviewImportError(f"{source}: no such file")
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ReviewImportError(f"{source}: the file is larger than 2 MiB")
        raw = path.read_bytes()
    except OSError as exc:
        raise ReviewImportError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text, looks_like_html(path.name, text), path.name


def draft_from_source(text: str, is_html: bool, source: str, catalog: Catalog) -> Extracted:
    article = article_from_html(text) if is_html else article_from_text(text)
    data = extract(article, source)
    if data.title:
        data.similar = canonical_similar(data.similar, catalog, card_slug(data.title))
    return data


def write_atomically(path: Path, text: str) -> None:
    """Write through a hidden temporary file in the same folder, then rename it into place."""
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp", delete=False
    ) as handle:
        temporary = Path(handle.name)
        try:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            handle.close()
            temporary.unlink(missing_ok=True)
            raise
    try:
        temporary.chmod(0o644)  # the temporary file was created private (0600)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _out_dir(args: argparse.Namespace) -> Path:
    if args.out is not None:
        return Path(args.out)
    return load_config(args.config).data_dir


def import_review(args: argparse.Namespace) -> tuple[Path, Extracted, Card | None]:
    """Everything the command does; raises :class:`ReviewImportError` with a one-line reason."""
    out = _out_dir(args)
    if not out.is_dir():
        raise ReviewImportError(f"{out}: no such folder (give an existing folder with --out)")
    text, is_html, source = read_source(args.source, getattr(args, "timeout", None))
    catalog = Catalog.build(load_cards(out).cards)
    data = draft_from_source(text, is_html, source, catalog)
    if not data.title:
        raise ReviewImportError(
            f"{args.source}: no title found (no headline with a quoted title, no Title: line)"
        )
    slug = card_slug(data.title)
    if not slug:
        raise ReviewImportError(f"cannot make a file name from the title {data.title!r}")
    path = out / f"{slug}{CARD_SUFFIX}"
    if path.exists() and not args.force:
        raise ReviewImportError(f"{path} already exists; use --force to overwrite it")
    try:
        write_atomically(path, render_draft(data))
    except OSError as exc:
        raise ReviewImportError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    twin = existing_card(data.title, catalog)
    return path, data, (twin if twin is not None and twin.slug != slug else None)
