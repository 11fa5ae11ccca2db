"""Fuzzy name matching: normalizing text, and the index that resolves a query to one id.

One :class:`NameIndex` type serves every lookup (drama titles and actor names), so ``/drama``,
``/cast``, autocomplete and the CLI all resolve the same way.

A resolution is one of three things, in order of preference:

* **match**: one id, only when the evidence is strong (an exact name, a prefix or whole-word
  part that fits exactly one name, or a near spelling with a clear lead over the runner-up);
* **candidates**: a short "did you mean" list when several names fit about equally well;
* **none**: nothing is close enough. A wrong confident answer is worse than either of the
  others, so every threshold below errs toward candidates, and candidates toward none.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from bot.matching.common_words import is_common, is_everyday, is_word
from bot.matching.common_words import warm as warm_common_words
from bot.matching.folding import clean_query, compact, fold, jamo
from bot.matching.outlets import outlet_key, same_outlet
from bot.matching.people import family_last, given_name, same_shape, spelling_key, typo_of
from bot.matching.pieces import free_in_slices, sorted_in_pieces
from bot.matching.postings import GramIndex, WordIndex
from bot.matching.query import (
    NOISE,
    TitleQuery,
    noise_phrases,
    only_a_marker,
    parse_title_query,
    strip_mentions,
)
from bot.matching.sorted_keys import SortedKeys

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
# Two typing slips (see _are_slips) in a title this long are as good as one.
TWO_SLIPS_LENGTH = 8
# A person's name of several words typed as one this short is at most a "did you mean".
RUN_TOGETHER_LENGTH = 6
# Below this similarity a name is not offered even as a "did you mean".
CANDIDATE_SCORE = 72.0
# Candidates must be within this many points of the best one.
CANDIDATE_SPREAD = 12.0

_LEADING_YEAR = re.compile(r"^[(\[]?(?P<year>(?:19|20)\d\d)[)\]]?[\s,]+(?P<rest>\S.*)$")
# "squid game final season", "the last season of sweet home", "오징어 게임 마지막 시즌".
_FINAL_SEASON = re.compile(
    r"^(?:(?:the\s+)?(?:final|last)\s+season\s+of\s+(?P<after>\S.*?)"
    r"|(?P<before>\S.*?)[\s,]+(?:the\s+)?(?:(?:final|last)\s+season|(?:마지막|파이널)\s*시즌))\s*$",
    re.IGNORECASE,
)
_YEAR_SUFFIX = re.compile(r"^(?P<rest>.*?)[\s(\[,]*(?P<year>(?:19|20)\d\d|['’]\d\d)[)\]]?\s*$")
# Words too common to identify a title on their own.
STOPWORDS = frozenset(
    (
        "a an and the of in on to my me you your i is it be are for at by with from our we "
        "its this that"
    ).split()
)


class Kind(StrEnum):
    MATCH = "match"
    CANDIDATES = "candidates"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of resolving one query."""

    kind: Kind
    ids: tuple[str, ...] = ()
    query: str = ""
    # The season the query asked for when we do not have it: ``ids`` are the seasons we have.
    missing_season: int | None = None
    # The year the query named when no drama of that name aired then: ``ids`` are what we have.
    missing_year: int | None = None
    # Candidates found on weak evidence (words in another order, one everyday word): they stay
    # a "did you mean" even when they are all seasons of one drama.
    hedged: bool = False

    @property
    def id(self) -> str | None:
        """The matched id when the resolution is confident, else None."""
        return self.ids[0] if self.kind is Kind.MATCH else None


_KEY_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    (a, b)
    for r, row in enumerate(_KEY_ROWS)
    for c, a in enumerate(row)
    for rr in (r - 1, r, r + 1)
    if 0 <= rr < len(_KEY_ROWS)
    for cc in (c - 1, c, c + 1)
    if 0 <= cc < len(_KEY_ROWS[rr]) and (b := _KEY_ROWS[rr][cc]) != a
}


def _is_slip(typed: str, name: str) -> bool:
    """Whether one edit apart looks like a typing slip rather than another word: a swapped
    pair, a missed or doubled letter, or a neighbouring key, and never in the first letter.
    "funnel" is no slip for "tunnel" (first letter), nor "heater" for "healer" (t and l are
    far apart on the keyboard)."""
    if typed[:1] != name[:1]:
        return False
    ops = Levenshtein.editops(typed, name)
    if len(ops) != 1 or ops[0].tag != "replace":
        return True  # a transposition (two Levenshtein edits) or an insertion/deletion
    wrong, right = typed[ops[0].src_pos], name[ops[0].dest_pos]
    return not (wrong.isascii() and right.isascii()) or (wrong, right) in _NEIGHBOURS


