"""How a typed text may differ from a name and still mean it: typing slips, words kept or
left out, digits and years spelt out, respellings ("mister", "mr")."""

from __future__ import annotations

import re

from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from bot.matching.common_words import is_common, is_word

# Words too common to identify a title on their own.
STOPWORDS = frozenset(
    (
        "a an and the of in on to my me you your i is it be are for at by with from our we "
        "its this that"
    ).split()
)


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


def is_slip(typed: str, name: str) -> bool:
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


def are_slips(typed: str, name: str) -> bool:
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


def full_year(text: str) -> int:
    """``2018`` -> 2018; ``'18`` -> 2018; ``'97`` -> 1997 (two digits above 50 are 19xx)."""
    digits = int(text.lstrip("'’"))
    if len(text) == 4:
        return digits
    return 1900 + digits if digits > 50 else 2000 + digits


def distinctive(key: str) -> bool:
    """Long enough to name one title on its own: five letters, or three Hangul syllables."""
    hangul = sum(1 for ch in key if "\uac00" <= ch <= "\ud7a3")
    return len(key) >= 5 or hangul >= 3


def word_for_word(typed: str, name: str) -> bool:
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


def another_word(typed: str, name: str) -> bool:
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


def one_common_word(folded: str) -> bool:
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


def abbreviates(typed: str, name: str) -> bool:
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


def years_spelt_out(folded: str) -> list[str]:
    """The query with a two-digit number written as a year of the 1900s and of the 2000s:
    "reply 88" -> ["reply 1988", "reply 2088"]; none without such a number."""
    if not _TWO_DIGITS.search(folded):
        return []
    return [_TWO_DIGITS.sub(rf"{century}\1", folded) for century in ("19", "20")]


def one_plural_apart(folded: str) -> list[str]:
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


def same_digits(typed: str, name: str) -> bool:
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


def has_little_words(folded: str) -> bool:
    """Whether a query holds a little word and at least two other words."""
    words = folded.split()
    little = sum(1 for w in words if w in LITTLE_WORDS)
    return little > 0 and len(words) - little >= 2


def unlittle(folded: str) -> str:
    """The words without the little ones: "tale of the nokdu" -> "tale nokdu"."""
    return " ".join(w for w in folded.split() if w not in LITTLE_WORDS) or folded


def bared(folded: str) -> str:
    """The compact name without its little words: "queen of the tears" -> "queentears"."""
    return "".join(w for w in folded.split() if w not in LITTLE_WORDS)


def a_word_more(typed: str, name: str) -> bool:
    """Whether a query is the name (little words aside, or one slip in it) with a whole word
    more before or after it: "goblin w", "goblin and w", "vincenzo and the g" (another title
    named, or one being typed), which a comparison of letters alone takes for one slip."""
    words, whole = typed.split(), bared(name)
    if len(words) <= len(name.split()):
        return False  # as many words as the name: one of them mistyped ("thd kidnapping day")
    if bared(typed) == whole:
        return False  # the name's letters, a word split apart: "vincenz o"
    for rest, extra in ((words[:-1], words[-1]), (words[1:], words[0])):
        if extra in LITTLE_WORDS:
            continue
        kept = bared(" ".join(rest))
        if kept == whole or (
            len(kept) >= 5
            and DamerauLevenshtein.distance(kept, whole) == 1
            and is_slip(kept, whole)
        ):
            return True
    return False


# Words written two ways that fans use for each other.
RESPELLINGS = {"mister": "mr", "mr": "mister", "doctor": "dr", "dr": "doctor", "ok": "okay"}
# Chat spellings, read one way only (fan pass 9: "crash landing on u", "all of us r dead").
_CHAT_WORDS = {
    "u": "you",
    "r": "are",
    "ur": "your",
    "luv": "love",
    "n": "and",
    # fan pass 10: "tree w deep roots", "because this is my 1st life"
    "w": "with",
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
}


def respelled(folded: str) -> str | None:
    """The query with each such word written the other way, if it has any: "mister sunshine"
    -> "mr sunshine", "its ok to not be ok" -> "its okay to not be okay"."""
    words = folded.split()
    if len(words) < 2 or not any(w in RESPELLINGS or w in _CHAT_WORDS for w in words):
        return None  # "mr" alone is no title, and "mister" alone a word of My Mister
    return " ".join(_CHAT_WORDS.get(w) or RESPELLINGS.get(w, w) for w in words)
