"""``drama-bot import-review``: parsing review articles, the written draft, and the command.

The fixtures in ``tests/fixtures/reviews`` are invented articles in the shape of WordPress
review posts. URL tests serve them from a local aiohttp server started by the test itself.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import sysconfig
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web

from bot.cards.loader import load_cards
from bot.cards.reader import CARD_KEYS
from bot.catalog.snapshot import Catalog
from bot.cli.main import main
from bot.sources.review_article import (
    Extracted,
    article_from_html,
    article_from_text,
    extract,
    looks_like_html,
)
from bot.sources.review_import import draft_from_source, render_draft

FIXTURES = Path(__file__).parent / "fixtures" / "reviews"
CARDS = Path(__file__).resolve().parent.parent / "data" / "cards"
KNOWN_CARDS = ("start-up", "because-this-is-my-first-life", "navillera", "signal", "tunnel")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.build(load_cards(CARDS).cards)


@pytest.fixture
def admin_cards(tmp_path: Path) -> Path:
    """A folder holding copies of a few real cards, as an admin's data folder would."""
    folder = tmp_path / "cards"
    folder.mkdir()
    for slug in KNOWN_CARDS:
        shutil.copy(CARDS / f"{slug}.yaml", folder)
    return folder


def from_fixture(name: str, catalog: Catalog) -> Extracted:
    text = (FIXTURES / name).read_text("utf-8")
    return draft_from_source(text, looks_like_html(name, text), name, catalog)


def from_text(text: str) -> Extracted:
    return extract(article_from_text(text), "test")


# ---------------------------------------------------------------------------- parsing


def test_wordpress_page(catalog: Catalog) -> None:
    data = from_fixture("lantern-harbor.html", catalog)
    assert data.title == "Lantern Harbor"
    assert data.year is None
    assert data.cast == ["Han Yu-rim", "Seo Jin Ho", "Baek Ara", "Oh Dong-gil"]
    assert data.streaming == ["Netflix", "Viki"]
    assert data.scale == 5
    assert data.scores == {"romance": 4, "overall": 4.5, "rewatch": None}
    # "Start Up" and "Because This Is My First Life (2017)" are ours; the third is not.
    assert data.similar == ["Start-Up", "Because This Is My First Life", "Paper Lanterns in Spring"]
    assert data.highlights == [
        "A ferry town that feels lived in",
        "Two leads who talk things through",
        "The supporting cast carries the middle episodes",
    ]
    assert data.source == "lantern-harbor.html"
    assert data.notes == []


def test_page_furniture_is_not_read(catalog: Catalog) -> None:
    """Navigation, sidebar, footer, comments, sharing buttons and scripts hold decoy labels."""
    html = (FIXTURES / "lantern-harbor.html").read_text("utf-8")
    article = article_from_html(html)
    text = "\n".join(article.lines)
    for decoy in ("Sidebar Person", "Footer TV", "Nobody", "1/5", "0/5", "Leave a Reply"):
        assert decoy not in text
    assert article.headline == "K-Drama Review: “Lantern Harbor” Lights a Slow Way Home"
    assert "Main Cast: Han Yu-rim | Seo Jin Ho | Baek Ara | Oh Dong-gil" in article.lines


def test_ten_point_scale_title_tag_and_br_lines(catalog: Catalog) -> None:
    data = from_fixture("tidal-clock.html", catalog)
    assert data.title == "The Tidal Clock"  # from <title>, straight quotes, site name dropped
    assert data.year == 2019  # from "Aired: March 2019"
    assert data.cast == ["Yoon Sae-byeok", "Kwak Min-jae", "Ji Hae-won"]
    assert data.streaming == ["Viki", "Kocowa"]
    assert (data.scale, data.scores) == (10, {"romance": 7, "overall": 9, "rewatch": 8})
    assert data.similar == ["Signal", "Tunnel", "The Drowned Bell"]
    assert data.highlights == ["A clock that runs backwards at high tide"]  # not "Conclusion"