def _are_slips(typed: str, name: str) -> bool:
    """Whether every edit between two Latin-letter names looks like a typing slip: a swapped
    pair, a missed letter, a doubled letter or a neighbouring key; never the first letter.
    Two such slips in a long title are a typo; another word is not ("Lost Star" is not a
    slip of "Last Star": a and o are far apart)."""
    if typed[:1] != name[:1] or not (typed.isascii() and name.isascii()):
        return False
    ops = Levenshtein.editops(typed, name)
    skip = False
    for number, op in enumerate(ops):
        if skip:
            skip = False
            continue
        if op.tag == "replace":
            after = ops[number + 1] if number + 1 < len(ops) else None
            if (
                after is not None
                and after.tag == "replace"
                and after.src_pos == op.src_pos + 1
                and typed[op.src_pos] == name[op.dest_pos + 1]
                and typed[op.src_pos + 1] == name[op.dest_pos]
            ):
                skip = True  # a swapped pair
                continue
            if (typed[op.src_pos], name[op.dest_pos]) not in _NEIGHBOURS:
                return False
        elif op.tag == "delete":  # a letter too many: doubled, or a neighbour of its own
            extra = typed[op.src_pos]
            around = (
                typed[max(op.src_pos - 1, 0) : op.src_pos] + typed[op.src_pos + 1 : op.src_pos + 2]
            )
            if not any(extra == ch or (extra, ch) in _NEIGHBOURS for ch in around):
                return False
    return True


def _full_year(text: str) -> int:
    """``2018`` -> 2018; ``'18`` -> 2018; ``'97`` -> 1997 (two digits above 50 are 19xx)."""
    digits = int(text.lstrip("'’"))
    if len(text) == 4:
        return digits
    return 1900 + digits if digits > 50 else 2000 + digits


def _distinctive(key: str) -> bool:
    """Long enough to name one title on its own: five letters, or three Hangul syllables."""
    hangul = sum(1 for ch in key if "\uac00" <= ch <= "\ud7a3")
    return len(key) >= 5 or hangul >= 3


def _word_for_word(typed: str, name: str) -> bool:
    """Whether each typed word reads as a spelling of the name's word in its place: at least
    half its letters right ("moonlite" for "moonlight", "lcass" for "class"; "nam" is no
    spelling of "bong"). Words run together ("namsoon" for "bong soon") are compared letter
    by letter: each of the name's words keeps at least half its letters."""
    typed_words, name_words = typed.split(), name.split()
    if len(typed_words) < len(name_words):
        return _each_word_kept("".join(typed_words), name_words)
    if len(typed_words) != len(name_words):
        return True  # a word split apart, or a misspelt little word ("lost star oof love")
    return all(
        DamerauLevenshtein.normalized_similarity(a, b) >= 0.5
        for a, b in zip(typed_words, name_words, strict=True)
    )


def _each_word_kept(typed: str, name_words: list[str]) -> bool:
    """Whether the edits from ``typed`` (spaces left out) to the name leave each of its words
    at least half its letters: "stronggirlnamsoon" changes three of the four in "bong"."""
    ends, end = [], 0
    for word in name_words:
        end += len(word)
        ends.append(end)
    edits = [0] * len(name_words)
    for op in Levenshtein.editops(typed, "".join(name_words)):
        if op.tag == "insert" and op.src_pos == len(typed):
            continue  # words after the end of the query: it is the start of the name
        # the name's letter the edit falls on (an insertion before the end: the last word's)
        at = min(op.dest_pos, end - 1)
        edits[next(n for n, e in enumerate(ends) if at < e)] += 1
    return all(2 * count <= len(word) for count, word in zip(edits, name_words, strict=True))


def _same_word(typed: str, name: str) -> bool:
    """The same word, or its plural or possessive ("descendant", "descendants")."""
    short, long = sorted((typed, name), key=len)
    return long in (short, f"{short}s", f"{short}es", f"{short}'s")


