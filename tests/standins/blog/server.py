"""The blog stand-in's server: see the package docstring."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from types import TracebackType
from xml.sax.saxutils import escape, quoteattr

from aiohttp import web
from bs4 import BeautifulSoup

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\nDisallow: /wp-admin/\n"
ATOM_PAGE_SIZE = 3


@dataclass(frozen=True, slots=True)
class BlogPost:
    path: str  # the permalink's path, e.g. "/2024/05/lantern-harbor/"
    title: str  # as the feed's <title> says it
    page: Path | None  # the whole HTML page served at the permalink; None: the post is gone
    published: datetime = datetime(2024, 1, 1, tzinfo=UTC)
    categories: tuple[str, ...] = ()
    full_in_feed: bool = False  # the RSS feed carries the whole post (content:encoded)
    in_feed: bool = True
    kind: str = "post"  # "post" or "page" (which sitemap lists it)


@dataclass(frozen=True, slots=True)
class Recorded:
    path: str  # with the query string
    at: float  # the event loop's clock
    user_agent: str


@dataclass(slots=True)
class BlogStandIn:
    posts: list[BlogPost]
    name: str = "Hanok Screen Diary"
    robots: str | None = DEFAULT_ROBOTS  # None: /robots.txt answers 404
    robots_status: int = 200
    flaky: dict[str, int] = field(default_factory=dict)  # path -> how many 503s first
    slow: float = 0.0  # seconds every answer takes (an overloaded blog)
    requests: list[Recorded] = field(default_factory=list)
    answered: list[float] = field(default_factory=list)  # when each answer was ready
    base: str = ""
    _runner: web.AppRunner | None = None

    async def __aenter__(self) -> BlogStandIn:
        app = web.Application()
        app.router.add_get("/robots.txt", self._robots)
        app.router.add_get("/feed/", self._rss)
        app.router.add_get("/feed/atom/", self._atom)
        app.router.add_get("/sitemap_index.xml", self._sitemap_index)
        app.router.add_get("/{name:[a-z]+}-sitemap.xml", self._sitemap)
        app.router.add_get("/", self._home)
        app.router.add_get("/{tail:.+}", self._post)
        app.middlewares.append(self._record)
        self._runner = web.AppRunner(app, shutdown_timeout=1)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.base = f"http://{host}:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    # ------------------------------------------------------------------ serving

    @web.middleware
    async def _record(
        self, request: web.Request, handler: web.RequestHandler
    ) -> web.StreamResponse:
        self.requests.append(
            Recorded(
                request.path_qs,
                asyncio.get_running_loop().time(),
                request.headers.get("User-Agent", ""),
            )
        )
        try:
            if self.slow:
                await asyncio.sleep(self.slow)
            return await handler(request)
        finally:
            self.answered.append(asyncio.get_running_loop().time())

    async def _robots(self, _request: web.Request) -> web.Response:
        if self.robots is None:
            raise web.HTTPNotFound()
        return web.Response(text=self.robots, status=self.robots_status, content_type="text/plain")

    async def _home(self, _request: web.Request) -> web.Response:
        items = "".join(
            f'<li><a href="{p.path}">{escape(p.title)}</a></li>' for p in self._feed_posts()
        )
        page = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{escape(self.name)}</title>"
            f'<link rel="alternate" type="application/rss+xml" title="{escape(self.name)} Feed"'
            ' href="/feed/">'
            f"</head><body><header><h1>{escape(self.name)}</h1></header>"
            f"<main><h2>Latest posts</h2><ul>{items}</ul></main></body></html>"
        )
        return web.Response(text=page, content_type="text/html")

    async def _post(self, request: web.Request) -> web.Response:
        path = request.path
        if self.flaky.get(path, 0) > 0:
            self.flaky[path] -= 1
            return web.Response(status=503, text="busy", headers={"Retry-After": "0"})
        post = next((p for p in self.posts if p.path == path), None)
        if post is None or post.page is None:
            raise web.HTTPNotFound()
        return web.Response(text=post.page.read_text("utf-8"), content_type="text/html")

    def _feed_posts(self) -> list[BlogPost]:
        listed = [p for p in self.posts if p.in_feed and p.kind == "post"]
        return sorted(listed, key=lambda p: p.published, reverse=True)

    async def _rss(self, _request: web.Request) -> web.Response:
        items = []
        for post in self._feed_posts():
            parts = [
                f"<title>{escape(post.title)}</title>",
                f"<link>{escape(self.url(post.path))}</link>",
                f"<pubDate>{format_datetime(post.published)}</pubDate>",
                f'<guid isPermaLink="false">{escape(self.url(post.path))}</guid>',
                *(f"<category><![CDATA[{c}]]></category>" for c in post.categories),
                f"<description><![CDATA[{_excerpt(post)}]]></description>",
            ]
            if post.full_in_feed and post.page is not None:
                parts.append(f"<content:encoded><![CDATA[{_body(post)}]]></content:encoded>")
            items.append("<item>" + "".join(parts) + "</item>")
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
            ' xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f"<title>{escape(self.name)}</title><link>{self.base}/</link>"
            f'<atom:link href={quoteattr(self.url("/feed/"))} rel="self"'
            ' type="application/rss+xml"/>'
            "<description>Invented reviews for tests</description>"
            + "".join(items)
            + "</channel></rss>"
        )
        return web.Response(text=xml, content_type="application/rss+xml")

    async def _atom(self, request: web.Request) -> web.Response:
        page = int(request.query.get("page", "1"))
        posts = self._feed_posts()
        chunk = posts[(page - 1) * ATOM_PAGE_SIZE : page * ATOM_PAGE_SIZE]
        links = [f'<link rel="self" href={quoteattr(self.url(f"/feed/atom/?page={page}"))}/>']
        if page * ATOM_PAGE_SIZE < len(posts):
            links.append(
                f'<link rel="next" href={quoteattr(self.url(f"/feed/atom/?page={page + 1}"))}/>'
            )
        entries = []
        for post in chunk:
            entries.append(
                "<entry>"
                f"<id>{escape(self.url(post.path))}</id>"
                f"<title>{escape(post.title)}</title>"
                f'<link rel="alternate" type="text/html" href={quoteattr(self.url(post.path))}/>'
                f"<updated>{post.published.isoformat()}</updated>"
                + "".join(f"<category term={quoteattr(c)}/>" for c in post.categories)
                + f'<summary type="text">{escape(_excerpt(post))}</summary>'
                "</entry>"
            )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(self.name)}</title><id>{self.base}/</id>"
            f"<updated>{datetime(2024, 6, 1, tzinfo=UTC).isoformat()}</updated>"
            + "".join(links)
            + "".join(entries)
            + "</feed>"
        )
        return web.Response(text=xml, content_type="application/atom+xml")

    async def _sitemap_index(self, _request: web.Request) -> web.Response:
        names = ("post", "page", "category")
        entries = "".join(
            f"<sitemap><loc>{self.url(f'/{name}-sitemap.xml')}</loc></sitemap>" for name in names
        )
        return _xml(f'<sitemapindex xmlns="{_SITEMAP_NS}">{entries}</sitemapindex>')

    async def _sitemap(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name == "category":
            urls = [self.url("/category/reviews/"), self.url("/category/news/")]
        elif name in ("post", "page"):
            urls = [self.url(p.path) for p in self.posts if p.kind == name]
        else:
            raise web.HTTPNotFound()
        entries = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
        return _xml(f'<urlset xmlns="{_SITEMAP_NS}">{entries}</urlset>')


_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _xml(body: str) -> web.Response:
    return web.Response(
        text=f'<?xml version="1.0" encoding="UTF-8"?>{body}', content_type="application/xml"
    )


def _body(post: BlogPost) -> str:
    """The post's own content, as WordPress puts it in ``content:encoded``."""
    assert post.page is not None
    soup = BeautifulSoup(post.page.read_text("utf-8"), "html.parser")
    content = soup.find(class_="entry-content") or soup.find("article") or soup.body
    return content.decode_contents() if content is not None else ""


def _excerpt(post: BlogPost) -> str:
    return f"A short excerpt of {post.title} [&hellip;]"
