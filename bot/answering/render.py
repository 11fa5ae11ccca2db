"""Answer models -> Discord message payloads, always within Discord's limits (pure).

The payload is the JSON Discord receives (``content``, ``embeds``, ``components``, ``flags``,
``allowed_mentions``). The Discord front end sends exactly this; ``drama-bot ask --json``
prints exactly this. Every word of it comes from the locale files (``i18n.text``), in the
reader's language (``locale``, Discord's code such as ``ko``; English by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.answering import i18n
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
from bot.answering.commands import CommandLine, CommandSpec
from bot.answering.discovery import PAGE_SIZE, ListAnswer
from bot.answering.escaping import QUERY_ECHO_LIMIT, cut, cut_label, escape, query_echo
from bot.answering.info import AboutAnswer, BotStatus, HelpAnswer
from bot.answering.regions import Country, country, live_region_of
from bot.cards.house import is_house_review
from bot.cards.model import SCORE_NAMES, Card, CommunityRating, Ratings
from bot.cards.reader import HTTPS_URL
from bot.catalog.snapshot import SimilarPick
from bot.text import has_unsafe_chars, name_key, without_unsafe_chars

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
LINK_NAMES = ("official", "mydramalist", "wikipedia", "imdb", "review")  # links.<name> in text
OPEN_CUSTOM_ID = "dramabot:open:drama"

# ---------------------------------------------------------------------------- safe text


def join_lines(lines: list[str], limit: int, locale: str | None = None) -> str:
    """Whole lines up to ``limit`` characters, then a count of what was left out."""
    kept: list[str] = []
    used = 0

    def more(count: int) -> str:
        return i18n.text("list.more", locale, count=count)

    for index, line in enumerate(lines):
        line = cut(line, limit)
        rest = len(lines) - index - 1
        tail = len(more(rest)) + 1 if rest else 0
        if used + len(line) + 1 + tail > limit and kept:
            kept.append(more(len(lines) - index))
            break
        kept.append(line)
        used += len(line) + 1
    return cut("\n".join(kept), limit)


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


def render(
    answer: Answer | ListAnswer | HelpAnswer | AboutAnswer,
    user_id: int,
    locale: str | None = None,
) -> dict[str, Any]:
    """The message payload for an answer; ``user_id`` is the asker (owner of any menu) and
    ``locale`` the reader's Discord language (``ko``, ``en-US``; English when None)."""
    lang = i18n.language_of(locale)
    live = live_region_of(locale)
    match answer:
        case ListAnswer():
            return _list(answer, user_id, lang)
        case HelpAnswer():
            return _help(answer, lang)
        case AboutAnswer():
            return _about(answer, lang)
        case CardAnswer(command="drama"):
            return _drama(answer, lang, live)
        case CardAnswer(command="cast"):
            return _cast(answer, user_id, lang)
        case CardAnswer(command="stream"):
            return _stream(answer, lang, live)
        case CardAnswer(command="rating"):
            return message(embeds=[_rating_embed(answer.card, lang)])
        case CardAnswer():
            return _similar(answer, user_id, lang)
        case ActorAnswer():
            return _actor(answer, user_id, lang)
        case Choices():
            return _choices(answer, user_id, lang)
        case NotFound():
            return _not_found(answer, lang)
        case Notice():
            return _notice(answer, lang)
        case UnknownRegion():
            return _unknown_region(answer, lang)
    raise TypeError(f"cannot render {type(answer).__name__}")


def _t(lang: str, key: str, **values: Any) -> str:
    """The sentence ``key`` in ``lang`` (see locales/en.yaml)."""
    return i18n.text(key, lang, **values)


def _card_title(card: Card) -> str:
    return cut(f"{escape(card.title)} ({card.year})", EMBED_TITLE_LIMIT)


def _cast_lines(card: Card, lang: str, *, roles: bool = True, numbered: bool = False) -> list[str]:
    lines = []
    for number, member in enumerate(card.cast, start=1):
        if roles and member.role:
            line = _t(lang, "cast.as_role", actor=escape(member.actor), role=escape(member.role))
        else:
            line = f"**{escape(member.actor)}**"
        if numbered:
            line = f"{number}. {line}"
            others = other_names(member.actor, member.aliases)
            if others:
                names = _t(lang, "list.separator").join(others)
                line = _t(lang, "cast.also", line=line, names=escape(names))
        lines.append(line)
    return lines


