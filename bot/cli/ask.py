"""`drama-bot ask`: answer slash commands offline, with the same code the Discord bot uses."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from bot.answering.answers import Notice, answer
from bot.answering.commands import UsageError, flag, parse_command_line
from bot.answering.notices import reload_notice
from bot.answering.plain_text import payload_to_text
from bot.answering.render import render
from bot.catalog.opening import open_store
from bot.catalog.service import CatalogService
from bot.catalog.store import MEMORY, Store, StoreError
from bot.cli.options import data_dir, database, max_removed_share
from bot.cli.progress import progress_bar

CLI_USER_ID = 0  # the asker in offline answers; menus it gets are its own


async def run_ask(args: argparse.Namespace) -> int:
    directory = data_dir(args)
    if not directory.is_dir() and database(args) == MEMORY:
        print(f"drama-bot: no folder of cards at {directory} (pass --data DIR)", file=sys.stderr)
        return 2
    path = database(args)
    try:
        async with open_store(path) as store:
            return await _answer_lines(args, store, directory)
    except StoreError as exc:  # a newer bot's database: leave it alone, answer from the cards
        print(f"warning: {exc}; answering from the cards alone", file=sys.stderr)
        async with open_store(MEMORY) as store:
            return await _answer_lines(args, store, directory)


async def _answer_lines(args: argparse.Namespace, store: Store, directory: Path) -> int:
    with progress_bar("Loading cards", quiet=args.quiet) as progress:
        service = CatalogService(
            store, directory, max_removed_share=max_removed_share(args), progress=progress
        )
        report = await service.start(confirm=args.force)
    for error in report.errors:
        print(f"warning: {error}", file=sys.stderr)
    if report.refused:
        print("warning: pass --force to accept the cards folder as it is", file=sys.stderr)
    lines: Iterable[str] = [args.line] if args.line is not None else sys.stdin
    status = 0
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        try:
            invocation = parse_command_line(line)
        except UsageError as exc:
            status = 2
            result = Notice("", str(exc))
        else:
            if invocation.name == "reload":
                confirm = flag(invocation, "confirm") or args.force
                result = reload_notice(await service.reload(confirm=confirm))
            else:
                result = answer(service.catalog, invocation)
        payload = render(result, CLI_USER_ID)
        if args.json:
            record = {
                "command": line,
                "card": result.card_slug,
                "candidates": list(result.candidate_ids),
                "message": payload,
            }
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(payload_to_text(payload), end="\n\n", flush=True)
    return status