def _one_key_slip(typed: str, name: str) -> bool:
    """One slip of a finger that keeps a word's length or doubles a letter: a neighbouring
    key ("sprung" for "spring", also first: "noon" for "moon"), a swapped pair ("lots" for
    "lost"), a letter typed twice ("bull" for "bul")."""
    if DamerauLevenshtein.distance(typed, name) != 1:
        return False
    if len(typed) == len(name):
        ops = Levenshtein.editops(typed, name)
        if len(ops) != 1:
            return True  # a swapped pair
        return (typed[ops[0].src_pos], name[ops[0].dest_pos]) in _NEIGHBOURS
    if len(typed) == len(name) + 1:
        return any(
            typed[n] == typed[n + 1] and typed[:n] + typed[n + 1 :] == name
            for n in range(len(name))
        )
    return False


# A typed word this long or longer that is a real word is judged as one (shorter ones are
# often a word cut short by a slip: "se", "mon", "sta").
OTHER_WORD_LENGTH = 4


def _another_word(typed: str, name: str) -> bool:
    """Whether the words in which a query differs from a name are all real words of their
    own, not typos of the name's: "my sister" is not My Mister, nor "the gory" The Glory, nor
    "the heiress" The Heirs, nor "hellboy" Hellbound ("the glroy" is The Glory: no such word).
    A plural is the same word; so is one slip of a finger that keeps the length ("sprung"
    for "spring"). When another word of the query is mistyped too, the real word is likely a
    slip as well ("my rave mountani"), and so when the title's number is typed ("rely 1988").
    Words are compared in place: a query with more or fewer words than the name is left to
    the other rules."""
    typed_words, name_words = typed.split(), name.split()
    if len(typed_words) != len(name_words) or _digits(name):
        return False  # (a number typed as in the title names it: "rely 1988")
    changed = [(a, b) for a, b in zip(typed_words, name_words, strict=True) if a != b]
    return bool(changed) and all(
        len(a) >= OTHER_WORD_LENGTH
        and is_word(a)
        and not _same_word(a, b)
        and not _one_key_slip(a, b)
        for a, b in changed
    )


# Words that go before a title's first word and say nothing of which title: "the king".
_DETERMINERS = frozenset("the a an my our your his her their".split())


def _one_common_word(folded: str) -> bool:
    """One everyday word, alone or after "the", "my"... ("mother", "the king", "my love"): a
    part of many titles, no title by itself ("strangers from" says more: it goes on)."""
    words = folded.split()
    while len(words) > 1 and words[0] in _DETERMINERS:
        words = words[1:]
    return len(words) == 1 and is_common(words[0])


_DIGITS = re.compile(r"\d+")


def _digits(folded: str) -> list[str]:
    """The numbers in a name, in order: "reply 1988" -> ["1988"]."""
    return _DIGITS.findall(folded)


def _abbreviates(typed: str, name: str) -> bool:
    """Whether each typed word is the name's word in its place, or its first three or more
    letters, with at least one cut short and one written out ("hosp playlist" for Hospital
    Playlist; not "hosp play", where no word is whole)."""
    typed_words, name_words = typed.split(), name.split()
    if len(typed_words) != len(name_words) or len(typed_words) < 2:
        return False
    pairs = list(zip(typed_words, name_words, strict=True))
    if not all(a == b or (len(a) >= 3 and b.startswith(a)) for a, b in pairs):
        return False
    whole = any(a == b and a not in STOPWORDS for a, b in pairs)
    return whole and any(a != b for a, b in pairs)


_TWO_DIGITS = re.compile(r"(?<![\w'’])(\d\d)(?!\w)")


def _years_spelt_out(folded: str) -> list[str]:
    """The query with a two-digit number written as a year of the 1900s and of the 2000s:
    "reply 88" -> ["reply 1988", "reply 2088"]; none without such a number."""
    if not _TWO_DIGITS.search(folded):
        return []
    return [_TWO_DIGITS.sub(rf"{century}\1", folded) for century in ("19", "20")]


def _one_plural_apart(folded: str) -> list[str]:
    """The query with one word's plural "s" added or taken away, for a query of three to eight
    words: "man from the star" -> [..., "man from the stars", ...] (fan pass 9). Each word of
    four letters or more is tried; a one-word query never ("doctor" is not Doctors)."""
    words = folded.split()
    if not 3 <= len(words) <= 8:
        return []
    forms = []
    for at, word in enumerate(words):
        if len(word) < 4 or not word.isascii() or not word.isalpha():
            continue
        other = word[:-1] if word.endswith("s") and not word.endswith("ss") else f"{word}s"
        forms.append(" ".join((*words[:at], other, *words[at + 1 :])))
    return forms