def test_plain_text_bullets_spacing_and_curly_quotes(catalog: Catalog) -> None:
    data = from_fixture("paper-crane.txt", catalog)
    assert data.title == "Noona’s Paper Crane"  # ‘…’ around a title holding an apostrophe
    assert data.year == 2021  # "(2021)" in the headline
    assert data.cast == ["Moon Ga-eun", "Lee Tae-san", "Cho Bora"]  # nbsp, U+2011 hyphens
    assert data.streaming == ["Netflix", "Disney+"]
    assert data.scores == {"romance": 3.5, "overall": 4, "rewatch": 4}
    assert data.scale == 5
    assert data.similar == ["Start-Up", "Navillera", "Origami Summer"]
    assert data.highlights == [
        "An older sister who folds her worries away",
        "Paper cranes as a running motif",
    ]


def test_missing_labels_empty_score_and_bare_numbers(catalog: Catalog) -> None:
    data = from_fixture("quiet-orchard.txt", catalog)
    assert data.title == "Quiet Orchard"  # the Title: label beats the first line
    assert data.year is None  # "Release Date: to be confirmed"
    assert data.cast == ["Ryu Jae-hee", "Nam Gyu-ri", "Pyo Seung-woo"]  # commas and "and"
    assert data.streaming == []
    assert data.similar == []
    assert data.scale == 5  # bare numbers
    assert data.scores == {"romance": None, "overall": 4, "rewatch": 3}
    assert "romance" in data.scores  # present with no value: null, not missing and not 0
    assert data.highlights == [
        "An apple farm that will not sell",
        "Letters left in the packing shed",
    ]


def test_conflicting_scales_and_star_glyphs_are_left_null(catalog: Catalog) -> None:
    data = from_fixture("split-scores.txt", catalog)
    assert data.title == "Midnight Ledger"
    assert (data.scale, data.scores) == (5, {"overall": 4, "romance": None, "rewatch": None})
    assert any("8/10" in note and "conflict" in note for note in data.notes)
    assert any("★★★☆☆" in note for note in data.notes)


@pytest.mark.parametrize(
    ("headline", "title", "year"),
    [
        ("K-Drama Review: “Run On” Is a Gentle Race", "Run On", None),
        ('K-Drama Review: "Run On" Keeps Its Pace', "Run On", None),
        ("K-Drama Review: ‘It’s Okay’ Is Kind", "It’s Okay", None),
        ("K-Drama Review: Moonlit Harbor - The Drama Desk", "Moonlit Harbor", None),
        ("# K-drama review: “Hello (2020)” Says Goodbye", "Hello", 2020),
        ("K-Drama Review: “Blue Gate” (2018) Opens Slowly", "Blue Gate", 2018),
    ],
)
def test_title_from_headline(headline: str, title: str, year: int | None) -> None:
    data = from_text(f"{headline}\n\nMain Cast: Someone\n")
    assert (data.title, data.year) == (title, year)


@pytest.mark.parametrize(
    ("line", "scale", "score"),
    [
        ("Overall Rating: 4/5", 5, 4),
        ("Overall Rating: 4.5 / 5", 5, 4.5),
        ("Overall Rating: 9/10", 10, 9),
        ("Overall Rating: 3.5/5 stars", 5, 3.5),
        ("overall rating : 4 out of 5", 5, 4),
        ("• OVERALL  RATING: 4", 5, 4),
        ("- **Overall Rating:** 4,5/5", 5, 4.5),
        ("Overall Rating:", 5, None),
        ("Overall\u00a0Rating:\u00a0", 5, None),
    ],
)
def test_score_formats(line: str, scale: int, score: float | None) -> None:
    data = from_text(f"“Some Drama”\n\n{line}\n")
    assert data.scale == scale
    assert data.scores == {"overall": score}


def test_bare_number_takes_the_stated_scale() -> None:
    data = from_text("“Some Drama”\n\nOverall Rating: 9/10\nRewatch Value: 7\n")
    assert (data.scale, data.scores) == (10, {"overall": 9, "rewatch": 7})
    assert any("assumed /10" in note for note in data.notes)


