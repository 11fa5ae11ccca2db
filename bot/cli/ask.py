"""`drama-bot ask`: answer slash commands offline, with the same code the Discord bot uses."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from bot.answering import i18n
from bot.answering.answers import Notice
from bot.answering.commands import UsageError, flag, parse_command_line
from bot.answering.dispatch import answer
from bot.answering.notices import build_failed_notice, reload_notice
from bot.answering.plain_text import payload_to_text
from bot.answering.render import render
from bot.cards.errors import CardError
from bot.cards.loader import folder_problem
from bot.catalog.build_worker import BuildFailed
from bot.catalog.opening import DatabaseRefused, open_store
from bot.catalog.service import CatalogService, ReloadReport
from bot.catalog.store import MEMORY, OPEN_BUSY_TIMEOUT_MS, Store, StoreError
from bot.cli.json_failure import fail
from bot.cli.options import data_dir, database, max_removed_share, reload_timeout
from bot.cli.progress import progress_bar
from bot.cli.reading import read_apart

CLI_USER_ID = 0  # the asker in offline answers; menus it gets are its own
#: A command line is read up to this many characters, the rest skipped (Discord holds a
#: string option to 6,000): a 200 MB line took 108 s and 1.1 GB to answer (polish9).
MAX_LINE_CHARS = 16_384
_EMPTY = 'the command is empty; give one such as "/drama Run On"'
PROMPT = "Type a command such as /drama Run On, one per line (Ctrl-D to end):"


async def run_ask(args: argparse.Namespace) -> int:
    if args.line is not None and not args.line.strip():
        args.usage_error(_EMPTY)  # (said as JSON too with --json: see main._Parser)
    args.locale = _reading_locale(args.locale)
    directory = data_dir(args)
    path = database(args)
    problem = folder_problem(directory)
    if problem is not None and not _may_hold_a_catalog(path):
        return _no_cards(args, directory, problem)  # (and no database is created)
    lines: Iterable[str]
    if args.line is not None:
        lines = [_cut(_decoded(args.line), len(args.line))]
    else:
        if isinstance(sys.stdin, io.TextIOWrapper):  # bytes that are not UTF-8 become U+FFFD
            sys.stdin.reconfigure(errors="replace")
        lines = _bounded_lines(sys.stdin)
    try:
        async with open_store(path, cards=directory) as store:
            if store.contended:
                await _wait_briefly(store)
            return await _answer_lines(args, store, directory, lines, problem)
    except DatabaseRefused as exc:  # e.g. --data and --database swapped: touch nothing
        where = "--database" if getattr(args, "database", None) is not None else "database"
        return fail(args, f"drama-bot: {where} {exc}; it was left untouched")
    except StoreError as exc:  # a newer bot's database: leave it alone, answer from the cards
        print(f"warning: {exc}; answering from the cards alone", file=sys.stderr)
        if problem is not None:
            return _no_cards(args, directory, problem)
        async with open_store(MEMORY) as store:
            return await _answer_lines(args, store, directory, lines)


async def _reload(service: CatalogService, confirm: bool, quiet: bool) -> ReloadReport:
    """``/reload``, its progress on a terminal (the files read, and a worker process's
    steps when it reloads there)."""
    with progress_bar("Reloading cards", quiet=quiet) as bar:
        progress, service.progress = service.progress, bar
        service.shown = None if bar is None else bar.step
        try:
            return await service.reload(confirm=confirm)
        finally:
            service.progress, service.shown = progress, None


async def _wait_briefly(store: Store) -> None:
    """Another process held the database's write lock when it was opened (a bot reloading, or
    another program): answer from it at once, and wait seconds, not ``busy_timeout_ms``, for
    each write (it is only a cache; the next ``ask`` stores what this one could not)."""
    print(
        f"warning: another process is writing the database {store.path}; answering from it "
        "and the cards, and what changed is stored there only if it is free within "
        f"{OPEN_BUSY_TIMEOUT_MS // 1000} s",
        file=sys.stderr,
    )
    store.busy_timeout_ms = OPEN_BUSY_TIMEOUT_MS
    await store.set_busy_timeout(OPEN_BUSY_TIMEOUT_MS)


def _may_hold_a_catalog(path: str) -> bool:
    """Whether a stored catalog could answer from ``path``: a database file that exists."""
    return path != MEMORY and Path(path).exists()


def _no_cards(args: argparse.Namespace, directory: Path, problem: str) -> int:
    """The cards folder cannot be read and no stored catalog answers instead: one line, 2."""
    where = "--data" if args.data is not None else "data_dir"
    return fail(args, f"drama-bot: {where} {directory}: {problem}")


async def _answer_lines(
    args: argparse.Namespace,
    store: Store,
    directory: Path,
    lines: Iterable[str],
    unreadable: str | None = None,
) -> int:
    """Answer every line. ``unreadable``: why the cards folder cannot be read (missing,
    a file); the catalog stored in the database then answers, as ``drama-bot run`` serves
    it, and the service's one warning says so (exit 2 when nothing is stored)."""
    status = 0
    with progress_bar("Loading cards", quiet=args.quiet) as progress:
        service = CatalogService(
            store, directory, max_removed_share=max_removed_share(args), progress=progress
        )
        service.reload_timeout_s = reload_timeout(args)
        report = await service.start(confirm=args.force)
    if unreadable is not None:
        if len(service.catalog) == 0:
            await service.flush()
            return _no_cards(args, directory, unreadable)
    else:
        _report_broken_cards(report.errors, directory, None if report.applied else report.total)
    if report.refused:
        print("warning: pass --force to accept the cards folder as it is", file=sys.stderr)
    elif report.total == 0 and not report.errors:
        print(f"drama-bot: {directory} holds no cards (*.yaml files)", file=sys.stderr)
    if args.line is None and sys.stdin.isatty():
        print(PROMPT, file=sys.stderr, flush=True)
    async for raw in read_apart(lines):
        line = raw.replace("\ufeff", "").strip()  # a byte order mark is no part of the command
        if not line:
            continue
        try:
            invocation = parse_command_line(line)
        except UsageError as exc:
            status = 2
            result = Notice("", exc.phrase)
        else:
            if invocation.name == "reload":
                confirm = flag(invocation, "confirm") or args.force
                try:
                    reloaded = await _reload(service, confirm, args.quiet)
                except BuildFailed as exc:  # (logged: the last good catalog keeps serving)
                    result = build_failed_notice(exc, len(service.catalog))
                else:
                    result = reload_notice(reloaded, served=service.catalog.cards)
            else:
                await service.stories.settled()  # (a one-off answer: the story index ready)
                result = answer(service.catalog, invocation)
        payload = render(result, CLI_USER_ID, args.locale)
        if args.json:
            record = {
                "command": line,
                "card": result.card_slug,
                "candidates": list(result.candidate_ids),
                "message": payload,
            }
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(payload_to_text(payload, args.locale), end="\n\n", flush=True)
    await service.flush()  # the built catalog kept in --database, for the next ask
    await service.stories.close()
    return status


