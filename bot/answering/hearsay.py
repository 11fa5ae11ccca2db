"""A title at the start of what someone said or asked about it (fan pass 18): "my friend
said moving is on disney plus, is it?", "someone on tiktok said reply 1988 makes you cry",
"i keep hearing about my mister what's it about", "pls tell me about signal my coworker loves
it", "is moving a sequel to something", "yall ever watched misaeng".

A sentence names a drama of one or two words, too short for
:func:`~bot.answering.loose_titles.named_in_a_sentence` ("the glory" of "i loved the glory"
says too little), and goes on in words of its own, too many for
:func:`~bot.answering.chat_questions.titled_in_chat`. What tells where the title is: a
frame at the start, someone saying, hearing or asking about something ("my friend said", "i
heard", "tell me about", "what even is", "is"), so the title starts right after it; and a
word after the title that starts what is said of it ("is", "has", "makes", "like", "a",
"about"), or nothing, so it ends there. The longest run of words starting there that is
exactly some drama's name (a dictionary look-up per length, no near spellings) and is so
followed is that drama, with a season typed after it ("squid game season 3 is the last
one") and any service named in the sentence asked with it. Asked only when nothing else
found the query.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution
from bot.matching.query import SERVICES, strip_mentions

# A title is at most this many words (bounded look-ups).
MAX_TITLE_WORDS = 8

# Someone saying or hearing something, or asking about it, at the start of the query (after
# a few words that say nothing: "so", "bro", "ok").
_FRAME = re.compile(
    r"^(?:(?:so|ok|okay|hey|bro|yo|wait|lol|omg|guys|um|uh|ngl|honestly)\s+)*(?:"
    # "my friend said", "someone on tiktok said", "people keep saying", "i heard about"
    r"(?:(?:my|a|this|some|our|the)\s+\w+|someone|somebody|people|everyone|everybody|they"
    r"|i|we|u|you)(?:\s+on\s+\w+)?\s+(?:keeps?\s+)?"
    r"(?:said|says|say|saying|told\s+me|tells\s+me|swears|claims|thinks|heard|hear|hearing"
    r"|recommended|recommends)(?:\s+(?:that|about|of))?"
    r"|heard(?:\s+(?:that|about|of))?|apparently|supposedly"
    # "tell me about", "what even is", "have you seen", "yall ever watched", "is", "does"
    r"|(?:pls\s+|please\s+|plz\s+|can\s+(?:you|u)\s+)?tell\s+me\s+(?:more\s+)?about"
    r"|what\s+(?:even\s+)?is|whats(?:\s+even)?"
    r"|(?:(?:have|has)\s+)?(?:you|u|anyone|yall|y'all|you\s+guys)\s+(?:ever\s+)?(?:seen|watched)"
    r"|is|was|does|did|isnt|should\s+i\s+watch"
    r")\s+"
)
# Words that start what is said of a title: "moving is …", "kingdom has zombies", "reply
# 1988 makes you cry", "signal my coworker loves it", "my mister what's it about", "business
# proposal like a cringe romcom". Not "on" (but for a service after it: "moving on" is a
# title we lack), nor a word a longer title we lack may go on with.
_SAID_OF = frozenset(
    "is isnt was wasnt are has had have makes made gets got will would can could should "
    "does did doesnt didnt ends ended looks seems sounds worth rated really actually still "
    "so too tho though lol fr about like a an what whats why how my its it".split()
)
_OUTLETS = frozenset(s for s in SERVICES if " " not in s)
_COPULAS = frozenset("is isnt was wasnt".split())
# Words that end one clause or start another: a copula after them is a verb of its own.
_CLAUSE_JOINS = frozenset(
    "and but or so because cause cuz coz since while which that who where when if then tho "
    "though although like".split()
)
# A copula before these asks a question ("is it", "was that"): it starts a clause.
_PRONOUNS = frozenset("it he she they that this there we you i".split())
# A season typed after the title: "2", "s2", "season 2", "part 2" (not a year: "1988").
_SEASON_NUMBER = re.compile(r"(?:s|ss)?\d{1,2}")
_SEASON_WORDS = frozenset(("season", "part"))


def told_about(catalog: Catalog, query: str) -> Resolution | None:
    """The drama a sentence says or asks something about, named right after its frame (see
    the module's doc); None when the query has no frame, or no name follows it so."""
    folded = fold(clean_query(strip_mentions(query)))
    frame = _FRAME.match(folded)
    if frame is None:
        return None
    words = folded[frame.end() :].split()
    titles = catalog.titles
    for size in range(min(MAX_TITLE_WORDS, len(words)), 0, -1):
        run, after = words[:size], words[size:]
        if not _said_of(after) or not titles.named_exactly(" ".join(run)):
            continue
        # (a season, and a service, asked with the title: "… is on disney plus" is asked as
        # "moving disney", so a service its card does not list makes it a did-you-mean)
        outlets = [word for word in after if word in _OUTLETS]
        found = titles.resolve(" ".join((*run, *season_after(after), *outlets)))
        if not found.ids:
            return None
        if found.kind is Kind.MATCH and _subject_goes_on(after):
            # ("my friend said my name is kim sam soon is good": the subject is longer than
            # the title we have, a drama we may lack: offered, never answered)
            return Resolution(Kind.CANDIDATES, found.ids, query, hedged=True)
        return replace(found, query=query)
    return None


def _subject_goes_on(after: list[str]) -> bool:
    """Whether the words after a title (``after[0]`` a copula: "is", "was") reach a second
    copula with no clause boundary between: two finite verbs with nothing joining them make
    the first part of the subject ("my name is kim sam soon is good": the subject is "my name
    is kim sam soon"). Not when the second copula asks about a pronoun ("moving is so good is
    it on netflix", "…, is it?"), nor across a joining word ("… and it is on disney")."""
    if not after or after[0] not in _COPULAS:
        return False
    for at in range(1, len(after)):
        word = after[at]
        if word in _CLAUSE_JOINS:
            return False
        if word in _COPULAS:
            return at > 1 and (at + 1 == len(after) or after[at + 1] not in _PRONOUNS)
    return False


def _said_of(after: list[str]) -> bool:
    """Whether the words after a run start what is said of it (or there are none)."""
    if not after:
        return True
    if after[0] == "on":
        return len(after) > 1 and after[1] in _OUTLETS
    return after[0] in _SAID_OF or bool(season_after(after))


def season_after(words: list[str], at: int = 0) -> tuple[str, ...]:
    """The words of a season number starting at ``words[at]`` ("2", "s2", "season 2");
    none when there is none."""
    if at < len(words) and _SEASON_NUMBER.fullmatch(words[at]):
        return (words[at],)
    if at + 1 < len(words) and words[at] in _SEASON_WORDS and words[at + 1].isdigit():
        return (words[at], words[at + 1])
    return ()
