"""`drama-bot ask`: answer slash commands offline, with the same code the Discord bot uses."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable

from bot.answering.answers import Notice
from bot.answering.commands import UsageError, parse_command_line
from bot.answering.dispatch import answer
from bot.answering.notices import reload_notice
from bot.answering.plain_text import payload_to_text
from bot.answering.render import render
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from bot.cli.options import data_dir

CLI_USER_ID = 0  # the asker in offline answers; menus it gets are its own


async def run_ask(args: argparse.Namespace) -> int:
    directory = data_dir(args)
    if not directory.is_dir():
        print(f"drama-bot: no folder of cards at {directory} (pass --data DIR)", file=sys.stderr)
        return 2
    lines: Iterable[str] = [args.line] if args.line is not None else sys.stdin
    status = 0
    async with Store.open(":memory:") as store:
        service = CatalogService(store, directory)
        report = await service.start()
        for error in report.errors:
            print(f"warning: {error}", file=sys.stderr)
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
                    result = reload_notice(await service.reload())
                else:
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
    return status
