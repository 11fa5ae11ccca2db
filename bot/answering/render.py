"""Answer models -> Discord message payloads, always within Discord's limits (pure).

The payload is the JSON Discord receives (``content``, ``embeds``, ``components``, ``flags``,
``allowed_mentions``). The Discord front end sends exactly this; ``drama-bot ask --json``
prints exactly this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.answering.answers import (
    ActorAnswer,
    Answer,
    CardAnswer,
    Choices,
    NotFound,
    Notice,
    Subject,
)
from bot.cards.model import SCORE_NAMES, Card, Ratings
from bot.catalog.snapshot import SimilarPick

# Discord's documented limits.
CONTENT_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
SELECT_OPTIONS_LIMIT = 25
SELECT_TEXT_LIMIT = 100
CUSTOM_ID_LIMIT = 100
QUERY_ECHO_LIMIT = 80

EPHEMERAL = 1 << 6
NO_MENTIONS: dict[str, Any] = {"parse": [], "replied_user": False}
COLOR_DRAMA = 0xE0568A
COLOR_ACTOR = 0x5B8DEF
COLOR_NOTICE = 0x99AAB5
COLOR_OK = 0x3BA55C
COLOR_PROBLEM = 0xED4245

PICK_PREFIX = "dramabot:pick"
OPEN_CUSTOM_ID = "dramabot:open:drama"
SCORE_LABELS = {"overall": "Overall", "romance": "Romance / addictive", "rewatch": "Rewatch value"}
NOT_SCORED = "not scored by the review"

_MARKDOWN = re.compile(r"([\\*_~`|\[\]<>#])")
_LINE_START = re.compile(r"(?m)^(\s*)([-+>]|\d+\.)(?=\s)")


# ---------------------------------------------------------------------------- safe text


def escape(text: str) -> str:
    """Card or user text shown literally: markdown neutralized, mentions defused.

    ``allowed_mentions`` already stops pings; the zero-width space also keeps ``@everyone``
    from *looking* like a mention.
    """
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    return text.replace("@", "@\u200b")


def cut(text: str, limit: int) -> str:
    """Shorten to at most ``limit`` characters at a word boundary, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space >= limit * 0.5:
        head = head[:space]
    head = head.rstrip(" ,;:-")
    if head.endswith("\\"):  # never leave a dangling escape
        head = head[:-1]
    return head + "…"


def join_lines(lines: list[str], limit: int, more: str = "…and {n} more") -> str:
    """Whole lines up to ``limit`` characters, then a count of what was left out."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        line = cut(line, limit)
        rest = len(lines) - index - 1
        tail = len(more.format(n=rest)) + 1 if rest else 0
        if used + len(line) + 1 + tail > limit and kept:
            kept.append(more.format(n=len(lines) - index))
            break
        kept.append(line)
        used += len(line) + 1
    return cut("\n".join(kept), limit)


def query_echo(query: str) -> str:
    return escape(cut(" ".join(query.split()), QUERY_ECHO_LIMIT))


# ---------------------------------------------------------------------------- embeds


@dataclass(slots=True)
class EmbedBuilder:
    title: str
    color: int
    description: str = ""
    footer: str = ""
    fields: list[dict[str, Any]] = field(default_factory=list)

    def add(self, name: str, value: str, *, inline: bool = False) -> None:
        if value and len(self.fields) < EMBED_FIELDS_LIMIT:
            self.fields.append(
                {
                    "name": cut(name, FIELD_NAME_LIMIT),
                    "value": cut(value, FIELD_VALUE_LIMIT),
                    "inline": inline,
                }
            )

    def build(self) -> dict[str, Any]:
        embed: dict[str, Any] = {
            "type": "rich",
            "title": cut(self.title, EMBED_TITLE_LIMIT),
            "color": self.color,
        }
        if self.description:
            embed["description"] = cut(self.description, EMBED_DESCRIPTION_LIMIT)
        if self.fields:
            embed["fields"] = self.fields
        if self.footer:
            embed["footer"] = {"text": cut(self.footer, FOOTER_LIMIT)}
        return fit_embed(embed)


def embed_size(embed: dict[str, Any]) -> int:
    """Characters Discord counts toward the 6000 total of an embed."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len(embed.get("footer", {}).get("text", ""))
    size += len(embed.get("author", {}).get("name", ""))
    for item in embed.get("fields", []):
        size += len(item["name"]) + len(item["value"])
    return size


