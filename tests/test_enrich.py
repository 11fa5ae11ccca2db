"""`drama-bot enrich` end to end: the real command against the local TMDB stand-in, on real
card files in tmp_path."""

from __future__ import annotations

import datetime
import email.utils
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cards.loader import load_cards
from bot.cli.main import main
from bot.config import ConfigError, load_config
from bot.sources.tmdb.client import Credentials
from tests.conftest import SHIPPED_CARDS
from tests.standins.tmdb import API_KEY, READ_TOKEN, TmdbStandIn
from tests.standins.tmdb.fixtures import tmdb  # noqa: F401


def today() -> str:
    """Today's date as enrich writes it, read when a test checks it (not at import: a run
    that crosses midnight would expect yesterday)."""
    return datetime.date.today().isoformat()


@pytest.fixture
def env(tmdb: TmdbStandIn, monkeypatch: pytest.MonkeyPatch) -> Iterator[TmdbStandIn]:  # noqa: F811
    """The stand-in's address and a valid v3 key in the environment; no stand-in violations."""
    monkeypatch.setenv("DRAMA_BOT_TMDB_URL", tmdb.url)
    monkeypatch.setenv("TMDB_API_KEY", API_KEY)
    monkeypatch.delenv("TMDB_READ_ACCESS_TOKEN", raising=False)
    yield tmdb
    assert tmdb.violations == []