def test_label_variants() -> None:
    data = from_text(
        "“Some Drama”\n\n"
        "* main cast: A One, B Two & C Three\n"
        "Where to Watch: Netflix and Viki | Kocowa\n"
        "Streaming Site: ignored, the first label wins\n"
        "Similar K-Dramas: Crime and Punishment, ‘Healer’ (2014)\n"
        "Year: 2016\n"
    )
    assert data.cast == ["A One", "B Two", "C Three"]
    assert data.streaming == ["Netflix", "Viki", "Kocowa"]
    assert data.similar == ["Crime and Punishment", "Healer"]
    assert data.year == 2016


def test_boilerplate_headings_are_skipped() -> None:
    html = """<html><body><article><h1>“X”</h1>
    <h2>Plot twists that land</h2><h2>Conclusion: worth it</h2><h2>Verdict</h2>
    <h3>Related Posts</h3><h3>3 Comments</h3><h2>Where to Watch</h2><h2>1. Quiet charm</h2>
    </article></body></html>"""
    data = extract(article_from_html(html), "x.html")
    assert data.highlights == ["Plot twists that land", "Quiet charm"]


def test_value_on_the_line_below_an_empty_label() -> None:
    html = """<html><body><article class="post tag-sharing category-related-dramas">
    <h2 class="entry-title">K-Drama Review: “Glass Orchard”</h2>
    <p><strong>Main Cast:</strong><br>Kim A | Park B</p>
    <p><strong>Where to Watch:</strong><br>Netflix</p>
    <p><strong>Overall Rating:</strong><br>4/5</p>
    <p><strong>Rewatch Value:</strong> <img src="stars.png"></p>
    <p>A paragraph of invented prose that follows the empty rewatch label and must not be
    taken as its value, however it reads.</p>
    </article></body></html>"""
    data = extract(article_from_html(html), "glass.html")
    assert data.title == "Glass Orchard"  # h2.entry-title; the tag- classes do not hide it
    assert data.cast == ["Kim A", "Park B"]
    assert data.streaming == ["Netflix"]
    assert data.scores == {"overall": 4, "rewatch": None}


def test_html_is_sniffed_without_a_suffix() -> None:
    assert looks_like_html("page.txt", "\n<!DOCTYPE html><html></html>")
    assert looks_like_html("page", "<html lang='ko'>")
    assert looks_like_html("saved.HTM", "anything")
    assert not looks_like_html("review.txt", "K-Drama Review: “A” <b>bold</b>")


def test_draft_layout(catalog: Catalog) -> None:
    draft = render_draft(from_fixture("lantern-harbor.html", catalog))
    body = yaml.safe_load(draft)
    order = [key for key in CARD_KEYS if key in body]
    assert list(body) == order  # the contract's key order
    assert list(body["ratings"]) == ["scale", "overall", "romance", "rewatch"]
    assert "  rewatch: null\n" in draft
    assert "year:  # TODO: first air year\n" in draft
    assert all(list(member) == ["actor"] for member in body["cast"])  # roles are unknown
    assert set(body["review"]) == {"source", "highlights"}  # no prose copied from the article
    assert "opening paragraph" not in draft
    header = draft.split("title:", 1)[0]
    assert all(line.startswith("#") for line in header.splitlines())
    for still in ("review.summary", "review.verdict", "review.headline", "genres", "network"):
        assert still in header
    for lacking in ("year", "ratings.rewatch"):
        assert f"#   - {lacking}:" in header


# ---------------------------------------------------------------------------- the command


def check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--data", str(folder)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def fill_year(path: Path, year: int) -> None:
    text = path.read_text("utf-8")
    assert text.count("year:  # TODO: first air year\n") == 1
    path.write_text(text.replace("year:  # TODO: first air year", f"year: {year}"), "utf-8")


def line_of(path: Path, prefix: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(prefix))


