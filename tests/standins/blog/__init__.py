"""A local stand-in for a review blog, for ``drama-bot import-review`` tests.

An aiohttp server on 127.0.0.1 (random port) that serves what a WordPress or Blogger review
blog serves, in the published formats crawlers read:

- ``/robots.txt`` (RFC 9309; by default it disallows ``/private/`` for every crawler);
- ``/feed/``: RSS 2.0 with WordPress's ``content:encoded`` for posts marked ``full_in_feed``
  and only a ``description`` excerpt for the others (as a blog set to "summary" does);
- ``/feed/atom/?page=N``: Atom 1.0 (RFC 4287), three entries a page, paged with
  ``<link rel="next">`` (RFC 5005), as Blogger's feeds are;
- ``/sitemap_index.xml`` (sitemaps.org index) pointing at ``/post-sitemap.xml``,
  ``/page-sitemap.xml`` and ``/category-sitemap.xml``, Yoast's names;
- each post at its permalink, the page from ``tests/fixtures/reviews/...``;
- ``/`` a home page that advertises the RSS feed with ``<link rel="alternate">``.

Failure modes are per path: ``flaky`` answers 503 (with ``Retry-After: 0``) that many times
first, ``gone`` answers 404 (a post the sitemap still lists). Every request is recorded with
its path, arrival time (the event loop's clock) and User-Agent, so tests can assert what was
fetched, in which order and how far apart.

Usage::

    async with BlogStandIn(posts) as blog:
        blog.url("/feed/")
        blog.paths()              # every path requested, in order
"""

from tests.standins.blog.server import BlogPost, BlogStandIn, Recorded

__all__ = ["BlogPost", "BlogStandIn", "Recorded"]
