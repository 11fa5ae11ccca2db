"""What a fan's description of a drama asks for: "the one where the lawyer has autism",
"zombie high school drama", "/drama the kdrama with the time-travelling detective".

Pure: a query in, its content words out (folded, stop words and the general words for "a
drama" left out, a Korean particle taken off a Hangul word), and whether it is worded as a
description ("the one where/with/about", "a drama about"). Stemming ("zombies" ~ "zombie")
is SQLite's: the story index and its queries go through FTS5's porter tokenizer
(``bot.catalog.story_index``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.matching.folding import fold

#: Words that say nothing about a story: function words, and the general words for a drama
#: ("kdrama", "drama", "series", "show"), for a fan's question ("the one where", "remember").
STOP_WORDS = frozenset(
    """
    a about after all also am an and any anyone are as at be been being but by can could
    did do does doing for from get gets got had has have having he her hers him his how i
    if in into is it its just like me my no not of on one ones or our out over she so some
    that the their them then there these they this those to too up us was we were what
    when where which while who whom whose why will with would you your ya u ur pls please
    plz thanks remember remembering forgot forget name called title know knows looking
    find search watch watched watching saw seen kdrama kdramas k drama dramas series show
    shows korean kind sort thing stuff something someone somebody guy girl
    hes shes theyre youre youll im ive whos thats theres dont doesnt cant wont isnt
    keep keeps keeping kept other others another again
    드라마 한국 한드 그 그거 거 것
    """.split()
)

#: A word dropped before these: "ends up in prison" (what happens, said by the next words),
#: and after these: "a 70 year old grandpa" (an age, both words: the review says "a
#: seventy-year-old man", or no age at all; fan pass 20).
_PHRASE_BEFORE = {
    "up": frozenset("end ends ended ending".split()),
    "old": frozenset("year years yr yrs".split()),
}
_PHRASE_AFTER = {"old": frozenset("year years yr yrs".split())}

#: Fans' everyday words for people, jobs and things, and the plainer words our reviews use
#: for them (either is searched: a review may say "kid" too). Not titles: a word's meaning.
FAN_WORDS: dict[str, tuple[str, ...]] = {
    "mom": ("mother",), "mum": ("mother",), "mommy": ("mother",), "mama": ("mother",),
    "moms": ("mothers",), "dad": ("father",), "dads": ("father",), "daddy": ("father",),
    "papa": ("father",), "kid": ("child",), "kids": ("children",), "lady": ("woman",),
    "ladies": ("women",), "dude": ("man",), "bf": ("boyfriend",), "gf": ("girlfriend",),
    "cop": ("police", "detective"), "cops": ("police", "detective"), "doc": ("doctor",),
    "teen": ("teenager", "teenage"), "teens": ("teenagers", "teenage"),
    "dying": ("die", "dies", "death"), "dead": ("death", "die", "dies"),
    "super": ("superhuman", "superhero", "powers", "exceptionally", "exceptional"),
    "superpowers": ("superhuman", "superhero", "powers"),
    "superpower": ("superhuman", "superhero", "power"),
    "boss": ("ceo", "chairman", "gangster", "leader"), "hubby": ("husband",),
    "grandpa": ("grandfather", "old man"),
    "grandma": ("grandmother", "old woman"), "granny": ("grandmother", "old woman"),
    "bro": ("brother",),
    "sis": ("sister",), "cheating": ("affair",), "cheats": ("affair",),
    "cheated": ("affair",), "buddies": ("friends",), "buddy": ("friend",),
    "besties": ("friends",), "bestie": ("friend",), "bffs": ("friends",),
    "multiple": ("several", "many"), "pretends": ("disguises", "poses"),
    "pretending": ("disguised", "posing"), "pretend": ("disguise", "pose"),
    # fan pass 19: "super hearing" (the review: "exceptionally sharp hearing"), "spy on" (the
    # review: "listens in on"), "hangul" (the Korean alphabet), a chaebol (the review: the
    # chairman's family), "reborn as" (the review: "wakes up as"), monsters (creatures), a
    # casino boss (gangster), British and American spellings.
    "spy": ("spies", "spying", "espionage", "eavesdrops", "listens"),
    "spying": ("spy", "espionage", "eavesdrops", "listens"),
    "hangul": ("alphabet",), "chaebol": ("chairman", "conglomerate", "heir"),
    "chaebols": ("chairman", "conglomerate", "heirs"),
    "reborn": ("reincarnated", "reincarnation", "wakes"),
    "monster": ("creature", "monstrous"), "monsters": ("creatures", "monstrous"),
    "center": ("centre",), "centre": ("center",), "theater": ("theatre",),
    "theatre": ("theater",), "neighbor": ("neighbour",), "neighbour": ("neighbor",),
    "color": ("colour",), "colour": ("color",),
    "rich": ("wealthy",), "med": ("medical",), "imf": ("financial", "economic"),
    "cleaning": ("cleaner", "clears"), "finds": ("discovers", "learns"),
    "dresses": ("disguises",), "dressed": ("disguised",),
    "moves": ("relocates", "new home"), "moved": ("relocated", "new home"),
    # fan pass 20: "10 yrs later"; a grandpa (the review: "a seventy-year-old man"); a
    # cartoonist (the review: "the webtoon her father draws"); parents (mothers, families)
    "yrs": ("years",), "yr": ("year",),
    "cartoonist": ("draws", "comic", "webtoon"), "cartoonists": ("draws", "comic", "webtoon"),
    "parents": ("mothers", "fathers", "families"),
}  # fmt: skip

#: Korean particles after a noun (longest first), taken off a Hangul word: "좀비가" is "좀비".
_PARTICLES = tuple("에서 에게 한테 이랑 하고 은 는 이 가 을 를 의 와 과 도 에".split())

#: "the one where …", "a drama about …", "show with …", "drama set in …"; "about …", "where …"
#: at the start ("when …", "with …" start titles: "When Life Gives You Tangerines", "With Love").
_CUE = re.compile(
    r"^(?:about|where)\b|\b(?:one|drama|kdrama|show|series|story|thing)\s+"
    r"(?:where|with|about|in which|that has|whose|when|set in)\b"
    # in Korean, a clause before "드라마" ("유령이 나오는 드라마"), or "…에 관한/대한"
    r"|\w(?:는|은|던)\s+(?:\w+\s+)?(?:드라마|거|것|작품)|(?:관한|대한)\s"
)
#: A weaker cue: someone or something and then what they do ("the dentist who moves to a
#: seaside village", "five doctor friends who play in a band", "the taxi company that
#: secretly…"), or a description ended by "one" ("the zombie school one"). Enough to read the
#: words as a description when no title fits, not to put a story before near titles (a title
#: may say as much: "The Moon That Embraces the Sun", "The Man Who Guards Me").
_CLAUSE = re.compile(
    r"^(?!who\b)\w+(?:\s+\w+){0,7}\s+(?:who|whose|that)\s+\w+\s+\w+"
    r"|^(?:the|that|this)\s+\w+(?:\s+\w+){1,4}\s+one$"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_DECADE = re.compile(r"(?:(19|20)|')?(\d)0s")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: "in their 30s", "a man in his 40s": an age, as a review writes it.
_WHOSE = frozenset("their his her my our your".split())
_AGES = dict(
    zip(
        "123456789",
        "teens twenties thirties forties fifties sixties seventies eighties nineties".split(),
        strict=True,
    )
)
#: A content word is at least this long (Hangul: a syllable is a word's worth).
MIN_LETTERS = 3


@dataclass(frozen=True, slots=True)
class StoryQuery:
    words: tuple[str, ...]  # content words, folded, in the order typed, each once
    described: bool  # worded as a description ("the one where…")
    clause: bool = False  # worded as one more weakly ("the dentist who moves…", _CLAUSE)

    def searched(self) -> tuple[str, ...]:
        """The content words as the story index is asked them: a fan's word for what a
        review says in plainer words is either ("mom" is "mom|mother", :data:`FAN_WORDS`)."""
        return tuple("|".join((word, *FAN_WORDS.get(word, ()))) for word in self.words)


def story_query(text: str, names: frozenset[str] = frozenset()) -> StoryQuery:
    """The content words of ``text`` and whether it is worded as a description. ``names``:
    short words kept as content words all the same (a person's name: "iu")."""
    folded = fold(text)
    described = _CUE.search(folded) is not None
    words: list[str] = []
    folded_words = folded.split()
    for at, word in enumerate(folded_words):
        if _HANGUL.search(word):
            word = _without_particle(word)
            if word in STOP_WORDS:
                continue
        elif word in FAN_WORDS or word in names:
            pass  # ("bf", "gf": two letters, a word all the same; "iu", a name)
        elif (decade := _DECADE.fullmatch(word)) is not None:
            # "80s": the review says "1980s"; "in their 30s": an age, "thirties" (fan pass 19)
            aged = at > 0 and folded_words[at - 1] in _WHOSE and decade.group(1) is None
            word = _AGES.get(decade.group(2), word) if aged else _decade(decade)
        elif (
            len(word) < MIN_LETTERS
            or word in STOP_WORDS
            or (word.isdigit() and not _YEAR.fullmatch(word))
            or _in_phrase(folded_words, at)
        ):
            continue  # (a number other than a year: "1000 years", "112 call centre")
        if word not in words:
            words.append(word)
    clause = not described and _CLAUSE.search(folded) is not None
    return StoryQuery(tuple(words), described, clause)


def _in_phrase(words: list[str], at: int) -> bool:
    """Whether ``words[at]`` is the part of a phrase that says nothing of the story ("ends" of
    "ends up", "old" of "year old")."""
    word = words[at]
    after = words[at + 1] if at + 1 < len(words) else ""
    before = words[at - 1] if at else ""
    return word in _PHRASE_BEFORE.get(after, ()) or before in _PHRASE_AFTER.get(word, ())


def _decade(found: re.Match[str]) -> str:
    """ "80s", "1980s", "'90s" as a review writes it: "1980s" ("00s" to "20s": the 2000s on)."""
    century, tens = found.group(1), found.group(2)
    return f"{century or ('20' if tens < '3' else '19')}{tens}0s"


def _without_particle(word: str) -> str:
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) > len(particle) + 1:
            return word[: -len(particle)]
    return word
