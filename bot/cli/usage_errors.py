"""What a mistyped command line is told: the nearest command or flag, and where the list is.

argparse says "unrecognized arguments" with the top-level usage (the subcommand's parser
hands what it does not know up to it) and lists a wrong command's choices without naming the
nearest; a new admin typing ``drama-bot run --confg config.yaml`` read only
``usage: drama-bot [-h] [--version] COMMAND ...`` (round 16)."""

from __future__ import annotations

import argparse
import difflib
import re

_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<given>[^']*)' \(choose from (?P<choices>.*)\)")


def nearest(word: str, known: list[str]) -> str | None:
    found = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return found[0] if found else None


def with_nearest_choice(message: str) -> str:
    """argparse's "invalid choice" message, with the nearest choice named."""
    match = _INVALID_CHOICE.search(message)
    if match is None:
        return message
    choices = re.findall(r"'([^']*)'", match["choices"])
    guess = nearest(match["given"], choices)
    return f"{message}; did you mean '{guess}'?" if guess else message


def unrecognized(parser: argparse.ArgumentParser, extras: list[str]) -> str:
    """The message for arguments ``parser`` (a command's own) does not know: them, the flag
    nearest to the first unknown flag, and the command's ``--help``."""
    flags = [flag for action in parser._actions for flag in action.option_strings]
    message = f"unrecognized arguments: {' '.join(extras)}"
    given = next((word.split("=", 1)[0] for word in extras if word.startswith("-")), None)
    guess = nearest(given, flags) if given else None
    if guess:
        message += f"; did you mean {guess}?"
    return f"{message} (`{parser.prog} --help` lists its options)"
