"""Resolving a query against a :class:`~bot.matching.index.NameIndex`: the exact, partial and
fuzzy steps, the thresholds they use, and autocomplete suggestions."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.matching.common_words import is_everyday
from bot.matching.folding import clean_query, compact, fold, jamo
from bot.matching.outlets import same_outlet
from bot.matching.people import family_last, hangul_slip, same_shape, spelling_key, typo_of
from bot.matching.query import (
    SERVICES,
    TitleQuery,
    bare_number_word,
    only_a_marker,
    parse_title_query,
    strip_mentions,
)
from bot.matching.resolution import Kind, Resolution
from bot.matching.sequels import SEQUEL_NUMBER
from bot.matching.typed_names import (
    RESPELLINGS,
    STOPWORDS,
    a_word_more,
    abbreviates,
    another_word,
    are_slips,
    bared,
    distinctive,
    full_year,
    has_little_words,
    is_slip,
    one_common_word,
    one_plural_apart,
    respelled,
    same_digits,
    unlittle,
    word_for_word,
    years_spelt_out,
)

if TYPE_CHECKING:
    from bot.matching.index import _Name

MAX_CANDIDATES = 5
MAX_EXACT_TIES = 10
AUTOCOMPLETE_LIMIT = 25
# Autocomplete looks at no more than this many sorted keys per list: bounded work per keystroke.
SUGGEST_SCAN_LIMIT = 400
# Near-spelling suggestions score at most this many keys sharing the query's first letter.
NEAR_SCAN_LIMIT = 1500
NEAR_PREFIX_SIMILARITY = 0.6
# ...and this close when the text, submitted, would name nothing ("sarangui" shares letters
# with many titles but names none): two slips in eight letters.
NEAR_PREFIX_SIMILARITY_UNANSWERED = 0.75
# Partial matches look at no more than this many names sharing the query's prefix or words:
# past that, the query is ambiguous and only the best-covered few are offered.
PARTIAL_SCAN_LIMIT = 400
# Fuzzy scoring sees only the names sharing the most letter pairs with the query, this many.
FUZZY_POOL = 150

# A fuzzy match is confident at this similarity (0-100) or better, with a clear lead...
CONFIDENT_SCORE = 85.0
# ...of at least this many points over the next-best id.
CONFIDENT_LEAD = 8.0
# Long names (8+ letters) allow two slips when no other name comes within 20 points.
LONG_TYPO_SCORE = 77.0
LONG_TYPO_LEAD = 20.0
# Words in another order count only when the order is what differs: reordered, this many
# points closer than as typed.
REORDER_GAIN = 5.0
# ...and never more than this: a "did you mean", not a rival to a near spelling in order.
REORDER_CAP = 80.0
# Two typing slips (see are_slips) in a title this long are as good as one.
TWO_SLIPS_LENGTH = 8
# A person's name of several words typed as one this short is at most a "did you mean".
RUN_TOGETHER_LENGTH = 6
# Below this similarity a name is not offered even as a "did you mean".
CANDIDATE_SCORE = 72.0
# Candidates must be within this many points of the best one.
CANDIDATE_SPREAD = 12.0

_LEADING_YEAR = re.compile(
    r"^(?:the\s+)?[(\[]?(?P<year>(?:19|20)\d\d)[)\]]?[\s,]+(?P<rest>\S.*)$", re.IGNORECASE
)
# "… the netflix one", "… the 2016 version": which one, said after the title (fan pass 17).
_THE_ONE = re.compile(
    r"^(?P<rest>\S.*?)[\s,]+the\s+(?P<which>\S+(?:\s\S+)?)\s+(?:one|version|ver)\s*$",
    re.IGNORECASE,
)
_YEAR_ONLY = re.compile(r"(?:19|20)\d\d")
# Two seasons compared or weighed: "hellbound 2 vs 1", "sweet home season 1 or season 2",
# "kingdom s1 vs s2 which is better" (fan pass 19): both offered, neither answered.
_SEASONS_WEIGHED = re.compile(
    r"^(?P<rest>\S.*?)\s+(?:season\s*|s)?(?P<one>\d{1,2})\s*(?:vs\.?|versus|or|and|/|&)\s*"
    r"(?:season\s*|s)?(?P<two>\d{1,2})(?:\s.*)?$",
    re.IGNORECASE,
)
# A Markdown list item's number before a title: "1. the heirs", "2) goblin" (fan pass 19).
_LIST_ITEM = re.compile(r"^\d{1,2}[.)]\s+(?P<rest>\S.*)$")
# "squid game final season", "the last season of sweet home", "오징어 게임 마지막 시즌"; and
# (fan pass 17) "romantic doctor teacher kim new season", "the latest season of sweet home":
# which season is newest (or next) the cards do not say either.
_LAST = r"(?:final|last|latest|newest|new|next|(?:most\s+)?recent|current)"
_ENDED = re.compile(r"\b(?:final|last)\b|마지막|파이널", re.IGNORECASE)
_FINAL_SEASON = re.compile(
    rf"^(?:(?:the\s+)?{_LAST}\s+season\s+of\s+(?P<after>\S.*?)"
    rf"|(?P<before>\S.*?)[\s,]+(?:the\s+)?(?:{_LAST}\s+season|(?:마지막|파이널)\s*시즌))\s*$",
    re.IGNORECASE,
)
_YEAR_SUFFIX = re.compile(r"^(?P<rest>.*?)[\s(\[,]*(?P<year>(?:19|20)\d\d|['’]\d\d)[)\]]?\s*$")


class Resolving:
    """The query side of :class:`bot.matching.index.NameIndex`: resolving, autocomplete and
    the seasons of a series (its data and its build are in ``index.py``)."""

    __slots__ = ()

    def named_exactly(self, query: str) -> tuple[str, ...]:
        """The ids with this exact name, or (people) an accepted spelling of it ("Hyun Bin",
        "hyunbin", "Kim Soo-hyun"): dictionary look-ups only, no near spellings."""
        folded = fold(clean_query(strip_mentions(query)))
        if ids := self._exact_ids(folded.replace(" ", "")):
            return ids
        return self._spellings.get(spelling_key(folded), ()) if self.people else ()

    def ids_with_words(
        self, words: Iterable[str], limit: int = PARTIAL_SCAN_LIMIT
    ) -> tuple[str, ...]:
        """The ids whose names, taken together, hold every one of ``words`` (whole folded
        words, in any order and spread over several names: "goblin guardian lonely" is
        Goblin, an alias, and Guardian: The Lonely and Great God). A word held by more than
        ``limit`` names says too little: then nothing is found (bounded work per query). In
        display order."""
        found: set[str] | None = None
        for word in dict.fromkeys(words):
            positions = self._words.postings(word)
            if not len(positions) or len(positions) > limit:
                return ()
            ids = set(map(self._names.ids.__getitem__, positions.tolist()))
            found = ids if found is None else found & ids
            if not found:
                return ()
        return self._ordered(found or ())

    def names_holding(self, word: str) -> int:
        """How many names hold ``word`` (a whole folded word)."""
        return len(self._words.postings(word))

    def names_with_words(
        self, words: Iterable[str], limit: int = PARTIAL_SCAN_LIMIT
    ) -> list[tuple[str, str]]:
        """(id, folded name) of each name holding every one of ``words`` (whole folded words);
        none when a word is on more than ``limit`` names (bounded work per query)."""
        held: set[int] | None = None
        for word in dict.fromkeys(words):
            positions = self._words.postings(word)
            if not len(positions) or len(positions) > limit:
                return []
            held = set(positions.tolist()) if held is None else held & set(positions.tolist())
            if not held:
                return []
        ids, foldeds = self._names.ids, self._names.folded
        return [(ids[at], foldeds[at]) for at in sorted(held or ())]

    def resolve(self, query: str) -> Resolution:
        """Resolve a user's query to one id, a few candidates, or nothing."""
        shown = clean_query(query)
        text = clean_query(strip_mentions(query))
        if text != shown and compact(shown) in self._exact:
            text = shown  # a name that holds an "@": "@here Kim" is someone's name
        result = self._resolve_person(text) if self.people else self._resolve_title(text)
        return replace(result, query=shown)

    def _resolve_title(self, text: str) -> Resolution:
        # A real title is found whole first, whatever words it holds ("Reply 1988").
        if (exact := self._exact_hit(text, text)) is not None:
            return exact
        if final := _FINAL_SEASON.match(text):
            ended = bool(_ENDED.search(text))  # "final", "last" (not "new", "latest")
            return self._final_season(final["after"] or final["before"], text, ended)
        if leading := _LEADING_YEAR.match(text):
            # "2016 goblin", "(2020) run on", "the 2019 crash landing on you": the year read
            # as if it came last.
            moved = self._resolve_title(f"{leading['rest']} ({leading['year']})")
            return replace(moved, query=text)
        if (weighed := _SEASONS_WEIGHED.match(text)) and weighed["one"] != weighed["two"]:
            return self._seasons_weighed(weighed["rest"], weighed["one"], weighed["two"], text)
        if item := _LIST_ITEM.match(text):
            return replace(self._resolve_title(item["rest"]), query=text)
        if (one := _THE_ONE.match(text)) and (
            fold(one["which"]) in SERVICES or _YEAR_ONLY.fullmatch(one["which"])
        ):
            # "crash landing on you the netflix one", "signal the 2016 version" (fan pass 17):
            # the service or year asked with the title, as if typed after it.
            moved = self._resolve_title(f"{one['rest']} {one['which']}")
            return replace(moved, query=text)
        parsed = parse_title_query(text, self._noise)
        return self._on_outlet(self._resolve_parsed(text, parsed), parsed)

    def _seasons_weighed(self, title: str, one: str, two: str, text: str) -> Resolution:
        """ "hellbound 2 vs 1": the seasons we hold of the two named, offered in order."""
        ids = [
            found.ids[0]
            for number in sorted((one, two), key=int)
            if (found := self._resolve_title(f"{title} {number}")).kind is Kind.MATCH
        ]
        if not ids:
            return self._resolve_title(title)
        return Resolution(Kind.CANDIDATES, tuple(dict.fromkeys(ids)), text, hedged=True)

    def _final_season(self, title: str, text: str, ended: bool = True) -> Resolution:
        """ "squid game final season": cards say which season each card is, not whether the
        drama has ended, so the last season we have may not be its final one: a "did you mean"
        listing every season we have, in order, for the asker to pick. Not ``ended`` ("new
        season", "latest season", fan pass 17): a drama we have in one season is that season
        (it is all we have), a drama in several still a "did you mean"."""
        named = self._resolve_title(title)
        if named.kind is Kind.NONE:
            return Resolution(Kind.NONE, (), text)
        firsts = list(dict.fromkeys(self.first_season(i) for i in named.ids))
        if named.kind is not Kind.MATCH and len(firsts) != 1:
            return replace(named, query=text, hedged=True)
        seasons = tuple(self._all_seasons(named.ids[0]))[-MAX_CANDIDATES:]
        if not ended and len(seasons) == 1 and named.kind is Kind.MATCH:
            return replace(named, query=text)
        return Resolution(Kind.CANDIDATES, seasons, text, hedged=True)

    def _on_outlet(self, result: Resolution, parsed: TitleQuery) -> Resolution:
        """A confident answer to a query naming a network or service is kept when the drama
        aired or streams there (or its card does not say where); otherwise the season that did
        ("voice tvn" is Voice 4; not when a season or year was asked for: "voice 2 tvn" is a
        "did you mean"), or a "did you mean": "black knight netflix" is not the 2017 KBS2
        drama."""
        named = parsed.outlets
        if not named or result.kind is not Kind.MATCH:
            return result
        id_ = result.ids[0]
        if self._on_any(id_, named) is not False:
            return result
        family = self._all_seasons(id_)
        there = [i for i in family if self._on_any(i, named)]
        if parsed.season is not None or parsed.year is not None or id_ != family[0]:
            # (also a later season named by its own name: "the uncanny counter 2: counter
            # punch ocn" is a "did you mean", not season 1, which aired on OCN: fan pass 17)
            there = [id_, *there]
        elif len(there) == 1:
            return replace(result, ids=(there[0],))
        return Resolution(Kind.CANDIDATES, tuple(there or family)[:MAX_CANDIDATES], result.query)

    def _on_any(self, id_: str, named: tuple[str, ...]) -> bool | None:
        """Whether ``id_`` aired or streams on one of the outlets ``named``; None when its card
        does not say where."""
        outlets = self._outlets.get(id_)
        if outlets is None:
            return None
        return any(same_outlet(n, outlets) for n in named)

    def _resolve_parsed(self, text: str, parsed: TitleQuery) -> Resolution:
        for shorter in (*parsed.steps, parsed.plain, *_on_kept(parsed, text)):
            if (exact := self._exact_hit(shorter, text)) is not None:
                return exact  # "reply 1988 on netflix", "show window netflix", "run on netflix"
        if parsed.season is not None and only_a_marker(parsed.core):
            return Resolution(Kind.NONE, (), text)  # "part 2", "season 2": no title named
        if parsed.season is not None and (seasonal := self._seasonal(parsed, text)):
            # "hospital playlist 2", "비밀의 숲 시즌2"
            aired = seasonal.kind is Kind.MATCH and self.years.get(seasonal.ids[0]) == parsed.year
            return self._year_kept(seasonal, parsed.year, text, aired)
        if parsed.year is not None:
            dated = self._dated(parsed.core, parsed.year, text)
            if dated is not None:
                return dated  # "My Name (Netflix, 2021)"
        if parsed.season is None and (worded := self._worded_season(parsed.core, text)):
            return worded  # "hellbound two": a season we hold, after its drama's whole name
        result, dated_ok = self._with_year(text)
        if result.kind is not Kind.MATCH and parsed.core != fold(text):
            # "sweet home netflix", "is navillera good?": the title without the words around it.
            retry, retry_dated = self._with_year(parsed.core)
            if retry.kind is Kind.MATCH or result.kind is Kind.NONE:
                result, dated_ok = replace(retry, query=text), retry_dated
        if result.kind is Kind.MATCH and (other := RESPELLINGS.get(parsed.core)):
            # "mister" alone is My Mister's word, and "mr" Mr. Queen's and Mr. Sunshine's: the
            # same word either way, so it offers all of them.
            ids = dict.fromkeys((*result.ids, *self._resolve(other).ids))
            result = Resolution(Kind.CANDIDATES, tuple(ids)[:MAX_CANDIDATES], text, hedged=True)
        if result.kind is not Kind.MATCH:
            # "mister sunshine", "its ok to not be ok": a title word written the other way,
            # when that makes a whole name exactly; "vincenzo 빈센조": a title in two scripts.
            respelt = respelled(parsed.core)
            ids = self._exact_ids(compact(respelt)) if respelt else ()
            # "reply 88": a year's last two digits, when that makes a whole name exactly.
            dated = tuple(
                dict.fromkeys(
                    i
                    for form in years_spelt_out(parsed.core)
                    for i in self._exact_ids(compact(form))
                )
            )
            # "the tunnel": a title without "the" ("Tunnel"), typed exactly.
            unthe = self._exact_ids(compact(parsed.core[4:])) if parsed.core[:4] == "the " else ()
            # "man from the star", "shop for killer": one word's plural "s" apart from a whole
            # name exactly.
            plural = tuple(
                dict.fromkeys(
                    i
                    for form in one_plural_apart(parsed.core)
                    for i in self._exact_ids(compact(form))
                )
            )
            for retry in (
                Resolution(Kind.MATCH if len(ids) == 1 else Kind.CANDIDATES, ids, text),
                Resolution(Kind.MATCH if len(unthe) == 1 else Kind.CANDIDATES, unthe, text),
                Resolution(Kind.MATCH if len(dated) == 1 else Kind.CANDIDATES, dated, text),
                Resolution(Kind.MATCH if len(plural) == 1 else Kind.CANDIDATES, plural, text),
                self._in_two_scripts(parsed.core, parsed.season),
            ):
                if retry is None or not retry.ids:
                    continue
                if retry.kind is Kind.MATCH or result.kind is Kind.NONE:
                    result = replace(retry, ids=retry.ids[:MAX_EXACT_TIES], query=text)
                if result.kind is Kind.MATCH:
                    break
        result = self._subtitled(parsed.core, self._one_series(result))
        return self._year_kept(result, parsed.year, text, dated_ok)

    def _subtitled(self, core: str, result: Resolution) -> Resolution:
        """A drama's name followed by the end of one season's name is that season: "The
        Uncanny Counter Punch" is The Uncanny Counter 2: Counter Punch, not season 1."""
        if result.kind is Kind.NONE or (id_ := result.ids[0]) not in self._series:
            return result
        first = self.first_season(id_)
        if any(self.first_season(i) != first for i in result.ids):
            return result
        if (id_ != first and len(result.ids) == 1) or result.missing_season is not None:
            # a later season named already, or one we lack ("펜트하우스 penthouse 2", "…
            # penthouse 5": fan pass 16)
            return result
        seasons = self._seasons.get(first, {})
        words = core.split()
        for cut in range(len(words) - 1, 0, -1):
            named = self._exact_ids(compact(" ".join(words[:cut])))
            if not any(i in seasons.values() for i in named):
                continue
            tail = " " + " ".join(words[cut:])
            fits = [i for i in seasons.values() if f" {self._primary.get(i, '')}".endswith(tail)]
            if len(fits) == 1:
                return Resolution(Kind.MATCH, (fits[0],), result.query)
            break
        return result

    def _year_kept(
        self, result: Resolution, year: int | None, text: str, checked: bool
    ) -> Resolution:
        """A confident answer to a query that ends in a year ``checked`` against no card of that
        name is at most a "did you mean": "Black Knight 2023" is not the 2017 drama,
        "Hometown (2021)" not Hometown Cha-Cha-Cha. A year that is part of the title is no
        year ("rely 1988")."""
        if year is None or checked or result.kind is not Kind.MATCH:
            return result
        id_ = result.ids[0]
        if str(year) in self._primary.get(id_, ""):
            return result
        family = tuple(self._all_seasons(id_))[:MAX_EXACT_TIES]
        aired = any(self.years.get(i) == year for i in family)
        return Resolution(Kind.CANDIDATES, family, text, missing_year=None if aired else year)

    def _in_two_scripts(self, core: str, season: int | None = None) -> Resolution | None:
        """ "vincenzo 빈센조": a title written in Latin letters and in Hangul, both naming the same
        drama, is that drama; anything else is no answer. A run may name a later season of it
        ("펜트하우스 penthouse 2"), or ``season`` (the query's, read apart) one (fan pass 16):
        then that season, or, when we lack it, every season offered."""
        words = core.split()
        hangul = [any("\uac00" <= ch <= "\ud7a3" for ch in w) for w in words]
        for n in range(1, len(words)):
            if words[n].isdigit():
                hangul[n] = hangul[n - 1]  # "펜트하우스 2 penthouse 3": a number goes with its run
        cut = next((n for n in range(1, len(words)) if hangul[n] != hangul[n - 1]), None)
        if cut is None or any(hangul[n] != hangul[cut] for n in range(cut, len(words))):
            return None  # one script, or more than two runs
        first = self._resolve(" ".join(words[:cut]))
        second = self._resolve(" ".join(words[cut:]))
        if first.kind is not Kind.MATCH or second.kind is not Kind.MATCH:
            return Resolution(Kind.NONE, (), core)
        one, two = self.first_season(first.ids[0]), self.first_season(second.ids[0])
        named = {first.ids[0], second.ids[0]} - {one}
        if one != two or len(named) > 1 or (named and season is not None):
            return Resolution(Kind.NONE, (), core)  # two dramas, or two seasons of one
        if season is None:
            return Resolution(Kind.MATCH, (named.pop() if named else one,), core)
        seasons = self._seasons.get(one, {1: one})
        if (id_ := seasons.get(season)) is not None:
            return Resolution(Kind.MATCH, (id_,), core)
        ids = tuple(seasons[n] for n in sorted(seasons))
        return Resolution(Kind.CANDIDATES, ids, core, missing_season=season, hedged=True)

    def _with_year(self, text: str) -> tuple[Resolution, bool]:
        """The query resolved, a trailing year picking among same-named entries; and whether
        that year was checked against the cards (the answer aired then)."""
        result = self._resolve(text)
        if result.kind is not Kind.MATCH and (year_hint := _YEAR_SUFFIX.match(text)):
            # "Hometown 2021", "Run On (2020)": the year picks among same-named entries.
            dated = self._dated(year_hint["rest"], full_year(year_hint["year"]), text)
            if dated is not None:
                return dated, True
        return result, False

    def _dated(self, rest: str, year: int, text: str) -> Resolution | None:
        """The entries named ``rest`` (or another season of them) that aired in ``year``. Only
        a whole name counts, exactly or nearly spelled: "Hometown" names no drama here, even if
        Hometown Cha-Cha-Cha aired in 2021."""
        named = self._named(rest)
        family = [i for id_ in named.ids for i in self._all_seasons(id_)]
        fitting = tuple(dict.fromkeys(i for i in family if self.years.get(i) == year))
        if fitting and named.kind is Kind.CANDIDATES and not self._exact_ids(compact(rest)):
            # "moving on (2023)": the year agrees with Moving, but "moving on" is only near it
            # (fan pass 17): a year picks among what the words name, it does not make a near
            # name that alone is a "did you mean" an answer.
            return Resolution(Kind.CANDIDATES, fitting, text, hedged=True)
        if len(fitting) == 1:
            return Resolution(Kind.MATCH, fitting, text)
        if fitting:
            return Resolution(Kind.CANDIDATES, fitting, text)
        return None

    def _named(self, text: str) -> Resolution:
        """Entries whose whole name this is, exactly or as a near spelling; not the start or a
        part of a longer name."""
        key = compact(text)
        if not key:
            return Resolution(Kind.NONE, (), text)
        if exact := self._exact_ids(key):
            kind = Kind.MATCH if len(exact) == 1 else Kind.CANDIDATES
            return Resolution(kind, tuple(exact[:MAX_EXACT_TIES]), text)
        return self._fuzzy(key, text, whole=True)

    def _exact_ids(self, key: str) -> tuple[str, ...]:
        ids = self._exact.get(key, ())
        return (ids,) if isinstance(ids, str) else ids

    def _exact_hit(self, text: str, query: str) -> Resolution | None:
        key = compact(text)
        ids = self._exact_ids(key)
        if not ids:
            return None
        if len(ids) == 1 and self._everyday_alias(key, ids[0]):
            return Resolution(Kind.CANDIDATES, ids, query, hedged=True)
        kind = Kind.MATCH if len(ids) == 1 else Kind.CANDIDATES
        # Same-named dramas: offer them all (up to a menu's worth), oldest listed by order.
        return self._one_series(Resolution(kind, tuple(ids[:MAX_EXACT_TIES]), query))

    def _everyday_alias(self, key: str, id_: str) -> bool:
        """Whether ``key`` names ``id_`` only through an alias that is one everyday word:
        "monster" (Beyond Evil's Korean title; Monster of 2016 is another drama). Not the
        title itself, nor the title without its article ("glory" for The Glory)."""
        if self.people or not is_everyday(key):
            return False
        title = self._primary.get(id_, "")
        return key not in (title.replace(" ", ""), title.removeprefix("the ").replace(" ", ""))

    def _run_together(self, text: str, key: str, id_: str) -> bool:
        """Whether a short one-word query is a person's name of two or more words written
        without its spaces: "jisoo" is Ji Soo's name run together, and also the one-word stage
        name of another (BLACKPINK's Jisoo); "hyunbin" is long enough to be Hyun Bin."""
        if not self.people or len(key) > RUN_TOGETHER_LENGTH or " " in text.strip():
            return False
        name = fold(self.labels.get(id_, ""))
        return " " in name and name.replace(" ", "") == key

    def seasons_of(self, first: str) -> list[str]:
        """The ids of every season of the drama whose first season is ``first``, in order."""
        return list(self._seasons.get(first, {}).values())

    def first_season(self, id_: str) -> str:
        """The id of the first season of the drama ``id_`` is a season of (``id_`` itself for
        a drama with one season)."""
        return self._series.get(id_, (id_, 1))[0]

    def _all_seasons(self, id_: str) -> list[str]:
        first = self.first_season(id_)
        seasons = self._seasons.get(first)
        return list(seasons.values()) if seasons else [id_]

    def _one_series(self, result: Resolution) -> Resolution:
        """Candidates that are all seasons of one drama are that drama: its first season."""
        if (
            result.kind is Kind.CANDIDATES
            and result.hedged
            and len({self.first_season(i) for i in result.ids}) == 1
        ):
            # "Home Sweet Home": only a "did you mean", but of every season, in order; also
            # when one season came near ("doctor stranger": Stranger 2, and Stranger).
            seasons = tuple(self._all_seasons(result.ids[0]))[:MAX_CANDIDATES]
            return replace(result, ids=seasons)
        if result.kind is Kind.CANDIDATES and len(result.ids) > 1:
            firsts = {self.first_season(i) for i in result.ids}
            if len(firsts) == 1:
                first = firsts.pop()
                chosen = first if first in self._positions else result.ids[0]
                return Resolution(Kind.MATCH, (chosen,), result.query)
        return result

    def _seasonal(self, parsed: TitleQuery, text: str) -> Resolution | None:
        """A query naming a season: that season's entry, or the seasons we have instead."""
        season = parsed.season
        assert season is not None
        named = None
        if parsed.unseasoned != parsed.core and (
            ids := self._exact_ids(compact(parsed.unseasoned))
        ):
            # "Reply 1988 2": the number before the season is the title's, not a year.
            named = Resolution(Kind.MATCH if len(ids) == 1 else Kind.CANDIDATES, ids, text)
        if named is None and parsed.year:
            named = self._dated(parsed.core, parsed.year, text)
        named = named or self._resolve(parsed.core)
        if named.kind is Kind.NONE:
            return None
        firsts = list(dict.fromkeys(self.first_season(i) for i in named.ids))
        if named.kind is Kind.MATCH or len(firsts) == 1:
            seasons = self._seasons.get(firsts[0]) or {self._series_number(firsts[0]): firsts[0]}
            if season in seasons and named.hedged and self._word_more(parsed.core, firsts[0]):
                # "doctor stranger season 2", "sweet home 4 season 2" (fan pass 19): a season
                # of a drama the title part only may mean, a word more than its names hold
                return Resolution(Kind.CANDIDATES, (seasons[season],), text, hedged=True)
            if season in seasons:
                return Resolution(Kind.MATCH, (seasons[season],), text)
            # A later season on a card of its own, not linked as a season: "Taxi Driver 2",
            # also when the name was misspelled ("taxi drievr 2").
            # "part 2" is a part's name ("The Glory Part 2" on The Glory's card), never a
            # season's; "season 2" never a part's.
            words = {"part": ("", "part"), "season": ("", "season")}.get(
                parsed.marker, ("", "season", "part")
            )
            for name in {compact(parsed.core), compact(self._primary.get(firsts[0], ""))} - {""}:
                for spelled in (f"{name}{word}{season}" for word in words):
                    if len(ids := self._exact_ids(spelled)) == 1:
                        return Resolution(Kind.MATCH, tuple(ids), text)
            if parsed.marker == "part" and len(seasons) == 1:
                # "the glory part 3", "moving part 2": a drama in one season has parts, not
                # seasons; we do not know that part, so the drama is offered as it is.
                return Resolution(Kind.CANDIDATES, tuple(seasons.values()), text)
            return Resolution(Kind.CANDIDATES, tuple(seasons.values()), text, season)
        having = tuple(s[season] for f in firsts if season in (s := self._seasons.get(f, {})))
        if having:
            return Resolution(Kind.CANDIDATES, having, text)
        return None  # several dramas, none with that season: the query may mean another

    def _worded_season(self, core: str, text: str) -> Resolution | None:
        """ "hellbound two", "sweet home three": a number word after a drama's whole name is
        its season when we hold that season (fan pass 19). A bare number word is no sure
        season otherwise ("kingdom two" when we hold one season stays a near title)."""
        rest, _, last = core.rpartition(" ")
        number = bare_number_word(last)
        if number is None or not rest:
            return None
        firsts = {self.first_season(i) for i in self._exact_ids(compact(rest))}
        if len(firsts) != 1:
            return None
        season = self._seasons.get(firsts.pop(), {}).get(number)
        return None if season is None else Resolution(Kind.MATCH, (season,), text)

    def _word_more(self, core: str, first: str) -> bool:
        """Whether ``core`` holds a word none of the names of the drama ``first`` (any of its
        seasons) holds: "doctor" of "doctor stranger" (Stranger); not "romantic doctor kim"."""
        words = [word for word in core.split() if word not in STOPWORDS]
        held = self.ids_with_words(words) if words else ()
        return not any(self.first_season(i) == first for i in held)

    def _series_number(self, id_: str) -> int:
        """Which season ``id_`` is: declared, or said by its title ("Nun Gang Hotel 2")."""
        if id_ in self._series:
            return self._series[id_][1]
        numbered = SEQUEL_NUMBER.match(self._primary.get(id_, ""))
        return int(numbered["number"]) if numbered else 1

    def _resolve_person(self, text: str) -> Resolution:
        result = self._resolve(text)
        if result.kind is Kind.MATCH:
            return result
        # "Soo-hyun Kim": the family name written last.
        if (turned := family_last(fold(text))) is not None:
            retry = self._resolve(turned)
            if retry.kind is Kind.MATCH or result.kind is Kind.NONE:
                return Resolution(retry.kind, retry.ids, text)
        return result

    def _person_parts(self, folded: str, key: str) -> tuple[Kind, tuple[str, ...]] | None:
        """Another accepted spelling of a whole name, or a given name alone ("Siwan")."""
        found = self._spellings.get(spelling_key(folded))
        if not found and (given := self._given.get(key)):
            # Also a family name or the start of a name ("Wang"): only a "did you mean".
            starting = self._starts.span(key, PARTIAL_SCAN_LIMIT)
            found = (*given, *(i for i in self._starts.ids[starting.start : starting.stop]))
            found = tuple(dict.fromkeys(found))
        if not found:
            return None
        kind = Kind.MATCH if len(found) == 1 else Kind.CANDIDATES
        return kind, self._ordered(found)[:MAX_CANDIDATES]

    def _ordered(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=self._position))

    def _resolve(self, text: str) -> Resolution:
        key = compact(text)
        if not key:
            return Resolution(Kind.NONE, (), text)
        exact = self._exact_ids(key)
        if exact:
            if len(exact) == 1 and (
                self._everyday_alias(key, exact[0]) or self._run_together(text, key, exact[0])
            ):
                return Resolution(Kind.CANDIDATES, exact, text, hedged=True)
            kind = Kind.MATCH if len(exact) == 1 else Kind.CANDIDATES
            return Resolution(kind, tuple(exact[:MAX_EXACT_TIES]), text)
        if self.people and (parts := self._person_parts(fold(text), key)) is not None:
            return Resolution(parts[0], parts[1], text)
        folded = fold(text)
        partial = self._partial(folded, key)
        if partial is not None:
            common = not self.people and one_common_word(folded)
            return Resolution(partial[0], partial[1], text, hedged=common)
        return self._fuzzy(key, text)

    def _partial(self, folded: str, key: str) -> tuple[Kind, tuple[str, ...]] | None:
        """Queries that are the start of a name, or a run of whole words inside one."""
        words = folded.split()
        informative = [w for w in words if w not in STOPWORDS]
        if len(key) < 2 or not informative:
            return None
        prefix_ids: list[str] = []
        prefixed: set[str] = set()  # (the same ids: a set to look in)
        coverage: dict[str, float] = {}
        titled: set[str] = set()  # ids whose display title starts with the query
        # Past PARTIAL_SCAN_LIMIT keys sharing the prefix, the query is ambiguous anyway.
        span = self._starts.span(key, PARTIAL_SCAN_LIMIT)
        # (the keys read as one run: a slice and a split per chunk, not a call per key)
        spanned = self._starts.keys.span(span.start, span.stop)
        for position, spanned_key in zip(span, spanned, strict=True):
            id_ = self._starts.ids[position]
            if self._starts.tiers[position] == 0:
                titled.add(id_)
            share = len(key) / len(spanned_key)
            coverage[id_] = max(coverage.get(id_, 0.0), share)
            if id_ not in prefixed:
                prefixed.add(id_)
                prefix_ids.append(id_)
        # One word that starts a longer word: "flower" is in "Boys Over Flowers" too, and
        # "hom" starts Hometown Cha-Cha-Cha and the "Home" of Sweet Home.
        stem = words[0] if len(words) == 1 and len(key) >= 3 else None
        if stem:
            nearby = self._words.starting_with(stem, SUGGEST_SCAN_LIMIT, PARTIAL_SCAN_LIMIT)
        elif len(key) >= 3:
            nearby = self._words.holding_all(words)
        else:
            nearby = self._words.postings("")
        inner_ids: list[str] = []
        wanted = MAX_CANDIDATES + 1  # enough to rank them, and to tell one from several
        # Ascending positions: the names these words cover best come first.
        inner_seen: set[str] = set()
        # (the names' columns read directly: no name made per position scanned)
        ids, foldeds, compacts = self._names.ids, self._names.folded, self._names.compact
        for position in nearby[:PARTIAL_SCAN_LIMIT].tolist():
            id_, compact = ids[position], compacts[position]
            if compact.startswith(key) or id_ in inner_seen:
                continue  # counted above, or found already through a better-covered name
            if stem or f" {folded} " in f" {foldeds[position]} ":
                inner_seen.add(id_)
                share = len(key) / len(compact)
                coverage[id_] = max(coverage.get(id_, 0.0), share)
                if id_ not in prefixed:
                    inner_ids.append(id_)
                    if len(inner_ids) >= wanted:
                        break
        # One everyday word is no title by itself, only a part of one: "Mother" is not The
        # Good Bad Mother, nor "Big" Big Bet.
        common = not self.people and one_common_word(folded)
        # The start of an alias only, not of the title: another drama's name as often as not
        # ("Scarlet Heart" is the Chinese original of Moon Lovers: Scarlet Heart Ryeo, whose
        # alias is "Scarlet Heart Ryeo"). Hangul starts are native titles: they count.
        titled_start = prefix_ids[:1] and (prefix_ids[0] in titled or not key.isascii())
        if (
            len(prefix_ids) == 1
            and not inner_ids
            and len(key) >= 3
            and not common
            and (titled_start or self.people)
            and self._whole(folded, prefix_ids[0])
        ):
            return Kind.MATCH, (prefix_ids[0],)
        if self.people and titled and key.isascii():
            # "lee don": Lee Dong-hwi and Lee Dong-wook by their names, not Cha Eun Woo by his
            # legal name Lee Dong-min (an alias): other names only when no shown name fits.
            prefix_ids = [i for i in prefix_ids if i in titled]
        if prefix_ids:
            # "doctor" starts "Doctors" but is also a word of "Romantic Doctor Teacher Kim".
            ranked = self._best(prefix_ids, coverage) + self._best(inner_ids, coverage)
            return Kind.CANDIDATES, ranked[:MAX_CANDIDATES]
        if (
            len(inner_ids) == 1
            and not self.people  # a part of a person's name is another person's name too
            and not common
            and (coverage[inner_ids[0]] >= 0.4 or len(informative) >= 2 or distinctive(key))
        ):
            return Kind.MATCH, (inner_ids[0],)
        if inner_ids:
            return Kind.CANDIDATES, self._best(inner_ids, coverage)
        return None

    def _whole(self, folded: str, id_: str) -> bool:
        """Whether a query could name this id as a whole: always for titles; for people,
        only with as many syllables and the same family name ("Song Kang" is not "Song
        Kang-ho")."""
        return not self.people or self._typo_of_person(folded, fold(self.labels.get(id_, "")))

    @staticmethod
    def _typo_of_person(typed: str, name: str) -> bool:
        """A near spelling of a person's name is that person only when it has the same shape
        and differs only by typing slips, not by another syllable."""
        return same_shape(typed, name) and typo_of(typed, name)

    def _fuzzy(self, key: str, text: str, *, whole: bool = False) -> Resolution:
        """Near spellings. ``whole``: of whole names only, not of the start of a longer name
        or of its words in another order."""
        folded = fold(text)
        scores, best_names, asides, slipped = self._scores(key, folded)
        if whole:
            scores = {i: s for i, s in scores.items() if i not in asides}
        if not scores:
            return Resolution(Kind.NONE, (), text)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self._position(item[0])))
        if not self.people and ranked[0][1] < CONFIDENT_SCORE and has_little_words(folded):
            # Nothing near as typed: "Queen of the Tears" (not when "Raain of House" is Rain
            # of House, which "Rain House" would rival without its little word).
            ranked = self._without_little_words(folded, ranked, best_names, asides)
        best_id, best = ranked[0]
        # A near spelling of a whole name is not rivalled by longer names that only start
        # like it ("secert star" is Secret Star, not Secret Star Hotel), nor by names with
        # the same words in another order.
        rivals = [s for i, s in ranked[1:] if best_id in asides or i not in asides]
        runner_up = rivals[0] if rivals else 0.0
        # Another person's name is at most a "did you mean", however close; so is a title with
        # other digits ("reply 1977" is not Reply 1997: digits are no typing slip).
        sure = not self.people or self._typo_of_person(folded, best_names[best_id].folded)
        sure = sure and same_digits(folded, best_names[best_id].folded)
        # Another word in place of one is another title ("descendants of the moon"), also a
        # real word one letter off ("my sister" is not My Mister).
        other = not self.people and (
            not word_for_word(unlittle(folded), unlittle(best_names[best_id].folded))
            or another_word(unlittle(folded), unlittle(best_names[best_id].folded))
        )
        # A whole word more than the name is no slip: "goblin and w" names W too.
        more = not self.people and a_word_more(folded, best_names[best_id].folded)
        sure = sure and not other and not more
        slips = best_id in slipped and not self.people
        if sure and best - runner_up >= CONFIDENT_LEAD and (best >= CONFIDENT_SCORE or slips):
            # A near spelling, or two typing slips in a long title, well ahead of the rest.
            return Resolution(Kind.MATCH, (best_id,), text)
        name = best_names[best_id].compact
        if (
            sure
            and best >= LONG_TYPO_SCORE
            and len(key) >= 8
            and best - runner_up >= LONG_TYPO_LEAD
            and abs(len(name) - len(key)) <= 1
            and name[0] == key[0]
            and word_for_word(folded, best_names[best_id].folded)
        ):
            # Two slips in a long name ("pinnochio"), same length, nothing else anywhere near;
            # not extra words ("my name is" is not "My Name"), nor another word in place of one
            # ("Strong Girl Nam-soon" is not Strong Girl Bong-soon).
            return Resolution(Kind.MATCH, (best_id,), text)
        if not self.people and not whole and not more:
            # "hosp playlist": every word of one title, some cut short, in its order.
            # (the best-scored few: whole words shared put such a name among them)
            leading = ranked[: 2 * MAX_CANDIDATES]
            short = [i for i, _ in leading if abbreviates(folded, best_names[i].folded)]
            if len(short) == 1:
                return Resolution(Kind.MATCH, (short[0],), text)
        floor = max(CANDIDATE_SCORE, best - CANDIDATE_SPREAD)
        close = tuple(i for i, s in ranked if s >= floor)[:MAX_CANDIDATES]
        if self.people and not key.isascii():
            # A Hangul name is offered only for a slip of one letter: 이정은 is not 이지은.
            close = tuple(i for i in close if hangul_slip(folded, best_names[i].folded))
        if close:
            # Words in another order ("Home Sweet Home"): a "did you mean" of every season.
            best_name = best_names[best_id].folded
            # The misspelt start of a longer name, not sure enough to answer ("hellboy" for
            # Hellbound): a "did you mean" too, not one drama because its seasons came up.
            hedged = (
                other
                or more
                or (best_id in asides and best < CONFIDENT_SCORE)
                or (
                    best_id in asides
                    and fuzz.token_sort_ratio(folded, best_name) - fuzz.ratio(folded, best_name)
                    >= REORDER_GAIN
                )
            )
            return Resolution(Kind.CANDIDATES, close, text, hedged=hedged)
        return Resolution(Kind.NONE, (), text)

    def _without_little_words(
        self,
        folded: str,
        ranked: list[tuple[str, float]],
        best_names: dict[str, _Name],
        asides: set[str],
    ) -> list[tuple[str, float]]:
        """The leading names scored again without articles and prepositions: "Queen of the
        Tears" is Queen of Tears, "Descendant of sun" Descendants of the Sun (one slip left)."""
        bare = bared(folded)
        rescored = dict(ranked)
        for id_, score in ranked[:MAX_CANDIDATES]:
            name = bared(best_names[id_].folded)
            if bare == name:
                rescored[id_] = 100.0
            elif len(bare) >= 5 and DamerauLevenshtein.distance(bare, name) == 1:
                if is_slip(bare, name):
                    rescored[id_] = max(score, CONFIDENT_SCORE + 1)
            else:
                continue
            asides.discard(id_)
        return sorted(rescored.items(), key=lambda item: (-item[1], self._position(item[0])))

    def _scores(
        self, key: str, folded: str
    ) -> tuple[dict[str, float], dict[str, _Name], set[str], set[str]]:
        tally = self._grams.first_pass(jamo(key))
        found = self._scores_among(key, folded, self._grams.chosen(tally, FUZZY_POOL))
        if not found[0] or max(found[0].values()) < CANDIDATE_SCORE:
            # Nothing close among the names sharing the query's rarer pairs: a typo may have
            # hit exactly those ("love dcotor"), so count the common pairs too (when the
            # first pass left some out).
            wider = self._grams.second_pass(tally, FUZZY_POOL)
            if wider is not None:
                return self._scores_among(key, folded, wider)
        return found

    def _scores_among(
        self, key: str, folded: str, pool: list[int]
    ) -> tuple[dict[str, float], dict[str, _Name], set[str], set[str]]:
        """Best similarity (0-100) per id over its names, for names that come close at all,
        and which name of each id scored it. Only the names sharing the most letter pairs
        with the query (``pool``) are scored: a few hundred at most, whatever the catalog's
        size."""
        jamo_key = jamo(key)
        scores: dict[str, float] = {}
        best_names: dict[str, _Name] = {}  # id -> the name that scored best
        table = self._names
        keys = self._jamo_keys.taken(pool)

        def name_at(at: int) -> _Name:  # (made for the few names that score, not the pool)
            return table[pool[at]]

        # Ids scored best as the start of a longer name or with words reordered.
        asides: set[str] = set()
        slipped: set[str] = set()  # ids two typing slips away from the query

        def keep(name: _Name, score: float, aside: bool = False) -> None:
            if score > scores.get(name.id, 0.0):
                scores[name.id] = score
                best_names[name.id] = name
                if aside:
                    asides.add(name.id)
                else:
                    asides.discard(name.id)

        # Whole-name spelling: one transposition or slip in a five-letter title still counts.
        for target, _, position in process.extract(
            jamo_key,
            keys,
            scorer=DamerauLevenshtein.normalized_similarity,
            score_cutoff=0.5,
            limit=40,
        ):
            distance = DamerauLevenshtein.distance(jamo_key, target)
            similarity = 100.0 * (1 - distance / max(len(jamo_key), len(target)))
            if distance == 1 and len(key) >= 5 and is_slip(jamo_key, target):
                similarity = max(similarity, CONFIDENT_SCORE + 1)
            elif distance == 2 and len(key) >= TWO_SLIPS_LENGTH and are_slips(key, target):
                slipped.add(table.ids[pool[position]])
            keep(name_at(position), similarity)
        # Words in another order: "landing on you crash" (not names: "Kim Hye Soo" is
        # not "Kim Soo Hye").
        if " " in folded and not self.people:
            for _, score, position in process.extract(
                folded,
                foldeds := table.folded.taken(pool),
                scorer=fuzz.token_sort_ratio,
                score_cutoff=CANDIDATE_SCORE,
                limit=20,
            ):
                # Only where the order is what differs; and other words or the same words
                # in another order make another title ("Blue Love Princess" is not "Blue
                # Princess of Love"): at most a "did you mean".
                if score - fuzz.ratio(folded, foldeds[position]) >= REORDER_GAIN:
                    keep(name_at(position), min(float(score), REORDER_CAP), aside=True)
        # The start of a long name, misspelled: "crash landng"; its start is as long as the
        # query, or a letter longer when a letter was missed ("crsh landing").
        if len(key) >= 6:
            size = len(jamo_key)
            # Only when no whole name came near: the extra lengths cost two more scans.
            near = max(scores.values(), default=0.0) >= CONFIDENT_SCORE
            lengths = (size,) if near or len(key) < TWO_SLIPS_LENGTH else (size, size + 1)
            for length in lengths:
                heads = [k[:length] for k in keys]
                for _, score, position in process.extract(
                    jamo_key,
                    heads,
                    scorer=DamerauLevenshtein.normalized_similarity,
                    score_cutoff=0.85,
                    limit=20,
                ):
                    if len(keys[position]) <= max(length, size):
                        continue  # a whole name, scored above
                    head = 100.0 * score - 4.0
                    start = heads[position]
                    if DamerauLevenshtein.distance(jamo_key, start) > 1 or not is_slip(
                        jamo_key, start
                    ):
                        # "forgotten empire devil" is not the start of "Forgotten Empire of
                        # Village Song": only a slip in the start of a name is sure.
                        head = min(head, CONFIDENT_SCORE - 1)
                    elif length != size:
                        head = max(head, CONFIDENT_SCORE + 1)  # one missed letter
                    keep(name_at(position), head, aside=True)
        return scores, best_names, asides, slipped

    def _best(self, ids: list[str], coverage: dict[str, float]) -> tuple[str, ...]:
        # (the first few of the sorted list: nsmallest sorts only those)
        return tuple(
            heapq.nsmallest(MAX_CANDIDATES, ids, key=lambda i: (-coverage[i], self._position(i)))
        )

    def _position(self, id_: str) -> int:
        return self._positions.get(id_, len(self._positions))

    def suggest(
        self,
        query: str,
        limit: int = AUTOCOMPLETE_LIMIT,
        *,
        resolved: Resolution | None = None,
    ) -> list[str]:
        """Ids for autocomplete, best first: names starting with the query, then names with a
        word starting with it, then (only if still short) near spellings. Never a full scan
        for the common case: prefixes are found by binary search in sorted keys.
        ``resolved``: ``self.resolve(query)`` when the caller has it already (it is not
        worked out twice)."""
        key = compact(clean_query(query))
        if not key:
            return self.order[:limit]
        best: dict[str, int] = {}  # id -> best tier: title, other name, word of title, of other
        for keys in (self._starts, self._word_starts):
            span = keys.span(key, SUGGEST_SCAN_LIMIT)
            # (slices of the columns, not an index per key: a keystroke's 800 keys cost half)
            for id_, tier in zip(
                keys.ids[span.start : span.stop], keys.tiers[span.start : span.stop], strict=True
            ):
                if tier < best.get(id_, 9):
                    best[id_] = tier
        # What submitting the text would answer comes first: a name typed exactly (also
        # initials, "qot"), or, when no name starts with the text, the command's own answer
        # ("crash landng", "soo hyun kim"); near starts of names only when they are close.
        answered = list(self._exact_ids(key))
        if not best and len(key) >= 3:
            answered += (resolved or self.resolve(query)).ids
            cutoff = NEAR_PREFIX_SIMILARITY if answered else NEAR_PREFIX_SIMILARITY_UNANSWERED
            ranked = self._near_prefixes(key, limit, cutoff)
        else:
            # (only the first few can be shown: nsmallest sorts only those; each id's order
            # looked up in the dict directly, as _position does, without a call per id)
            order, unknown = self._positions.get, len(self._positions)
            ranked = heapq.nsmallest(
                limit + len(answered), best, key=lambda i: (best[i], order(i, unknown))
            )
        return list(dict.fromkeys((*answered, *ranked)))[:limit]

    def _near_prefixes(
        self, key: str, limit: int, cutoff: float = NEAR_PREFIX_SIMILARITY
    ) -> list[str]:
        """Ids whose names (or a word in them) start with a near spelling of ``key``.

        Typos rarely hit the first letter, so only keys sharing it are scored: a bounded slice
        of the sorted keys, scored in C, instead of the whole catalog."""
        jamo_key = jamo(key)
        first = key[0]
        heads: list[str] = []
        ids: list[str] = []
        for keys in (self._starts, self._word_starts):
            span = keys.span(first, NEAR_SCAN_LIMIT)
            heads += [form[: len(jamo_key)] for form in keys.jamo.span(span.start, span.stop)]
            ids += keys.ids[span.start : span.stop]
        ranked: list[str] = []
        for _, _, position in process.extract(
            jamo_key,
            heads,
            scorer=DamerauLevenshtein.normalized_similarity,
            score_cutoff=cutoff,
            limit=limit * 3,
        ):
            if ids[position] not in ranked:
                ranked.append(ids[position])
        return ranked


def _on_kept(parsed: TitleQuery, text: str) -> tuple[str, ...]:
    """ "run on netflix", "run on rotten tomatoes": the title's own last word "on", which the
    parser took for the "on" before the service (fan pass 16) or a site (fan pass 18), given
    back: ``("run on",)``; none otherwise."""
    if parsed.season is not None or parsed.year is not None or not parsed.plain:
        return ()
    if parsed.outlets or (" on " in text.lower() and fold(text).startswith(f"{parsed.plain} on ")):
        return (f"{parsed.plain} on",)
    return ()
