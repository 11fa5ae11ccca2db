"""Which drama a title option names, when the words typed around the title say more: an
actor's name after the title ("queen of tears kim soo hyun", "anna suzy") is that drama when
the actor is in its cast, and no drama when not; so is a character's name before or after
the title ("kim shin goblin", "vincenzo hong cha young") when that character is in it.

The title index (:mod:`bot.matching.index`) knows names, not casts; this module asks it first
and, only when it names no drama, asks again without the last words if they are exactly some
actor's name (an accepted spelling: "byeon woo seok", "김수현").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from bot.answering.chat_questions import titled_in_chat, titled_in_glued_chat
from bot.answering.lead_actors import dramas_with
from bot.answering.leads import drama_of_a_part
from bot.answering.likeness import after_a_like
from bot.answering.loose_titles import (
    MAX_CUTS,
    before_a_wish,
    joined_titles,
    listed_titles,
    respelled,
    romanized,
    said_again,
    titles_side_by_side,
    words_in_any_order,
)
from bot.answering.misspelt_runs import misspelt_run
from bot.answering.mixed_titles import title_in_two_scripts
from bot.answering.particles import without_particle
from bot.answering.role_hint import MIN_LETTERS, roles_named, roles_spelt_in
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution
from bot.matching.query import (
    links_apart,
    title_in_link,
    title_in_page_title,
    without_terminal_codes,
)

# An actor's name is at most this many words ("ji chang wook", "lee jung jae").
_NAME_WORDS = 4
# Words between a title and an actor's name after it: "anna with suzy".
_WITH = frozenset("with w starring ft feat featuring".split())


def resolve_title(
    catalog: Catalog, query: str, *, respell: bool = True, resolved: Resolution | None = None
) -> Resolution:
    """The title index's resolution of ``query``, or, when that is no answer, the drama the
    query names with an actor's name after the title: answered when the actor plays in it
    (or in a season of it) and in no other drama the title part may mean; otherwise a
    did-you-mean of what the title part names ("queen of tears hyun bin": Hyun Bin is not
    in its cast, so Queen of Tears is only offered). A pasted link is the title its address
    names ("https://mydramalist.com/25172-vincenzo"); last, the words of one drama in another
    order, or another romanization of a name offered (:mod:`bot.answering.loose_titles`);
    ``respell``: also ask the index again with the name respelled when nothing was found (a
    few more look-ups: not for autocomplete, which runs on every keystroke); ``resolved``:
    ``catalog.titles.resolve(query)`` when the caller has it (a query with no link in it)."""
    linked = title_in_link(query)
    if linked is not None:
        found = resolve_title(catalog, linked, respell=respell) if linked else Resolution(Kind.NONE)
        return replace(found, query=clean_query(query))
    words, links = links_apart(query)
    if links and words:
        # "squid game https://www.netflix.com/title/81040344": the title is the words; a link
        # that names a title is asked when they name none.
        found = resolve_title(catalog, words, respell=respell)
        for link in links:
            if found.kind is not Kind.NONE:
                break
            if named := title_in_link(link):
                found = resolve_title(catalog, named, respell=respell)
        return replace(found, query=clean_query(query))
    resolution = resolved or catalog.titles.resolve(query)
    if resolution.kind is not Kind.MATCH and (tab := title_in_page_title(query)):
        # "Vincenzo (2021) - MyDramaList": a browser tab's title, pasted whole.
        in_tab = resolve_title(catalog, tab, respell=respell)
        if in_tab.kind is Kind.MATCH or resolution.kind is Kind.NONE:
            return replace(in_tab, query=resolution.query)
    if resolution.kind is Kind.MATCH:
        # "w, voice 4", "d.p., itaewon class": titles listed with commas, each naming a drama,
        # are all offered, though the index named one (the last) confidently.
        listed = listed_titles(catalog, query, resolution)
        return listed or titles_side_by_side(catalog, query, resolution) or resolution
    if (
        resolution.kind is Kind.CANDIDATES
        and len(resolution.ids) == 1
        and (side := titles_side_by_side(catalog, query, resolution)) is not None
    ):
        return side  # "boyhood yumi's cells 2": one season offered, a word more its names lack
    if (bare := without_particle(query)) and catalog.titles.named_exactly(bare):
        # "도깨비가", "안나는": a Korean particle after a drama's Hangul name
        return replace(catalog.titles.resolve(bare), query=resolution.query)
    words = query.split()
    for size in range(min(_NAME_WORDS, len(words) - 1), 0, -1):
        people = catalog.actor_names.named_exactly(" ".join(words[-size:]))
        if not people:
            continue
        rest = words[:-size]
        if len(rest) > 1 and rest[-1].lower() in _WITH:
            rest = rest[:-1]  # "anna with suzy", "the glory starring song hye kyo"
        title = catalog.titles.resolve(" ".join(rest))
        if title.kind is Kind.NONE:
            continue
        played = {c.slug for p in people if (a := catalog.actors.get(p)) for c in a.credits}
        fitting = tuple(i for i in title.ids if in_cast(catalog, i, played))
        if len(fitting) == 1:
            return Resolution(Kind.MATCH, fitting, resolution.query)
        # Not in its cast (as far as its card says), or in several: the title is offered.
        return Resolution(Kind.CANDIDATES, fitting or title.ids, resolution.query, hedged=True)
    if resolution.kind is Kind.NONE and (played := _with_a_role(catalog, words)) is not None:
        return replace(played, query=resolution.query)  # "kim shin goblin"
    if resolution.kind is Kind.NONE and (once := said_again(catalog, query)) is not None:
        return replace(once, query=resolution.query)  # "vincenzo vincenzo vincenzo"
    if resolution.kind is Kind.NONE and (wished := before_a_wish(catalog, query)) is not None:
        return replace(wished, query=resolution.query)  # "like the glory but less dark"
    if resolution.kind is Kind.NONE and (liked := after_a_like(catalog, query)) is not None:
        return replace(liked, query=resolution.query)  # "something healing like navillera"
    if resolution.kind is Kind.NONE and (role := _a_role_in(catalog, query)) is not None:
        return replace(role, query=resolution.query)  # "who played baek yi jin in 2521"
    if resolution.kind is Kind.NONE and (asked := _who_in_a_title(catalog, query)) is not None:
        return replace(asked, query=resolution.query)  # "is park bo gum in reply 1988"
    if resolution.kind is Kind.NONE and (both := joined_titles(catalog, query)) is not None:
        return replace(both, query=resolution.query)  # "tunnel and signal", "goblin, w and signal"
    if resolution.kind is Kind.NONE:
        # "goblin guardian lonely": the words of one drama's names in another order; "my
        # ajeossi", "moobing": one drama's name in another romanization.
        found = title_in_two_scripts(catalog, query)  # "the 글로리"
        if found is None:
            found = words_in_any_order(catalog, query)
        if found is None:
            found = misspelt_run(catalog, query)  # "camelia blooms"
        if found is None:
            found = dramas_with(catalog, query)  # "the one with hyun bin and son ye jin"
        if found is None and respell:
            found = respelled(catalog, query)
        if found is None and respell:
            found = titled_in_chat(catalog, query)  # "any legal site to watch healer"
        if found is None and respell:
            found = titled_in_glued_chat(catalog, query)  # "whereismymister"
        if found is None:
            found = joined_titles(catalog, query, partly=True)  # "squid game and narnia"
        return replace(found, query=resolution.query) if found else resolution
    if (both := joined_titles(catalog, query)) is not None:
        # "loved the glory and the world of the married": the index offered one of them (the
        # longer name's tail), each side names one drama surely.
        return replace(both, query=resolution.query)
    chatted = titled_in_chat(catalog, query) if respell else None
    if chatted is not None and chatted.ids[0] in resolution.ids:
        # "is crash landing on you still on netflix??": a title typed exactly among chat
        # words, one of the dramas the index offered
        return replace(chatted, query=resolution.query)
    mixed = title_in_two_scripts(catalog, query)
    if mixed is not None and mixed.kind is Kind.MATCH and mixed.ids[0] in resolution.ids:
        return replace(mixed, query=resolution.query)  # "더 glory": one drama, in two scripts
    # "naui ajusshi": the one drama offered, in another romanization of its name.
    return romanized(catalog, query, resolution) or resolution


def _with_a_role(catalog: Catalog, words: list[str]) -> Resolution | None:
    """ "kim shin goblin", "vincenzo hong cha young": a character's name before or after a
    title, when the title names that character's drama, is that drama. The role is looked up
    first (a bisection in the role index), the title only for a role found. A role of another
    drama beside a title makes the title a did-you-mean ("kim shin vincenzo")."""
    offered = None
    for size in range(min(_NAME_WORDS, len(words) - 1), 0, -1):
        for role, rest in (
            (words[:size], words[size:]),  # the character first
            (words[-size:], words[:-size]),  # the title first
        ):
            dramas = {slug for slug, _, _ in roles_named(catalog, " ".join(role))}
            if not dramas:
                continue
            title = catalog.titles.resolve(" ".join(rest))
            if title.kind is Kind.MATCH and title.ids[0] in dramas:
                return title
            if title.kind is Kind.MATCH and offered is None:
                offered = Resolution(Kind.CANDIDATES, title.ids, title.query, hedged=True)
    return offered


# Words between a character's name and its drama's title: "kim shin in goblin", "the front
# man from squid game".
_ROLE_IN = frozenset(("in", "from"))

# How a question about who plays a character starts: "who played baek yi jin in 2521".
_WHO_PLAYS = re.compile(
    r"^(?:who\s+(?:is\s+playing|plays|played|is|was|acts\s+as|acted\s+as)|whos"
    r"|the\s+actor\s+(?:who\s+plays|who\s+played|of)|actor\s+of|actress\s+of"
    # fan pass 11: "the guy who plays the grim reaper in goblin"
    r"|(?:the\s+)?(?:guy|girl|man|woman|actress|person|one)\s+(?:who|that)\s+"
    r"(?:plays|played|is\s+playing))\s+(?:the\s+)?"
)


def role_asked(query: str) -> str:
    """ "who played ri jeong hyeok" -> ``"ri jeong hyeok"`` (folded): the words after a
    question about who plays a character; the query folded when it asks none."""
    return _WHO_PLAYS.sub("", fold(clean_query(query)))


def _roles_in_titles(
    catalog: Catalog, query: str
) -> Iterator[tuple[tuple[tuple[str, str, str], ...], Resolution]]:
    """ "who played baek yi jin in 2521": for each "in" or "from" (from the last, at most
    ``MAX_CUTS``; with neither, each place a name may end) with a character's name before
    it, (the roles that name fits, as :func:`~bot.answering.role_hint.roles_named` gives
    them, and what the words after it name). The role is looked up first, the title only for
    a role found."""
    words = role_asked(query).split()
    ins = [at for at in range(len(words) - 2, 0, -1) if words[at] in _ROLE_IN]
    # With no "in": the character's name first, the title after it ("the front man squid
    # game"), a name of up to ``_NAME_WORDS`` words.
    cuts = [(at, at + 1) for at in ins[:MAX_CUTS]] or [
        (at, at) for at in range(1, min(_NAME_WORDS + 1, len(words)))
    ]
    for role_end, title_start in cuts:  # (a few look-ups, however many times "in" is typed)
        role = " ".join(words[:role_end])
        if roles := roles_named(catalog, role):
            title = catalog.titles.resolve(" ".join(words[title_start:]))
            if ins or title.kind is Kind.MATCH:  # (with no "in", only a title named surely)
                yield roles, title
        elif len(role.replace(" ", "")) < MIN_LETTERS:
            # "yi san red sleeve": a name too short to look up among every role, spelt
            # exactly in the cast of the drama the title names exactly (fan pass 17; a
            # dictionary look-up, not a search: this runs after every miss).
            named = catalog.titles.named_exactly(" ".join(words[title_start:]))
            if len(named) == 1 and (roles := roles_spelt_in(catalog, named[0], role)):
                yield roles, Resolution(Kind.MATCH, named, " ".join(words[title_start:]))


def player_of_a_role_in(catalog: Catalog, query: str) -> str | None:
    """ "/actor who plays kim shin in goblin": the actor (their id in the actor index) who
    plays the character named before "in" in the drama named after it (any season of it),
    when exactly one does; None otherwise (another drama's character, no such role)."""
    titles = catalog.titles
    for roles, title in _roles_in_titles(catalog, query):
        if title.kind is not Kind.MATCH:
            continue
        first = titles.first_season(title.ids[0])
        players = {
            id_
            for slug, _, actor in roles
            if titles.first_season(slug) == first
            for id_ in catalog.actor_names.named_exactly(actor)
        }
        if len(players) == 1:
            return players.pop()
    return None


def _a_role_in(catalog: Catalog, query: str) -> Resolution | None:
    """ "who played baek yi jin in 2521": a character's name, "in", and a title that names
    the character's drama (any season of it) is that drama; a title naming another drama is
    only offered. None when no character is named."""
    titles = catalog.titles
    for roles, title in _roles_in_titles(catalog, query):
        dramas = {titles.first_season(slug) for slug, _, _ in roles}
        if title.kind is Kind.MATCH and titles.first_season(title.ids[0]) in dramas:
            return title
        if title.kind is not Kind.NONE:
            return Resolution(Kind.CANDIDATES, title.ids, title.query, hedged=True)
    return None


# Words a yes-or-no question about an actor starts with: "is park bo gum in reply 1988".
_IS = frozenset(("is", "was", "isnt", "wasnt"))


def _who_in_a_title(catalog: Catalog, query: str) -> Resolution | None:
    """ "is park bo gum in reply 1988", "who is death in death's game" (fan pass 15): a
    question about who is in a drama named exactly after its last "in" is about that drama.
    An actor's name before "in" answers it when the actor plays in it, and only offers it
    when not (as an actor's name after a title does); after "who is" (or such) a role its
    card names so answers it, other words only offer it ("who is the villain in the glory":
    a part its card does not name may be another drama's, as in round 12); anything else
    names nothing. Two look-ups and one card's cast at most."""
    asked_who = role_asked(query) != fold(clean_query(query))
    words = role_asked(query).split()
    at = next((n for n in range(len(words) - 2, 0, -1) if words[n] == "in"), None)
    if at is None:
        return None
    titles = catalog.titles
    named = titles.named_exactly(" ".join(words[at + 1 :]))
    if len({titles.first_season(i) for i in named}) != 1:
        return None
    before = words[1:at] if words[0] in _IS else words[:at]
    people = catalog.actor_names.named_exactly(" ".join(before)) if before else ()
    if len(people) == 1 and (actor := catalog.actors.get(people[0])) is not None:
        if in_cast(catalog, named[0], {c.slug for c in actor.credits}):
            return Resolution(Kind.MATCH, named[:1], query)
        return Resolution(Kind.CANDIDATES, named[:1], query, hedged=True)
    if not asked_who or drama_of_a_part(catalog, query) is not None:
        return None  # (a lead, a part every drama has: "who is the male lead in healer")
    card = catalog.cards.get(named[0])
    role = " ".join(before)
    if card is not None and any(fold(m.role or "") == role for m in card.cast):
        return Resolution(Kind.MATCH, named[:1], query)
    return Resolution(Kind.CANDIDATES, named[:1], query, hedged=True)


def in_cast(catalog: Catalog, slug: str, played: set[str]) -> bool:
    """Whether the drama ``slug`` (any season of it) has one of the ``played`` credits."""
    titles = catalog.titles
    return slug in played or any(s in played for s in titles.seasons_of(titles.first_season(slug)))


def title_choices(catalog: Catalog, typed: str, limit: int = 25) -> list[str]:
    """Autocomplete for a title option: the title index's suggestions, led by the drama the
    command would answer when the words after the title name one of its actors, so the first
    choice is what submitting the text answers ("queen of tears kim soo hyun")."""
    typed = without_terminal_codes(typed)  # (as the answer reads it: "vincenzo\x1b[31m")
    linked = title_in_link(typed)
    if linked:
        return title_choices(catalog, linked, limit)
    several = len(typed.split()) >= 2
    # The index's own answer to the text, asked once: both the suggestions (when no name
    # starts with the text) and the title-and-actor rule below start from it. (A text with
    # a link in it is read by resolve_title first: asked there.)
    resolved = (
        catalog.titles.resolve(typed)
        if several and linked is None and not links_apart(typed)[1]
        else None
    )
    suggested = catalog.titles.suggest(typed, limit, resolved=resolved)
    if not suggested and (respelt := respelled(catalog, typed)) is not None:
        # "moobing", "my ajeossi": nothing is spelt so, but one drama's name sounds so (what
        # submitting the text answers).
        return list(respelt.ids)
    if not several:
        return suggested
    answered = resolve_title(catalog, typed, respell=False, resolved=resolved)
    if answered.kind is not Kind.MATCH or suggested[:1] == list(answered.ids):
        return suggested
    return list(dict.fromkeys((*answered.ids, *suggested)))[:limit]