def other_names(name: str, aliases: tuple[str, ...] | list[str]) -> list[str]:
    """The names of ``aliases`` worth showing beside ``name``: not the name itself in other
    case, spacing or punctuation (``Im Si-wan`` beside ``Im Si Wan``), each once."""
    seen = {name_key(name)}
    shown = []
    for alias in aliases:
        key = name_key(alias)
        if key not in seen:
            seen.add(key)
            shown.append(alias)
    return shown


_OFFER_KINDS = ("ads", "rent", "buy")  # stream.kind.<kind> in the locale files


def _place_names(codes: tuple[str, ...], lang: str, limit: int = 5) -> str:
    names = [i18n.say(country(c).short_name, lang) for c in codes[:limit]]
    if len(codes) > limit:
        names.append(_t(lang, "stream.more_places", count=len(codes) - limit))
    return _t(lang, "list.separator").join(names)


def _offer_line(
    offer: Offer,
    lang: str,
    *,
    region_asked: bool,
    kind_word: bool = False,
    country_asked: Country | None = None,
) -> str:
    """``• **Viki** (with ads) — United States, Canada``: what, how, where."""
    line = f"**{escape(offer.service)}**"
    how = [_t(lang, f"stream.kind.{k}") for k in offer.kinds if k in _OFFER_KINDS]
    if kind_word and "free" in offer.kinds:
        how.insert(0, _t(lang, "stream.kind.free"))
    if how:
        either = how[0]
        for other in how[1:]:
            either = _t(lang, "list.or", first=either, last=other)
        line += f" ({either})"
    if not offer.regions and offer.reach_unknown and country_asked is not None:
        line += f" — {_t(lang, 'stream.reach_unknown', country=country_asked.name)}"
    elif not offer.regions:
        line += f" — {_t(lang, 'stream.everywhere')}"
    elif not region_asked:
        line += f" — {_place_names(offer.regions, lang)}"
    if offer.url:
        line += f" · {link(offer.url)}"
    return line


def _stream_lines(card: Card, lang: str) -> list[str]:
    """Every offer on one line each, for the /drama overview."""
    facts = availability(card, None)
    return [
        _offer_line(offer, lang, region_asked=False, kind_word=True)
        for heading, offers in facts.groups
        for offer in offers
    ]


def _elsewhere_text(facts: Availability, lang: str) -> str:
    listed = [
        f"**{escape(o.service)}** ({_place_names(o.regions, lang)})"
        if o.regions
        else escape(o.service)
        for o in facts.elsewhere
    ]
    return join_lines([_t(lang, "list.separator").join(listed)], 1500, lang) if listed else ""


def _stream_description(facts: Availability, by_default: bool, lang: str) -> str:
    parts: list[str] = []
    where = facts.region
    live = facts.live
    if where is not None:
        key = "stream.in_server_region" if by_default else "stream.in_region"
        parts.append(_t(lang, key, country=where.name))
    if where is not None and facts.not_operating:
        said = [
            _t(lang, "stream.not_operating", service=f"**{escape(s)}**", country=where.name)
            for s in facts.not_operating
        ]
        parts.append(" ".join(said))
    if not facts.listed:
        parts.append(_t(lang, "stream.not_listed"))
    elif not facts.groups and where is not None and facts.elsewhere:
        parts.append(
            _t(lang, "stream.not_here", country=where.name, elsewhere=_elsewhere_text(facts, lang))
        )
    for heading, offers in facts.groups:
        lines = [
            f"• {_offer_line(o, lang, region_asked=where is not None, country_asked=where)}"
            for o in offers
        ]
        parts.append(f"**{i18n.say(heading, lang)}**\n" + "\n".join(lines))
    checked = facts.checked_text()
    if checked:
        parts.append(i18n.say(checked, lang))
    if live.asked_country_served:
        parts.append(_t(lang, "stream.live", country=live.country.name))
    elif where is not None:
        parts.append(_t(lang, "stream.live_elsewhere", country=where.name, shown=live.country.name))
    else:
        parts.append(_t(lang, "stream.live_elsewhere_unnamed", shown=live.country.name))
    return "\n\n".join(parts)