def fit_embed(embed: dict[str, Any]) -> dict[str, Any]:
    """Trim the longest parts (description, then field values) until the embed fits 6000."""
    while (excess := embed_size(embed) - EMBED_TOTAL_LIMIT) > 0:
        parts: list[tuple[int, str, int | None]] = []
        if embed.get("description"):
            parts.append((len(embed["description"]), "description", None))
        for index, item in enumerate(embed.get("fields", [])):
            parts.append((len(item["value"]), "field", index))
        if embed.get("footer", {}).get("text"):
            parts.append((len(embed["footer"]["text"]), "footer", None))
        length, kind, index = max(parts)
        target = max(length - excess, 1)
        if kind == "description":
            embed["description"] = cut(embed["description"], target)
        elif kind == "footer":
            embed["footer"]["text"] = cut(embed["footer"]["text"], target)
        else:
            assert index is not None
            embed["fields"][index]["value"] = cut(embed["fields"][index]["value"], target)
    return embed


# ---------------------------------------------------------------------------- messages


def message(
    content: str = "",
    embeds: list[dict[str, Any]] | None = None,
    components: list[dict[str, Any]] | None = None,
    *,
    ephemeral: bool = False,
) -> dict[str, Any]:
    return {
        "content": cut(content, CONTENT_LIMIT),
        "embeds": embeds or [],
        "components": components or [],
        "flags": EPHEMERAL if ephemeral else 0,
        "allowed_mentions": dict(NO_MENTIONS),
    }


def render(answer: Answer, user_id: int) -> dict[str, Any]:
    """The message payload for an answer; ``user_id`` is the asker (owner of any menu)."""
    match answer:
        case CardAnswer(command="drama"):
            return _drama(answer)
        case CardAnswer(command="cast"):
            return message(embeds=[_cast_embed(answer.card)])
        case CardAnswer(command="stream"):
            return message(embeds=[_stream_embed(answer.card, answer.region)])
        case CardAnswer(command="rating"):
            return message(embeds=[_rating_embed(answer.card)])
        case CardAnswer():
            return _similar(answer)
        case ActorAnswer():
            return _actor(answer)
        case Choices():
            return _choices(answer, user_id)
        case NotFound():
            return _not_found(answer)
        case Notice():
            return _notice(answer)
    raise TypeError(f"cannot render {type(answer).__name__}")


def _card_title(card: Card) -> str:
    return cut(f"{escape(card.title)} ({card.year})", EMBED_TITLE_LIMIT)


def _facts_line(card: Card) -> str:
    parts = [
        card.native_title,
        card.network,
        f"{card.episodes} episodes" if card.episodes else None,
    ]
    return " · ".join(escape(p) for p in parts if p)


def _cast_lines(card: Card, *, roles: bool = True, numbered: bool = False) -> list[str]:
    lines = []
    for number, member in enumerate(card.cast, start=1):
        line = f"**{escape(member.actor)}**"
        if roles and member.role:
            line += f" as {escape(member.role)}"
        if numbered:
            line = f"{number}. {line}"
            if member.aliases:
                line += f" (also {escape(', '.join(member.aliases))})"
        lines.append(line)
    return lines


def _stream_lines(card: Card, region: str | None = None) -> list[str]:
    lines = []
    for option in card.streaming:
        if region and option.regions and region not in option.regions:
            continue
        line = f"**{escape(option.service)}**"
        if option.regions:
            line += f" ({', '.join(option.regions)})"
        elif region:
            line += " (regions not listed on the card)"
        if option.url:
            line += f" · {option.url}"
        lines.append(line)
    return lines


def _score_text(ratings: Ratings | None, name: str) -> str:
    value = ratings.score(name) if ratings else None
    if value is None or ratings is None:
        return NOT_SCORED
    return f"{value:g} / {ratings.scale}"


def _similar_lines(picks: tuple[SimilarPick, ...]) -> list[str]:
    lines = []
    for pick in picks:
        title = f"**{escape(pick.title)}**"
        if pick.slug is None:
            title += " (no card yet)"
        lines.append(f"• {title} — {escape(pick.reason)}")
    return lines


