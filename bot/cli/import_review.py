"""`drama-bot import-review`: draft cards from review articles, a folder of saved pages, a feed,
a sitemap or a WordPress export.

Drafts go to ``./drafts`` (or ``--out``), checked against the live catalog (``--data``, or the
configured cards). On a terminal a progress bar runs while posts are fetched; every post gets
one line, and a run over more than one post ends with a summary table. Exit status: 0 when
nothing failed, 1 when a post failed or an article named on the command line was not drafted,
2 for bad options.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the sources and rich load only when the command runs
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from bot.sources.review_blog import Outcome, Report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="a review article (text or HTML file, or http(s) address), a folder of saved "
        "pages, an RSS/Atom feed, a sitemap or a WordPress export (file or address)",
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="folder for the drafts (default: ./drafts)"
    )
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="the live catalog drafts are checked against (default: the configured cards)",
    )
    parser.add_argument("--config", type=Path, help="config file (only its data_dir is used)")
    parser.add_argument("--force", action="store_true", help="redraft and overwrite drafts")
    parser.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="time limit per request (default: 15)"
    )
    parser.add_argument(
        "--delay",
        type=float,
        metavar="SECONDS",
        help="least time between two requests to one host (default: 1)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        metavar="N",
        help="tries again after a timeout, 429 or 5xx, waiting longer each time (default: 3)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no line per post")


def run_import_review(args: argparse.Namespace) -> int:
    """The ``import-review`` subcommand."""
    from bot.cli.options import data_dir
    from bot.sources.review_blog import Options, import_reviews
    from bot.sources.review_drafts import OutFolderError
    from bot.sources.review_fetch import DEFAULT_TIMEOUT
    from bot.sources.review_polite import DEFAULT_DELAY, DEFAULT_RETRIES

    problem = _bad_numbers(args)
    if problem:
        print(f"drama-bot: {problem}", file=sys.stderr)
        return 2
    data = data_dir(args)
    if args.data is not None and not data.is_dir():
        print(f"drama-bot: --data {data}: no such folder of cards", file=sys.stderr)
        return 2
    options = Options(
        sources=args.sources,
        data_dir=data,
        out=args.out,
        force=args.force,
        timeout=args.timeout if args.timeout is not None else DEFAULT_TIMEOUT,
        delay=args.delay if args.delay is not None else DEFAULT_DELAY,
        retries=args.retries if args.retries is not None else DEFAULT_RETRIES,
    )
    screen = _Screen(quiet=args.quiet)
    try:
        report = asyncio.run(import_reviews(options, screen))
    except OutFolderError as exc:
        print(f"drama-bot: {exc}", file=sys.stderr)
        return 1
    finally:
        screen.stop()
    screen.summary(report)
    return _exit_status(report)


def _bad_numbers(args: argparse.Namespace) -> str | None:
    if args.timeout is not None and not args.timeout > 0:
        return "--timeout must be a positive number of seconds"
    if args.delay is not None and not args.delay >= 0:
        return "--delay must be 0 or more seconds"
    if args.retries is not None and not 0 <= args.retries <= 10:
        return "--retries must be a whole number from 0 to 10"
    return None


def _exit_status(report: Report) -> int:
    from bot.sources.review_blog import Status

    for outcome in report.outcomes:
        if outcome.status is Status.FAILED:
            return 1
        if outcome.named and outcome.status in (Status.NOT_A_REVIEW, Status.ROBOTS):
            return 1
    return 0


class _Screen:
    """Listens to the import: a progress bar on a terminal, one line per post, the summary.
    Everything a blog wrote (titles, addresses, reasons) is printed as plain text on one line:
    no markup, no control characters."""

    def __init__(self, quiet: bool, out: TextIO | None = None) -> None:
        from rich.console import Console

        self.quiet = quiet
        self.console: Console = Console(file=out or sys.stdout, highlight=False)
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self.total = 0
        self.single = False

    # the Listener interface (duck-typed: the sources layer defines it)

    def note(self, text: str) -> None:
        if not self.quiet:
            self._say(text)

    def found(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.total = total
        if self.quiet or total < 2 or not self.console.is_terminal:
            return
        self.progress = Progress(
            TextColumn("Importing reviews"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[post]}", markup=False),
            console=self.console,
            transient=True,
        )
        self.task = self.progress.add_task("import", total=total, post="")
        self.progress.start()

    def done(self, outcome: Outcome) -> None:
        from bot.sources.review_blog import Status

        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=1, post=_plain(outcome.source)[-60:])
        if outcome.status is Status.FAILED or (
            outcome.named and outcome.status in (Status.NOT_A_REVIEW, Status.ROBOTS)
        ):
            self._error(_failure_line(outcome))
            return
        if self.quiet:
            return
        self._say(_outcome_line(outcome))
        if outcome.path is not None and outcome.data is not None and self.total == 1:
            from bot.sources.review_import import report

            for title, items in report(outcome.data):
                self._say(title)
                for item in items:
                    self._say(f"  - {item}")
            self._say(f"Then run: drama-bot check --data {outcome.path.parent}")

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def summary(self, report: Report) -> None:
        from rich import box
        from rich.table import Table

        from bot.sources.review_blog import Status

        if len(report.outcomes) < 2:
            return
        table = Table(title="import-review summary", box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("outcome")
        table.add_column("posts", justify="right")
        for status in Status:
            table.add_row(status.value, str(report.count(status)))
        self.console.print(table)
        drafted = report.count(Status.DRAFTED) + report.count(Status.ALREADY_HAVE)
        self._say(
            f"{report.requests} requests sent. Drafts are in {report.out}"
            + (f"; then run: drama-bot check --data {report.out}" if drafted else "")
        )

    def _say(self, text: str) -> None:
        target = self.progress.console if self.progress is not None else self.console
        target.print(_plain(text), markup=False, highlight=False, soft_wrap=True)

    def _error(self, text: str) -> None:
        if self.progress is not None:
            self.progress.console.print(_plain(text), markup=False, soft_wrap=True)
        else:
            print(_plain(text), file=sys.stderr)


def _plain(text: str) -> str:
    from bot.sources.review_article import one_line

    return one_line(text)


def _outcome_line(outcome: Outcome) -> str:
    from bot.cards.reader import CARD_SUFFIX
    from bot.sources.review_blog import Status

    source = outcome.source
    if outcome.status is Status.DRAFTED:
        return f"Wrote draft card {outcome.path} (from {source})"
    if outcome.status is Status.ALREADY_HAVE:
        ours = outcome.ours
        have = f"{ours.label} ({ours.slug}{CARD_SUFFIX})" if ours is not None else "this drama"
        if outcome.path is not None:
            return (
                f"Already in the catalog: {have}; wrote {outcome.path} to merge the review "
                f"into it (from {source})"
            )
        return f"Already in the catalog: {have}; {outcome.detail} (from {source})"
    if outcome.status is Status.ALREADY_DRAFTED:
        return f"Already drafted: {source}: {outcome.detail}"
    if outcome.status is Status.NOT_A_REVIEW:
        return f"Skipped, not a review: {source}: {outcome.detail}"
    return f"Not allowed by robots.txt: {source}: {outcome.detail}"


def _failure_line(outcome: Outcome) -> str:
    from bot.sources.review_blog import Status

    if outcome.status is Status.FAILED:
        return f"drama-bot: {outcome.detail}"
    if outcome.status is Status.ROBOTS:
        return f"drama-bot: {outcome.source}: not fetched: {outcome.detail}"
    return f"drama-bot: {outcome.source}: not drafted: {outcome.detail}"
