"""One JSON object on stdout when a ``--json`` command cannot go on (an unreadable cards
folder, a database it cannot open, a config error, Ctrl-C, a fault of ours): a script that
reads ``drama-bot ask --json`` or ``drama-bot bench --json`` always gets an object to read,
never a traceback or nothing. The exit code is the command's as before; stderr says the same
for people.

``ask``'s object has the keys of an answer (``command``, ``card`` null, ``candidates``
empty, ``message``: a private notice saying what failed) and two of its own: ``error`` (the
one-line reason) and ``exit_code``. ``bench``'s has ``error`` and ``exit_code``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import Any

#: The commands whose ``--json`` output is read by scripts.
JSON_COMMANDS = ("ask", "bench")


def wants_json(args: argparse.Namespace | None) -> bool:
    """Whether ``args`` ask for JSON from a command that prints it."""
    return (
        args is not None
        and getattr(args, "command", None) in JSON_COMMANDS
        and bool(getattr(args, "json", False))
    )


def failure_record(
    command: str, reason: str, exit_code: int, line: str | None = None
) -> dict[str, Any]:
    """The object for ``command`` (``ask`` or ``bench``) failing for ``reason``."""
    if command != "ask":
        return {"error": reason, "exit_code": exit_code}
    from bot.answering.answers import Notice  # (only when it fails: not on every start)
    from bot.answering.render import render

    return {
        "command": line,
        "card": None,
        "candidates": [],
        "message": render(Notice("", reason), 0, None),
        "error": reason,
        "exit_code": exit_code,
    }


def say_failure(args: argparse.Namespace | None, reason: str, exit_code: int) -> None:
    """Print the failure's object on stdout when ``args`` asked for JSON (else nothing), with
    the reason's first line (a crashed bench child's stack stays on stderr); never raises
    (stdout may be gone: a reader that left)."""
    if not wants_json(args):
        return
    line = getattr(args, "line", None)
    first = reason.strip().splitlines()[0].rstrip(":") if reason.strip() else reason
    record = failure_record(args.command, first, exit_code, line)  # type: ignore[union-attr]
    with contextlib.suppress(OSError, ValueError):  # (a closed or broken stdout: nobody to tell)
        print(json.dumps(record, ensure_ascii=False), flush=True)


def fail(args: argparse.Namespace, reason: str, exit_code: int = 2) -> int:
    """``reason`` on stderr (and as JSON on stdout with ``--json``); returns the exit code."""
    print(reason, file=sys.stderr)
    say_failure(args, reason, exit_code)
    return exit_code