def _stream(answer: CardAnswer, lang: str, live: str | None = None) -> dict[str, Any]:
    card = answer.card
    facts = availability(card, answer.region, live)
    footer = [_t(lang, "stream.footer")]
    if facts.from_tmdb:
        footer += [i18n.say(JUSTWATCH_SHORT, lang), i18n.say(TMDB_NOTICE, lang)]
    described = _stream_description(facts, answer.region_is_default, lang)
    if answer.note:  # "in chile" in the title, region:KR given: which one is answered
        described = f"{i18n.say(answer.note, lang)}\n{described}"
    embed = EmbedBuilder(
        _t(lang, "stream.title", title=_card_title(card)),
        COLOR_DRAMA,
        described,
        footer=" · ".join(footer),
        url=facts.live.url,
    )
    label = _t(lang, "stream.live_button", country=facts.live.country.short_name)
    return message(embeds=[embed.build()], components=[_link_row(label, facts.live.url)])


def _link_row(label: str, url: str) -> dict[str, Any]:
    """An action row with one link button (opens ``url``; no interaction comes back)."""
    button = {"type": 2, "style": 5, "label": cut(label, BUTTON_LABEL_LIMIT), "url": url}
    return {"type": 1, "components": [button]}


def _score_text(ratings: Ratings | None, name: str, lang: str) -> str:
    value = ratings.score(name) if ratings else None
    if value is None or ratings is None:
        return _t(lang, "scores.not_scored")
    return f"{value:g} / {ratings.scale}"


def _similar_lines(picks: tuple[SimilarPick, ...], card: Card, lang: str) -> list[str]:
    lines = []
    for pick in picks:
        if pick.slug is None:
            key = "similar.unloaded" if pick.unloaded else "similar.no_card"
            title = _t(lang, key, title=escape(pick.title))
        else:
            title = f"**{escape(pick.title)}**"
        lines.append(f"• {title} — {escape(similar_reason(pick, card, lang))}")
    return lines


def similar_reason(pick: SimilarPick, card: Card, locale: str | None = None) -> str:
    """Why ``pick`` is offered for ``card``, in the reader's language."""
    if pick.from_review:
        if is_house_review(card.review):
            return i18n.text("similar.why.house_pick", locale)
        key = "similar.why.review_pick" if card.review is not None else "similar.why.card_pick"
        return i18n.text(key, locale)
    why = pick.likeness
    if why is None:
        return pick.reason
    if why.cast:
        return i18n.text("similar.why.cast", locale, names=_and_list(why.cast, locale))
    if why.genres:
        genres = _and_list([i18n.genre_name(g, locale) for g in why.genres], locale)
        if why.network:
            return i18n.text(
                "similar.why.genres_network", locale, genres=genres, network=why.network
            )
        return i18n.text("similar.why.genres", locale, genres=genres)
    return i18n.text("similar.why.network", locale, network=why.network)


def _and_list(items: tuple[str, ...] | list[str], locale: str | None) -> str:
    """``A, B and C`` the reader's way."""
    if len(items) <= 1:
        return "".join(items)
    first = i18n.text("list.separator", locale).join(items[:-1])
    return i18n.text("list.and", locale, first=first, last=items[-1])