def test_text_file_end_to_end(admin_cards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import-review", str(FIXTURES / "quiet-orchard.txt"), "--out", str(admin_cards)])
    out = capsys.readouterr().out
    written = admin_cards / "quiet-orchard.yaml"
    assert code == 0
    assert f"Wrote draft card {written}" in out
    assert "year: the first air year" in out
    assert "ratings.romance: Romance/Addictive Meter has no number" in out
    assert "review.headline, review.summary, review.verdict" in out
    assert [p.name for p in admin_cards.iterdir() if p.name.startswith(".")] == []
    assert written.stat().st_mode & 0o777 == 0o644

    code, report = check(admin_cards, capsys)
    assert code == 1
    year_line = line_of(written, "year:")
    assert f"{written}:{year_line}: year: " in report

    fill_year(written, 2023)
    code, report = check(admin_cards, capsys)
    assert code == 0, report
    assert f"OK: {len(KNOWN_CARDS) + 1} cards" in report
    card = next(c for c in load_cards(admin_cards).cards if c.slug == "quiet-orchard")
    assert card.ratings is not None and card.ratings.romance is None
    assert card.ratings.overall == 4


def test_html_file_end_to_end(admin_cards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import-review", str(FIXTURES / "lantern-harbor.html"), "--out", str(admin_cards)])
    assert code == 0
    written = admin_cards / "lantern-harbor.yaml"
    assert f"Wrote draft card {written}" in capsys.readouterr().out
    fill_year(written, 2024)
    code, report = check(admin_cards, capsys)
    assert code == 0, report
    card = next(c for c in load_cards(admin_cards).cards if c.slug == "lantern-harbor")
    assert card.similar == ("Start-Up", "Because This Is My First Life", "Paper Lanterns in Spring")
    assert [s.service for s in card.streaming] == ["Netflix", "Viki"]
    assert card.review is not None and card.review.source == "lantern-harbor.html"


def test_ten_point_card_passes_check_as_written(
    admin_cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The year was in the article, so the draft is valid straight away."""
    assert (
        main(["import-review", str(FIXTURES / "tidal-clock.html"), "--out", str(admin_cards)]) == 0
    )
    code, report = check(admin_cards, capsys)
    assert code == 0, report
    card = next(c for c in load_cards(admin_cards).cards if c.slug == "the-tidal-clock")
    assert card.ratings is not None and (card.ratings.scale, card.ratings.overall) == (10, 9)


def test_a_second_run_leaves_the_draft_alone_unless_forced(
    admin_cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = str(FIXTURES / "paper-crane.txt")
    assert main(["import-review", source, "--out", str(admin_cards)]) == 0
    written = admin_cards / "noonas-paper-crane.yaml"
    written.write_text("# edited by hand\n" + written.read_text("utf-8"), "utf-8")
    capsys.readouterr()

    assert main(["import-review", source, "--out", str(admin_cards)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"Already drafted: {source}: drafted before: {written}"
    assert written.read_text("utf-8").startswith("# edited by hand")

    assert main(["import-review", source, "--out", str(admin_cards), "--force"]) == 0
    assert not written.read_text("utf-8").startswith("# edited by hand")
    assert sorted(p.name for p in admin_cards.iterdir() if p.name.startswith(".")) == []


def test_another_article_does_not_overwrite_a_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drafts"
    first, second = tmp_path / "one.txt", tmp_path / "two.txt"
    first.write_text("Review: “Quiet Hours”\n\nMain Cast: Kim A\n", "utf-8")
    second.write_text("Review: “Quiet Hours”\n\nMain Cast: Park B\n", "utf-8")
    assert main(["import-review", str(first), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["import-review", str(second), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert (
        err
        == f"drama-bot: {out / 'quiet-hours.yaml'} already exists; use --force to overwrite it\n"
    )
    assert "Kim A" in (out / "quiet-hours.yaml").read_text("utf-8")


def test_our_own_card_is_never_overwritten(
    admin_cards: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the catalog named as --out, a review of a drama we have leaves our card alone."""
    article = tmp_path / "review.txt"
    article.write_text("K-Drama Review: “Start-Up” Revisited\n\nMain Cast: Suzy\n", "utf-8")
    before = (admin_cards / "start-up.yaml").read_text("utf-8")
    args = ["import-review", str(article), "--out", str(admin_cards), "--data", str(admin_cards)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Already in the catalog: Start-Up (2020) (start-up.yaml)" in out
    # the draft goes beside it under its own name (not loaded: check warns about it)
    assert f"wrote {admin_cards / 'start-up.review-draft.yaml'} to merge the review" in out
    assert (admin_cards / "start-up.yaml").read_text("utf-8") == before


DraftFrom = Callable[[str], Path]


@pytest.fixture
def draft_from(admin_cards: Path, tmp_path: Path) -> DraftFrom:
    """Runs ``import-review`` on an article of the given text into ``tmp_path/drafts``, checked
    against the admin's cards, and returns that folder."""

    def run(text: str) -> Path:
        article = tmp_path / "review.txt"
        article.write_text(text, "utf-8")
        out = tmp_path / "drafts"
        args = ["import-review", str(article), "--out", str(out), "--data", str(admin_cards)]
        assert main(args) == 0
        return out

    return run


def test_a_likely_duplicate_is_drafted_under_our_name(
    admin_cards: Path, draft_from: DraftFrom, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "Startup" is our Start-Up: the draft is named for our card, to be merged into it, but
    never exactly like it (moving it into the catalog must not overwrite the card)."""
    out = draft_from("K-Drama Review: “Startup” Revisited\n\nMain Cast: Suzy\n")
    printed = capsys.readouterr().out
    draft = out / "start-up.review-draft.yaml"
    assert (
        f"Already in the catalog: Start-Up (2020) (start-up.yaml); wrote {draft} to merge"
        in printed
    )
    header = draft.read_text("utf-8").split("title:", 1)[0]
    assert "# Our catalog already has this drama: Start-Up (2020) (start-up.yaml)." in header
    assert [p.name for p in out.iterdir()] == ["start-up.review-draft.yaml"]
    # moved into the catalog by mistake, it replaces nothing and is not loaded; check says why
    shutil.copy(draft, admin_cards / draft.name)
    assert main(["check", "--data", str(admin_cards)]) == 0
    printed = capsys.readouterr().out
    assert (
        f"{admin_cards / draft.name}:1: file: warning: is a review draft for start-up.yaml, not "
        "a card, so it is not loaded: merge its review into start-up.yaml, then delete this file"
    ) in printed.splitlines()
    assert "Start-Up" in (admin_cards / "start-up.yaml").read_text("utf-8")


def test_check_warns_about_a_card_that_still_has_the_draft_header(
    draft_from: DraftFrom, capsys: pytest.CaptureFixture[str]
) -> None:
    out = draft_from("K-Drama Review: “Salt Road” (2024)\n\nMain Cast: Kim Ha Neul\n")
    (draft,) = out.iterdir()
    assert draft.name == "salt-road.yaml"
    capsys.readouterr()
    main(["check", "--data", str(out)])
    assert (
        f"{draft}:1: file: warning: still has import-review's draft header: check every value "
        "against the article, then delete the comment block"
    ) in capsys.readouterr().out.splitlines()
    body = "".join(line for line in draft.read_text("utf-8").splitlines(True) if line[0] != "#")
    draft.write_text(body, "utf-8")
    main(["check", "--data", str(out)])
    assert "draft header" not in capsys.readouterr().out


def test_no_title(admin_cards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import-review", str(FIXTURES / "no-title.html"), "--out", str(admin_cards)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("drama-bot: ") and "no title found" in err
    assert len(err.strip().splitlines()) == 1
    assert sorted(p.stem for p in admin_cards.iterdir()) == sorted(KNOWN_CARDS)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("missing.txt", "no such file"),
        ("ftp://example.org/review", "only http:// and https://"),
    ],
)
def test_bad_sources(
    source: str, message: str, admin_cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-review", source, "--out", str(admin_cards)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_configured_cards_are_the_catalog_checked_against(
    admin_cards: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "bot.yaml"
    config.write_text("data_dir: cards\n", "utf-8")
    article = tmp_path / "review.txt"
    article.write_text("Review: “Signal”\n\nMain Cast: Lee Je-hoon | Kim Hye-soo\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    before = listing(admin_cards)
    assert main(["import-review", str(article), "--config", str(config)]) == 0
    assert "Already in the catalog: Signal (2016) (signal.yaml)" in capsys.readouterr().out
    assert (tmp_path / "drafts" / "signal.review-draft.yaml").is_file()
    assert listing(admin_cards) == before


# ---------------------------------------------------------------------------- URLs


@pytest.fixture
async def server() -> AsyncIterator[str]:
    """A local web server on a random port, serving articles and failure cases."""
    release = asyncio.Event()
    lantern = (FIXTURES / "lantern-harbor.html").read_text("utf-8")
    crane = (FIXTURES / "paper-crane.txt").read_text("utf-8")
    big = "x" * (3 * 1024 * 1024)

    async def streamed_big(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(48):  # 3 MiB in 64 KiB chunks, with no Content-Length
            await response.write(b"y" * 65536)
        await response.write_eof()
        return response

    async def slow(_request: web.Request) -> web.Response:
        await asyncio.wait_for(release.wait(), 10)
        return web.Response(text="too late")

    app = web.Application()
    app.router.add_get("/lantern", _reply(text=lantern, content_type="text/html"))
    app.router.add_get("/crane.txt", _reply(text=crane, content_type="text/plain"))
    app.router.add_get("/moved", _redirect("/lantern"))
    app.router.add_get("/loop", _redirect("/loop"))
    app.router.add_get("/big", _reply(text=big, content_type="text/plain"))
    app.router.add_get("/big-stream", streamed_big)
    app.router.add_get("/poster.png", _reply(body=b"\x89PNG\r\n\x1a\n", content_type="image/png"))
    app.router.add_get("/slow", slow)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        release.set()
        await runner.cleanup()


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _reply(**response: Any) -> Handler:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(**response)

    return handler


def _redirect(location: str) -> Handler:
    async def handler(_request: web.Request) -> web.Response:
        raise web.HTTPFound(location)

    return handler


async def run_cli(*argv: str) -> int:
    """Run the command in a worker thread: it starts its own event loop, as from a shell.
    Requests are not paced (``--delay 0``) unless the test says otherwise."""
    extra = [] if "--delay" in argv else ["--delay", "0"]
    return await asyncio.to_thread(main, [*argv, *extra])


async def test_url_html_page(
    server: str, admin_cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{server}/moved"  # one redirect to /lantern
    assert await run_cli("import-review", url, "--out", str(admin_cards)) == 0
    written = admin_cards / "lantern-harbor.yaml"
    assert f"Wrote draft card {written}" in capsys.readouterr().out
    body = yaml.safe_load(written.read_text("utf-8"))
    assert body["review"]["source"] == f"{server}/lantern"  # where the redirect led
    assert "url" not in body["review"]  # review.url holds https addresses only
    assert body["similar"][:2] == ["Start-Up", "Because This Is My First Life"]
    assert body["ratings"]["rewatch"] is None


async def test_url_plain_text(
    server: str, admin_cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run_cli("import-review", f"{server}/crane.txt", "--out", str(admin_cards)) == 0
    code, report = check(admin_cards, capsys)
    assert code == 0, report


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/nothing-here", "the server answered HTTP 404 Not Found"),
        ("/big", "the page is 3.0 MiB; the limit is 2.0 MiB"),
        ("/big-stream", "the page is larger than 2.0 MiB, the limit"),
        ("/poster.png", "the address serves image/png, not a text or HTML page"),
        ("/loop", "more than 5 redirects"),
    ],
)
async def test_url_refused(
    path: str, message: str, server: str, admin_cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{server}{path}"
    assert await run_cli("import-review", url, "--out", str(admin_cards)) == 1
    err = capsys.readouterr().err
    assert err == f"drama-bot: cannot fetch {url}: {message}\n"
    assert sorted(p.stem for p in admin_cards.iterdir()) == sorted(KNOWN_CARDS)


async def test_url_timeout(
    server: str, admin_cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{server}/slow"
    args = ("--out", str(admin_cards), "--timeout", "0.3", "--retries", "0")
    assert await run_cli("import-review", url, *args) == 1
    assert capsys.readouterr().err == (
        f"drama-bot: cannot fetch {url}: no complete answer within 0.3 seconds\n"
    )


async def test_unreachable_url(admin_cards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/review"
    args = ("--out", str(admin_cards), "--retries", "1", "--delay", "0")
    assert await run_cli("import-review", url, *args) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(
        rf"drama-bot: cannot fetch {re.escape(url)}: connection refused by 127\.0\.0\.1:{port}"
        r" \(tried 2 times\)\n",
        err,
    )


# ---------------------------------------------------------------------------- where drafts go


def listing(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(folder.iterdir()) if p.is_file()}


def test_default_is_drafts_in_the_working_folder_not_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run from another folder, the draft once went into the package's catalog."""
    work = tmp_path / "elsewhere"
    work.mkdir()
    monkeypatch.chdir(work)
    before = listing(CARDS)
    try:
        code = main(["import-review", str(FIXTURES / "paper-crane.txt")])
        after = listing(CARDS)
    finally:
        (CARDS / "noonas-paper-crane.yaml").unlink(missing_ok=True)  # undo the old behaviour
    assert code == 0
    assert after == before  # the shipped catalog is untouched
    written = work / "drafts" / "noonas-paper-crane.yaml"
    assert written.is_file()
    assert (
        f"Wrote draft card {Path('drafts') / 'noonas-paper-crane.yaml'}" in capsys.readouterr().out
    )


def test_from_a_checkout_the_live_cards_are_checked_but_not_written(
    admin_cards: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In a folder holding data/cards, the draft goes to ./drafts, and data/cards is the
    catalog it is checked against: Start-Up is reported as a drama we already have."""
    checkout = tmp_path / "checkout"
    (checkout / "data").mkdir(parents=True)
    shutil.copytree(admin_cards, checkout / "data" / "cards")
    before = listing(checkout / "data" / "cards")
    article = tmp_path / "review.txt"
    article.write_text(
        "K-Drama Review: “Startup” Revisited\n\nMain Cast: Suzy\n"
        "K-Dramas of Similar Vibe: Navilera | Tunnel\n",
        "utf-8",
    )
    monkeypatch.chdir(checkout)
    assert main(["import-review", str(article)]) == 0
    out = capsys.readouterr().out
    assert listing(checkout / "data" / "cards") == before
    assert "Already in the catalog: Start-Up (2020) (start-up.yaml)" in out
    draft = yaml.safe_load((checkout / "drafts" / "start-up.review-draft.yaml").read_text("utf-8"))
    assert draft["similar"] == ["Navillera", "Tunnel"]  # written as our cards spell them


def test_out_folder_is_created(tmp_path: Path) -> None:
    out = tmp_path / "new" / "drafts"
    assert main(["import-review", str(FIXTURES / "paper-crane.txt"), "--out", str(out)]) == 0
    assert (out / "noonas-paper-crane.yaml").is_file()


def test_data_names_the_catalog_to_check_against(
    admin_cards: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "review.txt"
    article.write_text("Review: “Signal”\n\nMain Cast: Lee Je-hoon | Kim Hye-soo\n", "utf-8")
    out = tmp_path / "drafts"
    assert main(["import-review", str(article), "--out", str(out), "--data", str(admin_cards)]) == 0
    assert "Already in the catalog: Signal (2016) (signal.yaml)" in capsys.readouterr().out
    assert (out / "signal.review-draft.yaml").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (
        main(["import-review", str(article), "--out", str(empty / "d"), "--data", str(empty)]) == 0
    )
    assert "Already in the catalog" not in capsys.readouterr().out


def test_never_writes_into_the_installed_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    installed = Path(sysconfig.get_paths()["purelib"]) / "drama-bot-import-test"
    shipped = Path(sysconfig.get_paths()["data"]) / "share" / "drama-bot" / "cards"
    try:
        for target in (installed, shipped / "sub"):
            code = main(["import-review", str(FIXTURES / "paper-crane.txt"), "--out", str(target)])
            assert code == 1
            err = capsys.readouterr().err
            assert "is inside the installed drama-bot package" in err
            assert not target.exists()
    finally:
        shutil.rmtree(installed, ignore_errors=True)
        shutil.rmtree(shipped / "sub", ignore_errors=True)


def test_the_live_catalog_only_when_named(
    admin_cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Named with --out, the live catalog is written to, and its cards are still protected."""
    code = main(["import-review", str(FIXTURES / "tidal-clock.html"), "--out", str(admin_cards)])
    assert code == 0
    assert (admin_cards / "the-tidal-clock.yaml").is_file()


@pytest.mark.parametrize(
    "label",
    [
        "Streaming Site(s)",
        "Streaming Sites",
        "Streaming Platform(s)",
        "Streaming Service",
        "Streaming On",
        "Where to Watch",
        "Where to Stream",
        "Where can I watch it",
        "Watch it on",
        "Available on",
        "Available to stream on",
        "Platform(s)",
    ],
)
def test_streaming_label_variants(label: str) -> None:
    data = from_text(
        f"Review: “Some Drama”\n\n<b>{label}:</b> Netflix, Viki\n".replace("<b>", "**").replace(
            "</b>", "**"
        )
    )
    assert data.streaming == ["Netflix", "Viki"]


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("Starring: Kim A, Park B", "cast", ["Kim A", "Park B"]),
        ("Main Actors: Kim A | Park B", "cast", ["Kim A", "Park B"]),
        ("Cast: Kim A and Park B", "cast", ["Kim A", "Park B"]),
        ("Year Released: 2022", "year", 2022),
        ("Release Date: July 29 – September 17, 2022", "year", 2022),
        ("Airing Dates: Jan 5, 2019 - Feb 24, 2019", "year", 2019),
        ("Broadcast Period: 2017-Oct-09 to 2017-Nov-28", "year", 2017),
        ("Hangul: 빅마우스", "native_title", "빅마우스"),
        ("Korean Title: 런 온", "native_title", "런 온"),
        ("Network: MBC TV", "network", "MBC TV"),
        ("Original Network: tvN", "network", "tvN"),
        ("Episodes: 16", "episodes", 16),
        ("Number of Episodes: 12 (60 min.)", "episodes", 12),
        (
            "Genre(s): Hardboiled, Noir, Legal & Crime",
            "genres",
            ["hardboiled", "noir", "legal", "crime"],
        ),
        ("Genre: Romance / Comedy", "genres", ["romance", "comedy"]),
        ("Similar Shows: Signal | Tunnel", "similar", ["Signal", "Tunnel"]),
        ("Dramas Like This: Signal, Tunnel", "similar", ["Signal", "Tunnel"]),
    ],
)
def test_fact_label_variants(line: str, field: str, value: object) -> None:
    data = from_text(f"Review: “Some Drama”\n\n{line}\n")
    assert getattr(data, field) == value


@pytest.mark.parametrize(
    ("line", "scores"),
    [
        ("My Rating: 4.5/5", {"overall": 4.5}),
        ("Final Score: 8/10", {"overall": 8}),
        ("Rating: 4 out of 5", {"overall": 4}),
        ("Rating: 15+", {}),  # an age rating, not a score
        ("Overall: I loved it", {}),  # a heading, not a score
        ("Romance Rating: 3/5", {"romance": 3}),
        ("Rewatchability: 2/5", {"rewatch": 2}),
        ("Re-watch Value: 5/5", {"rewatch": 5}),
    ],
)
def test_score_label_variants(line: str, scores: dict[str, float]) -> None:
    assert from_text(f"Review: “Some Drama”\n\n{line}\n").scores == scores


def test_episodes_that_are_not_a_count_are_noted() -> None:
    data = from_text("Review: “Some Drama”\n\nNumber of Episodes: Drama, Mystery, Thriller\n")
    assert data.episodes is None
    assert any("episodes:" in note and "not a count" in note for note in data.notes)


@pytest.mark.parametrize(
    ("headline", "title"),
    [
        ("Review: Blind Alley", "Blind Alley"),
        ("KDRAMA REVIEW | Loud Mouth", "Loud Mouth"),
        ("[Review] The Ex Club – 구여친클럽", "The Ex Club"),
        ("The Queen: Endless Sea Review – Why the Script Let Me Down", "The Queen: Endless Sea"),
        ("Harbor Lights Review: A Seaside Drama That Heals", "Harbor Lights"),
        ("Drama Review: Quiet Hours", "Quiet Hours"),
        ("【Drama Review】Moon Garden", "Moon Garden"),
    ],
)
def test_headline_shapes_of_real_blogs(headline: str, title: str) -> None:
    assert from_text(f"{headline}\n\nMain Cast: Someone\n").title == title
