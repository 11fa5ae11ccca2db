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
    UnknownRegion,
)
from bot.answering.attribution import (
    JUSTWATCH_SHORT,
    TMDB_NOTICE,
    is_tmdb_image,
)
from bot.answering.availability import Availability, Offer, availability, month_year
from bot.answering.discovery import PAGE_SIZE, ListAnswer
from bot.answering.info import AboutAnswer, BotStatus, HelpAnswer
from bot.answering.regions import country
from bot.cards.model import SCORE_NAMES, Card, CommunityRating, Ratings
from bot.cards.reader import HTTPS_URL
from bot.catalog.snapshot import SimilarPick
from bot.text import has_unsafe_chars, without_unsafe_chars

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
BUTTON_LABEL_LIMIT = 80
QUERY_ECHO_LIMIT = 80

EPHEMERAL = 1 << 6
NO_MENTIONS: dict[str, Any] = {"parse": [], "replied_user": False}
COLOR_DRAMA = 0xE0568A
COLOR_ACTOR = 0x5B8DEF
COLOR_NOTICE = 0x99AAB5
COLOR_OK = 0x3BA55C
COLOR_PROBLEM = 0xED4245

PICK_PREFIX = "dramabot:pick"
PAGE_PREFIX = "dramabot:page"
BUTTONS_PER_ROW = 5
CAST_PAGE_SIZE = 15
LINK_LABELS = {
    "official": "Official page",
    "mydramalist": "MyDramaList",
    "wikipedia": "Wikipedia",
    "imdb": "IMDb",
    "review": "Read the review",
}
OPEN_CUSTOM_ID = "dramabot:open:drama"
SCORE_LABELS = {"overall": "Overall", "romance": "Romance / addictive", "rewatch": "Rewatch value"}
NOT_SCORED = "not scored by the review"

_MARKDOWN = re.compile(r"([\\*_~`|\[\]<>#])")
_LINE_START = re.compile(r"(?m)^(\s*)(?:([-+])|(\d+)\.)(?=\s)")


# ---------------------------------------------------------------------------- safe text


def escape(text: str) -> str:
    """Card or user text shown literally: markdown neutralized, mentions defused.

    ``allowed_mentions`` already stops pings; the zero-width space also keeps ``@everyone``
    from *looking* like a mention.
    """
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _LINE_START.sub(_escape_line_start, text)
    return text.replace("@", "@\u200b")


def _escape_line_start(match: re.Match[str]) -> str:
    """``- item`` -> ``\\- item``, ``1. item`` -> ``1\\. item``: Discord drops a backslash only
    before punctuation, so a list number is escaped at its dot."""
    indent, bullet, number = match.groups()
    return f"{indent}\\{bullet}" if bullet else f"{indent}{number}\\."


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
    """A user's query quoted back: one line, no control or bidirectional characters, markdown
    escaped, at most ``QUERY_ECHO_LIMIT`` characters."""
    return escape(cut(" ".join(without_unsafe_chars(query).split()), QUERY_ECHO_LIMIT))


def link(url: str) -> str:
    """A card's address, shown as is (Discord links it) only when it is a plain https address
    with no markdown, spaces or control characters; anything else (cards are checked, but a
    database may be older) is shown as escaped text, so it never becomes a masked link."""
    plain = HTTPS_URL.match(url) and not has_unsafe_chars(url)
    return url if plain else escape(without_unsafe_chars(url))


# ---------------------------------------------------------------------------- embeds


@dataclass(slots=True)
class EmbedBuilder:
    title: str
    color: int
    description: str = ""
    footer: str = ""
    fields: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""  # makes the title a link; only addresses we built or validated
    thumbnail: str = ""  # an https image address (a card's poster)

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
        if self.url:
            embed["url"] = self.url
        if self.thumbnail:
            embed["thumbnail"] = {"url": self.thumbnail}
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


def render(answer: Answer | ListAnswer | HelpAnswer | AboutAnswer, user_id: int) -> dict[str, Any]:
    """The message payload for an answer; ``user_id`` is the asker (owner of any menu)."""
    match answer:
        case ListAnswer():
            return _list(answer, user_id)
        case HelpAnswer():
            return _help(answer)
        case AboutAnswer():
            return _about(answer)
        case CardAnswer(command="drama"):
            return _drama(answer)
        case CardAnswer(command="cast"):
            return _cast(answer, user_id)
        case CardAnswer(command="stream"):
            return _stream(answer)
        case CardAnswer(command="rating"):
            return message(embeds=[_rating_embed(answer.card)])
        case CardAnswer():
            return _similar(answer, user_id)
        case ActorAnswer():
            return _actor(answer, user_id)
        case Choices():
            return _choices(answer, user_id)
        case NotFound():
            return _not_found(answer)
        case Notice():
            return _notice(answer)
        case UnknownRegion():
            return _unknown_region(answer)
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


