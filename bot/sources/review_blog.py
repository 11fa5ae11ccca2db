"""``drama-bot import-review``: one article, several, a folder of saved pages, a feed, a sitemap
or a WordPress export, each review post drafted as a card.

1. **Sources to posts.** Each source given is read (a file) or fetched politely (an address)
   and recognised: a feed, sitemap (index) or WordPress export lists posts; a folder holds
   saved pages; anything else is one article. A page that is not a review but advertises a
   feed (a blog's home page, a category page) is read through that feed.
2. **Posts to outcomes.** A post drafted before (its address is on a draft in the drafts folder)
   or whose review our catalog already holds is not fetched again. Otherwise it is read,
   checked to be a review of one drama (:mod:`bot.sources.review_triage`), checked against the
   live catalog (a drama we already have is drafted under our card's name, for merging), and
   written to the drafts folder.

Every post ends as one :class:`Outcome`; nothing a blog serves can stop the run. Posts on
different hosts are fetched side by side; on one host, one request a second.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin, urlsplit

from bot.cards.loader import load_cards
from bot.cards.model import Card
from bot.cards.reader import CARD_SUFFIX, REVIEW_DRAFT_SUFFIX
from bot.catalog.snapshot import Catalog
from bot.sources.review_article import Article, Extracted, extract, looks_like_html, one_line
from bot.sources.review_drafts import (
    DraftIndex,
    catalog_addresses,
    is_web_address,
    normalize_url,
    prepare_out_folder,
    write_atomically,
)
from bot.sources.review_feeds import (
    Kind,
    Listing,
    ListingError,
    post_document,
    read_listing,
    sniff,
)
from bot.sources.review_fetch import (
    DEFAULT_TIMEOUT,
    MAX_BYTES,
    MAX_XML_BYTES,
    FetchError,
    decode,
    is_url,
)
from bot.sources.review_import import (
    canonical_similar,
    card_slug,
    existing_card,
    read_article,
    render_draft,
)
from bot.sources.review_polite import (
    DEFAULT_DELAY,
    DEFAULT_RETRIES,
    PoliteFetcher,
    RobotsDisallowed,
)
from bot.sources.review_triage import triage

PAGE_SUFFIXES = frozenset({".html", ".htm", ".txt", ".md", ".xml"})
MAX_FEED_PAGES = 50  # pages of a paged feed followed (rel="next")
MAX_SITEMAPS = 200  # child sitemaps of an index read
HOSTS_AT_ONCE = 4
# Child sitemaps of an index that list pages, categories, tags or authors, not posts
# (WordPress core, Yoast, Rank Math and others name them so).
_NOT_POST_SITEMAPS = ("page", "categor", "tag", "author", "user", "taxonom", "attachment")


class Status(Enum):
    DRAFTED = "drafted"
    ALREADY_HAVE = "already have"
    ALREADY_DRAFTED = "already drafted"
    NOT_A_REVIEW = "skipped: not a review"
    ROBOTS = "not allowed by robots.txt"
    FAILED = "failed"


@dataclass(slots=True)
class Outcome:
    status: Status
    source: str  # the post's address, or the file, as shown to the user
    detail: str = ""  # why, or what to do next; one line
    path: Path | None = None  # the draft written (or found)
    data: Extracted | None = None
    ours: Card | None = None  # our card for the same drama
    named: bool = False  # the user named this article directly (not found through a listing)


@dataclass(slots=True)
class Post:
    source: str  # shown to the user
    url: str | None = None  # the post's web address, when known
    text: str | None = None  # the page, when already in hand (a file, a feed's content)
    is_html: bool = True
    categories: tuple[str, ...] = ()
    status: str = "publish"
    site_name: str | None = None
    named: bool = False
    article: Article | None = None  # already read (a named page that was checked for feeds)


@dataclass(slots=True)
class Options:
    sources: Sequence[str]
    data_dir: Path  # the live catalog drafts are checked against
    out: Path | None = None  # None: ./drafts
    force: bool = False
    timeout: float = DEFAULT_TIMEOUT
    delay: float = DEFAULT_DELAY
    retries: int = DEFAULT_RETRIES


@dataclass(slots=True)
class Report:
    out: Path
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requests: int = 0

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status is status)


class Listener(Protocol):
    """What the command line hears while the import runs."""

    def note(self, text: str) -> None:
        """Something worth saying about a source (a feed followed, posts left out)."""

    def found(self, total: int) -> None:
        """All sources are read: ``total`` posts to go."""

    def done(self, outcome: Outcome) -> None:
        """One post is finished."""


class Silent:
    """A listener that hears nothing."""

    def note(self, text: str) -> None:
        pass

    def found(self, total: int) -> None:
        pass

    def done(self, outcome: Outcome) -> None:
        pass


async def import_reviews(options: Options, listener: Listener | None = None) -> Report:
    """Run the whole import. Raises :class:`bot.sources.review_drafts.OutFolderError` when the
    drafts folder cannot be used; every other problem is an outcome or a note."""
    run = _Run(options, listener or Silent())
    return await run.go()


class _Run:
    def __init__(self, options: Options, listener: Listener) -> None:
        self.options = options
        self.listener = listener
        self.out = prepare_out_folder(options.out)
        self.report = Report(self.out)
        cards = load_cards(options.data_dir).cards if options.data_dir.is_dir() else []
        self.catalog = Catalog.build(cards)
        self.catalog_reviews = catalog_addresses(cards)
        self.drafts = DraftIndex(self.out)
        self.written: dict[Path, str] = {}  # drafts written in this run, and from which post
        self.web = PoliteFetcher(
            delay=options.delay, retries=options.retries, timeout=options.timeout
        )

    async def go(self) -> Report:
        async with self.web:
            posts: list[Post] = []
            seen: set[str] = set()
            for source in self.options.sources:
                for item in await self._expand(source):
                    if isinstance(item, Outcome):
                        self._finish(item)
                        continue
                    if item.url:
                        key = normalize_url(item.url)
                        if key in seen:
                            continue
                        seen.add(key)
                    posts.append(item)
            self.listener.found(len(posts))
            await self._process_all(posts)
        self.report.requests = self.web.requests
        return self.report

    def _note(self, text: str) -> None:
        self.report.notes.append(text)
        self.listener.note(text)

    def _finish(self, outcome: Outcome) -> None:
        self.report.outcomes.append(outcome)
        self.listener.done(outcome)

    # ------------------------------------------------------------------ sources to posts

    async def _expand(self, source: str) -> list[Post | Outcome]:
        if is_url(source):
            return await self._expand_address(source, named=True)
        if "://" in source:
            return [_failed(source, "only http:// and https:// addresses can be fetched", True)]
        path = Path(source)
        kind = _local_kind(path)
        if kind == "folder":
            return await self._expand_folder(path)
        if kind == "file":
            return await self._expand_file(path, named=True)
        return [_failed(source, f"{source}: no such file or folder", True)]

    async def _expand_folder(self, folder: Path) -> list[Post | Outcome]:
        files = _saved_pages(folder)
        if not files:
            kinds = ", ".join(sorted(PAGE_SUFFIXES))
            return [
                _failed(str(folder), f"{folder}: no saved pages in this folder ({kinds})", True)
            ]
        self._note(f"{folder}: {len(files)} files")
        return [item for path in files for item in await self._expand_file(path, named=False)]

    async def _expand_file(self, path: Path, named: bool) -> list[Post | Outcome]:
        data = _read_file(path, named)
        if isinstance(data, Outcome):
            return [data]
        if sniff_safely(data) is not Kind.PAGE:
            return await self._from_listing(data, str(path), None)
        if len(data) > MAX_BYTES:
            return [_failed(str(path), f"{path}: the file is larger than 2 MiB", named)]
        text = decode(data)
        return [Post(str(path), text=text, is_html=looks_like_html(path.name, text), named=named)]

    async def _expand_address(self, address: str, named: bool) -> list[Post | Outcome]:
        try:
            page = await self.web.fetch(address, MAX_BYTES)
        except RobotsDisallowed as exc:
            return [Outcome(Status.ROBOTS, address, str(exc), named=named)]
        except FetchError as exc:
            return [_failed(address, f"cannot fetch {address}: {exc}", named)]
        kind = sniff_safely(page.body)
        if kind is None or kind is not Kind.PAGE:
            return await self._from_listing(page.body, address, page.url)
        text = page.text
        post = Post(
            address,
            url=page.url,
            text=text,
            is_html=page.is_html or looks_like_html("", text),
            named=named,
        )
        if named and post.is_html:
            post.article = read_article(text, True)
            feeds = post.article.meta.feed_links
            if feeds and not self._looks_like_review(post.article, post):
                feed = urljoin(page.url, feeds[0])
                self._note(f"{address} is not a review post; reading the feed it links to, {feed}")
                return await self._from_listing_address(feed, address)
        return [post]

    def _looks_like_review(self, article: Article, post: Post) -> bool:
        data = extract(article, post.source)
        return triage(article, data, (*post.categories, *article.meta.categories)).is_review

    async def _from_listing_address(self, address: str, origin: str) -> list[Post | Outcome]:
        try:
            page = await self.web.fetch(address, MAX_XML_BYTES)
        except RobotsDisallowed as exc:
            return [Outcome(Status.ROBOTS, address, str(exc), named=True)]
        except FetchError as exc:
            return [_failed(origin, f"cannot fetch {address}: {exc}", True)]
        return await self._from_listing(page.body, address, page.url)

    async def _from_listing(
        self, data: bytes, source: str, base_url: str | None
    ) -> list[Post | Outcome]:
        """The posts a feed (with its further pages), sitemap (index) or export lists."""
        try:
            listing = read_listing(data, base_url)
        except ListingError as exc:
            return [_failed(source, f"{source}: {exc}", True)]
        self._note(
            f"{source}: a {listing.kind.value}" + (f" of {listing.name}" if listing.name else "")
        )
        items: list[Post | Outcome] = []
        if listing.kind is Kind.SITEMAP_INDEX:
            return await self._from_sitemap_index(listing, source)
        items += self._listed_posts(listing, source, base_url)
        pages = 1
        while listing.next_page and base_url and pages < MAX_FEED_PAGES:
            next_page = listing.next_page
            try:
                page = await self.web.fetch(next_page, MAX_XML_BYTES)
                listing = read_listing(page.body, page.url)
            except (FetchError, ListingError) as exc:
                self._note(f"{next_page}: the feed's next page could not be read ({exc})")
                break
            pages += 1
            items += self._listed_posts(listing, next_page, page.url)
        return items

    async def _from_sitemap_index(self, listing: Listing, source: str) -> list[Post | Outcome]:
        children = [s for s in listing.sitemaps if not _lists_no_posts(s)]
        if left := len(listing.sitemaps) - len(children):
            self._note(f"{source}: {left} sitemaps of pages, categories, tags or authors left out")
        items: list[Post | Outcome] = []
        for child in children[:MAX_SITEMAPS]:
            try:
                page = await self.web.fetch(child, MAX_XML_BYTES)
                sub = read_listing(page.body, page.url)
            except RobotsDisallowed as exc:
                items.append(Outcome(Status.ROBOTS, child, str(exc)))
                continue
            except (FetchError, ListingError) as exc:
                items.append(_failed(child, f"cannot read the sitemap {child}: {exc}", False))
                continue
            if sub.kind is Kind.SITEMAP:
                items += self._listed_posts(sub, child, page.url)
        return items

    def _listed_posts(
        self, listing: Listing, source: str, base_url: str | None
    ) -> list[Post | Outcome]:
        for note in listing.notes:
            self._note(f"{source}: {note}")
        posts = listing.posts
        if listing.kind is Kind.SITEMAP and base_url:
            host = _host(base_url)
            posts = [p for p in posts if p.url and _host(p.url) == host]
            if left := len(listing.posts) - len(posts):
                self._note(
                    f"{source}: {left} addresses on other hosts left out "
                    "(a sitemap lists its own host's pages only)"
                )
        items: list[Post | Outcome] = []
        for index, listed in enumerate(posts, 1):
            shown = (
                listed.url
                or f"{source} (post {index}: {one_line(listed.title or 'untitled')[:80]})"
            )
            items.append(
                Post(
                    shown,
                    url=listed.url,
                    text=None if listed.html is None else post_document(listed.title, listed.html),
                    categories=listed.categories,
                    status=listed.status,
                    site_name=listing.name,
                )
            )
        return items

    # ------------------------------------------------------------------ posts to outcomes

    async def _process_all(self, posts: list[Post]) -> None:
        """Posts on one host one after another (the fetcher paces them); hosts side by side."""
        by_host: dict[str, list[Post]] = {}
        for post in posts:
            key = _host(post.url) if post.url and post.text is None else ""
            by_host.setdefault(key, []).append(post)
        gate = asyncio.Semaphore(HOSTS_AT_ONCE)

        async def one_host(group: list[Post]) -> None:
            async with gate:
                for post in group:
                    self._finish(await self._process(post))

        await asyncio.gather(*(one_host(group) for group in by_host.values()))

    async def _process(self, post: Post) -> Outcome:
        try:
            return await self._draft(post)
        except FetchError as exc:  # anything the fetcher raises is one line already
            return _failed(post.source, f"cannot fetch {post.source}: {exc}", post.named)
        except (OSError, ValueError) as exc:
            return _failed(post.source, f"{post.source}: {one_line(str(exc))[:300]}", post.named)

    async def _draft(self, post: Post) -> Outcome:
        if post.status != "publish":
            return Outcome(
                Status.NOT_A_REVIEW,
                post.source,
                f"not published (status: {one_line(post.status)[:30]})",
                named=post.named,
            )
        if post.url and (seen := self._seen(post, post.url)) is not None:
            return seen
        article = post.article
        if article is None:
            if post.text is None:
                assert post.url is not None
                try:
                    page = await self.web.fetch(post.url, MAX_BYTES)
                except RobotsDisallowed as exc:
                    return Outcome(Status.ROBOTS, post.source, str(exc), named=post.named)
                post.text = page.text
                post.is_html = page.is_html or looks_like_html("", post.text)
            article = read_article(post.text, post.is_html)
        url = post.url
        if (
            url is None
            and article.meta.canonical_url
            and is_web_address(article.meta.canonical_url)
        ):
            url = article.meta.canonical_url  # a saved page knows where it came from
            if (seen := self._seen(post, url)) is not None:
                return seen
        data = extract(article, _source_text(post, url, article))
        earlier = None if url or self.options.force else self.drafts.drafted_from_file(data.source)
        if earlier is not None:
            detail = f"drafted before: {earlier}"
            return Outcome(
                Status.ALREADY_DRAFTED, post.source, detail, path=earlier, named=post.named
            )
        data.url = url if url and url.lower().startswith("https://") else None
        verdict = triage(article, data, (*post.categories, *article.meta.categories))
        if not verdict.is_review:
            return Outcome(
                Status.NOT_A_REVIEW, post.source, verdict.reason, data=data, named=post.named
            )
        assert data.title is not None
        ours = existing_card(data.title, self.catalog, data.year)
        slug = ours.slug if ours is not None else card_slug(data.title)
        data.similar = canonical_similar(data.similar, self.catalog, slug)
        if not slug:
            return _failed(
                post.source,
                f"{post.source}: cannot make a file name from the title {data.title!r}",
                post.named,
            )
        # A drama we have: the draft is named apart from our card (moving it into the cards
        # folder must not overwrite the card it is to be merged into).
        suffix = REVIEW_DRAFT_SUFFIX if ours is not None else CARD_SUFFIX
        return self._write(post, url, data, ours, self.out / f"{slug}{suffix}")

    def _seen(self, post: Post, url: str) -> Outcome | None:
        """A post drafted before, or whose review our catalog holds: not fetched again."""
        if self.options.force:
            return None
        if (path := self.drafts.drafted(url)) is not None:
            return Outcome(
                Status.ALREADY_DRAFTED,
                post.source,
                f"drafted before: {path}",
                path=path,
                named=post.named,
            )
        if (card := self.catalog_reviews.get(normalize_url(url))) is not None:
            return Outcome(
                Status.ALREADY_HAVE,
                post.source,
                f"our card {card.slug}{CARD_SUFFIX} holds this review",
                ours=card,
                named=post.named,
            )
        return None

    def _write(
        self, post: Post, url: str | None, data: Extracted, ours: Card | None, path: Path
    ) -> Outcome:
        status = Status.ALREADY_HAVE if ours is not None else Status.DRAFTED
        if path.exists() and not self.options.force:
            if (earlier := self.written.get(path)) is not None:
                return _failed(
                    post.source,
                    f"{path} was drafted in this run from {earlier}; not overwritten",
                    post.named,
                )
            if ours is not None:
                detail = f"{path} exists and was left as it is (--force overwrites it)"
                return Outcome(status, post.source, detail, data=data, ours=ours, named=post.named)
            return _failed(
                post.source, f"{path} already exists; use --force to overwrite it", post.named
            )
        try:
            write_atomically(path, render_draft(data, ours))
        except OSError as exc:
            return _failed(
                post.source, f"{path}: cannot be written ({exc.strerror or exc})", post.named
            )
        self.written[path] = post.source
        if url:
            self.drafts.remember(url, path)
        else:
            self.drafts.by_file.setdefault(data.source, path)
        return Outcome(status, post.source, "", path=path, data=data, ours=ours, named=post.named)


# ---------------------------------------------------------------------------- helpers


def _failed(source: str, detail: str, named: bool) -> Outcome:
    return Outcome(Status.FAILED, source, detail, named=named)


def sniff_safely(data: bytes) -> Kind | None:
    """The document's kind; None when it looks like XML but is refused or broken (the listing
    reader then says why)."""
    try:
        return sniff(data)
    except ListingError:
        return None


def _read_file(path: Path, named: bool) -> bytes | Outcome:
    try:
        if path.stat().st_size > MAX_XML_BYTES:
            limit = MAX_XML_BYTES // 2**20
            return _failed(str(path), f"{path}: the file is larger than {limit} MiB", named)
        return path.read_bytes()
    except OSError as exc:
        return _failed(str(path), f"{path}: cannot be read ({exc.strerror or exc})", named)


def _local_kind(path: Path) -> str:
    return "folder" if path.is_dir() else "file" if path.is_file() else "missing"


def _saved_pages(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in PAGE_SUFFIXES
    )


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _lists_no_posts(sitemap: str) -> bool:
    name = urlsplit(sitemap).path.rsplit("/", 1)[-1].lower()
    return any(word in name for word in _NOT_POST_SITEMAPS)


def _source_text(post: Post, url: str | None, article: Article) -> str:
    """What ``review.source`` says: the blog's name next to an https ``review.url``; the
    address itself when ``review.url`` cannot hold it (http); else the file's name."""
    if url and url.lower().startswith("https://"):
        return post.site_name or article.meta.site_name or _host(url) or url
    if url:
        return url
    return Path(post.source).name