@pytest.fixture
def cards(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    folder.mkdir()
    return folder


def card(folder: Path, slug: str, text: str) -> Path:
    path = folder / f"{slug}.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    return path


def run_on(folder: Path) -> Path:
    """The shipped Run On card without its Hangul names (for TMDB to fill), with an admin's
    comments added."""
    text = (SHIPPED_CARDS / "run-on.yaml").read_text("utf-8")
    text = re.sub(r"(?m)^ +native_name: .*\n", "", text)
    text = "# Run On: checked by hand, see notes\n" + text.replace(
        "network: JTBC\n", "network: JTBC  # aired Wed/Thu\n"
    )
    path = folder / "run-on.yaml"
    path.write_text(text, "utf-8")
    return path


def enrich(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str, str]:
    code = main(["enrich", "--data", str(folder), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_prints_the_diff_and_writes_nothing(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = run_on(cards)
    before = path.read_text("utf-8")
    code, out, err = enrich(capsys, cards)
    assert code == 0
    assert path.read_text("utf-8") == before
    assert "+tmdb_id: 900001" in out
    assert (
        f"+community_rating: {{score: 8.1, scale: 10, source: TMDB, votes: 321, "
        f"checked: {today()}}}" in out
    )
    assert "+    native_name: 임시완" in out
    assert "run-on  would update  tmdb_id: 900001" in out and "\n1 would update\n" in out
    assert "community_rating: 8.1 / 10 from 321 votes" in out and "Nothing was written" in out
    assert "This product uses the TMDB API but is not endorsed or certified by TMDB." in out
    assert "JustWatch" in out
    assert not (cards / ".enrich-state.json").exists()  # a dry run records nothing
    assert "Enriching" not in err  # no progress bar when stderr is not a terminal


def test_write_enriches_in_place_keeping_comments_and_hand_written_values(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = run_on(cards)
    before = path.read_text("utf-8").splitlines()
    code, out, _ = enrich(capsys, cards, "--write")
    assert code == 0, out
    after = path.read_text("utf-8")
    # Every line the admin wrote is still there, comments included, in the same order.
    kept = [line for line in after.splitlines() if line in before]
    assert kept == before
    assert after.startswith("# Run On: checked by hand, see notes\n")
    assert "network: JTBC  # aired Wed/Thu\n" in after
    result = load_cards(cards)
    assert result.ok, [str(e) for e in result.errors]
    (enriched,) = result.cards
    assert enriched.tmdb_id == 900001
    assert enriched.poster == "https://image.tmdb.org/t/p/w500/runon900001.jpg"
    assert enriched.community_rating is not None
    rating = enriched.community_rating
    assert (rating.score, rating.scale, rating.source, rating.votes, rating.checked) == (
        8.1,
        10,
        "TMDB",
        321,
        today(),
    )
    assert enriched.ratings is not None and enriched.ratings.overall is None  # review untouched
    assert [m.native_name for m in enriched.cast] == ["임시완", "신세경", "최수영", None]
    # The hand-written Netflix entry stays as written; TMDB's Netflix is not added twice.
    assert [(s.service, s.regions, s.source) for s in enriched.streaming] == [("Netflix", (), None)]
    assert "kept hand-written streaming Netflix (subscription)" in out
    # One search per name, one details request for the show, a translation per person
    # whose credit is not in Hangul already.
    paths = env.paths()
    assert paths.count("/3/search/tv") == 2
    assert paths.count("/3/tv/900001") == 1
    assert sorted(p for p in paths if p.startswith("/3/person/")) == [
        "/3/person/800001/translations",
        "/3/person/800003/translations",
        "/3/person/800004/translations",
    ]
    details = next(r for r in env.requests if r.path == "/3/tv/900001")
    assert details.query["append_to_response"] == "aggregate_credits,watch/providers"
    assert all(r.auth == "api_key" for r in env.requests)


def test_a_later_run_uses_the_stored_id_and_resumes(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_on(cards)
    assert enrich(capsys, cards, "--write")[0] == 0
    env.requests.clear()
    code, out, _ = enrich(capsys, cards, "--write")  # same day: already done, skipped
    assert code == 0 and env.requests == []
    assert "1 skipped" in out
    code, out, _ = enrich(capsys, cards, "--write", "--refresh")
    assert code == 0
    assert "/3/search/tv" not in env.paths()  # never re-guessed: the card has tmdb_id
    assert env.paths().count("/3/tv/900001") == 1
    assert "1 unchanged" in out


def test_tmdb_streaming_is_written_per_region_and_refreshed(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = card(
        cards,
        "quiet-days",
        """
        title: Quiet Days
        year: 2022
        cast:
          - actor: Someone
        streaming:
          - service: Wavve
            regions: [KR]
        """,
    )
    assert enrich(capsys, cards, "--write")[0] == 0
    (enriched,) = load_cards(cards).cards
    assert [(s.service, s.kind, s.regions, s.source, s.checked) for s in enriched.streaming] == [
        ("Wavve", "subscription", ("KR",), None, None),
        ("KOCOWA", "free", ("US",), "TMDB", today()),
        ("Viki", "ads", ("US",), "TMDB", today()),  # "Rakuten Viki" as our cards name it
    ]
    assert "{service: Viki, regions: [US], kind: ads, checked: " in path.read_text("utf-8")
    # Rent and buy only when asked for; TMDB's own entries are replaced, not duplicated.
    assert enrich(capsys, cards, "--write", "--refresh", "--rent-buy")[0] == 0
    (enriched,) = load_cards(cards).cards
    assert [(s.service, s.kind, s.regions) for s in enriched.streaming] == [
        ("Wavve", "subscription", ("KR",)),
        ("KOCOWA", "free", ("US",)),
        ("Viki", "ads", ("US",)),
        ("Amazon Video", "rent", ("GB",)),
    ]
    # When TMDB no longer lists a service, the entry it gave goes; the hand-written one stays.
    env.show(900040).providers = {}
    assert enrich(capsys, cards, "--write", "--refresh")[0] == 0
    (enriched,) = load_cards(cards).cards
    assert [s.service for s in enriched.streaming] == ["Wavve"]


def test_an_ambiguous_search_is_reported_and_never_guessed(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "title: Twin Title\nyear: 2019\ncast:\n  - actor: Someone\n"
    path = card(cards, "twin-title", text)
    code, out, _ = enrich(capsys, cards, "--write")
    assert code == 0
    assert path.read_text("utf-8") == text
    assert "ambiguous" in out
    assert "Twin Title / 쌍둥이 제목 (2019, TMDB 900010)" in out
    assert "Twin Title / 다른 제목 (2019, TMDB 900011)" in out
    assert not any(p.startswith("/3/tv/") for p in env.paths())
    # The native title settles it.
    card(cards, "twin-title", text.replace("year:", "native_title: 다른 제목\nyear:"))
    assert enrich(capsys, cards, "--write", "--refresh")[0] == 0
    assert load_cards(cards).cards[0].tmdb_id == 900011


def test_not_found_and_a_stored_id_tmdb_does_not_know(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card(cards, "old-story", "title: Old Story\nyear: 2019\ncast:\n  - actor: Someone\n")
    card(cards, "gone", "title: Gone\nyear: 2020\ntmdb_id: 999999\ncast:\n  - actor: Someone\n")
    code, out, _ = enrich(capsys, cards, "--write")
    assert code == 1  # a failure: the stored id is wrong
    assert "not found" in out and "no show named 'Old Story' first aired in 2019" in out
    assert "TMDB has no show 999999 (the card's tmdb_id)" in out
    assert "1 not found, 1 failed" in out


def test_hand_written_values_stay_unless_overwrite_names_them(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "title: Run On\nyear: 2020\nnetwork: JTBC2\ncast:\n  - actor: Im Si Wan\n"
    card(cards, "run-on", text)
    code, out, _ = enrich(capsys, cards, "--write")
    assert code == 0
    assert "kept network 'JTBC2' (TMDB: 'JTBC')" in out
    assert load_cards(cards).cards[0].network == "JTBC2"
    assert enrich(capsys, cards, "--write", "--refresh", "--overwrite", "network")[0] == 0
    assert load_cards(cards).cards[0].network == "JTBC"


def test_episodes_are_only_written_when_the_season_is_clear(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card(cards, "long-show", "title: Long Show\nyear: 2021\ncast:\n  - actor: Someone\n")
    assert enrich(capsys, cards, "--write")[0] == 0
    assert load_cards(cards).cards[0].episodes is None  # 2 seasons, card does not say which
    card(cards, "long-show", "title: Long Show\nyear: 2021\nseason: 1\ncast:\n  - actor: A\n")
    assert enrich(capsys, cards, "--write", "--refresh")[0] == 0
    assert load_cards(cards).cards[0].episodes == 12


def test_an_edit_that_would_not_pass_check_is_not_written(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env.show(900020).networks = ["N" * 300]  # longer than a card's network may be
    text = "title: Old Story\nyear: 2004\ncast:\n  - actor: Someone\n"
    path = card(cards, "old-story", text)
    code, out, _ = enrich(capsys, cards, "--write")
    assert code == 1
    assert "would not pass check" in out and "network" in out
    assert path.read_text("utf-8") == text
    assert [p.name for p in cards.iterdir() if p.suffix != ".json"] == ["old-story.yaml"]


def test_a_refused_key_stops_the_run_and_is_never_printed(
    env: TmdbStandIn,
    cards: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "wrong-key-5f1e2d3c4b5a69788796a5b4c3d2e1f0"
    monkeypatch.setenv("TMDB_API_KEY", secret)
    path = run_on(cards)
    before = path.read_text("utf-8")
    code, out, err = enrich(capsys, cards, "--write")
    assert code == 2
    assert "TMDB refused the key (401: Invalid API key: You must be granted a valid key.)" in err
    assert secret not in out + err
    assert path.read_text("utf-8") == before
    assert len(env.requests) <= 2  # stopped at once, no retries of a refused key


def test_a_read_access_token_is_sent_as_a_bearer_header(
    env: TmdbStandIn,
    cards: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TMDB_API_KEY")
    monkeypatch.setenv("TMDB_READ_ACCESS_TOKEN", READ_TOKEN)
    run_on(cards)
    code, out, err = enrich(capsys, cards)
    assert code == 0
    assert env.requests and all(r.auth == "bearer" for r in env.requests)
    assert all("api_key" not in r.query for r in env.requests)
    assert READ_TOKEN not in out + err


def test_no_key_at_all_says_what_to_set(
    env: TmdbStandIn,
    cards: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TMDB_API_KEY")
    run_on(cards)
    code, _, err = enrich(capsys, cards)
    assert code == 2 and "set TMDB_API_KEY" in err and env.requests == []


def test_429_waits_for_retry_after_then_succeeds(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_on(cards)
    env.fail("/3/tv/", 429, retry_after="1")
    code, out, _ = enrich(capsys, cards, "--write")
    assert code == 0, out
    statuses = [r.status for r in env.requests if r.path == "/3/tv/900001"]
    assert statuses == [429, 200]
    assert load_cards(cards).cards[0].tmdb_id == 900001


def test_5xx_and_time_outs_are_retried_with_back_off(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_on(cards)
    env.fail("/3/tv/", 503, times=2)
    env.stall("/3/search/tv", 3.0)  # the first search hangs past the time-out
    code, out, _ = enrich(capsys, cards, "--write", "--timeout", "1")
    assert code == 0, out
    assert [r.status for r in env.requests if r.path == "/3/tv/900001"] == [503, 503, 200]
    assert load_cards(cards).cards[0].community_rating is not None


def test_a_page_that_is_not_json_is_named_as_such_not_as_a_5xx(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A proxy or captive portal answering 200 with an HTML page: the report gives the real
    status and says what was wrong with the answer; the page itself is not printed."""
    run_on(cards)
    env.fail("/3/", 200, times=20, html="<html><body>Please log in to the Wi-Fi</body></html>")
    code, out, err = enrich(capsys, cards, "--write", "--retries", "1")
    assert code == 1
    assert "TMDB answered 200 with text/html, not JSON" in out, out
    assert "502" not in out + err and "Wi-Fi" not in out + err
    assert [r.status for r in env.requests] == [200, 200]  # retried once, as for a 5xx


def test_enrich_never_checks_discords_address(
    env: TmdbStandIn,
    cards: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: ``DRAMA_BOT_DISCORD_URL=notaurl drama-bot enrich`` refused to run, though enrich
    never talks to Discord."""
    monkeypatch.setenv("DRAMA_BOT_DISCORD_URL", "notaurl")
    run_on(cards)
    code, out, err = enrich(capsys, cards)
    assert code == 0, out + err
    assert "DRAMA_BOT_DISCORD_URL" not in out + err
    assert any(r.path == "/3/search/tv" for r in env.requests)


def test_a_service_that_keeps_failing_fails_that_card_only(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_on(cards)
    card(cards, "quiet-days", "title: Quiet Days\nyear: 2022\ncast:\n  - actor: Someone\n")
    env.fail("/3/tv/900001", 500, times=10)
    code, out, _ = enrich(capsys, cards, "--write", "--retries", "1")
    assert code == 1
    assert "TMDB answered 500" in out and "after 2 tries" in out
    assert "1 updated, 1 failed" in out
    assert load_cards(cards).cards[1].slug == "run-on"
    assert load_cards(cards).cards[1].tmdb_id is None  # the failed card is untouched


def test_only_and_regions_are_checked(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_on(cards)
    card(cards, "quiet-days", "title: Quiet Days\nyear: 2022\ncast:\n  - actor: Someone\n")
    code, _, err = enrich(capsys, cards, "--only", "nope")
    assert code == 2 and "no card nope" in err
    code, _, err = enrich(capsys, cards, "--regions", "US,XX")
    assert code == 2 and "--regions takes two-letter country codes such as US,KR (not XX)" in err
    code, _, _ = enrich(capsys, cards, "--write", "--only", "quiet-days", "--regions", "gb")
    assert code == 0
    assert "/3/tv/900001" not in env.paths()
    quiet = next(c for c in load_cards(cards).cards if c.slug == "quiet-days")
    assert quiet.tmdb_id == 900040
    assert quiet.streaming == ()  # GB lists only a rental, and rentals were not asked for


def test_a_broken_card_is_reported_and_the_others_enriched(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_on(cards)
    card(cards, "broken", "title: Broken\nyear: soon\ncast:\n  - actor: Someone\n")
    code, out, _ = enrich(capsys, cards, "--write")
    assert code == 1
    assert "does not pass check" in out and "1 updated" in out


def test_the_installed_command_never_prints_the_key(
    tmdb: TmdbStandIn,  # noqa: F811
    cards: Path,
) -> None:
    secret = "0123456789abcdef0123456789abcdef-nope"
    run_on(cards)
    env = {
        "PATH": str(Path(sys.executable).parent),
        "TMDB_API_KEY": secret,
        "DRAMA_BOT_TMDB_URL": "http://127.0.0.1:9/3",  # nothing listens: connection refused
    }
    drama_bot = shutil.which("drama-bot", path=env["PATH"])
    assert drama_bot is not None
    done = subprocess.run(
        [drama_bot, "enrich", "--data", str(cards), "--retries", "0", "--timeout", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "failed" in done.stdout
    assert secret not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_tmdb_url_comes_from_the_config_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DRAMA_BOT_TMDB_URL", raising=False)
    assert load_config(None).tmdb_url == "https://api.themoviedb.org/3"
    config = tmp_path / "config.yaml"
    config.write_text("tmdb_url: https://tmdb.example.org/3/\n", "utf-8")
    assert load_config(config).tmdb_url == "https://tmdb.example.org/3"
    monkeypatch.setenv("DRAMA_BOT_TMDB_URL", "http://127.0.0.1:8123/3")
    assert load_config(config).tmdb_url == "http://127.0.0.1:8123/3"
    config.write_text("tmdb_url: ftp://nope\n", "utf-8")
    with pytest.raises(ConfigError, match="tmdb_url: must be an http"):
        load_config(config)


def test_the_stand_in_follows_tmdb_shapes_for_errors(tmdb: TmdbStandIn) -> None:  # noqa: F811
    """The stand-in's own contract: TMDB's error envelope and codes."""
    import json
    import urllib.error
    import urllib.request

    def get(path: str) -> tuple[int, dict[str, object]]:
        try:
            with urllib.request.urlopen(tmdb.url + path, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    assert get("/search/tv?query=run") == (
        401,
        {
            "status_code": 7,
            "status_message": "Invalid API key: You must be granted a valid key.",
            "success": False,
        },
    )
    status, body = get(f"/tv/123?api_key={API_KEY}")
    assert (status, body["status_code"], body["success"]) == (404, 34, False)
    status, body = get(f"/search/tv?api_key={API_KEY}&query=run%20on&first_air_date_year=2020")
    assert status == 200 and [r["id"] for r in body["results"]] == [900001]  # type: ignore[index]
    status, body = get(f"/tv/900001?api_key={API_KEY}&append_to_response=watch/providers")
    assert "watch/providers" in body and "aggregate_credits" not in body


def test_secrets_are_masked_in_any_message() -> None:
    key = Credentials("v3-secret-key-123", bearer=False)
    text = "GET http://x/3/tv/1?api_key=v3-secret-key-123&language=en failed: v3-secret-key-123"
    assert key.mask(text) == "GET http://x/3/tv/1?api_key=***&language=en failed: ***"
    assert key.mask("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer ***"
    assert "v3-secret-key-123" not in repr(key)


def test_retry_after_may_be_an_http_date(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_on(cards)
    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=1)
    env.fail("/3/search/tv", 429, retry_after=email.utils.format_datetime(soon, usegmt=True))
    code, out, _ = enrich(capsys, cards, "--write")
    assert code == 0, out
    assert [r.status for r in env.requests if r.path == "/3/search/tv"][:2] == [429, 200]


@pytest.mark.parametrize(
    ("retry_after", "said"),
    [
        ("inf", "more than a day"),
        ("1e400", "more than a day"),
        ("Fri, 31 Dec 9999 23:59:59 GMT", "more than a day"),
        ("7200", "about 2 h"),
        ("900", "about 15 min"),
    ],
)
def test_a_long_retry_after_is_said_in_words_a_person_reads(
    env: TmdbStandIn, cards: Path, capsys: pytest.CaptureFixture[str], retry_after: str, said: str
) -> None:
    """A 429 asking for a wait longer than we give it is given up at once; the report says how
    long TMDB asked in words ("inf s" and "3600000 s" were printed before)."""
    run_on(cards)
    env.fail("/3/search/tv", 429, retry_after=retry_after, times=5)
    code, out, err = enrich(capsys, cards, "--write")
    told = out + err
    assert code != 0
    assert f"TMDB asked us to wait {said} (429)" in told, told
    assert "inf" not in told.replace("info", "") and "e+" not in told
    assert [r.status for r in env.requests if r.path == "/3/search/tv"][:1] == [429]