def _open_menu(picks: list[tuple[str, str]], placeholder: str) -> list[dict[str, Any]]:
    """A select menu that opens another card (anyone may use it; answers are private)."""
    options = [
        {"label": cut(label, SELECT_TEXT_LIMIT), "value": slug}
        for slug, label in picks[:SELECT_OPTIONS_LIMIT]
    ]
    if not options:
        return []
    return [
        {
            "type": 1,
            "components": [
                {
                    "type": 3,
                    "custom_id": OPEN_CUSTOM_ID,
                    "placeholder": placeholder,
                    "min_values": 1,
                    "max_values": 1,
                    "options": options,
                }
            ],
        }
    ]


def _linked(picks: tuple[SimilarPick, ...]) -> list[tuple[str, str]]:
    return [(p.slug, p.title) for p in picks if p.slug is not None]


def _drama(answer: CardAnswer) -> dict[str, Any]:
    card = answer.card
    review = card.review
    description = []
    if review and review.headline:
        description.append(f"**{escape(review.headline)}**")
    if review and review.summary:
        description.append(escape(review.summary))
    embed = EmbedBuilder(_card_title(card), COLOR_DRAMA, "\n\n".join(description))
    if card.native_title:
        embed.add("Native title", escape(card.native_title), inline=True)
    embed.add("Year", str(card.year), inline=True)
    if card.network:
        embed.add("Network", escape(card.network), inline=True)
    if card.episodes:
        embed.add("Episodes", str(card.episodes), inline=True)
    if card.genres:
        embed.add("Genres", escape(", ".join(card.genres)), inline=True)
    embed.add("Main cast", join_lines(_cast_lines(card), FIELD_VALUE_LIMIT))
    embed.add(
        "Where to stream",
        join_lines(_stream_lines(card), FIELD_VALUE_LIMIT) or "not known yet",
    )
    scores = " · ".join(f"{SCORE_LABELS[n]}: {_score_text(card.ratings, n)}" for n in SCORE_NAMES)
    embed.add("Review scores" if card.ratings else "Review scores (no review yet)", scores)
    others = [c for c in answer.seasons if c.slug != card.slug]
    if others:
        lines = [_season_line(c, c.slug == card.slug) for c in answer.seasons]
        embed.add("Seasons", join_lines(lines, FIELD_VALUE_LIMIT))
    if answer.similar:
        embed.add("Similar dramas", join_lines(_similar_lines(answer.similar), FIELD_VALUE_LIMIT))
    if review and review.highlights:
        lines = [f"• {escape(h)}" for h in review.highlights]
        embed.add("Highlights", join_lines(lines, FIELD_VALUE_LIMIT))
    if review and review.verdict:
        embed.add("Verdict", escape(review.verdict))
    embed.footer = _source_footer(card)
    if others:
        picks = [(c.slug, _season_label(c)) for c in others]
        picks += [p for p in _linked(answer.similar) if p[0] not in {c.slug for c in others}]
        components = _open_menu(picks, "Open another season or a similar drama…")
    else:
        components = _open_menu(_linked(answer.similar), "Open a similar drama…")
    return message(embeds=[embed.build()], components=components)


def _season_label(card: Card) -> str:
    return f"Season {card.season or 1}: {card.label}"


def _season_line(card: Card, shown: bool) -> str:
    line = f"• {escape(_season_label(card))}"
    return line + " (this card)" if shown else line


def _source_footer(card: Card) -> str:
    review = card.review
    if review is None:
        return "No review on this card yet"
    parts = [f"Review: {review.source}" if review.source else "Review", review.reviewer]
    return " · by ".join(p for p in parts if p)


def _cast_embed(card: Card) -> dict[str, Any]:
    lines = _cast_lines(card, numbered=True)
    embed = EmbedBuilder(
        f"Cast of {_card_title(card)}",
        COLOR_DRAMA,
        join_lines(lines, EMBED_DESCRIPTION_LIMIT),
        footer="Main cast in billing order",
    )
    return embed.build()


def _stream_embed(card: Card, region: str | None) -> dict[str, Any]:
    lines = _stream_lines(card, region)
    title = f"Where to watch {_card_title(card)}"
    if not card.streaming:
        text = "This card does not list where to watch it yet."
    elif not lines:
        elsewhere = ", ".join(sorted({r for o in card.streaming for r in o.regions}))
        text = f"Nothing listed for {region}. Listed regions: {elsewhere}."
    else:
        heading = f"In {region}:\n" if region else ""
        text = heading + join_lines(lines, EMBED_DESCRIPTION_LIMIT - len(heading))
    embed = EmbedBuilder(title, COLOR_DRAMA, text, footer="Availability changes; check the service")
    return embed.build()


