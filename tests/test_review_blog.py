"""``drama-bot import-review`` over a whole blog: feeds, sitemaps, a WordPress export, folders
of saved pages and several sources at once, against the local blog stand-in
(``tests/standins/blog``) over real HTTP on 127.0.0.1.

Every page and post in the fixtures is invented, in the shapes real review blogs use: the seed
WordPress template (``Main Cast:``, ``Streaming Site(s):``, the three scores), a Blogger post
(``Title:``, ``Hangul:``, ``Starring:``, ``My Rating: 8.5/10``), an infobox-table post, and
posts that are not reviews (news, a recap, a list, a round-up, an about page).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import pty
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.cards.loader import load_cards
from bot.cli.main import main
from tests.conftest import REPO
from tests.standins.blog import BlogPost, BlogStandIn

REVIEWS = Path(__file__).parent / "fixtures" / "reviews"
BLOG = REVIEWS / "blog"
CARDS = REPO / "data" / "cards"
WXR = BLOG / "hanok-screen-diary.wordpress.xml"
KNOWN_CARDS = ("start-up", "navillera", "signal", "tunnel", "hometown-cha-cha-cha")
DRAFTED = (
    "lantern-harbor",
    "the-tidal-clock",
    "moon-garden-diaries",
    "paper-boats",
    "winter-ferry",
)


def day(year: int, month: int, date: int) -> datetime:
    return datetime(year, month, date, tzinfo=UTC)


def site() -> list[BlogPost]:
    """The invented blog: ten posts in its feeds, a robots-protected post, a deleted post and
    an about page in its sitemaps."""
    return [
        BlogPost(
            "/2024/05/lantern-harbor/",
            "K-Drama Review: “Lantern Harbor” Lights a Slow Way Home",
            REVIEWS / "lantern-harbor.html",
            day(2024, 5, 2),
            ("Reviews",),
            full_in_feed=True,
        ),
        BlogPost(
            "/2019/04/the-tidal-clock/",
            'K-Drama Review: "The Tidal Clock" Keeps Perfect Time',
            REVIEWS / "tidal-clock.html",
            day(2019, 4, 1),
            ("Reviews",),
        ),
        BlogPost(
            "/2022/04/moon-garden-diaries/",
            "Review: Moon Garden Diaries",
            BLOG / "moon-garden-diaries.html",
            day(2022, 4, 16),
            ("Reviews", "Fantasy"),
        ),
        BlogPost(
            "/2023/06/paper-boats/",
            "Paper Boats (2023) Review: A Gentle Tide",
            BLOG / "paper-boats.html",
            day(2023, 6, 2),
            ("Reviews",),
        ),
        BlogPost(
            "/2024/01/signal-rings-true/",
            "K-Drama Review: “Signal” Still Rings True",
            BLOG / "signal-rings-true.html",
            day(2024, 1, 20),
            ("Reviews",),
            full_in_feed=True,
        ),
        BlogPost(
            "/2024/03/winter-ferry/",
            "K-Drama Review: “Winter Ferry”",
            BLOG / "winter-ferry.html",
            day(2024, 3, 9),
            ("Reviews",),
        ),
        BlogPost(
            "/2024/02/casting-news/",
            "Casting News: Two Leads Confirmed for “Winter Ferry”",
            BLOG / "casting-news.html",
            day(2024, 2, 1),
            ("News",),
            full_in_feed=True,
        ),
        BlogPost(
            "/2022/03/moon-garden-episode-5-recap/",
            "Moon Garden Diaries: Episode 5 Recap",
            BLOG / "moon-garden-recap.html",
            day(2022, 3, 20),
            ("Recaps",),
        ),
        BlogPost(
            "/2024/04/top-7-healing-dramas/",
            "Top 7 Healing K-Dramas for a Rainy Week",
            BLOG / "top-healing-dramas.html",
            day(2024, 4, 4),
            ("Lists",),
        ),
        BlogPost(
            "/2024/03/mini-reviews-march/",
            "Mini Reviews: What I Finished in March",
            BLOG / "march-mini-reviews.html",
            day(2024, 3, 31),
            ("Reviews",),
            full_in_feed=True,
        ),
        BlogPost(
            "/private/hidden-door/",
            "K-Drama Review: “Hidden Door”",
            BLOG / "private-notes.html",
            day(2024, 5, 5),
            in_feed=False,
        ),
        BlogPost("/2024/06/deleted-post/", "A deleted post", None, in_feed=False),
        BlogPost("/about/", "About", BLOG / "about.html", kind="page", in_feed=False),
    ]


@pytest.fixture
async def blog() -> AsyncIterator[BlogStandIn]:
    async with BlogStandIn(site(), flaky={"/2024/03/winter-ferry/": 1}) as stand_in:
        yield stand_in


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    folder.mkdir()
    for slug in KNOWN_CARDS:
        shutil.copy(CARDS / f"{slug}.yaml", folder)
    return folder


async def run_cli(*argv: str) -> int:
    """The command as from a shell (its own event loop, in a worker thread), unpaced unless the
    test gives ``--delay``."""
    extra = [] if "--delay" in argv else ["--delay", "0"]
    return await asyncio.to_thread(main, ["import-review", *argv, *extra])


def summary(out: str) -> dict[str, int]:
    """The summary table's rows: outcome -> posts."""
    rows = re.findall(r"^\s*([a-z:. ]+?)\s+(\d+)\s*$", out, re.MULTILINE)
    return {name: int(count) for name, count in rows}