def _same_digits(typed: str, name: str) -> bool:
    """Whether a query has a name's numbers, a year's last two digits counting as the year
    ("reply 88" for Reply 1988; "reply 89" is not)."""
    ours, theirs = _digits(typed), _digits(name)
    if len(ours) != len(theirs):
        return False
    return all(
        a == b or (len(a) == 2 and len(b) == 4 and b[:2] in ("19", "20") and b.endswith(a))
        for a, b in zip(ours, theirs, strict=True)
    )


# Articles and prepositions fans add or drop ("Queen of the Tears", "Descendants of Sun").
LITTLE_WORDS = frozenset("a an the of to in on at for from with and".split())


def _has_little_words(folded: str) -> bool:
    """Whether a query holds a little word and at least two other words."""
    words = folded.split()
    little = sum(1 for w in words if w in LITTLE_WORDS)
    return little > 0 and len(words) - little >= 2


def _unlittle(folded: str) -> str:
    """The words without the little ones: "tale of the nokdu" -> "tale nokdu"."""
    return " ".join(w for w in folded.split() if w not in LITTLE_WORDS) or folded


def _bare(folded: str) -> str:
    """The compact name without its little words: "queen of the tears" -> "queentears"."""
    return "".join(w for w in folded.split() if w not in LITTLE_WORDS)


# Words written two ways that fans use for each other.
_RESPELLINGS = {"mister": "mr", "mr": "mister", "doctor": "dr", "dr": "doctor", "ok": "okay"}
# Chat spellings, read one way only (fan pass 9: "crash landing on u", "all of us r dead").
_CHAT_WORDS = {"u": "you", "r": "are", "ur": "your", "luv": "love", "n": "and"}


def _respelled(folded: str) -> str | None:
    """The query with each such word written the other way, if it has any: "mister sunshine"
    -> "mr sunshine", "its ok to not be ok" -> "its okay to not be okay"."""
    words = folded.split()
    if len(words) < 2 or not any(w in _RESPELLINGS or w in _CHAT_WORDS for w in words):
        return None  # "mr" alone is no title, and "mister" alone a word of My Mister
    return " ".join(_CHAT_WORDS.get(w) or _RESPELLINGS.get(w, w) for w in words)


# ---------------------------------------------------------------------------- the index


class NameKind(StrEnum):
    PRIMARY = "primary"  # the display name
    NATIVE = "native"  # the name in the original script
    ALIAS = "alias"  # another name people type
    EXACT_ONLY = "exact"  # ids, generated initials: matched only when typed exactly


class _Name(NamedTuple):  # (a tuple: made again by the hundred thousand from a kept catalog)
    id: str
    text: str
    folded: str
    compact: str
    kind: NameKind


