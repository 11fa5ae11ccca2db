"""The benchmark: its synthetic catalog, its query mix and truth, and `drama-bot bench` itself.

No timing is asserted here (figures live in docs/performance.md); these tests check that the
catalog is deterministic and valid, that the truth is right, and the CLI's JSON contract.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.bench.queries import KINDS, Outcome, Query, key, make_queries, title_names, words
from bot.bench.runner import HEADLINE, Plan, summarize
from bot.bench.synthetic import card_yaml, synthetic_cards, write_cards
from bot.cards.loader import load_cards
from bot.cards.model import Card
from bot.catalog.heap import jemalloc_library
from bot.text import slugify
from tests.conftest import REPO, SHIPPED_CARDS


@pytest.fixture(scope="module")
def shipped() -> list[Card]:
    return load_cards(SHIPPED_CARDS).cards


@pytest.fixture(scope="module")
def catalog(shipped: list[Card]) -> list[Card]:
    return synthetic_cards(3000, seed=11, avoid=shipped)


def test_the_same_size_and_seed_give_the_same_files(shipped: list[Card]) -> None:
    first = [card_yaml(c) for c in synthetic_cards(400, seed=3, avoid=shipped)]
    again = [card_yaml(c) for c in synthetic_cards(400, seed=3, avoid=shipped)]
    other = [card_yaml(c) for c in synthetic_cards(400, seed=4, avoid=shipped)]
    assert first == again
    assert first != other
    assert len(first) == 400


def test_no_two_cards_share_title_and_year_or_clash_with_shipped_cards(
    catalog: list[Card], shipped: list[Card]
) -> None:
    pairs = Counter((slugify(c.title), c.year) for c in [*catalog, *shipped])
    assert [pair for pair, count in pairs.items() if count > 1] == []
    slugs = Counter(c.slug for c in [*catalog, *shipped])
    assert [slug for slug, count in slugs.items() if count > 1] == []
    real_names = {key(name) for card in shipped for name in title_names(card)}
    assert not real_names & {key(c.title) for c in catalog}


def test_every_card_passes_validation_and_reads_back_as_written(
    tmp_path: Path, shipped: list[Card]
) -> None:
    cards = synthetic_cards(1500, seed=5, avoid=shipped)
    written = list(write_cards(cards, tmp_path))
    assert len(written) == 1500
    result = load_cards(tmp_path)
    assert result.errors == []
    assert sorted(result.cards, key=lambda c: c.slug) == sorted(cards, key=lambda c: c.slug)


def test_the_catalog_looks_like_k_dramas(catalog: list[Card]) -> None:
    assert {len(c.cast) for c in catalog} == {2, 3, 4, 5, 6}
    hangul = [
        c for c in catalog if c.native_title and any("가" <= ch <= "힣" for ch in c.native_title)
    ]
    assert len(hangul) > 0.95 * len(catalog)
    assert 0.15 * len(catalog) < sum(1 for c in catalog if c.aliases) < 0.35 * len(catalog)
    # Shared words: the commonest title word is in many titles, as "love" is in real ones.
    word_counts = Counter(w for c in catalog for w in set(words(c.title)))
    assert word_counts.most_common(1)[0][1] > 0.05 * len(catalog)
    # Actors recur: some are in dozens of dramas, most in a few.
    credits = Counter(m.actor for c in catalog for m in c.cast)
    assert credits.most_common(1)[0][1] >= 20
    assert len(credits) < 0.5 * sum(credits.values())
    # Remakes: a few titles come back in another year.
    titles = Counter(key(c.title) for c in catalog)
    assert 0 < sum(1 for n in titles.values() if n > 1) < 0.05 * len(catalog)
    assert any(c.similar for c in catalog)


def test_the_query_mix_is_fixed_and_covers_every_kind(
    catalog: list[Card], shipped: list[Card]
) -> None:
    everything = [*catalog, *shipped]
    queries = make_queries(everything, shipped, 700, seed=2)
    assert queries == make_queries(everything, shipped, 700, seed=2)
    assert Counter(q.kind for q in queries) == dict.fromkeys(KINDS, 100)
    real = {c.slug for c in shipped}
    assert any(q.target in real for q in queries), "real cards are hidden among the queries"


def test_the_truth_of_each_query_kind(catalog: list[Card], shipped: list[Card]) -> None:
    everything = [*catalog, *shipped]
    by_slug = {c.slug: c for c in everything}
    all_names = {key(n) for c in everything for n in title_names(c)}
    queries = make_queries(everything, shipped, 700, seed=2)
    for query in queries:
        if query.kind == "absent":
            assert query.target is None and key(query.text) not in all_names
            continue
        if query.kind == "actor":
            assert query.target in {key(m.actor) for c in everything for m in c.cast}
            continue
        card = by_slug[str(query.target)]
        if query.kind == "exact":
            assert key(query.text) == key(card.title)
        elif query.kind == "hangul":
            assert key(query.text) == key(card.native_title or "")
        elif query.kind in {"typo1", "typo2"}:
            assert key(query.text) != key(card.title)
            assert query.text[0].lower() == card.title[0].lower()
        elif query.kind == "partial":
            assert " ".join(words(query.text)) in " ".join(words(card.title))
            assert key(query.text) not in all_names
            assert words(query.text)[0] not in {"of", "my", "the"}
        if query.ambiguous:
            assert query.fits[0] == query.target and len(set(query.fits)) == len(query.fits)
    # An exact title is ambiguous exactly when another drama has that name (a remake).
    owners: dict[str, set[str]] = {}
    for card in everything:
        for name in title_names(card):
            owners.setdefault(key(name), set()).add(card.slug)
    exact = [q for q in queries if q.kind in {"exact", "hangul"}]
    assert all(q.ambiguous == (len(owners[key(q.text)]) > 1) for q in exact)
    assert all(set(q.fits) == owners[key(q.text)] for q in exact if q.ambiguous)
    assert any(q.ambiguous for q in queries if q.kind == "partial")


def test_judging_answers() -> None:
    clear = Query("exact", "Run On", "run-on")
    assert clear.judge(True, ["run-on"]) is Outcome.RIGHT
    assert clear.judge(True, ["start-up"]) is Outcome.WRONG
    assert clear.judge(False, ["run-on", "start-up"]) is Outcome.ASKED
    assert clear.judge(False, []) is Outcome.NONE
    remake = Query("exact", "Hometown", "hometown-2021", fits=("hometown-2021", "hometown-2019"))
    assert remake.ambiguous and not clear.ambiguous
    assert remake.judge(False, ["hometown-2019", "hometown-2021"]) is Outcome.RIGHT
    assert remake.judge(True, ["hometown-2019"]) is Outcome.WRONG
    # A vague query fits many dramas: a list of ones that fit as well is right without the
    # one meant; a list with a drama that fits worse is not.
    vague = Query("partial", "of the sea", "sky-of-the-sea", fits=("sky-of-the-sea", "a", "b", "c"))
    assert vague.judge(False, ["a", "b", "c"]) is Outcome.RIGHT
    assert vague.judge(False, ["a", "run-on"]) is Outcome.ASKED
    assert vague.judge(False, ["run-on", "sky-of-the-sea"]) is Outcome.RIGHT
    absent = Query("absent", "Breaking Bad", None)
    assert absent.judge(False, []) is Outcome.RIGHT
    assert absent.judge(False, ["run-on"]) is Outcome.RIGHT
    assert absent.judge(True, ["run-on"]) is Outcome.WRONG


REQUIRED_KEYS = (
    "cards",
    "resolve_p50_ms",
    "resolve_p99_ms",
    "baseline_resolve_p50_ms",
    "baseline_resolve_p99_ms",
    "autocomplete_p99_ms",
    "answer_p99_ms",
    "accuracy",
    "baseline_accuracy",
    "cold_load_s",
    "warm_start_s",
    "noop_reload_s",
    "one_change_reload_s",
    "one_change_watched_s",
    "serve_p99_during_reload_ms",
    "worst_loop_stall_ms",
    "rss_mb",
    "per_kind",
)


def _bench(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "bench", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=dict(os.environ),
        timeout=240,
        check=False,
    )


@pytest.fixture(scope="module")
def traces(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stalls") / "traces.txt"


@pytest.fixture(scope="module")
def small_run(traces: Path) -> dict[str, object]:
    done = _bench(
        "--cards", "150", "--queries", "70", "--reloads", "3", "--json", "--quiet",
        "--stall-traces", str(traces),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    result: dict[str, object] = json.loads(lines[0])
    return result


def test_bench_traces_stalls_in_every_timed_phase(
    small_run: dict[str, object], traces: Path
) -> None:
    """With --stall-traces, the watchdog runs through every load and reload the bench times,
    in both of its processes (the cold load's and the serving one's)."""
    text = traces.read_text("utf-8")
    phases = re.findall(r"^=== phase (\S+) \(pid (\d+), over 25 ms\) ===$", text, re.MULTILINE)
    assert [phase for phase, _ in phases] == [
        "cold_load",
        "warm_start",
        "noop_reload",
        "one_change_reload",
        "one_change_watched",
        "full_reload",
    ]
    assert len({pid for _, pid in phases}) == 2
    assert text.count("=== end of phase ") == 6


def test_bench_json_has_every_figure(small_run: dict[str, object]) -> None:
    for name in REQUIRED_KEYS:
        assert name in small_run, name
    assert small_run["cards"] == 150
    assert small_run["loaded_cards"] == 150 + len(list(SHIPPED_CARDS.glob("*.yaml")))
    for name in REQUIRED_KEYS[1:-1]:
        value = small_run[name]
        assert isinstance(value, int | float) and value >= 0, (name, value)
    assert 0 <= float(small_run["accuracy"]) <= 1  # type: ignore[arg-type]
    per_kind = small_run["per_kind"]
    assert isinstance(per_kind, dict) and sorted(per_kind) == sorted(KINDS)
    for figures in per_kind.values():
        assert figures["queries"] == 10
        assert sum(figures["outcomes"].values()) == 10
        assert sum(figures["baseline_outcomes"].values()) == 10
    # Every card changed in the full reload, one in the one-change reload.
    assert small_run["one_change_reload_changed"] == 1
    assert small_run["one_change_watched_changed"] == 1
    assert small_run["full_reload_changed"] == small_run["full_reload_files_changed"]
    assert int(small_run["full_reload_changed"]) >= 150  # type: ignore[call-overload]
    # Each phase's worst stall is its own figure, and the worst of them is the headline.
    phases = ("cold_load", "warm_start", "noop_reload", "one_change_reload", "full_reload")
    stalls = [float(small_run[f"stall_{phase}_ms"]) for phase in phases]  # type: ignore[arg-type]
    assert small_run["worst_loop_stall_ms"] == max(stalls)


def test_bench_reports_memory_after_each_full_reload(small_run: dict[str, object]) -> None:
    """``--reloads 3``: RSS and CPython's arenas after the start and after each of the three
    reloads that change every card; the first point is ``rss_mb``, the second the RSS after
    the usual reloads (the first full one), as without the option."""
    curve = small_run["rss_reload_curve_mb"]
    arenas = small_run["arenas_reload_curve"]
    assert isinstance(curve, list) and isinstance(arenas, list)
    assert len(curve) == len(arenas) == 4, (curve, arenas)
    assert curve[0] == small_run["rss_mb"] and curve[1] == small_run["rss_after_reloads_mb"]
    assert all(isinstance(mb, float) and mb > 10 for mb in curve), curve
    # The children run as `drama-bot run` does: jemalloc where the system has it (no CPython
    # arenas to count: None), else CPython's own allocator (its arenas counted).
    chosen = os.environ.get("PYTHONMALLOC")
    allocator = chosen or ("jemalloc" if jemalloc_library() else "pymalloc")
    assert small_run["allocator"] == allocator
    if allocator == "pymalloc":
        assert all(isinstance(count, int) and count > 0 for count in arenas), arenas
    else:
        assert arenas == [None] * 4, arenas
    # Beside RSS: memory in use (jemalloc's count where it serves), and jemalloc's counters.
    in_use, counters = small_run["in_use_reload_curve_mb"], small_run["jemalloc_reload_curve"]
    assert isinstance(in_use, list) and isinstance(counters, list)
    assert len(in_use) == len(counters) == 4, (in_use, counters)
    if allocator == "jemalloc":
        for mb, counts in zip(in_use, counters, strict=True):
            assert mb == counts["allocated"] <= counts["active"] <= counts["resident"], counters
            assert counts["metadata"] > 0 and counts["mapped"] >= counts["active"], counters
            assert mb < float(curve[0]) * 2, (in_use, curve)  # type: ignore[arg-type]
    else:
        assert in_use == counters == [None] * 4, (in_use, counters)


def test_runs_summarize_each_point_of_a_curve_and_each_of_jemallocs_counters() -> None:
    """With ``--runs``, each point of a curve is its median over the runs; a point of
    jemalloc's counters is each counter's median (a run without jemalloc has None there)."""
    runs = []
    for number in (1, 5, 3):
        run: dict[str, object] = dict.fromkeys(HEADLINE, float(number))
        run["per_kind"] = {}
        run["rss_reload_curve_mb"] = [100.0 + number, 110.0 + number]
        run["jemalloc_reload_curve"] = [
            {"allocated": 10.0 * number, "active": 11.0 * number},
            {"allocated": 20.0 * number, "active": 21.0 * number},
        ]
        runs.append(run)
    summary = summarize(1000, Plan(sizes=(1000,), runs=3), runs)
    assert summary["rss_reload_curve_mb"] == [103.0, 113.0]
    assert summary["jemalloc_reload_curve"] == [
        {"allocated": 30.0, "active": 33.0},
        {"allocated": 60.0, "active": 63.0},
    ]
    runs[1]["jemalloc_reload_curve"] = [None, None]
    assert summarize(1000, Plan(sizes=(1000,), runs=3), runs)["jemalloc_reload_curve"] == [
        {"allocated": 20.0, "active": 22.0},
        {"allocated": 40.0, "active": 42.0},
    ]


def test_bench_plots_saved_results(tmp_path: Path, small_run: dict[str, object]) -> None:
    bigger = dict(small_run, cards=1500)
    saved = tmp_path / "results.jsonl"
    saved.write_text(json.dumps(small_run) + "\n" + json.dumps(bigger) + "\n", "utf-8")
    picture = tmp_path / "perf.png"
    done = _bench("--from", str(saved), "--plot", str(picture))
    assert done.returncode == 0, done.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "150 cards" in done.stdout and "1,500 cards" in done.stdout
    table = _bench("--from", str(saved), "--markdown")
    assert table.returncode == 0, table.stderr
    rows = table.stdout.splitlines()
    assert rows[0] == "| | 150 cards | 1,500 cards |"
    assert any(row.startswith("| absent | 10 |") for row in rows)


def test_bench_refuses_bad_sizes() -> None:
    done = _bench("--cards", "0")
    assert done.returncode == 2 and "at least 1" in done.stderr
    done = _bench("--json")
    assert done.returncode == 2 and "--cards" in done.stderr


def test_bench_tables_are_whole_when_piped() -> None:
    """Off a terminal (a pipe, a file) no column is cut short ("100.…")."""
    saved = REPO / "docs" / "perf" / "after.jsonl"
    done = _bench("--from", str(saved))
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stdout
    for header in ("base p50", "base acc.", "base wrong", "figure"):
        assert header in done.stdout
    assert re.search(r"│ all +│ +\d+ │ .*%", done.stdout)


def test_the_baseline_runs_in_the_cold_process_not_in_the_measured_serving_one(
    tmp_path: Path, shipped: list[Card]
) -> None:
    """The baseline's index (every name listed, every card made for it) is the bench's, not
    the bot's: it is built and timed in the cold process, so the serving process, whose RSS
    is the bot's figure, never holds it (with jemalloc, its 90 MB freed at 100,000 cards were
    still resident when RSS was read: 641 MB, against 553 MB without it)."""
    from bot.bench.queries import make_queries as mix

    cards = synthetic_cards(120, seed=4, avoid=shipped)
    folder = tmp_path / "cards"
    list(write_cards(cards, folder))
    queries = tmp_path / "queries.json"
    asked = [q.to_dict() for q in mix(cards, [], 40, 4)]
    queries.write_text(json.dumps(asked), "utf-8")
    results = {}
    paths = [str(folder), str(tmp_path / "bench.sqlite3"), str(queries)]
    for mode in ("cold", "serve"):
        done = subprocess.run(
            [sys.executable, "-m", "bot.bench.child", mode, *paths],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=240,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        results[mode] = json.loads(done.stdout.splitlines()[-1])["result"]
    cold, serve = results["cold"], results["serve"]
    assert sum(cold["baseline_outcomes"].values()) == len(asked) > 20
    assert "accuracy" not in cold and "rss_mb" not in cold
    assert not [name for name in serve if name.startswith("baseline")], sorted(serve)
    assert sum(serve["outcomes"].values()) == len(asked) and serve["rss_mb"] > 0
    for kind, figures in serve["per_kind"].items():
        assert figures["queries"] == cold["per_kind"][kind]["queries"]
        assert not [name for name in figures if name.startswith("baseline")], kind