def drafts(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml"))


def fill_years(folder: Path) -> None:
    for path in folder.glob("*.yaml"):
        text = path.read_text("utf-8")
        path.write_text(text.replace("year:  # TODO: first air year", "year: 2024"), "utf-8")


# ---------------------------------------------------------------------------- feeds


async def test_rss_feed_drafts_each_review_and_says_why_others_are_skipped(
    blog: BlogStandIn, catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drafts"
    code = await run_cli(blog.url("/feed/"), "--out", str(out), "--data", str(catalog))
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert summary(printed.out) == {
        "drafted": 5,
        "already have": 1,
        "already drafted": 0,
        "skipped: not a review": 4,
        "not allowed by robots.txt": 0,
        "failed": 0,
    }
    assert drafts(out) == sorted((*DRAFTED, "signal.review-draft"))
    reasons = {
        "casting-news": "news about a drama, not a review",
        "episode-5-recap": "an episode recap, not a review of the whole drama",
        "top-7-healing-dramas": "a list of several dramas, not a review of one",
        "mini-reviews-march": "covers several dramas (3 different 'cast' lines)",
    }
    for slug, reason in reasons.items():
        line = next(x for x in printed.out.splitlines() if slug in x)
        assert line.startswith("Skipped, not a review: ") and reason in line
    assert "Already in the catalog: Signal (2016) (signal.yaml); wrote" in printed.out

    # Posts the feed carries whole are not fetched; the others are, robots.txt once, first.
    paths = blog.paths()
    assert paths[:2] == ["/robots.txt", "/feed/"]
    assert paths.count("/robots.txt") == 1
    for whole in ("lantern-harbor", "signal-rings-true", "casting-news", "mini-reviews"):
        assert not any(whole in p for p in paths)
    assert paths.count("/2024/03/winter-ferry/") == 2  # a 503, then the retry
    assert all(r.user_agent.startswith("drama-bot/") for r in blog.requests)

    # The drafts are cards once a person fills in the year.
    fill_years(out)
    result = load_cards(out)
    assert result.errors == []
    cards = {card.slug: card for card in result.cards}
    moon = cards["moon-garden-diaries"]
    assert (moon.native_title, moon.network, moon.episodes, moon.year) == (
        "달빛 정원 일기",
        "ENA",
        12,
        2022,
    )
    assert moon.genres == ("fantasy", "romance", "slice of life")
    assert [c.actor for c in moon.cast] == ["Bae Yoon-seul", "Choi Dan-woo", "Go Eun-chae"]
    assert moon.ratings is not None and (moon.ratings.scale, moon.ratings.overall) == (10, 8.5)
    boats = cards["paper-boats"]
    assert boats.ratings is not None and (boats.ratings.overall, boats.ratings.rewatch) == (4, 3)
    assert boats.similar == ("Navillera", "Hometown Cha-Cha-Cha", "Summer Lanterns")
    # An http post's address stays in review.source (review.url holds https addresses only).
    assert boats.review is not None and boats.review.url is None
    assert boats.review.source == blog.url("/2023/06/paper-boats/")
    # The draft for our Signal is no card of its own: it is merged into ours.
    assert "signal" not in cards
    assert next(w.message for w in result.warnings if "signal" in w.path).startswith(
        "is a review draft for signal.yaml, not a card"
    )
    merge = yaml.safe_load((out / "signal.review-draft.yaml").read_text("utf-8"))
    assert merge["similar"] == ["Tunnel", "Voice"]


async def test_a_second_run_drafts_only_new_posts(
    blog: BlogStandIn, catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drafts"
    args = (blog.url("/feed/"), "--out", str(out), "--data", str(catalog))
    assert await run_cli(*args) == 0
    edited = out / "the-tidal-clock.yaml"
    edited.write_text(edited.read_text("utf-8") + "# my notes\n", "utf-8")
    capsys.readouterr()
    blog.posts.append(
        BlogPost(
            "/2024/06/winter-ferry-again/",
            "K-Drama Review: “Winter Ferry” (a second look)",
            BLOG / "winter-ferry.html",
            day(2024, 6, 1),
            ("Reviews",),
        )
    )
    blog.requests.clear()
    assert await run_cli(*args) == 1  # the new post is the same drama as an earlier draft
    printed = capsys.readouterr()
    counts = summary(printed.out)
    assert counts["already drafted"] == 6 and counts["drafted"] == 0
    assert f"{out / 'winter-ferry.yaml'} already exists; use --force" in printed.err
    assert edited.read_text("utf-8").endswith("# my notes\n")
    fetched = [p for p in blog.paths() if p not in ("/robots.txt", "/feed/")]
    drafted_paths = {p.path for p in site() if any(slug in p.path for slug in DRAFTED)}
    assert drafted_paths.isdisjoint(fetched)  # drafted posts are not fetched again
    assert "/2024/06/winter-ferry-again/" in fetched


async def test_paged_atom_feed(
    blog: BlogStandIn, catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drafts"
    code = await run_cli(blog.url("/feed/atom/"), "--out", str(out), "--data", str(catalog))
    assert code == 0
    counts = summary(capsys.readouterr().out)
    assert (counts["drafted"], counts["already have"], counts["skipped: not a review"]) == (5, 1, 4)
    assert [p for p in blog.paths() if p.startswith("/feed/atom/")] == [
        f"/feed/atom/?page={n}" if n > 1 else "/feed/atom/" for n in (1, 2, 3, 4)
    ]


async def test_the_home_page_leads_to_the_feed(
    blog: BlogStandIn, catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drafts"
    assert await run_cli(blog.url("/"), "--out", str(out), "--data", str(catalog)) == 0
    printed = capsys.readouterr().out
    assert f"{blog.url('/')} is not a review post; reading the feed it links to" in printed
    assert drafts(out) == sorted((*DRAFTED, "signal.review-draft"))


# ---------------------------------------------------------------------------- sitemaps, robots


async def test_sitemap_index(
    blog: BlogStandIn, catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drafts"
    url = blog.url("/sitemap_index.xml")
    code = await run_cli(url, "--out", str(out), "--data", str(catalog), "--retries", "1")
    printed = capsys.readouterr()
    assert code == 1  # the deleted post failed
    assert summary(printed.out) == {
        "drafted": 5,
        "already have": 1,
        "already drafted": 0,
        "skipped: not a review": 4,
        "not allowed by robots.txt": 1,
        "failed": 1,
    }
    assert f"{url}: 2 sitemaps of pages, categories, tags or authors left out" in printed.out
    gone = blog.url("/2024/06/deleted-post/")
    assert f"drama-bot: cannot fetch {gone}: the server answered HTTP 404 Not Found" in printed.err
    assert "Not allowed by robots.txt: " + blog.url("/private/hidden-door/") in printed.out
    paths = blog.paths()
    assert not any(p.startswith("/private/") for p in paths)
    assert "/page-sitemap.xml" not in paths and "/category-sitemap.xml" not in paths


async def test_robots_txt_can_forbid_everything(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    robots = "User-agent: *\nAllow: /\n\nUser-agent: drama-bot\nDisallow: /\n"
    async with BlogStandIn(site(), robots=robots) as blog:
        code = await run_cli(
            blog.url("/feed/"), "--out", str(tmp_path / "d"), "--data", str(catalog)
        )
        assert blog.paths() == ["/robots.txt"]
    assert code == 1
    assert capsys.readouterr().err == (
        f"drama-bot: {blog.url('/feed/')}: not fetched: "
        f"robots.txt of {blog.base} does not allow it\n"
    )


async def test_robots_txt_that_fails_stops_the_host(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with BlogStandIn(site(), robots_status=503) as blog:
        args = ("--out", str(tmp_path / "d"), "--data", str(catalog), "--retries", "0")
        assert await run_cli(blog.url("/feed/"), *args) == 1
        assert blog.paths() == ["/robots.txt"]
    assert "robots.txt answered HTTP 503; until it can be read, nothing" in capsys.readouterr().err


async def test_no_robots_txt_allows_everything(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with BlogStandIn(site(), robots=None) as blog:
        args = ("--out", str(tmp_path / "d"), "--data", str(catalog))
        assert await run_cli(blog.url("/2023/06/paper-boats/"), *args) == 0
        assert blog.paths() == ["/robots.txt", "/2023/06/paper-boats/"]


async def test_one_request_a_second_per_host_by_default(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Requests to the blog start at least the delay apart (robots.txt, feed, posts alike)."""
    posts = [p for p in site() if "moon-garden-diaries" in p.path or "paper-boats" in p.path]
    async with BlogStandIn(posts) as blog:
        args = ("--out", str(tmp_path / "d"), "--data", str(catalog))
        assert await run_cli(blog.url("/feed/"), *args, "--delay", "0.4") == 0
        times = [r.at for r in blog.requests]
    assert len(times) == 4  # robots.txt, the feed, two posts
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 0.35, gaps


async def test_a_slow_blog_gets_the_delay_after_each_answer_not_only_between_starts(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A blog that takes 0.3 s to answer still gets 0.4 s of quiet after each answer: the
    pace counts from when a request really started and ended, not from when it was planned."""
    posts = [p for p in site() if "moon-garden-diaries" in p.path or "paper-boats" in p.path]
    async with BlogStandIn(posts, slow=0.3) as blog:
        args = ("--out", str(tmp_path / "d"), "--data", str(catalog))
        assert await run_cli(blog.url("/feed/"), *args, "--delay", "0.4") == 0
        arrived = [r.at for r in blog.requests]
        answered = list(blog.answered)
    assert len(arrived) == 4
    quiet = [later - ended for ended, later in zip(answered, arrived[1:], strict=False)]
    assert min(quiet) >= 0.35, quiet


@pytest.mark.parametrize("slow", [0.0, 0.4])
async def test_crawl_delay_in_robots_txt_is_honoured(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], slow: float
) -> None:
    """The Crawl-delay robots.txt names is kept after robots.txt's own answer too, as after
    every other request: counted from when robots.txt was asked, a slow blog (or a loaded
    machine, where the first request reached the blog late: CI measured 0.933 s) got less."""
    robots = "User-agent: drama-bot\nCrawl-delay: 1\nDisallow: /private/\n"
    posts = [p for p in site() if "paper-boats" in p.path]
    async with BlogStandIn(posts, robots=robots, slow=slow) as blog:
        args = ("--out", str(tmp_path / "d"), "--data", str(catalog), "--delay", "0")
        assert await run_cli(blog.url("/2023/06/paper-boats/"), *args) == 0
        robots_at, page_at = (r.at for r in blog.requests)
        robots_answered = blog.answered[0]
    assert page_at - robots_answered >= 0.95
    assert page_at - robots_at >= 0.95 + slow


async def test_a_busy_server_is_retried_then_reported(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with BlogStandIn(site(), flaky={"/2023/06/paper-boats/": 5}) as blog:
        url = blog.url("/2023/06/paper-boats/")
        args = ("--out", str(tmp_path / "d"), "--data", str(catalog), "--retries", "2")
        assert await run_cli(url, *args) == 1
        assert blog.paths().count("/2023/06/paper-boats/") == 3
    assert capsys.readouterr().err == (
        f"drama-bot: cannot fetch {url}: the server answered HTTP 503 Service Unavailable"
        " (tried 3 times)\n"
    )


# ---------------------------------------------------------------------------- files


def test_wordpress_export(
    tmp_path: Path, catalog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drafts"
    assert main(["import-review", str(WXR), "--out", str(out), "--data", str(catalog)]) == 0
    printed = capsys.readouterr().out
    assert summary(printed)["drafted"] == 2
    assert summary(printed)["skipped: not a review"] == 2
    assert "not posts, left out: attachment × 2, nav_menu_item × 1, page × 1" in printed
    assert "?p=103: not published (status: draft)" in printed
    assert drafts(out) == ["glass-orchard", "salt-road"]
    salt = yaml.safe_load((out / "salt-road.yaml").read_text("utf-8"))
    assert salt["review"]["url"] == "https://hanok-screen.example/2024/02/salt-road/"
    assert salt["review"]["source"] == "Hanok Screen Diary"
    assert salt["review"]["highlights"] == ["A road trip that forgets its map"]
    assert salt["similar"] == ["Navillera", "Winter Ferry"]
    assert salt["ratings"] == {"scale": 5, "overall": 3, "romance": 2, "rewatch": 2}
    glass = yaml.safe_load((out / "glass-orchard.yaml").read_text("utf-8"))
    assert (glass["native_title"], glass["network"], glass["episodes"], glass["year"]) == (
        "유리 과수원",
        "tvN",
        10,
        2021,
    )

    assert main(["import-review", str(WXR), "--out", str(out), "--data", str(catalog)]) == 0
    assert summary(capsys.readouterr().out)["already drafted"] == 2


def test_a_folder_of_saved_pages(
    tmp_path: Path, catalog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    for name in ("moon-garden-diaries.html", "paper-boats.html", "casting-news.html", "about.html"):
        shutil.copy(BLOG / name, saved)
    (saved / "style.css").write_text("body { color: red }", "utf-8")
    (saved / "paper-boats_files").mkdir()  # what a browser saves beside a page
    out = tmp_path / "drafts"
    assert main(["import-review", str(saved), "--out", str(out), "--data", str(catalog)]) == 0
    printed = capsys.readouterr().out
    counts = summary(printed)
    assert (counts["drafted"], counts["skipped: not a review"]) == (2, 2)
    assert f"{saved / 'about.html'}: no sign of a drama review" in printed
    assert drafts(out) == ["moon-garden-diaries", "paper-boats"]
    boats = yaml.safe_load((out / "paper-boats.yaml").read_text("utf-8"))
    assert boats["review"]["url"] == "https://drama-notebook.example/reviews/paper-boats/"

    assert main(["import-review", str(saved), "--out", str(out), "--data", str(catalog)]) == 0
    assert summary(capsys.readouterr().out)["already drafted"] == 2


async def test_several_sources_at_once(
    blog: BlogStandIn, catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drafts"
    sources = (str(WXR), blog.url("/2023/06/paper-boats/"), str(REVIEWS / "paper-crane.txt"))
    assert await run_cli(*sources, "--out", str(out), "--data", str(catalog)) == 0
    assert summary(capsys.readouterr().out)["drafted"] == 4
    assert drafts(out) == ["glass-orchard", "noonas-paper-crane", "paper-boats", "salt-road"]


# ---------------------------------------------------------------------------- hostile input


def test_xml_with_entities_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "feed.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<rss version='2.0'><channel><title>&b;</title></channel></rss>",
        "utf-8",
    )
    assert main(["import-review", str(bomb), "--out", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"drama-bot: {bomb}: refused: the document declares entities")


def test_blog_text_cannot_drive_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names from a blog (its feed's title, a post's title, a saved file's name) are printed as
    plain text: rich markup is not interpreted and control characters never reach the terminal."""
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        "<title>[bold red]Loud Blog[/bold red]</title>"
        "<item><title>[link=https://evil.example]Top 5[/link] shows</title>"
        "<description>&lt;p&gt;Nothing here.&lt;/p&gt;</description></item>"
        "</channel></rss>",
        "utf-8",
    )
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy(BLOG / "about.html", saved / "about\x1b[2J\x07.html")
    out = str(tmp_path / "d")
    assert main(["import-review", str(feed), str(saved), "--out", out]) == 0
    printed = capsys.readouterr().out
    assert "a feed of [bold red]Loud Blog[/bold red]" in printed
    assert "(post 1: [link=https://evil.example]Top 5[/link] shows)" in printed
    assert "\x1b" not in printed and "\x07" not in printed
    assert "about [2J .html: no sign of a drama review" in printed


def test_progress_bar_only_on_a_terminal(tmp_path: Path, catalog: Path) -> None:
    """On a terminal a progress bar runs; piped, or with --quiet, there is none."""

    def run(*extra: str) -> str:
        controller, terminal = pty.openpty()
        chunks: list[bytes] = []

        def read() -> None:
            while True:
                try:
                    data = os.read(controller, 4096)
                except OSError:
                    return
                if not data:
                    return
                chunks.append(data)

        reader = threading.Thread(target=read)
        reader.start()
        out = tmp_path / f"d{len(extra)}"
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {
            "TERM": "xterm",
            "COLUMNS": "120",
        }
        args = [sys.executable, "-m", "bot", "import-review", str(WXR), "--out", str(out)]
        done = subprocess.run(
            [*args, "--data", str(catalog), *extra],
            stdout=terminal,
            stderr=terminal,
            env=env,
            cwd=REPO,
            timeout=60,
            check=False,
        )
        os.close(terminal)
        reader.join(10)
        os.close(controller)
        assert done.returncode == 0
        return b"".join(chunks).decode("utf-8", "replace")

    shown = run()
    assert "Importing reviews" in shown
    assert "import-review summary" in shown
    quiet = run("--quiet")
    assert "Importing reviews" not in quiet
    assert "import-review summary" in quiet