# Codes people give for a language that are another kind of code; each maps to the one
# language it can only mean here. Only ``kr`` (Korea's country code, not a language code).
_LANGUAGE_FOR = {"kr": "ko"}
_LANGUAGE_NAMES = {"ko": "Korean"}


def _reading_locale(given: str | None) -> str | None:
    """``--locale`` as the answers should read it: any case (``KO``), ``kr`` taken as ``ko``
    with a note, and a warning on stderr when no language file answers it."""
    if given is None:
        return None
    available = ", ".join(i18n.available_locales())
    meant = _LANGUAGE_FOR.get(given.casefold())
    if meant is not None:
        name = _LANGUAGE_NAMES.get(meant, meant)
        print(
            f"drama-bot: --locale {given}: taken as {meant} ({name}); {given} is Korea's "
            f"country code (available: {available})",
            file=sys.stderr,
        )
        return meant
    language = i18n.language_of(given)
    if language == i18n.DEFAULT_LOCALE and given.split("-")[0].casefold() != "en":
        print(
            f"drama-bot: --locale {given}: no answers in that language; answering in English "
            f"(available: {available})",
            file=sys.stderr,
        )
    return given


def _bounded_lines(stream: Iterable[str]) -> Iterator[str]:
    """The lines of ``stream``, each cut at ``MAX_LINE_CHARS`` (the rest read and dropped a
    piece at a time, never held whole)."""
    if not hasattr(stream, "readline"):  # lines from elsewhere, already whole
        yield from (_cut(line, len(line)) for line in stream)
        return
    while line := stream.readline(MAX_LINE_CHARS):
        length = len(line)
        if length == MAX_LINE_CHARS and not line.endswith("\n"):
            while (rest := stream.readline(MAX_LINE_CHARS)) and not rest.endswith("\n"):
                length += len(rest)
            length += len(rest.rstrip("\n"))
            line = _cut(line, length)
        yield line


def _cut(line: str, length: int) -> str:
    """``line`` as read, said on stderr when it was cut from ``length`` characters."""
    if length <= MAX_LINE_CHARS:
        return line
    print(
        f"drama-bot: a command of {length:,} characters; only its first {MAX_LINE_CHARS:,} "
        "are read",
        file=sys.stderr,
    )
    return line[:MAX_LINE_CHARS]


def _decoded(text: str) -> str:
    """A command-line argument with bytes that were not UTF-8 shown as U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that did not come from undecodable bytes
        return text.encode("utf-8", "replace").decode("utf-8")


def _report_broken_cards(
    errors: Iterable[CardError], directory: Path, stored: int | None = None
) -> None:
    """One line per card that could not be loaded (its first problem), on stderr. ``stored``:
    the size of the last good catalog served from the database instead of the folder (None
    when the folder was applied and the broken cards are left out)."""
    by_file: dict[str, list[CardError]] = {}
    for error in errors:
        by_file.setdefault(error.path, []).append(error)
    if not by_file:
        return
    count = len(by_file)
    files = f"{count} card file{'s' * (count != 1)}"
    what = (
        f"{files} could not be loaded and {'are' if count != 1 else 'is'} left out"
        if stored is None
        else f"{files} could not be loaded, so the cards folder is not applied: the last good "
        f"catalog in the database ({stored} cards) answers"
    )
    print(
        f"drama-bot: {what}; `drama-bot check --data {directory}` lists every problem:",
        file=sys.stderr,
    )
    for problems in by_file.values():
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        print(f"  {problems[0]}{more}", file=sys.stderr)