_OFFER_KINDS = {"ads": "with ads", "rent": "rent", "buy": "buy"}
EVERYWHERE = "wherever it's available"


def _place_names(codes: tuple[str, ...], limit: int = 5) -> str:
    names = [country(c).short_name for c in codes[:limit]]
    if len(codes) > limit:
        names.append(f"{len(codes) - limit} more")
    return ", ".join(names)


def _offer_line(offer: Offer, *, region_asked: bool, kind_word: bool = False) -> str:
    """``• **Viki** (with ads) — United States, Canada``: what, how, where."""
    line = f"**{escape(offer.service)}**"
    how = [_OFFER_KINDS[k] for k in offer.kinds if k in _OFFER_KINDS]
    if kind_word and "free" in offer.kinds:
        how.insert(0, "free")
    if how:
        line += f" ({' or '.join(how)})"
    if not offer.regions:
        line += f" — {EVERYWHERE}"
    elif not region_asked:
        line += f" — {_place_names(offer.regions)}"
    if offer.url:
        line += f" · {link(offer.url)}"
    return line


def _stream_lines(card: Card) -> list[str]:
    """Every offer on one line each, for the /drama overview."""
    facts = availability(card, None)
    return [
        _offer_line(offer, region_asked=False, kind_word=True)
        for heading, offers in facts.groups
        for offer in offers
    ]


def _elsewhere_text(facts: Availability) -> str:
    listed = [
        f"**{escape(o.service)}** ({_place_names(o.regions)})" if o.regions else escape(o.service)
        for o in facts.elsewhere
    ]
    return join_lines([", ".join(listed)], 1500) if listed else ""


def _stream_description(facts: Availability, by_default: bool) -> str:
    parts: list[str] = []
    where = facts.region
    live = facts.live
    if where is not None:
        note = " (this server's region; add region: for another)" if by_default else ""
        parts.append(f"**In {where.name}**{note}")
    if not facts.listed:
        parts.append("This card does not list where to watch it yet.")
    elif not facts.groups and where is not None:
        parts.append(
            f"Nothing on this card for {where.name}. It lists: {_elsewhere_text(facts)}. "
            "That does not mean it is not there: check live availability below."
        )
    for heading, offers in facts.groups:
        lines = [f"• {_offer_line(o, region_asked=where is not None)}" for o in offers]
        parts.append(f"**{heading}**\n" + "\n".join(lines))
    checked = facts.checked_text()
    if checked:
        parts.append(checked)
    if live.asked_country_served:
        parts.append(f"Live availability in {live.country.name}: JustWatch, linked below.")
    else:
        parts.append(
            f"JustWatch does not list {where.name if where else 'that country'}; the link "
            f"below shows {live.country.name}."
        )
    return "\n\n".join(parts)


def _stream(answer: CardAnswer) -> dict[str, Any]:
    card = answer.card
    facts = availability(card, answer.region)
    footer = ["Availability changes by country and over time"]
    if facts.from_tmdb:
        footer += [JUSTWATCH_SHORT, TMDB_NOTICE]
    embed = EmbedBuilder(
        f"Where to watch {_card_title(card)}",
        COLOR_DRAMA,
        _stream_description(facts, answer.region_is_default),
        footer=" · ".join(footer),
        url=facts.live.url,
    )
    label = f"Check live availability ({facts.live.country.short_name}, JustWatch)"
    return message(embeds=[embed.build()], components=[_link_row(label, facts.live.url)])


