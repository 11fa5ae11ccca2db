"""``drama-bot enrich``: facts from TMDB into the cards (a dry run unless ``--write``)."""

from __future__ import annotations

import argparse
import asyncio
import datetime
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.answering.attribution import JUSTWATCH_NOTICE, TMDB_NOTICE
from bot.answering.regions import is_country_code
from bot.cards.loader import load_cards
from bot.cards.model import Card
from bot.cli.options import data_dir
from bot.config import load_config
from bot.sources.tmdb.client import (
    API_KEY_ENV,
    READ_TOKEN_ENV,
    Credentials,
    RetryPolicy,
    TmdbAuthError,
    TmdbClient,
)
from bot.sources.tmdb.enrich import (
    STATE_FILE,
    CardResult,
    EnrichOptions,
    EnrichState,
    Outcome,
    enrich_cards,
)

SUMMARY_ORDER = (
    Outcome.UPDATED,
    Outcome.UNCHANGED,
    Outcome.AMBIGUOUS,
    Outcome.NOT_FOUND,
    Outcome.FAILED,
    Outcome.SKIPPED,
)


def _regions(text: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip().upper() for c in text.split(",") if c.strip()))
    bad = [c for c in codes if not is_country_code(c)]
    if bad or not codes:
        raise ValueError(
            f"--regions takes two-letter country codes such as US,KR "
            f"(not {', '.join(bad) or 'nothing'})"
        )
    return codes


def _rows(results: list[CardResult], write: bool) -> list[tuple[str, str, str]]:
    rows = []
    for result in results:
        if result.outcome is Outcome.SKIPPED and result.detail == "already enriched today":
            continue
        outcome = str(result.outcome)
        if result.outcome is Outcome.UPDATED and not write:
            outcome = "would update"
        detail = "; ".join([*result.changes, result.detail] if result.detail else result.changes)
        rows.append((result.slug, outcome, detail))
    return rows


def _print_summary(out: Console, results: list[CardResult], write: bool) -> None:
    """A table on a terminal; elsewhere (logs, cron mail, pipes) one line per card."""
    title = "drama-bot enrich" + ("" if write else " (dry run: nothing written)")
    rows = _rows(results, write)
    if not out.is_terminal:
        out.print(title, markup=False)
        for row in rows:
            out.print("  ".join(part for part in row if part), markup=False)
        return
    table = Table(title=title)
    table.add_column("card")
    table.add_column("result")
    table.add_column("details", overflow="fold")
    for row in rows:
        table.add_row(*row)
    out.print(table)


def run_enrich(args: argparse.Namespace) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = Console(highlight=False, soft_wrap=True)
    credentials = Credentials.from_env()
    if credentials is None:
        err.print(
            f"drama-bot enrich: set {API_KEY_ENV} (a TMDB API key) or {READ_TOKEN_ENV} "
            "(a read access token) in the environment; see docs/knowledge.md",
            markup=False,
        )
        return 2
    try:
        regions = _regions(args.regions)
    except ValueError as exc:
        err.print(f"drama-bot enrich: {exc}", markup=False)
        return 2
    directory = data_dir(args)
    loaded = load_cards(directory)
    if not directory.is_dir():
        err.print(f"drama-bot enrich: {directory} is not a folder of cards", markup=False)
        return 2
    broken = sorted({Path(e.path).stem for e in loaded.errors})
    cards = [(directory / f"{c.slug}.yaml", c) for c in loaded.cards]
    if args.only:
        known = {c.slug for _, c in cards} | set(broken)
        unknown = [s for s in args.only if s not in known]
        if unknown:
            err.print(f"drama-bot enrich: no card {', '.join(unknown)} in {directory}")
            return 2
        cards = [(p, c) for p, c in cards if c.slug in set(args.only)]
        broken = [s for s in broken if s in set(args.only)]
    options = EnrichOptions(
        today=datetime.date.today(),
        regions=regions,
        write=args.write,
        overwrite=frozenset(args.overwrite),
        rent_buy=args.rent_buy,
        refresh=args.refresh,
        concurrency=args.concurrency,
    )
    config = load_config(args.config, services=("tmdb_url",))
    state = EnrichState(directory / STATE_FILE)
    try:
        results = asyncio.run(_run(config.tmdb_url, credentials, cards, options, state, args, err))
    except TmdbAuthError as exc:
        err.print(f"drama-bot enrich: {credentials.mask(str(exc))}", markup=False)
        return 2
    results += [
        CardResult(slug, Outcome.FAILED, "does not pass check; run drama-bot check")
        for slug in broken
    ]
    for result in results:
        if result.diff and not args.write:
            out.print(result.diff, markup=False, highlight=False, end="")
    _print_summary(out, results, args.write)
    counts = Counter(r.outcome for r in results)
    label = {o: str(o) for o in SUMMARY_ORDER}
    if not args.write:
        label[Outcome.UPDATED] = "would update"
    total = ", ".join(f"{counts[o]} {label[o]}" for o in SUMMARY_ORDER if counts[o])
    out.print(total or "no cards", markup=False)
    out.print(f"{TMDB_NOTICE} {JUSTWATCH_NOTICE}", markup=False)
    if not args.write and counts[Outcome.UPDATED]:
        out.print("Nothing was written: run again with --write to apply.", markup=False)
    return 1 if counts[Outcome.FAILED] else 0


async def _run(
    base_url: str,
    credentials: Credentials,
    cards: list[tuple[Path, Card]],
    options: EnrichOptions,
    state: EnrichState,
    args: argparse.Namespace,
    err: Console,
) -> list[CardResult]:
    quiet = args.quiet or not err.is_terminal
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=True,
    )
    with progress:
        task = progress.add_task("Enriching from TMDB", total=len(cards))

        def done(result: CardResult) -> None:
            progress.update(task, advance=1, description=f"{result.slug}: {result.outcome}")

        async with TmdbClient(
            base_url,
            credentials,
            timeout=args.timeout,
            concurrency=options.concurrency,
            retry=RetryPolicy(attempts=max(0, args.retries) + 1),
        ) as client:
            return await enrich_cards(client, cards, options, state, done)