def _open_menu(picks: list[tuple[str, str]], placeholder: str) -> list[dict[str, Any]]:
    """A select menu that opens another card (anyone may use it; answers are private)."""
    options = [
        {"label": cut_label(label, SELECT_TEXT_LIMIT), "value": slug}
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


def _drama(answer: CardAnswer, lang: str, live_region: str | None = None) -> dict[str, Any]:
    card = answer.card
    review = card.review
    description = []
    if review and review.headline:
        description.append(f"**{escape(review.headline)}**")
    if review and review.summary:
        description.append(escape(review.summary))
    embed = EmbedBuilder(_card_title(card), COLOR_DRAMA, "\n\n".join(description))
    if card.native_title:
        embed.add(_t(lang, "drama.native_title"), escape(card.native_title), inline=True)
    embed.add(_t(lang, "drama.year"), str(card.year), inline=True)
    if card.network:
        embed.add(_t(lang, "drama.network"), escape(card.network), inline=True)
    if card.episodes:
        embed.add(_t(lang, "drama.episodes"), str(card.episodes), inline=True)
    if card.genres:
        genres = [i18n.genre_name(g, lang) for g in card.genres]
        embed.add(
            _t(lang, "drama.genres"), escape(_t(lang, "list.separator").join(genres)), inline=True
        )
    embed.add(
        _t(lang, "drama.main_cast"), join_lines(_cast_lines(card, lang), FIELD_VALUE_LIMIT, lang)
    )
    facts = availability(card, None, live_region)
    where = join_lines(_stream_lines(card, lang), FIELD_VALUE_LIMIT - 200, lang) or _t(
        lang, "drama.not_listed"
    )
    when = i18n.say(facts.checked_text(), lang)
    live = _t(lang, "drama.live_link", url=facts.live.url)
    embed.add(
        _t(lang, "drama.where_to_stream"), where + (f"\n{when}" if when else "") + f"\n{live}"
    )
    embed.add(_t(lang, "drama.review_scores"), _scores_summary(card, lang))
    if card.community_rating is not None:
        embed.add(
            _community_label(card.community_rating, lang),
            _community_text(card.community_rating, lang),
        )
    others = [c for c in answer.seasons if c.slug != card.slug]
    if others:
        lines = [_season_line(c, c.slug == card.slug, lang) for c in answer.seasons]
        embed.add(_t(lang, "drama.seasons"), join_lines(lines, FIELD_VALUE_LIMIT, lang))
    if answer.similar:
        embed.add(
            _t(lang, "drama.similar"),
            join_lines(_similar_lines(answer.similar, card, lang), FIELD_VALUE_LIMIT, lang),
        )
    if review and review.highlights:
        lines = [f"• {escape(h)}" for h in review.highlights]
        embed.add(_t(lang, "drama.highlights"), join_lines(lines, FIELD_VALUE_LIMIT, lang))
    if review and review.verdict:
        embed.add(_t(lang, "drama.verdict"), escape(review.verdict))
    embed.footer = _with_credits(_source_footer(card, lang), card, lang, streaming=facts.from_tmdb)
    if answer.note:
        embed.footer = f"{i18n.say(answer.note, lang)} · {embed.footer}"
    if card.poster:
        embed.thumbnail = card.poster
    if others:
        picks = [(c.slug, _season_label(c, lang)) for c in others]
        picks += [p for p in _linked(answer.similar) if p[0] not in {c.slug for c in others}]
        components = _open_menu(picks, _t(lang, "drama.open_season_or_similar"))
    else:
        components = _open_menu(_linked(answer.similar), _t(lang, "drama.open_similar"))
    components += _link_buttons(card, lang)
    return message(embeds=[embed.build()], components=components)


def _season_label(card: Card, lang: str) -> str:
    return _t(lang, "drama.season_label", number=card.season or 1, label=card.label)


def _season_line(card: Card, shown: bool, lang: str) -> str:
    line = f"• {escape(_season_label(card, lang))}"
    return f"{line} {_t(lang, 'drama.this_card')}" if shown else line


def _has_scores(card: Card) -> bool:
    return card.ratings is not None and any(card.ratings.score(n) is not None for n in SCORE_NAMES)


def _scores_summary(card: Card, lang: str) -> str:
    if _has_scores(card):
        return " · ".join(
            _t(
                lang,
                "scores.line",
                label=_t(lang, f"scores.{n}"),
                score=_score_text(card.ratings, n, lang),
            )
            for n in SCORE_NAMES
        )
    if card.ratings is not None or card.review is not None:
        return _t(lang, "scores.none")
    return _t(lang, "scores.no_review")


def _community_label(rating: CommunityRating, lang: str) -> str:
    return _t(lang, "community.label", source=escape(rating.source))


def _community_text(rating: CommunityRating, lang: str) -> str:
    """``8.1 / 10 from 1,234 votes, as of November 2026`` and what it is (not the review)."""
    if rating.votes is not None:
        text = _t(
            lang,
            "community.score_and_votes",
            score=rating.score,
            scale=rating.scale,
            count=rating.votes,
        )
    else:
        text = _t(lang, "community.score", score=rating.score, scale=rating.scale)
    if rating.checked:
        text = _t(lang, "community.as_of", rating=text, date=month_year(rating.checked))
    return text + "\n" + _t(lang, "community.what")


def _with_credits(footer: str, card: Card, lang: str, *, streaming: bool = False) -> str:
    """Add the credits TMDB and JustWatch ask for when their data is on show."""
    community = card.community_rating
    tmdb = (
        streaming
        or (community is not None and community.source.casefold() == "tmdb")
        or is_tmdb_image(card.poster)
    )
    parts = [footer] if footer else []
    if streaming:
        parts.append(i18n.say(JUSTWATCH_SHORT, lang))
    if tmdb:
        parts.append(i18n.say(TMDB_NOTICE, lang))
    return " · ".join(parts)


def _source_footer(card: Card, lang: str) -> str:
    review = card.review
    if review is None:
        return _t(lang, "review.none")
    if review.source and review.reviewer:
        return _t(
            lang, "review.by_source_and_reviewer", source=review.source, reviewer=review.reviewer
        )
    if review.source:
        return _t(lang, "review.by_source", source=review.source)
    if review.reviewer:
        return _t(lang, "review.by_reviewer", reviewer=review.reviewer)
    return _t(lang, "review.plain")


def _cast(answer: CardAnswer, user_id: int, lang: str) -> dict[str, Any]:
    card = answer.card
    lines = _cast_lines(card, lang, numbered=True)
    shown, page, pages = _page_slice(lines, answer.page, CAST_PAGE_SIZE)
    buttons = page_buttons("cast", user_id, card.slug, page, pages, lang)
    embed = EmbedBuilder(
        _t(lang, "cast.title", title=_card_title(card)),
        COLOR_DRAMA,
        join_lines(shown, EMBED_DESCRIPTION_LIMIT, lang),
        footer=_page_footer(
            _t(lang, "cast.footer"),
            page,
            pages,
            bool(buttons),
            len(lines),
            CAST_PAGE_SIZE,
            lang=lang,
        ),
    )
    return message(embeds=[embed.build()], components=buttons)


def _page_slice(lines: list[str], page: int, size: int) -> tuple[list[str], int, int]:
    """The lines of one page (clamped to the pages there are), the page, and the page count."""
    pages = max(1, -(-len(lines) // size))
    page = max(0, min(page, pages - 1))
    return lines[page * size : (page + 1) * size], page, pages


def _rating_embed(card: Card, lang: str) -> dict[str, Any]:
    """The review's scores, and apart from them any community rating: never one number mixed
    into the other."""
    scale = card.ratings.scale if card.ratings else 5
    community = card.community_rating
    if _has_scores(card):
        description = _t(lang, "rating.out_of", scale=scale)
    else:
        no_review = card.ratings is None and card.review is None
        key = "rating.no_review" if no_review else "rating.no_scores"
        description = _t(lang, key + ("_or_community" if community is None else ""))
    embed = EmbedBuilder(
        _t(lang, "rating.title", title=_card_title(card)), COLOR_DRAMA, description
    )
    if _has_scores(card):
        for name in SCORE_NAMES:
            embed.add(
                _t(lang, f"scores.{name}"), _score_text(card.ratings, name, lang), inline=True
            )
    if community is not None:
        embed.add(_community_label(community, lang), _community_text(community, lang))
    embed.footer = _with_credits(_source_footer(card, lang), card, lang)
    return embed.build()


def _similar(answer: CardAnswer, user_id: int, lang: str) -> dict[str, Any]:
    card = answer.card
    lines = _similar_lines(answer.similar, card, lang)
    shown, page, pages = _page_slice(lines, answer.page, PAGE_SIZE)
    buttons = page_buttons("similar", user_id, card.slug, page, pages, lang)
    empty = _t(lang, "similar.none")
    text = join_lines(shown, EMBED_DESCRIPTION_LIMIT, lang) if lines else empty
    if not any(pick.from_review for pick in answer.similar):
        note = _t(lang, "similar.footer_found")  # the card lists no picks of its own
    elif is_house_review(card.review):
        note = _t(lang, "similar.footer_house")
    elif card.review is not None:
        note = _t(lang, "similar.footer_review")
    else:
        note = _t(lang, "similar.footer_card")
    embed = EmbedBuilder(
        _t(lang, "similar.title", title=_card_title(card)),
        COLOR_DRAMA,
        text,
        footer=_page_footer(note, page, pages, bool(buttons), len(lines), lang=lang),
    )
    picks = _linked(answer.similar[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    components = buttons + _open_menu(picks, _t(lang, "menus.open_one"))
    return message(embeds=[embed.build()], components=components)


def _actor(answer: ActorAnswer, user_id: int, lang: str) -> dict[str, Any]:
    actor = answer.actor
    lines = []
    for card, credit in answer.credits:
        line = f"**{escape(card.title)}** ({card.year})"
        if credit.role:
            line += f" — {escape(credit.role)}"
        lines.append(line)
    shown, page, pages = _page_slice(lines, answer.page, PAGE_SIZE)
    buttons = page_buttons("actor", user_id, actor.id, page, pages, lang)
    description = join_lines(shown, EMBED_DESCRIPTION_LIMIT - 200, lang)
    others = other_names(actor.name, actor.aliases)
    if others:
        names = escape(_t(lang, "list.separator").join(others))
        description = _t(lang, "actor.also_credited", names=names) + "\n\n" + description
    footer = _page_footer(
        _t(lang, "actor.footer"), page, pages, bool(buttons), len(lines), lang=lang
    )
    embed = EmbedBuilder(escape(actor.name), COLOR_ACTOR, description, footer=footer)
    on_page = answer.credits[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    picks = [(card.slug, card.label) for card, _ in on_page]
    return message(
        embeds=[embed.build()],
        components=buttons + _open_menu(picks, _t(lang, "menus.open_one")),
    )


def pick_custom_id(command: str, user_id: int, extra: dict[str, str]) -> str:
    region = extra.get("region", "")
    return f"{PICK_PREFIX}:{command}:{user_id}:{region}"[:CUSTOM_ID_LIMIT]


def _choices(answer: Choices, user_id: int, lang: str) -> dict[str, Any]:
    what = "drama" if answer.subject is Subject.DRAMA else "actor"
    lines = [f"{n}. {escape(label)}" for n, (_, label) in enumerate(answer.options, start=1)]
    query = query_echo(answer.query)
    if answer.missing_season is not None:
        content = _seasons_we_have(answer, lang)
    elif answer.missing_year is not None:
        content = _years_we_have(answer, lang)
    elif answer.part_of:
        content = _part_of(answer, lang)
    elif answer.roles:
        content = _roles_in(answer, lang)
    elif answer.story:
        content = _t(lang, "choices.story", query=query, options="\n".join(lines))
    elif len(answer.options) == 1:
        option = escape(answer.options[0][1])
        content = _t(lang, f"choices.one_{what}", query=query, option=option)
    else:
        content = _t(lang, f"choices.many_{what}", query=query, options="\n".join(lines))
    menu = {
        "type": 3,
        "custom_id": pick_custom_id(answer.command, user_id, answer.extra),
        "placeholder": _t(lang, f"choices.pick_{what}"),
        "min_values": 1,
        "max_values": 1,
        "options": [
            {"label": cut_label(label, SELECT_TEXT_LIMIT), "value": id_}
            for id_, label in answer.options[:SELECT_OPTIONS_LIMIT]
        ],
    }
    return message(content, components=[{"type": 1, "components": [menu]}])


def _roles_in(answer: Choices, lang: str) -> str:
    """ "Vincenzo Cassano is Song Joong Ki's role in Vincenzo (2021). Did you mean that
    drama?" (one role per drama offered)."""
    # /actor offers the actors, each with (role, drama); /drama the dramas, with (role, actor).
    people = answer.subject is Subject.ACTOR
    said = [
        _t(
            lang,
            "choices.role_in",
            role=escape(role),
            player=escape(label if people else other),
            title=escape(other if people else label),
        )
        for (_, label), (role, other) in zip(answer.options, answer.roles, strict=False)
    ]
    actor = "_actor" if people else ""
    if len(said) == 1:
        return _t(lang, f"choices.role_one{actor}", said=said[0])
    numbered = [f"{n}. {line}" for n, line in enumerate(said, start=1)]
    # Room for the sentence around the list (long roles and titles cannot push it out).
    lines = join_lines(numbered, CONTENT_LIMIT - 400, lang)
    return _t(lang, f"choices.role_many{actor}", query=query_echo(answer.query), lines=lines)


def _part_of(answer: Choices, lang: str) -> str:
    """ "From the cast of Guardian: The Lonely and Great God (2016), in billing order: 1. Gong
    Yoo as Kim Shin 2. Kim Go Eun as Ji Eun-tak. Did you mean one of these?" """
    lines = []
    for n, ((_, label), (role, _)) in enumerate(
        zip(answer.options, answer.roles, strict=False), start=1
    ):
        player = escape(label)
        said = _t(lang, "choices.part_line", player=player, role=escape(role)) if role else player
        lines.append(f"{n}. {said}")
    listed = join_lines(lines, CONTENT_LIMIT - 400, lang)
    return _t(lang, "choices.part_of", title=escape(answer.part_of), lines=listed)


def _seasons_we_have(answer: Choices, lang: str) -> str:
    """ "We have Hospital Playlist (2020), season 1 — not season 2. Did you mean that one?" """
    items = [
        _t(lang, "choices.season_item", label=label, number=number) if number else label
        for (_, label), number in zip(answer.options, answer.option_seasons, strict=False)
    ]
    if len(items) > 1:
        listed = _t(
            lang, "list.and", first=_t(lang, "list.separator").join(items[:-1]), last=items[-1]
        )
    else:
        listed = items[0] if items else ""
    said = _t(lang, "choices.seasons_we_have", seasons=escape(listed), asked=answer.missing_season)
    ask = _t(lang, "choices.that_one" if len(items) == 1 else "choices.one_of_these")
    return f"{said} {ask}"


def _years_we_have(answer: Choices, lang: str) -> str:
    """ "We have Run On (2020) — none from 1999. Did you mean that one?" """
    labels = [label for _, label in answer.options]
    if len(labels) > 1:
        separator = _t(lang, "list.separator")
        listed = _t(lang, "list.and", first=separator.join(labels[:-1]), last=labels[-1])
    else:
        listed = labels[0] if labels else ""
    said = _t(lang, "choices.years_we_have", titles=escape(listed), asked=answer.missing_year)
    ask = _t(lang, "choices.that_one" if len(labels) == 1 else "choices.one_of_these")
    return f"{said} {ask}"


def _not_found(answer: NotFound, lang: str) -> dict[str, Any]:
    query = query_echo(answer.query)
    if answer.subject is Subject.ACTOR:
        text = _t(lang, "not_found.actor", query=query, command=i18n.command_name("actor", lang))
    elif answer.unloaded is not None:
        unloaded = escape(cut(answer.unloaded, QUERY_ECHO_LIMIT))
        text = _t(lang, "not_found.unloaded", title=unloaded)
    elif answer.actor is not None:
        actor = escape(cut(answer.actor, QUERY_ECHO_LIMIT))
        command = i18n.command_name("actor", lang)
        text = _t(lang, "not_found.is_actor", actor=actor, command=command)
    else:
        command = i18n.command_name(answer.command, lang)
        text = _t(lang, "not_found.drama", query=query, command=command)
    return message(text, ephemeral=True)


def _unknown_region(answer: UnknownRegion, lang: str) -> dict[str, Any]:
    typed = query_echo(answer.typed)
    if answer.suggestion:
        text = _t(lang, "region.unknown_suggest", typed=typed, suggestion=answer.suggestion)
    else:
        text = _t(lang, "region.unknown", typed=typed)
    return message(text, ephemeral=True)


def _notice(answer: Notice, lang: str) -> dict[str, Any]:
    text = i18n.say(answer.text, lang)
    if not answer.lines and answer.title is None:
        return message(text, ephemeral=True)
    color = COLOR_OK if answer.ok else COLOR_PROBLEM
    lines = [i18n.say(line, lang) for line in answer.lines]
    embed = EmbedBuilder(
        i18n.say(answer.title, lang) or "drama-bot",
        color,
        text + ("\n" + join_lines(lines, 3500, lang) if lines else ""),
    )
    return message(embeds=[embed.build()], ephemeral=True)


# ---------------------------------------------------------------------------- links and pages


def _link_buttons(card: Card, lang: str) -> list[dict[str, Any]]:
    """A row of link buttons to pages about the drama (only https addresses reach a card)."""
    links = list(card.links.items()) if card.links else []
    if card.review and card.review.url:
        links.append(("review", card.review.url))
    buttons = [
        {"type": 2, "style": 5, "label": _t(lang, f"links.{name}"), "url": url}
        for name, url in links[:BUTTONS_PER_ROW]
    ]
    return [{"type": 1, "components": buttons}] if buttons else []


def page_custom_id(command: str, user_id: int, page: int, key: str) -> str:
    """A page button's id: the list it belongs to, who may use it, and the page it opens."""
    return f"{PAGE_PREFIX}:{command}:{user_id}:{page}:{key}"


def page_buttons(
    command: str, user_id: int, key: str, page: int, pages: int, locale: str | None = None
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
            "label": i18n.text("pages.previous", locale),
            "custom_id": previous,
            "disabled": page == 0,
        },
        {
            "type": 2,
            "style": 2,
            "label": i18n.text("pages.next", locale),
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
    note: str,
    page: int,
    pages: int,
    buttons: bool,
    total: int,
    size: int = PAGE_SIZE,
    *,
    lang: str | None = None,
) -> str:
    """The footer of one page: what the list is, which page, and (when a list cannot have
    page buttons) how many items are not shown; nothing is cut silently."""
    parts = [note] if note else []
    if pages > 1:
        parts.append(i18n.text("pages.page", lang, page=page + 1, pages=pages))
        if not buttons:
            parts.append(i18n.text("pages.not_shown", lang, count=total - size))
    return " · ".join(parts)


def _list(answer: ListAnswer, user_id: int, lang: str) -> dict[str, Any]:
    """/browse and /top: a numbered page of dramas, with page buttons and an open menu."""
    if not answer.items:
        return message(i18n.say(answer.empty, lang), ephemeral=True)
    lines = []
    start = answer.page * PAGE_SIZE
    for number, item in enumerate(answer.page_items(), start=start + 1):
        title = f"**{escape(item.title)}** ({item.year})"
        detail = i18n.say(item.detail, lang)
        lines.append(f"{number}. {title}" + (f" — {escape(detail)}" if detail else ""))
    buttons = page_buttons(answer.command, user_id, answer.key, answer.page, answer.pages, lang)
    footer = _page_footer(
        i18n.say(answer.note, lang),
        answer.page,
        answer.pages,
        bool(buttons),
        len(answer.items),
        lang=lang,
    )
    heading = i18n.say(answer.heading, lang)  # its card and user parts are escaped already
    embed = EmbedBuilder(
        heading, COLOR_DRAMA, join_lines(lines, EMBED_DESCRIPTION_LIMIT, lang), footer
    )
    picks = [(item.slug, item.label) for item in answer.page_items()]
    components = buttons + _open_menu(picks, _t(lang, "menus.open_one"))
    return message(embeds=[embed.build()], components=components)


def _example(spec: CommandSpec, lang: str) -> str:
    """A command's /help example with the command and option names the reader's Discord
    shows (``/stream Run On region:US`` -> ``/스트리밍 Run On 지역:US``)."""
    return CommandLine(spec.example or f"/{spec.name}").said(lang)


def _help(answer: HelpAnswer, lang: str) -> dict[str, Any]:
    lines = []
    for spec in answer.specs:
        description = i18n.command_text(lang, spec.name, "description") or spec.description
        key = "help.line_admin" if spec.admin else "help.line"
        line = _t(lang, key, example=_example(spec, lang), description=escape(description))
        if spec.name == "top" and answer.nothing_scored:
            line += " " + _t(lang, "help.nothing_scored")
        lines.append(line)
    intro = _t(lang, "help.intro")
    embed = EmbedBuilder(
        _t(lang, "help.title"),
        COLOR_NOTICE,
        intro + "\n\n" + join_lines(lines, EMBED_DESCRIPTION_LIMIT - 300, lang),
        footer=_t(lang, "help.footer", command=i18n.command_name("about", lang)),
    )
    return message(embeds=[embed.build()], ephemeral=True)


def _about(answer: AboutAnswer, lang: str) -> dict[str, Any]:
    status: BotStatus = answer.status
    embed = EmbedBuilder(_t(lang, "about.title"), COLOR_NOTICE, url=status.project_url)
    embed.add(_t(lang, "about.version"), status.version, inline=True)
    embed.add(_t(lang, "about.dramas"), f"{status.cards:,}", inline=True)
    if status.shard:
        embed.add(_t(lang, "about.shard"), i18n.say(status.shard, lang), inline=True)
    embed.add(_t(lang, "about.up_since"), f"<t:{int(status.started_at)}:R>", inline=True)
    if status.loaded_at is not None:
        reload_text = f"<t:{int(status.loaded_at)}:R>"
        if status.last_reload:
            reload_text += f": {escape(i18n.say(status.last_reload, lang))}"
        embed.add(_t(lang, "about.last_reload"), reload_text)
    embed.add(
        _t(lang, "about.data"), "\n".join(escape(i18n.say(a, lang)) for a in answer.attributions)
    )
    button = {
        "type": 2,
        "style": 5,
        "label": _t(lang, "about.project_page"),
        "url": status.project_url,
    }
    return message(
        embeds=[embed.build()],
        components=[{"type": 1, "components": [button]}],
        ephemeral=True,
    )