def _link_row(label: str, url: str) -> dict[str, Any]:
    """An action row with one link button (opens ``url``; no interaction comes back)."""
    button = {"type": 2, "style": 5, "label": cut(label, BUTTON_LABEL_LIMIT), "url": url}
    return {"type": 1, "components": [button]}


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
    facts = availability(card, None)
    where = (
        join_lines(_stream_lines(card), FIELD_VALUE_LIMIT - 200) or "Not listed on this card yet."
    )
    when = facts.checked_text()
    embed.add(
        "Where to stream",
        where + (f"\n{when}" if when else "") + f"\n[Check live availability]({facts.live.url})",
    )
    embed.add("Review scores", _scores_summary(card))
    if card.community_rating is not None:
        embed.add(_community_label(card.community_rating), _community_text(card.community_rating))
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
    embed.footer = _with_credits(_source_footer(card), card, streaming=facts.from_tmdb)
    if answer.note:
        embed.footer = f"{answer.note} · {embed.footer}"
    if card.poster:
        embed.thumbnail = card.poster
    if others:
        picks = [(c.slug, _season_label(c)) for c in others]
        picks += [p for p in _linked(answer.similar) if p[0] not in {c.slug for c in others}]
        components = _open_menu(picks, "Open another season or a similar drama…")
    else:
        components = _open_menu(_linked(answer.similar), "Open a similar drama…")
    components += _link_buttons(card)
    return message(embeds=[embed.build()], components=components)


def _season_label(card: Card) -> str:
    return f"Season {card.season or 1}: {card.label}"


def _season_line(card: Card, shown: bool) -> str:
    line = f"• {escape(_season_label(card))}"
    return line + " (this card)" if shown else line


def _has_scores(card: Card) -> bool:
    return card.ratings is not None and any(card.ratings.score(n) is not None for n in SCORE_NAMES)


def _scores_summary(card: Card) -> str:
    if _has_scores(card):
        return " · ".join(f"{SCORE_LABELS[n]}: {_score_text(card.ratings, n)}" for n in SCORE_NAMES)
    if card.ratings is not None or card.review is not None:
        return "The review gives no scores."
    return "No review on this card yet."


def _community_label(rating: CommunityRating) -> str:
    return f"Community rating ({escape(rating.source)})"


def _community_text(rating: CommunityRating) -> str:
    """``8.1 / 10 from 1,234 votes, as of November 2026`` and what it is (not the review)."""
    text = f"{rating.score:g} / {rating.scale}"
    if rating.votes is not None:
        text += f" from {rating.votes:,} vote{'s' if rating.votes != 1 else ''}"
    if rating.checked:
        text += f", as of {month_year(rating.checked)}"
    return text + "\nViewers' average on the site, not the review's verdict."


def _with_credits(footer: str, card: Card, *, streaming: bool = False) -> str:
    """Add the credits TMDB and JustWatch ask for when their data is on show."""
    community = card.community_rating
    tmdb = (
        streaming
        or (community is not None and community.source.casefold() == "tmdb")
        or is_tmdb_image(card.poster)
    )
    parts = [footer] if footer else []
    if streaming:
        parts.append(JUSTWATCH_SHORT)
    if tmdb:
        parts.append(TMDB_NOTICE)
    return " · ".join(parts)


def _source_footer(card: Card) -> str:
    review = card.review
    if review is None:
        return "No review on this card yet"
    parts = [f"Review: {review.source}" if review.source else "Review", review.reviewer]
    return " · by ".join(p for p in parts if p)


def _cast(answer: CardAnswer, user_id: int) -> dict[str, Any]:
    card = answer.card
    lines = _cast_lines(card, numbered=True)
    shown, page, pages = _page_slice(lines, answer.page, CAST_PAGE_SIZE)
    buttons = page_buttons("cast", user_id, card.slug, page, pages)
    embed = EmbedBuilder(
        f"Cast of {_card_title(card)}",
        COLOR_DRAMA,
        join_lines(shown, EMBED_DESCRIPTION_LIMIT),
        footer=_page_footer(
            "Main cast in billing order", page, pages, bool(buttons), len(lines), CAST_PAGE_SIZE
        ),
    )
    return message(embeds=[embed.build()], components=buttons)


