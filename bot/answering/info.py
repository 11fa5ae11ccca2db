"""/help and /about: what the bot can do, and how it is doing (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.answers import BaseAnswer
from bot.answering.attribution import JUSTWATCH_NOTICE, TMDB_NOTICE
from bot.answering.commands import COMMANDS, CommandSpec
from bot.answering.i18n import Phrase

PROJECT_URL = "https://github.com/drama-bot/drama-bot"


@dataclass(frozen=True, slots=True)
class BotStatus:
    """How the running bot is doing, as /about shows it."""

    version: str
    cards: int
    started_at: float  # Unix time
    loaded_at: float | None = None  # Unix time of the last load or reload that applied
    last_reload: str = ""  # one line: what the last load or reload did (a Phrase, or text)
    shard: str = ""  # "shard 1 of 4" (a Phrase), or empty when not sharded
    project_url: str = PROJECT_URL


@dataclass(frozen=True, slots=True)
class HelpAnswer(BaseAnswer):
    command: str
    specs: tuple[CommandSpec, ...]
    nothing_scored: bool = False  # no card has a score: /top's example can show nothing yet


@dataclass(frozen=True, slots=True)
class AboutAnswer(BaseAnswer):
    command: str
    status: BotStatus
    attributions: tuple[str, ...]


def help_answer(nothing_scored: bool = False) -> HelpAnswer:
    """/help; ``nothing_scored`` marks /top's example when no card in the catalog is scored."""
    return HelpAnswer("help", tuple(COMMANDS.values()), nothing_scored)


def about_answer(status: BotStatus, reviewed: int | None = None, house: int = 0) -> AboutAnswer:
    """/about; ``reviewed`` is how many of the catalog's cards carry a review (None: not
    counted, and nothing is said about reviews), ``house`` how many of those are house reviews
    (the catalog's editors', not published critics')."""
    credits: tuple[str, ...] = (TMDB_NOTICE, JUSTWATCH_NOTICE)
    if reviewed is not None:
        cards = (
            Phrase("credits.cards", count=reviewed, total=status.cards)
            if reviewed
            else Phrase("credits.cards_none")
        )
        if house:
            credits = (Phrase("credits.house_reviews", count=house), *credits)
        credits = (cards, *credits)
    return AboutAnswer("about", status, credits)