@dataclass(slots=True)
class NameIndex:
    """Names (with aliases) of a set of ids, indexed for resolving and autocomplete.

    Build it once per catalog; every query afterwards is answered from memory, and no query
    scans every name: exact names are a dict, prefixes a bisection in sorted keys, words and
    letter pairs inverted indexes that hand at most a few hundred names to the fuzzy scorers.
    ``labels`` maps each id to how it is displayed, ``order`` gives ids in display order
    (autocomplete with an empty query lists them in that order), ``years`` (optional) lets a
    trailing year in a query pick between same-named entries.
    """

    labels: dict[str, str]
    order: list[str]
    years: dict[str, int] = field(default_factory=dict)
    # Key -> its id, or its ids in display order when several share it (most keys have one:
    # a bare string saves a list per key, 25 MB at 100,000 cards).
    _exact: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    # Names that can match fuzzily, shortest compact form first (ties in display order), so
    # that ascending positions are best-covered first; and their Hangul-split compact forms.
    _names: list[_Name] = field(default_factory=list)
    _jamo_keys: list[str] = field(default_factory=list)
    _grams: GramIndex = field(default_factory=lambda: GramIndex.build([]))
    _words: WordIndex = field(default_factory=lambda: WordIndex.build([]))
    _starts: SortedKeys = field(default_factory=SortedKeys)  # whole names
    _word_starts: SortedKeys = field(default_factory=SortedKeys)  # from 2nd, 3rd... word on
    _positions: dict[str, int] = field(default_factory=dict)
    # People's names: spelling-folded whole names and given names -> ids.
    people: bool = False
    _spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _given: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Seasons: id -> (the first season's id, season number); first season's id -> its seasons.
    _series: dict[str, tuple[str, int]] = field(default_factory=dict)
    _seasons: dict[str, dict[int, str]] = field(default_factory=dict)
    _noise: frozenset[str] = NOISE
    _primary: dict[str, str] = field(default_factory=dict)  # id -> its display name, folded
    # id -> where it aired and streams (keys of :func:`outlet_key`), for the ids whose cards say.
    _outlets: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        entries: Iterable[tuple[str, str, NameKind]],
        labels: dict[str, str],
        order: list[str],
        years: dict[str, int] | None = None,
        *,
        people: bool = False,
        seasons: dict[str, tuple[str, int]] | None = None,
        services: Iterable[str] = (),
        outlets: dict[str, Iterable[str]] | None = None,
    ) -> NameIndex:
        """``people``: the names are people's (spelling variants, name order, and the rule
        that one syllable more is another person apply). ``seasons``: id -> (id of the
        first season, season number) for the ids that are one season of a longer drama.
        ``services``: networks and streaming services, words around a title, not in it.
        ``outlets``: id -> the networks and services it aired or streams on ("black knight
        netflix" is not a KBS2 drama)."""
        index = cls(labels=labels, order=order, years=years or {}, people=people)
        index._positions = positions = {id_: n for n, id_ in enumerate(order)}
        index._series = dict(seasons or {})
        index._noise = noise_phrases(frozenset(fold(s) for s in services) - {""})
        # One copy of each text and set the index holds more than once (a word ending many
        # titles, the same networks and services on many cards): a third of its memory.
        shared: dict[object, object] = {}
        # Most cards name one of a few dozen networks and services: each distinct list is
        # folded once, and its ids share one set.
        outlet_sets: dict[tuple[str, ...], frozenset[str]] = {}
        for id_, names in (outlets or {}).items():
            named = tuple(names)
            keys = outlet_sets.get(named)
            if keys is None:
                keys = frozenset(outlet_key(n) for n in named if n) - {""}
                keys = outlet_sets[named] = shared.setdefault(keys, keys)  # type: ignore[assignment]
            if keys:
                index._outlets[id_] = keys
        exact: dict[str, str | list[str]] = {}
        names: list[_Name] = []
        primary = index._primary
        new_name = tuple.__new__  # (a named tuple made in C, not by its Python ``__new__``)
        # (the members as locals: an enum member looked up on its class costs 0.17 µs)
        exact_only, display = NameKind.EXACT_ONLY, NameKind.PRIMARY
        # The same compact name may be kept twice as a name ("Nokdu", "Nok-du": other word
        # starts); for exact look-ups, each id once per key.
        for id_, text, kind in entries:
            folded = fold(text)
            folded = shared.setdefault(folded, folded)  # type: ignore[assignment]
            key = folded.replace(" ", "")
            if key is not folded:  # (one word: ``replace`` gave the shared text itself)
                key = shared.setdefault(key, key)  # type: ignore[assignment]
            if not key:
                continue
            known = exact.get(key)
            if known is None:
                exact[key] = id_
            elif isinstance(known, str):
                if known != id_:
                    exact[key] = [known, id_]
            elif id_ not in known:
                known.append(id_)
            if kind is not exact_only:
                names.append(new_name(_Name, (id_, text, folded, key, kind)))
                if kind is display and not people and id_ not in primary:
                    primary[id_] = folded
        if names and not people:
            # Its word list loads here, off the event loop (an empty index, made on the loop
            # before the first load, never needs it).
            warm_common_words()
        unknown = len(positions)
        index._exact = {
            key: ids if isinstance(ids, str) else index._ordered(ids) for key, ids in exact.items()
        }
        names = sorted_in_pieces(
            names, key=lambda n: (len(n.compact), positions.get(n.id, unknown))
        )
        index._names = names
        index._jamo_keys = [n.compact if n.compact.isascii() else jamo(n.compact) for n in names]
        index._grams = GramIndex.build(index._jamo_keys)
        index._words = WordIndex.build(name.folded.split() for name in names)
        prefix_pairs: list[tuple[str, str, int]] = []  # in name order: ties stay put
        word_pairs: list[tuple[str, str, int]] = []
        for id_, _, folded, key, kind in names:
            tier = 0 if kind is display else 1
            prefix_pairs.append((key, id_, tier))
            if " " not in folded:
                continue
            # The compact name from the 2nd, 3rd... word on: a slice of it (the folded name's
            # words are its compact form with one space between each).
            offset = 0
            for word in folded.split()[:-1]:
                offset += len(word)
                tail = key[offset:]
                word_pairs.append((shared.setdefault(tail, tail), id_, 2 + tier))  # type: ignore[arg-type]
        if not people:
            index._series.update(_sequels_by_name(index._primary, index._series))
            for id_, (first, number) in sorted(index._series.items(), key=lambda i: i[1][1]):
                index._seasons.setdefault(first, {})[number] = id_
        index._starts = SortedKeys.of(prefix_pairs)
        index._word_starts = SortedKeys.of(word_pairs)
        if people:
            index._spellings = _grouped((spelling_key(n.folded), n.id) for n in names)
            index._given = _grouped((given_name(n.folded), n.id) for n in names)
        # Their pairs (half a million tuples at 100,000 cards) die a slice per C call: freed
        # with this frame, they held the GIL in one go (a cold load's event-loop stall).
        free_in_slices(prefix_pairs, word_pairs)
        # The shared texts and the exact keys (hundreds of thousands of entries each, their
        # texts kept by the index) are let go one call each, not both with this frame.
        shared.clear()
        exact.clear()
        return index

    # -- resolving ----------------------------------------------------------------------

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
            ids = {self._names[p].id for p in positions.tolist()}
            found = ids if found is None else found & ids
            if not found:
                return ()
        return self._ordered(found or ())

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
            return self._final_season(final["after"] or final["before"], text)
        if leading := _LEADING_YEAR.match(text):
            # "2016 goblin", "(2020) run on": the year read as if it came last.
            moved = self._resolve_title(f"{leading['rest']} ({leading['year']})")
            return replace(moved, query=text)
        parsed = parse_title_query(text, self._noise)
        return self._on_outlet(self._resolve_parsed(text, parsed), parsed)

    def _final_season(self, title: str, text: str) -> Resolution:
        """ "squid game final season": cards say which season each card is, not whether the
        drama has ended, so the last season we have may not be its final one: a "did you mean"
        listing every season we have, in order, for the asker to pick."""
        named = self._resolve_title(title)
        if named.kind is Kind.NONE:
            return Resolution(Kind.NONE, (), text)
        firsts = list(dict.fromkeys(self.first_season(i) for i in named.ids))
        if named.kind is not Kind.MATCH and len(firsts) != 1:
            return replace(named, query=text, hedged=True)
        seasons = tuple(self._all_seasons(named.ids[0]))[-MAX_CANDIDATES:]
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
        if parsed.season is not None or parsed.year is not None:
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
        for shorter in (*parsed.steps, parsed.plain):
            if (exact := self._exact_hit(shorter, text)) is not None:
                return exact  # "reply 1988 on netflix", "show window netflix"
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
        result, dated_ok = self._with_year(text)
        if result.kind is not Kind.MATCH and parsed.core != fold(text):
            # "sweet home netflix", "is navillera good?": the title without the words around it.
            retry, retry_dated = self._with_year(parsed.core)
            if retry.kind is Kind.MATCH or result.kind is Kind.NONE:
                result, dated_ok = replace(retry, query=text), retry_dated
        if result.kind is Kind.MATCH and (other := _RESPELLINGS.get(parsed.core)):
            # "mister" alone is My Mister's word, and "mr" Mr. Queen's and Mr. Sunshine's: the
            # same word either way, so it offers all of them.
            ids = dict.fromkeys((*result.ids, *self._resolve(other).ids))
            result = Resolution(Kind.CANDIDATES, tuple(ids)[:MAX_CANDIDATES], text, hedged=True)
        if result.kind is not Kind.MATCH:
            # "mister sunshine", "its ok to not be ok": a title word written the other way,
            # when that makes a whole name exactly; "vincenzo 빈센조": a title in two scripts.
            respelt = _respelled(parsed.core)
            ids = self._exact_ids(compact(respelt)) if respelt else ()
            # "reply 88": a year's last two digits, when that makes a whole name exactly.
            dated = tuple(
                dict.fromkeys(
                    i
                    for form in _years_spelt_out(parsed.core)
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
                    for form in _one_plural_apart(parsed.core)
                    for i in self._exact_ids(compact(form))
                )
            )
            for retry in (
                Resolution(Kind.MATCH if len(ids) == 1 else Kind.CANDIDATES, ids, text),
                Resolution(Kind.MATCH if len(unthe) == 1 else Kind.CANDIDATES, unthe, text),
                Resolution(Kind.MATCH if len(dated) == 1 else Kind.CANDIDATES, dated, text),
                Resolution(Kind.MATCH if len(plural) == 1 else Kind.CANDIDATES, plural, text),
                self._in_two_scripts(parsed.core),
            ):
                if retry is None or not retry.ids:
                    continue
                if retry.kind is Kind.MATCH or result.kind is Kind.NONE:
                    result = Resolution(retry.kind, retry.ids[:MAX_EXACT_TIES], text)
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

    def _in_two_scripts(self, core: str) -> Resolution | None:
        """ "vincenzo 빈센조": a title written in Latin letters and in Hangul, both naming the same
        drama, is that drama; anything else is no answer."""
        words = core.split()
        hangul = [any("\uac00" <= ch <= "\ud7a3" for ch in w) for w in words]
        cut = next((n for n in range(1, len(words)) if hangul[n] != hangul[n - 1]), None)
        if cut is None or any(hangul[n] != hangul[cut] for n in range(cut, len(words))):
            return None  # one script, or more than two runs
        first = self._resolve(" ".join(words[:cut]))
        second = self._resolve(" ".join(words[cut:]))
        if first.kind is Kind.MATCH and second.kind is Kind.MATCH:
            one, two = self.first_season(first.ids[0]), self.first_season(second.ids[0])
            if one == two:
                return Resolution(Kind.MATCH, (first.ids[0],), core)
        return Resolution(Kind.NONE, (), core)

    def _with_year(self, text: str) -> tuple[Resolution, bool]:
        """The query resolved, a trailing year picking among same-named entries; and whether
        that year was checked against the cards (the answer aired then)."""
        result = self._resolve(text)
        if result.kind is not Kind.MATCH and (year_hint := _YEAR_SUFFIX.match(text)):
            # "Hometown 2021", "Run On (2020)": the year picks among same-named entries.
            dated = self._dated(year_hint["rest"], _full_year(year_hint["year"]), text)
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

    # -- seasons ------------------------------------------------------------------------

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

    def _series_number(self, id_: str) -> int:
        """Which season ``id_`` is: declared, or said by its title ("Nun Gang Hotel 2")."""
        if id_ in self._series:
            return self._series[id_][1]
        numbered = _SEQUEL_NUMBER.match(self._primary.get(id_, ""))
        return int(numbered["number"]) if numbered else 1

    # -- people -------------------------------------------------------------------------

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

    # -- the stages shared by titles and people -----------------------------------------

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
            common = not self.people and _one_common_word(folded)
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
        for position in self._starts.span(key, PARTIAL_SCAN_LIMIT):
            id_ = self._starts.ids[position]
            if self._starts.tiers[position] == 0:
                titled.add(id_)
            share = len(key) / len(self._starts.keys[position])
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
        for position in nearby[:PARTIAL_SCAN_LIMIT].tolist():
            name = self._names[position]
            if name.compact.startswith(key) or name.id in inner_seen:
                continue  # counted above, or found already through a better-covered name
            if stem or f" {folded} " in f" {name.folded} ":
                inner_seen.add(name.id)
                share = len(key) / len(name.compact)
                coverage[name.id] = max(coverage.get(name.id, 0.0), share)
                if name.id not in prefixed:
                    inner_ids.append(name.id)
                    if len(inner_ids) >= wanted:
                        break
        # One everyday word is no title by itself, only a part of one: "Mother" is not The
        # Good Bad Mother, nor "Big" Big Bet.
        common = not self.people and _one_common_word(folded)
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
            and (coverage[inner_ids[0]] >= 0.4 or len(informative) >= 2 or _distinctive(key))
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
        if not self.people and ranked[0][1] < CONFIDENT_SCORE and _has_little_words(folded):
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
        sure = sure and _same_digits(folded, best_names[best_id].folded)
        # Another word in place of one is another title ("descendants of the moon"), also a
        # real word one letter off ("my sister" is not My Mister).
        other = not self.people and (
            not _word_for_word(_unlittle(folded), _unlittle(best_names[best_id].folded))
            or _another_word(_unlittle(folded), _unlittle(best_names[best_id].folded))
        )
        sure = sure and not other
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
            and _word_for_word(folded, best_names[best_id].folded)
        ):
            # Two slips in a long name ("pinnochio"), same length, nothing else anywhere near;
            # not extra words ("my name is" is not "My Name"), nor another word in place of one
            # ("Strong Girl Nam-soon" is not Strong Girl Bong-soon).
            return Resolution(Kind.MATCH, (best_id,), text)
        if not self.people and not whole:
            # "hosp playlist": every word of one title, some cut short, in its order.
            # (the best-scored few: whole words shared put such a name among them)
            leading = ranked[: 2 * MAX_CANDIDATES]
            short = [i for i, _ in leading if _abbreviates(folded, best_names[i].folded)]
            if len(short) == 1:
                return Resolution(Kind.MATCH, (short[0],), text)
        floor = max(CANDIDATE_SCORE, best - CANDIDATE_SPREAD)
        close = tuple(i for i, s in ranked if s >= floor)[:MAX_CANDIDATES]
        if close:
            # Words in another order ("Home Sweet Home"): a "did you mean" of every season.
            best_name = best_names[best_id].folded
            # The misspelt start of a longer name, not sure enough to answer ("hellboy" for
            # Hellbound): a "did you mean" too, not one drama because its seasons came up.
            hedged = (
                other
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
        bare = _bare(folded)
        rescored = dict(ranked)
        for id_, score in ranked[:MAX_CANDIDATES]:
            name = _bare(best_names[id_].folded)
            if bare == name:
                rescored[id_] = 100.0
            elif len(bare) >= 5 and DamerauLevenshtein.distance(bare, name) == 1:
                if _is_slip(bare, name):
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
        names = [self._names[p] for p in pool]
        keys = [self._jamo_keys[p] for p in pool]

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
            if distance == 1 and len(key) >= 5 and _is_slip(jamo_key, target):
                similarity = max(similarity, CONFIDENT_SCORE + 1)
            elif distance == 2 and len(key) >= TWO_SLIPS_LENGTH and _are_slips(key, target):
                slipped.add(names[position].id)
            keep(names[position], similarity)
        # Words in another order: "landing on you crash" (not names: "Kim Hye Soo" is
        # not "Kim Soo Hye").
        if " " in folded and not self.people:
            for _, score, position in process.extract(
                folded,
                [n.folded for n in names],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=CANDIDATE_SCORE,
                limit=20,
            ):
                # Only where the order is what differs; and other words or the same words
                # in another order make another title ("Blue Love Princess" is not "Blue
                # Princess of Love"): at most a "did you mean".
                if score - fuzz.ratio(folded, names[position].folded) >= REORDER_GAIN:
                    keep(names[position], min(float(score), REORDER_CAP), aside=True)
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
                    if DamerauLevenshtein.distance(jamo_key, start) > 1 or not _is_slip(
                        jamo_key, start
                    ):
                        # "forgotten empire devil" is not the start of "Forgotten Empire of
                        # Village Song": only a slip in the start of a name is sure.
                        head = min(head, CONFIDENT_SCORE - 1)
                    elif length != size:
                        head = max(head, CONFIDENT_SCORE + 1)  # one missed letter
                    keep(names[position], head, aside=True)
        return scores, best_names, asides, slipped

    def _best(self, ids: list[str], coverage: dict[str, float]) -> tuple[str, ...]:
        # (the first few of the sorted list: nsmallest sorts only those)
        return tuple(
            heapq.nsmallest(MAX_CANDIDATES, ids, key=lambda i: (-coverage[i], self._position(i)))
        )

    def _position(self, id_: str) -> int:
        return self._positions.get(id_, len(self._positions))

    # -- autocomplete -------------------------------------------------------------------

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
            heads += [keys.jamo[position][: len(jamo_key)] for position in span]
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


def _grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, dict[str, None]] = {}
    for key, id_ in pairs:
        if key:
            groups.setdefault(key, {})[id_] = None
    return {key: tuple(ids) for key, ids in groups.items()}


_SEQUEL_NUMBER = re.compile(r"^(?P<name>.+?) (?:season |part )?(?P<number>[1-9]\d?)$")


def _sequels_by_name(
    primary: dict[str, str], linked: dict[str, tuple[str, int]]
) -> dict[str, tuple[str, int]]:
    """Seasons that cards do not declare but their titles do: "Taxi Driver 2" is season 2 of
    "Taxi Driver" when we have both (folded display names in, id -> (first id, number))."""
    by_name: dict[str, list[str]] = {}
    for id_, name in primary.items():
        by_name.setdefault(name, []).append(id_)
    found: dict[str, tuple[str, int]] = {}
    for id_, name in primary.items():
        if id_ in linked or not name[-1:].isdigit() or not (match := _SEQUEL_NUMBER.match(name)):
            continue
        firsts = by_name.get(match["name"], [])
        number = int(match["number"])
        if len(firsts) == 1 and firsts[0] not in linked and number >= 2:
            found[id_] = (firsts[0], number)
            found.setdefault(firsts[0], (firsts[0], 1))
    return found