def _page_slice(lines: list[str], page: int, size: int) -> tuple[list[str], int, int]:
    """The lines of one page (clamped to the pages there are), the page, and the page count."""
    pages = max(1, -(-len(lines) // size))
    page = max(0, min(page, pages - 1))
    return lines[page * size : (page + 1) * size], page, pages


def _rating_embed(card: Card) -> dict[str, Any]:
    """The review's scores, and apart from them any community rating: never one number mixed
    into the other."""
    scale = card.ratings.scale if card.ratings else 5
    if _has_scores(card):
        description = f"The review's scores, out of {scale}."
    elif card.ratings is not None or card.review is not None:
        description = "The review on this card gives no scores."
    else:
        description = "This card has no review yet, so there are no review scores."
    community = card.community_rating
    if community is None and not _has_scores(card):
        description += " It has no community rating either."
    embed = EmbedBuilder(f"Ratings for {_card_title(card)}", COLOR_DRAMA, description)
    if _has_scores(card):
        for name in SCORE_NAMES:
            embed.add(SCORE_LABELS[name], _score_text(card.ratings, name), inline=True)
    if community is not None:
        embed.add(_community_label(community), _community_text(community))
    embed.footer = _with_credits(_source_footer(card), card)
    return embed.build()


def _similar(answer: CardAnswer, user_id: int) -> dict[str, Any]:
    card = answer.card
    lines = _similar_lines(answer.similar)
    shown, page, pages = _page_slice(lines, answer.page, PAGE_SIZE)
    buttons = page_buttons("similar", user_id, card.slug, page, pages)
    if lines:
        text = join_lines(shown, EMBED_DESCRIPTION_LIMIT)
    else:
        text = "Nothing in the catalog is close to this one yet."
    note = (
        "The review's picks first, then dramas we found alike"
        if card.review is not None
        else "Picks listed on the card first, then dramas we found alike"
    )
    embed = EmbedBuilder(
        f"Dramas like {_card_title(card)}",
        COLOR_DRAMA,
        text,
        footer=_page_footer(note, page, pages, bool(buttons), len(lines)),
    )
    picks = _linked(answer.similar[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    components = buttons + _open_menu(picks, "Open one of these dramas…")
    return message(embeds=[embed.build()], components=components)


def _actor(answer: ActorAnswer, user_id: int) -> dict[str, Any]:
    actor = answer.actor
    lines = []
    for card, credit in answer.credits:
        line = f"**{escape(card.title)}** ({card.year})"
        if credit.role:
            line += f" — {escape(credit.role)}"
        lines.append(line)
    shown, page, pages = _page_slice(lines, answer.page, PAGE_SIZE)
    buttons = page_buttons("actor", user_id, actor.id, page, pages)
    description = join_lines(shown, EMBED_DESCRIPTION_LIMIT - 200)
    if actor.aliases:
        description = f"Also credited as {escape(', '.join(actor.aliases))}\n\n" + description
    footer = _page_footer("Dramas in this catalog", page, pages, bool(buttons), len(lines))
    embed = EmbedBuilder(escape(actor.name), COLOR_ACTOR, description, footer=footer)
    on_page = answer.credits[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    picks = [(card.slug, card.label) for card, _ in on_page]
    return message(
        embeds=[embed.build()],
        components=buttons + _open_menu(picks, "Open one of these dramas…"),
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
    elif answer.unloaded is not None:
        text = (
            f"The card for “{escape(cut(answer.unloaded, QUERY_ECHO_LIMIT))}” could not be "
            "loaded, so it is left out for now. An admin can see why with `drama-bot check`."
        )
    else:
        text = (
            f"No drama called “{query_echo(answer.query)}” in the catalog. "
            f"Try /{answer.command} and pick a title from the list as you type."
        )
    return message(text, ephemeral=True)


def _unknown_region(answer: UnknownRegion) -> dict[str, Any]:
    hint = f" Did you mean {answer.suggestion}?" if answer.suggestion else ""
    return message(
        f"“{query_echo(answer.typed)}” is not a country I know.{hint} Type a country's name or "
        "two-letter code, such as US, Korea or UK.",
        ephemeral=True,
    )


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


# ---------------------------------------------------------------------------- links and pages


def _link_buttons(card: Card) -> list[dict[str, Any]]:
    """A row of link buttons to pages about the drama (only https addresses reach a card)."""
    links = list(card.links.items()) if card.links else []
    if card.review and card.review.url:
        links.append(("review", card.review.url))
    buttons = [
        {"type": 2, "style": 5, "label": LINK_LABELS[name], "url": url}
        for name, url in links[:BUTTONS_PER_ROW]
    ]
    return [{"type": 1, "components": buttons}] if buttons else []


def page_custom_id(command: str, user_id: int, page: int, key: str) -> str:
    """A page button's id: the list it belongs to, who may use it, and the page it opens."""
    return f"{PAGE_PREFIX}:{command}:{user_id}:{page}:{key}"


def page_buttons(
    command: str, user_id: int, key: str, page: int, pages: int
) -> list[dict[str, Any]]:
    """Previous/Next buttons (none for a single page, or when the list's id is too long for
    Discord; the footer then says how many are not shown)."""
    if pages <= 1:
        return []
    previous = page_custom_id(command, user_id, max(page - 1, 0), key)
    following = page_custom_id(command, user_id, min(page + 1, pages - 1), key)
    if max(len(previous), len(following)) > CUSTOM_ID_LIMIT:
        return []
    buttons = [
        {
            "type": 2,
            "style": 2,
            "label": "◀ Previous",
            "custom_id": previous,
            "disabled": page == 0,
        },
        {
            "type": 2,
            "style": 2,
            "label": "Next ▶",
            "custom_id": following,
            "disabled": page >= pages - 1,
        },
    ]
    return [{"type": 1, "components": buttons}]


def disable_buttons(payload: dict[str, Any]) -> dict[str, Any]:
    """The same message with its page buttons switched off (after they time out)."""
    rows = []
    for row in payload.get("components", []):
        components = [
            component | {"disabled": True}
            if component.get("type") == 2 and component.get("style") != 5
            else component
            for component in row["components"]
        ]
        rows.append(row | {"components": components})
    return payload | {"components": rows}


def _page_footer(
    note: str, page: int, pages: int, buttons: bool, total: int, size: int = PAGE_SIZE
) -> str:
    """The footer of one page: what the list is, which page, and (when a list cannot have
    page buttons) how many items are not shown; nothing is cut silently."""
    parts = [note] if note else []
    if pages > 1:
        parts.append(f"Page {page + 1} of {pages}")
        if not buttons:
            parts.append(f"{total - size} more not shown")
    return " · ".join(parts)


def _list(answer: ListAnswer, user_id: int) -> dict[str, Any]:
    """/browse and /top: a numbered page of dramas, with page buttons and an open menu."""
    if not answer.items:
        return message(answer.empty, ephemeral=True)
    lines = []
    start = answer.page * PAGE_SIZE
    for number, item in enumerate(answer.page_items(), start=start + 1):
        title = f"**{escape(item.title)}** ({item.year})"
        lines.append(f"{number}. {title}" + (f" — {escape(item.detail)}" if item.detail else ""))
    buttons = page_buttons(answer.command, user_id, answer.key, answer.page, answer.pages)
    footer = _page_footer(answer.note, answer.page, answer.pages, bool(buttons), len(answer.items))
    embed = EmbedBuilder(
        escape(answer.heading), COLOR_DRAMA, join_lines(lines, EMBED_DESCRIPTION_LIMIT), footer
    )
    picks = [(item.slug, item.label) for item in answer.page_items()]
    components = buttons + _open_menu(picks, "Open one of these dramas…")
    return message(embeds=[embed.build()], components=components)


def _help(answer: HelpAnswer) -> dict[str, Any]:
    lines = []
    for spec in answer.specs:
        example = spec.example or f"/{spec.name}"
        admin = " (admins)" if spec.admin else ""
        lines.append(f"`{example}` — {escape(spec.description)}{admin}")
    embed = EmbedBuilder(
        "What I can do",
        COLOR_NOTICE,
        "Type `/` and pick a command; titles and names autocomplete as you type, and typos, "
        "aliases and Hangul are fine.\n\n" + join_lines(lines, EMBED_DESCRIPTION_LIMIT - 300),
        footer="/about for the catalog, data sources and status",
    )
    return message(embeds=[embed.build()], ephemeral=True)


def _about(answer: AboutAnswer) -> dict[str, Any]:
    status: BotStatus = answer.status
    embed = EmbedBuilder("About drama-bot", COLOR_NOTICE, url=status.project_url)
    embed.add("Version", status.version, inline=True)
    embed.add("Dramas", f"{status.cards:,}", inline=True)
    if status.shard:
        embed.add("Shard", status.shard, inline=True)
    embed.add("Up since", f"<t:{int(status.started_at)}:R>", inline=True)
    if status.loaded_at is not None:
        reload_text = f"<t:{int(status.loaded_at)}:R>"
        if status.last_reload:
            reload_text += f": {escape(status.last_reload)}"
        embed.add("Last reload", reload_text)
    embed.add("Data", "\n".join(escape(a) for a in answer.attributions))
    button = {"type": 2, "style": 5, "label": "Project page", "url": status.project_url}
    return message(
        embeds=[embed.build()],
        components=[{"type": 1, "components": [button]}],
        ephemeral=True,
    )