def _rating_embed(card: Card) -> dict[str, Any]:
    scale = card.ratings.scale if card.ratings else 5
    description = (
        f"Scores out of {scale}." if card.ratings else "This card has no review yet, so no scores."
    )
    embed = EmbedBuilder(f"Review scores for {_card_title(card)}", COLOR_DRAMA, description)
    for name in SCORE_NAMES:
        embed.add(SCORE_LABELS[name], _score_text(card.ratings, name), inline=True)
    embed.footer = _source_footer(card)
    return embed.build()


def _similar(answer: CardAnswer) -> dict[str, Any]:
    card = answer.card
    if answer.similar:
        text = join_lines(_similar_lines(answer.similar), EMBED_DESCRIPTION_LIMIT)
    else:
        text = "Nothing in the catalog is close to this one yet."
    embed = EmbedBuilder(
        f"Dramas like {_card_title(card)}",
        COLOR_DRAMA,
        text,
        footer=(
            "The review's picks first, then dramas we found alike"
            if card.review is not None
            else "Picks listed on the card first, then dramas we found alike"
        ),
    )
    components = _open_menu(_linked(answer.similar), "Open one of these dramas…")
    return message(embeds=[embed.build()], components=components)


def _actor(answer: ActorAnswer) -> dict[str, Any]:
    actor = answer.actor
    lines = []
    for card, credit in answer.credits:
        line = f"**{escape(card.title)}** ({card.year})"
        if credit.role:
            line += f" — {escape(credit.role)}"
        lines.append(line)
    description = join_lines(lines, EMBED_DESCRIPTION_LIMIT - 200)
    if actor.aliases:
        description = f"Also credited as {escape(', '.join(actor.aliases))}\n\n" + description
    embed = EmbedBuilder(
        escape(actor.name), COLOR_ACTOR, description, footer="Dramas in this catalog"
    )
    picks = [(card.slug, card.label) for card, _ in answer.credits]
    return message(
        embeds=[embed.build()], components=_open_menu(picks, "Open one of these dramas…")
    )


def pick_custom_id(command: str, user_id: int, extra: dict[str, str]) -> str:
    region = extra.get("region", "")
    return f"{PICK_PREFIX}:{command}:{user_id}:{region}"[:CUSTOM_ID_LIMIT]


def _choices(answer: Choices, user_id: int) -> dict[str, Any]:
    what = "drama" if answer.subject is Subject.DRAMA else "actor"
    lines = [f"{n}. {escape(label)}" for n, (_, label) in enumerate(answer.options, start=1)]
    if answer.note:
        ask = "Did you mean that one?" if len(answer.options) == 1 else "Did you mean one of these?"
        content = f"{escape(answer.note)} {ask}"
    elif len(answer.options) == 1:
        label = escape(answer.options[0][1])
        content = f"No {what} is called exactly “{query_echo(answer.query)}”. Did you mean {label}?"
    else:
        content = (
            f"More than one {what} fits “{query_echo(answer.query)}”. Did you mean:\n"
            + "\n".join(lines)
        )
    menu = {
        "type": 3,
        "custom_id": pick_custom_id(answer.command, user_id, answer.extra),
        "placeholder": f"Pick the {what} you meant",
        "min_values": 1,
        "max_values": 1,
        "options": [
            {"label": cut(label, SELECT_TEXT_LIMIT), "value": id_}
            for id_, label in answer.options[:SELECT_OPTIONS_LIMIT]
        ],
    }
    return message(content, components=[{"type": 1, "components": [menu]}])


def _not_found(answer: NotFound) -> dict[str, Any]:
    if answer.subject is Subject.ACTOR:
        text = (
            f"No actor called “{query_echo(answer.query)}” in the catalog. "
            "Try /actor and pick a name from the list as you type."
        )
    else:
        text = (
            f"No drama called “{query_echo(answer.query)}” in the catalog. "
            f"Try /{answer.command} and pick a title from the list as you type."
        )
    return message(text, ephemeral=True)


def _notice(answer: Notice) -> dict[str, Any]:
    if not answer.lines and answer.title is None:
        return message(answer.text, ephemeral=True)
    color = COLOR_OK if answer.ok else COLOR_PROBLEM
    embed = EmbedBuilder(
        answer.title or "drama-bot",
        color,
        answer.text + ("\n" + join_lines(list(answer.lines), 3500) if answer.lines else ""),
    )
    return message(embeds=[embed.build()], ephemeral=True)
