"""Reading what lists a blog's posts: an RSS or Atom feed, a sitemap (or sitemap index), or a
WordPress export (WXR). Pure: the document's bytes in, the posts it lists out.

Every XML document is first parsed with defusedxml, which refuses entity declarations and
external references (the "billion laughs" and XXE attacks); only then is a feed handed to
feedparser, which copes with the many dialects of RSS and Atom.
"""

from __future__ import annotations

import html
import io
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree
import feedparser

MAX_SITEMAP_URLS = 50_000  # the sitemap protocol's own limit per file
_WP_NAMESPACE = "{http://wordpress.org/export/"
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
_FEED_ROOTS = frozenset({"rss", "feed", "RDF", "channel"})
_XML_STARTS = (b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:RDF")


class Kind(Enum):
    FEED = "feed"
    SITEMAP = "sitemap"
    SITEMAP_INDEX = "sitemap index"
    WXR = "WordPress export"
    PAGE = "page"  # not a list of posts: an article (HTML or text)


class ListingError(Exception):
    """The document looks like a feed, sitemap or export but cannot be read; one line."""


class RefusedXML(ListingError):
    """The document declares entities or external references: never read further."""


@dataclass(frozen=True, slots=True)
class ListedPost:
    url: str | None  # the post's address, when the document gives one
    title: str | None = None
    html: str | None = None  # the whole post, when the document carries it
    categories: tuple[str, ...] = ()
    status: str = "publish"  # a WordPress export also holds drafts, private and trashed posts


@dataclass(slots=True)
class Listing:
    kind: Kind
    name: str | None = None  # the blog's or feed's name
    posts: list[ListedPost] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # the children of a sitemap index
    next_page: str | None = None  # a paged feed's next page (RFC 5005 rel="next")
    notes: list[str] = field(default_factory=list)


def sniff(data: bytes) -> Kind:
    """What the document is, from its root element; ``PAGE`` for anything that is not XML
    listing posts (an HTML or text article, an XHTML page)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(_XML_STARTS):
        return Kind.PAGE
    try:
        root = _safe_root(data)
    except RefusedXML:
        raise
    except ListingError:
        if head.startswith((b"<rss", b"<feed", b"<rdf:RDF")) or b"<rss" in head or b"<feed" in head:
            return Kind.FEED  # malformed, but feedparser's loose mode may still read it
        raise
    return _kind_of(root)


def read_listing(data: bytes, base_url: str | None = None) -> Listing:
    """The posts (or child sitemaps) a feed, sitemap or WordPress export lists."""
    kind = sniff(data)
    if kind is Kind.FEED:
        _safe_root_unless_malformed(data)
        return _read_feed(data, base_url)
    if kind is Kind.PAGE:
        return Listing(Kind.PAGE)
    root = _safe_root(data)
    if kind is Kind.WXR:
        return _read_wxr(root)
    return _read_sitemap(root, kind)


def post_document(title: str | None, body: str) -> str:
    """A post carried inside a feed or export, as the HTML page the article reader expects."""
    headline = f'<h1 class="entry-title">{html.escape(title)}</h1>' if title else ""
    return (
        "<!DOCTYPE html><html><body><article>"
        f'{headline}<div class="entry-content">{body}</div></article></body></html>'
    )


# ---------------------------------------------------------------------------- XML


def _safe_root(data: bytes) -> Element:
    try:
        root: Element = defusedxml.ElementTree.fromstring(data, forbid_dtd=False)
    except defusedxml.DefusedXmlException as exc:
        raise RefusedXML(
            f"refused: the document declares {type(exc).__name__.removesuffix('Forbidden').lower()}"
            " (entities and external references are how XML attacks work)"
        ) from None
    except ParseError as exc:
        raise ListingError(f"not well-formed XML ({exc})") from None
    return root


def _safe_root_unless_malformed(data: bytes) -> None:
    """Refuses entities again before feedparser sees the feed; a feed that is merely not
    well-formed goes on to feedparser's lenient reader."""
    try:
        _safe_root(data)
    except RefusedXML:
        raise
    except ListingError:
        pass


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kind_of(root: Element) -> Kind:
    name = _local(root.tag)
    if name == "urlset":
        return Kind.SITEMAP
    if name == "sitemapindex":
        return Kind.SITEMAP_INDEX
    if name == "rss":
        channel = root.find("channel")
        if channel is not None and any(
            isinstance(child.tag, str) and child.tag.startswith(_WP_NAMESPACE) for child in channel
        ):
            return Kind.WXR
        return Kind.FEED
    if name in _FEED_ROOTS:
        return Kind.FEED
    return Kind.PAGE


def _text(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    text = element.text.strip()
    return text or None


def _child(element: Element, local_name: str, namespace_prefix: str = "") -> Element | None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if _local(tag) == local_name and tag.startswith(namespace_prefix):
            return child
    return None


# ---------------------------------------------------------------------------- feeds


def _read_feed(data: bytes, base_url: str | None) -> Listing:
    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise ListingError(f"not a feed that can be read ({problem or 'no entries'})")
    listing = Listing(Kind.FEED, name=_clean(parsed.feed.get("title")))
    for entry in parsed.entries:
        link = entry.get("link") or (entry.get("id") if _is_web(entry.get("id")) else None)
        listing.posts.append(
            ListedPost(
                url=link if _is_web(link) else None,
                title=_clean(entry.get("title")),
                html=_entry_body(entry, has_link=_is_web(link)),
                categories=tuple(
                    term for tag in entry.get("tags", ()) if (term := _clean(tag.get("term")))
                ),
            )
        )
    for link in parsed.feed.get("links", ()):
        if link.get("rel") == "next" and _is_web(link.get("href")):
            listing.next_page = link["href"]
    return listing


def _entry_body(entry: Any, has_link: bool) -> str | None:
    """The full post when the feed carries it (``content:encoded``, Atom ``content``); a bare
    summary only when there is no link to fetch the post from."""
    for content in entry.get("content", ()):
        if content.get("value") and "html" in str(content.get("type", "text/html")):
            value: str = content["value"]
            return value
    summary = entry.get("summary")
    return summary if summary and not has_link else None


# ---------------------------------------------------------------------------- sitemaps


def _read_sitemap(root: Element, kind: Kind) -> Listing:
    listing = Listing(kind)
    wanted = "url" if kind is Kind.SITEMAP else "sitemap"
    addresses = [
        loc
        for entry in root
        if _local(entry.tag) == wanted
        and (loc := _text(_child(entry, "loc"))) is not None
        and _is_web(loc)
    ]
    if len(addresses) > MAX_SITEMAP_URLS:
        listing.notes.append(
            f"the sitemap lists {len(addresses)} addresses; only the first "
            f"{MAX_SITEMAP_URLS} are read"
        )
        addresses = addresses[:MAX_SITEMAP_URLS]
    if kind is Kind.SITEMAP:
        listing.posts = [ListedPost(url=address) for address in addresses]
    else:
        listing.sitemaps = addresses
    return listing


# ---------------------------------------------------------------------------- WordPress


def _read_wxr(root: Element) -> Listing:
    channel = root.find("channel")
    if channel is None:
        return Listing(Kind.WXR)
    listing = Listing(Kind.WXR, name=_clean(_text(_child(channel, "title"))))
    not_posts: Counter[str] = Counter()
    for item in channel.iter("item"):
        post_type = _text(_child(item, "post_type", _WP_NAMESPACE)) or "post"
        if post_type != "post":
            not_posts[post_type] += 1
            continue
        link = _text(_child(item, "link"))
        listing.posts.append(
            ListedPost(
                url=link if _is_web(link) else None,
                title=_clean(_text(_child(item, "title"))),
                html=_text(item.find(_CONTENT_ENCODED)) or "",
                categories=tuple(
                    text for category in item.findall("category") if (text := _clean(category.text))
                ),
                status=_text(_child(item, "status", _WP_NAMESPACE)) or "publish",
            )
        )
    if not_posts:
        listing.notes.append(
            "not posts, left out: "
            + ", ".join(f"{kind} × {count}" for kind, count in sorted(not_posts.items()))
        )
    return listing


# ---------------------------------------------------------------------------- helpers


def _is_web(value: object) -> bool:
    return isinstance(value, str) and value[:8].lower().startswith(("http://", "https://"))


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(value).split())
    return text or None
