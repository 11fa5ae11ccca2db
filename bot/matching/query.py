"""The words people put around a title: what a query asks about, with the rest set aside.

``"is sweet home season 2 on netflix?"`` is a question about *Sweet Home*, season 2. This
module only takes queries apart; :mod:`bot.matching.index` decides what the parts mean, and it
always tries the query whole first, so a word that belongs to a real title ("Netflix", "Show")
is never lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from rapidfuzz.distance import DamerauLevenshtein

from bot.matching.folding import fold
from bot.matching.typed_names import is_slip

# Discord mentions (<@123>, <@!123>, <@&123>, <#123>) and a leading @name.
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|^\s*@\S+|@(?:everyone|here)\b")

# Streaming services and broadcasters, folded. The catalog adds its own networks and services.
SERVICES = frozenset(
    (
        "netflix|disney|disney plus|disneyplus|hulu|viki|rakuten viki|viu|wavve|tving|coupang|"
        "coupang play|apple tv|appletv|amazon|amazon prime|prime video|kocowa|iqiyi|watcha|"
        "hbo|youtube|paramount|peacock|crunchyroll|"
        "tvn|jtbc|kbs|kbs1|kbs2|mbc|sbs|ocn|ena|mbn|tv chosun|channel a|tv asahi|fuji tv|cctv|"
        # as Korean fans write them
        "넷플릭스|넷플|디즈니플러스|디즈니|티빙|웨이브|쿠팡플레이|쿠팡|왓챠|유튜브|티비엔"
    ).split("|")
)
# What a title is, in general words.
KINDS = frozenset(
    (
        "drama|dramas|kdrama|kdramas|k drama|k dramas|korean drama|cdrama|c drama|jdrama|"
        "j drama|series|tv series|web series|show|tv show|miniseries|korean|tv|the drama|"
        "the show|the series|the kdrama|this drama|this show|that drama|"
        "드라마|한드|한국드라마|한국 드라마|케이드라마|시리즈"
    ).split("|")
)
# A question around a title: before it and after it.
LEADS = frozenset(
    (
        "is|was|are|has anyone seen|has anyone watched|anyone seen|anyone watched|have you seen|"
        "have you watched|did you watch|should i watch|is it worth watching|what is|whats|"
        "what about|how is|how good is|how was|tell me about|info on|info about|"
        "where can i watch|where to watch|where can i stream|where to stream|where is|"
        "i just finished|just finished|i love|thoughts on|review of|"
        "who is in|whos in|who stars in|cast of|rating of|ratings for|"
        # a request or a greeting: "can you tell me about mr queen", "hey bot, mr queen please"
        # (not "hello": Hello Monster is a drama, and not Beyond Evil, whose alias is Monster)
        "watch|watching|to watch|recommend|recommend me|can you|could you|can u|please|pls|"
        "hey|hi|yo|bot|hey bot|hi bot|hello bot|opinion on|"
        # more of the same: "shows like the glory", "what should i watch after squid game"
        "shows like|dramas like|kdramas like|series like|something like|anything like|"
        "stuff like|more like|more shows like|more dramas like|similar to|shows similar to|"
        "dramas similar to|something similar to|anything similar to|recs like|recs for|"
        "recs for fans of|recommendations for fans of|for fans of|fans of|if i liked|"
        "if you liked|if i like|if you like|i liked|i loved|what should i watch after|"
        "what to watch after|what to watch next after|what do i watch after|after watching|"
        # who plays in it: "who plays the lead in vincenzo", "main cast of the glory"
        "who plays in|who plays the lead in|who plays the leads in|who played in|who acts in|"
        "who acted in|who starred in|who is the lead in|who are the leads in|main cast of|"
        "the cast of|full cast of|actors in|actors of|who are the actors in|"
        # fan pass 9: "like hometown cha cha cha", "main actors of signal"
        "like|main actors of|main actors in|main cast in|the main cast of|"
        "if u liked|if u like|if u loved|what should u watch after|where can u watch|"
        "where can u stream|where do i watch|where do i stream|where can i find|"
        # fan pass 10: "how many eps does mr queen have" (with "have" after the title)
        "how many eps does|how many episodes does|how many eps is|how many episodes is|"
        "how many eps in|how many episodes in|how many episodes are in|how long is|"
        # fan pass 11: "smth like business proposal", "need sth like vincenzo asap", "whats
        # the score for 2521 lol", "omg what is lovely runner about", "who played the lead in"
        "smth like|sth like|smthn like|need sth like|need smth like|need something like|"
        "i need something like|omg|the score for|score for|score of|the rating for|rating for|"
        "who played the lead in|who played the leads in|who was the lead in|"
        "who were the leads in|who is the main lead in|who played the main lead in|"
        # fan pass 12: "what to watch after finishing my mister", "what did you guys rate sky
        # castle", "what year did reply 1997 come out", "when was the glory released"
        "what to watch after finishing|what should i watch after finishing|after finishing|"
        "what do i watch after finishing|just finished watching|i just finished watching|"
        "finished watching|i finished|i finished watching|"
        "what did you rate|what did you guys rate|what did u rate|what did u guys rate|"
        "what do you rate|what do you guys rate|what would you rate|how did you rate|"
        "how did you guys rate|how would you rate|how do you rate|how do you guys rate|"
        "what year did|when did|what year was|when was|when is|when does|what year is|"
        "should i start|should i start watching|is it worth watching|should i binge|does|did|"
        # fan pass 13: "who was in yumi's cells", "loved the glory and …", "wait is hellbound …"
        "who was in|who were in|who else was in|who is in the cast of|who was in the cast of|"
        "who were the actors in|loved|liked|really loved|really liked|"
        "i really loved|i really liked|enjoyed|i enjoyed|wait|wait what|hold on|btw|um|umm|hmm|"
        # fan pass 14: "how many stars does stranger get"
        "how many stars does|how many stars did|how many stars is|how many stars for|"
        # fan pass 15: "/similar with hellbound, goblin" (a title typed exactly is found
        # whole first: "with" stays in a name that starts with it), "2019 version of kingdom"
        "with|version of|the version of|"
        # fan pass 18: "||spoiler|| queen of tears" (Discord's spoiler bars fold away)
        "spoiler|spoilers|no spoilers|spoiler alert|spoilers for|no spoilers for|"
        # fan pass 19: "> quote the heirs", "best quotes from goblin"
        "quote|quotes|quote from|quotes from|a quote from|best quote from|best quotes from|"
        "favorite quote from|favourite quote from|favorite quotes from|favourite quotes from|"
        # fan pass 19: "good morning!! tell me abt vincenzo", "ok so goblin. thoughts??"
        "tell me abt|info abt|good morning|morning|ok so|okay so|guys|hey guys|ok guys"
    ).split("|")
)
TAILS = frozenset(
    (
        "good|any good|worth it|worth watching|worth a watch|worth the hype|about|review|"
        "reviews|rating|ratings|cast|ending|ending explained|finale|spoilers|recap|ost|"
        "good or not|still good|yet|available|streaming|stream|watch|where|please|pls|plz|"
        "lol|thanks|thank you|thx|ty|tysm|is it good|is it any good|is it worth it|"
        "is it worth watching|eng sub|eng subs|engsub|english sub|english subs|english subtitles|"
        "subs|subtitles|sub|dub|dubbed|recs|recommendations|alternatives|"
        # fan pass 9: "reply 1988 cast list", "my mister score", "lovely runner vibes",
        # "squid game like shows"
        "cast list|full cast|score|scores|vibes|vibe|like|like shows|like dramas|like kdramas|"
        "like series|type shows|type dramas|where to stream|where to watch|where can i watch|"
        "where can i stream|where can i find it|"
        # Korean: "도깨비 같은 드라마" (dramas like Goblin), "비슷한" (similar)
        "같은|같은거|같은 거|비슷한|비슷한거|비슷한 거|"
        # Korean: recommend, review, ending, cast, any good?, how is it
        "추천|후기|리뷰|결말|출연진|재밌어|재밌나요|어때|어때요|"
        # where can I watch it, I want to watch it, how many episodes
        "어디서 봐|어디서 봐요|어디서 보나요|어디서 봄|어디서 볼 수 있어|어디서 볼 수 있어요|"
        "어디서 볼수있어|어디서 볼수있어요|보고싶다|보고 싶다|보고싶어|보고 싶어|보고싶어요|"
        "보고 싶어요|몇부작|몇 부작|몇부작이야|몇 부작이야|몇부작이에요|몇 부작이에요|몇화|몇 화|"
        "몇회|몇 회|"
        # fan pass 10: "i just finished the heirs, what next", "how many eps does … have"
        "what next|whats next|what now|now what|what to watch next|what should i watch next|"
        "what do i watch next|have|has|"
        # fan pass 11: "need sth like vincenzo asap"
        "asap|omg|"
        # fan pass 12: "should i watch itaewon class or not"
        "or not|or nah|or no|worth finishing|worth continuing|worth rewatching|worth a rewatch|"
        # fan pass 13: "where do i watch mr. sunshine legally?"
        "legally|legit|online|for free|free online|online free|right now|rn|atm|currently|"
        # fan pass 14: "vincenzo imdb", "moving main cast", "lovely runner leads", "나의 아저씨
        # 평점" (rating), "kingdom 2019 version", "how many stars does stranger get"
        "imdb|on imdb|imdb rating|imdb score|mdl|on mdl|mdl rating|mydramalist|main cast|"
        "the main cast|leads|the leads|main leads|lead actors|main actors|평점|별점|version|"
        "get|got|"
        # fan pass 15: "moon embracing the sun out of 10?" (a rating's scale, not season 10)
        "out of 10|out of 5|out of ten|out of five|out of 100|"
        # fan pass 16: "vincenzo tmdb", "reply 1988 rotten tomatoes", "run on stars", "cloy vs
        # goblin which is better"
        "tmdb|on tmdb|tmdb rating|tmdb score|rotten tomatoes|on rotten tomatoes|"
        "rotten tomatoes score|stars|percent|which is better|which one is better|"
        "which is best|which one is best|which one|who wins|"
        # fan pass 19: "what is queen of tears abt", "squid game s2 when", "goblin thoughts??",
        # "goblin rewatch value"
        "abt|when|thoughts|any thoughts|rewatch|rewatch value|right|so good right|"
        "is so good right|is so good"
    ).split("|")
)
# After a title, only in a question ("is signal scary", "is queen of tears sad??", "how is mr
# queen rated", "what year did reply 1997 come out"): what it asks about the drama. Only when
# the query starts as a question, so a title ending in such a word typed alone is left whole.
QUESTION_STARTS = frozenset("is was are does did do will should how when what".split())
# Words a fan says before a question, which still starts after them: "wait is hellbound …".
FILLERS = frozenset("wait hold on btw um umm hmm ok okay so and but also".split())
# In a question, what follows the title from "the one with" on asks which drama it is: "is
# hellbound the one with the angels from hell", "is signal the one where they talk by radio".
_THE_ONE = re.compile(r"\s+the\s+one\s+(?:with|where|about|that|who|in\s+which|when)(?:\s.*)?$")
ASKED_ABOUT = frozenset(
    (
        "sad|scary|funny|romantic|dark|violent|gory|bloody|boring|slow|long|short|depressing|"
        "sad or happy|happy or sad|good or bad|cringe|cringy|overrated|underrated|popular|"
        "famous|finished|complete|completed|ongoing|over|ended|rated|ranked|fun|any fun|"
        "sad ending|happy ending|a happy ending|a sad ending|have a happy ending|"
        "have a sad ending|too sad|too dark|too long|too slow|too violent|too scary|"
        "really good|that good|so good|really that good|hard to watch|kid friendly|"
        "family friendly|for kids|ok for kids|okay for kids|appropriate|a romance|a romcom|"
        "a rom com|a comedy|a thriller|a horror|a melodrama|a sad drama|scary or not|"
        "based on a webtoon|based on a true story|a true story|based on a book|"
        "come out|came out|air|aired|release|released|premiere|premiered|start|end|"
        "start airing|finish airing|get released|first air|first aired"
    ).split("|")
)


def noise_phrases(services: frozenset[str]) -> frozenset[str]:
    """Services and kinds as words around a title, also as "on Netflix", "from tvN"."""
    named = SERVICES | services
    return named | KINDS | frozenset(f"{w} {s}" for s in named for w in ("on", "from", "in"))


NOISE = noise_phrases(frozenset())
# Before a title, a kind of show only with an article: "the drama Run On"; "show road sun"
# is more likely a misspelled title than a show called "Road Sun".
_BARE_KINDS = frozenset("drama dramas series show tv korean miniseries".split())
_LONGEST = 6  # words in the longest phrase above ("what should i watch after finishing")

_EPISODE = re.compile(r"^(?:ep|eps|episode|episodes|e)(\d{1,4})?$")
_NUMBER = re.compile(r"^\d{1,4}$")
_SEASON_NUMBER = re.compile(r"^[1-9]\d?$")  # "2", "12"; not "020"
# Also in other languages (fan pass 19: "kingdom saison 2", "kingdom temporada 2").
_SEASON_WORD = re.compile(
    r"^(?:season|seasons|series|part|pt|s|시즌|파트|chapter|book"
    r"|saison|temporada|staffel|stagione|seizoen|sezon|musim|parte|partie|teil)(\d{1,2})?$"
)
# "s2", "ss2" (fan pass 16), "s2e5", "시즌2", "2기"
_SEASON_TOKEN = re.compile(r"^(?:ss?(\d{1,2})(?:e\d{1,4})?|시즌(\d{1,2})|(\d{1,2})기)$")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
_ROMAN = {"ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
}
# Numbers in other languages fans write a season with, read only after a season word ("kingdom
# season deux", "kingdom temporada dos") or as an ordinal before one ("deuxieme saison"): a
# bare "dos" or "tre" after a title is no season.
_OTHER_NUMBERS = {
    **dict.fromkeys("un une uno una eins een satu isa hana".split(), 1),
    **dict.fromkeys("deux dos dois duas due zwei twee dua dalawa dul".split(), 2),
    **dict.fromkeys("trois tres tre drei drie tiga tatlo".split(), 3),
    **dict.fromkeys("quatre cuatro quatro quattro vier empat apat".split(), 4),
    **dict.fromkeys("cinq cinco cinque funf vijf lima".split(), 5),
    **dict.fromkeys("premiere primera primero prima primo erste eerste pertama".split(), 1),
    **dict.fromkeys("deuxieme seconde segunda segundo seconda secondo zweite kedua".split(), 2),
    **dict.fromkeys("troisieme tercera tercero terza terzo dritte derde ketiga".split(), 3),
}
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_YEAR_WORDS = frozenset("year from in aired released made".split())
_HANGUL_NUMBER = re.compile(r"(?<![시즌])([\uac00-\ud7a3])([1-9]\d?)\b")
# "penthouse2021", "goblin2016": a year typed against the title's last word.
_GLUED_YEAR = re.compile(r"\b([a-z]{3,})((?:19|20)\d\d)\b")
# A score asked about after a title, no season: "9/10", "8.5/10?", "above 4 stars", "rated
# over 8", "90%" (fan pass 16).
# Words of Hangul letters alone (no syllable): "ㅠㅠ" (crying), "ㅋㅋ", "ㅎㅎ" (laughing), never
# a title's.
_JAMO_ONLY = re.compile(r"(?<!\S)[\u3131-\u318e]+(?!\S)")
_SCORE_ASKED = re.compile(
    r"(?<=\S)\s+(?:(?:rated|scored|rating|score)\s+)?"
    r"(?:(?:above|over|below|under|at\s+least|more\s+than|less\s+than)\s+)?"
    r"\d{1,3}(?:[.,]\d{1,2})?\s*(?:/\s*(?:10|5|100)\b|stars?\b|%|percent\b)[\s?!.]*$"
    r"|(?<=\S)\s+(?:(?:rated|scored)\s+)?(?:above|over|below|under|at\s+least|more\s+than"
    r"|less\s+than)\s+\d{1,3}(?:[.,]\d{1,2})?[\s?!.]*$",
    re.IGNORECASE,
)
_SHORT_YEAR = re.compile(r"\s[(\[]?['’](\d\d)[)\]]?\s*$")
MAX_SEASON = 30


# A pasted link: a scheme, or a host and a path ("mydramalist.com/25172-vincenzo"), and nothing
# else; "D.P." is no link.
_LINK = re.compile(
    r"^\s*<?(?:(?P<scheme>https?)://)?(?P<host>[\w-]+(?:\.[\w-]+)+)"
    r"(?P<path>/[^\s?#>]*)?(?:[?#][^\s>]*)?>?\s*$",
    re.IGNORECASE,
)
# A page's id and its title's slug in one part of a path: MyDramaList's "25172-vincenzo",
# TMDB's "96162-vincenzo", Viki's "37589c-vincenzo".
_ID_SLUG = re.compile(r"^\d+[a-z]{0,2}-(?P<slug>\w.*)$", re.IGNORECASE)
# An id with no words (Netflix's "81365087", IMDb's "tt13433812") or a language ("kr-en").
_BARE_ID = re.compile(r"^(?:[a-z]{0,3}\d{3,}[a-z]{0,2}|[a-z]{2}(?:[-_][a-z]{2})?)$", re.IGNORECASE)
# Parts of a path that name a kind of page, not a title.
_PAGE_WORDS = frozenset(
    "tv title titles show shows series drama dramas movie movies watch cast credits reviews "
    "review episodes episode season seasons videos wiki w en ko kr us browse info details "
    "www amp name people person actors actor".split()
)


def title_in_link(text: str) -> str | None:
    """The title a pasted link names, as words: ``https://mydramalist.com/25172-vincenzo`` ->
    ``"vincenzo"``, ``https://namu.wiki/w/%EB%B9%88%EC%84%BC%EC%A1%B0`` -> ``"빈센조"``; ``""``
    for a link that names none (Netflix's ``/title/81365087``); None when ``text`` is no link."""
    link = _LINK.match(text)
    if link is None or not (link["scheme"] or (link["path"] or "").strip("/")):
        return None
    parts = [unquote(p) for p in (link["path"] or "").split("/") if p]
    for part in parts:
        if (found := _ID_SLUG.match(part)) is not None:
            return _slug_words(found["slug"])
    for part in reversed(parts):
        if (
            any(ch.isalpha() for ch in part)
            and part.lower() not in _PAGE_WORDS
            and not _BARE_ID.match(part)
        ):
            return _slug_words(part)
    return ""


# A link among other words ("squid game https://www.netflix.com/title/81040344"): one written
# with its scheme or "www.", so that "D.P." or "mr.queen" are never taken for one.
_LINK_AMONG_WORDS = re.compile(r"<?(?:https?://|www\.)\S+", re.IGNORECASE)


def links_apart(text: str) -> tuple[str, tuple[str, ...]]:
    """The words of ``text`` without the links among them, and those links:
    ``"squid game https://www.netflix.com/title/81040344"`` -> ``("squid game",
    ("https://www.netflix.com/title/81040344",))``; ``(text, ())`` when it holds none."""
    links = tuple(found.group().strip("<>") for found in _LINK_AMONG_WORDS.finditer(text))
    if not links:
        return text, ()
    return " ".join(_LINK_AMONG_WORDS.sub(" ", text).split()), links


# A browser tab's title pasted whole: "Vincenzo | Netflix Official Site", "Vincenzo (2021) -
# MyDramaList". What follows the last separator is set aside when it names a site.
_PAGE_SEPARATOR = re.compile(r"\s+[|\-–—:·•]{1,2}\s+")
_SITES = frozenset(
    "mydramalist mdl tmdb imdb wikipedia wiki asianwiki namuwiki namu kdramadb hancinema "
    "soompi dramabeans".split()
)
_SITE_WORDS = 6  # a site's name in a tab title is short: "The Movie Database (TMDB)"


def title_in_page_title(text: str, services: frozenset[str] = SERVICES) -> str | None:
    """The title in a browser tab's title: ``Vincenzo (2021) - MyDramaList`` -> ``Vincenzo
    (2021)``; None when ``text`` ends in no site's name after a separator."""
    found = None
    while True:
        parts = _PAGE_SEPARATOR.split(text)
        if len(parts) < 2:
            return found
        last = fold(parts[-1]).split()
        named = set(last) & (_SITES | services) or any(
            " ".join(last[n : n + 2]) in services for n in range(len(last) - 1)
        )
        if not last or len(last) > _SITE_WORDS or not named:
            return found
        cut = list(_PAGE_SEPARATOR.finditer(text))[-1]
        text = found = text[: cut.start()].strip()


def _slug_words(slug: str) -> str:
    """ "reply-1988" -> "reply 1988"; "Sweet_Home" -> "Sweet Home"."""
    return " ".join(re.split(r"[-_+\s]+", slug.removesuffix(".html"))).strip()


# What a terminal's colours and cursor moves look like when pasted with a title: a CSI sequence
# ("\x1b[31m", "\x1b[1;31m", "\x1b[0m", "\x1b[2K", or "\x9b31m" in its 8-bit form), an OSC
# one ("\x1b]8;;https://...\x07": a terminal's link), another escape ("\x1b(B"), and a colour
# code whose escape character was lost on the way ("[31m", "[0m").
_TERMINAL_CODE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
    r"|\[\d{1,3}(?:;\d{1,3})*m",
)


def without_terminal_codes(text: str) -> str:
    r"""``text`` without a terminal's escape sequences: ``"vincenzo\x1b[31m"`` -> ``"vincenzo"``
    (they are never matched, and never echoed)."""
    if "\x1b" not in text and "\x9b" not in text and "[" not in text:
        return text
    return _TERMINAL_CODE.sub("", text)


def strip_mentions(text: str) -> str:
    """The query without Discord mentions: ``"<@123> mr queen"`` -> ``" mr queen"``."""
    return _MENTION.sub(" ", text)


@dataclass(frozen=True, slots=True)
class TitleQuery:
    """A title query taken apart (all text folded).

    ``plain``: the query without the words around the title (services, "kdrama", episode
    markers, a question), but with any season or year; ``core``: ``plain`` without them too.
    """

    plain: str
    core: str
    season: int | None = None
    year: int | None = None
    steps: tuple[str, ...] = ()  # the shorter forms ``plain`` passed through, longest first
    # How the season was named: "part" ("part 2", "pt 2", "파트2"), "season" ("season 2",
    # "S2", "시즌2", "2기", "2nd season"), or "" for a bare number ("2", "II").
    marker: str = ""
    # The words before the season marker, a year among them ("reply 1988" of "reply 1988 2").
    unseasoned: str = ""
    # The networks and streaming services set aside ("netflix" of "black knight on netflix").
    outlets: tuple[str, ...] = ()


def parse_title_query(text: str, noise: frozenset[str] = NOISE) -> TitleQuery:
    """Take a title query apart; nothing is dropped that would leave no title at all.
    ``noise``: the phrases around a title (:func:`noise_phrases` with the catalog's services)."""
    text = _SCORE_ASKED.sub("", text)  # "hometown cha cha cha 9/10?": a score, no season
    text = _JAMO_ONLY.sub(" ", text)  # "사랑의 불시착 ㅠㅠ": crying, laughing (fan pass 17)
    short_year = _SHORT_YEAR.search(text)  # "meteor garden '18" is a year, not season 18
    if short_year:
        text = text[: short_year.start()]
    steps: list[list[str]] = []
    dropped: list[str] = []
    # "슬의생2": a number written against a Hangul name is its season or part.
    folded = _GLUED_YEAR.sub(r"\1 \2", _HANGUL_NUMBER.sub(r"\1 \2", fold(text))).split()
    started = next((w for w in folded if w not in FILLERS), "")
    asking = started in QUESTION_STARTS
    if asking and (which := _THE_ONE.search(" ".join(folded))):
        before = " ".join(folded)[: which.start()].split()  # "the one with …": which it is
        if any(w not in FILLERS and w not in QUESTION_STARTS for w in before):
            folded = before  # (not "is the one that got away good": no title before it)
    words = _strip_ends(folded, noise, steps, dropped, asking)
    # The words before a title alone set aside, too: "shows like good vibes" names Good
    # Vibes, whose "vibes" the end's rules take for words around a title.
    if (led := _strip_starts(folded, noise)) != folded and led not in steps:
        steps.insert(0, led)  # (the longest: tried exactly before the shorter forms)
    words = _season_first(_episode_first(words))  # "season 2 of sweet home": "sweet home season 2"
    plain = " ".join(words + ([short_year[1]] if short_year else []))
    season, year = None, _short_year(short_year[1]) if short_year else None
    marker = unseasoned = ""
    # Trailing markers, innermost last: "sweet home season 2 2023", "yumis cells 2".
    while len(words) > 1:
        found = _season_at_end(words)
        if found is not None and season is None:
            season, used = found
            marker = _marker(words[-used:])
            words = _strip_ends(words[:-used], noise, dropped=dropped)
            unseasoned = " ".join(words)
            continue
        if found is not None and marker == "part" and _numbered(words[-found[1] :]):
            # "voice 4 part 2": a part of season 4, so season 4 (a card holds a whole season).
            season, used = found
            marker = _marker(words[-used:])
            words = _strip_ends(words[:-used], noise, dropped=dropped)
            unseasoned = " ".join(words)
            continue
        if year is None and _YEAR.match(words[-1]):
            year = int(words[-1])
            words = words[:-1]
            # "run on year 2020", "the glory aired in 2022": the words naming it go too.
            while len(words) > 1 and words[-1] in _YEAR_WORDS:
                words = words[:-1]
            words = _strip_ends(words, noise, dropped=dropped)
            continue
        break
    tried = tuple(" ".join(step) for step in steps)
    core = " ".join(words) or plain
    outlets = tuple(dict.fromkeys(o for p in dropped if (o := _outlet(p, noise))))
    return TitleQuery(plain or fold(text), core, season, year, tried, marker, unseasoned, outlets)


_NOT_OUTLETS = KINDS | LEADS | TAILS
# The words of the phrases a title follows (:func:`_unslipped`).
_LEAD_WORDS = frozenset(word for phrase in LEADS for word in phrase.split())


def _outlet(phrase: str, noise: frozenset[str]) -> str | None:
    """The network or service a phrase set aside names: "on netflix" -> "netflix"; "kdrama" and
    "please" name none."""
    first, _, rest = phrase.partition(" ")
    if first in {"on", "from", "in"} and rest:
        phrase = rest
    if phrase in noise and phrase not in _NOT_OUTLETS:
        return phrase
    return None


_PART_WORD = re.compile(r"^(?:part|pt|파트|chapter|book|parte|partie|teil)\d*$")


def _numbered(words: list[str]) -> bool:
    """Whether a season marker is written with digits ("4", "season 4", "s4"), not words
    ("twenty five twenty one" ends in no season)."""
    return any(ch.isdigit() for ch in words[-1])


def only_a_marker(core: str) -> bool:
    """Whether what is left of a query is a season or part word alone ("part" of "part 2"):
    no title at all."""
    return bool(core) and all(_SEASON_WORD.match(w) and not w.isdigit() for w in core.split())


def _marker(words: list[str]) -> str:
    """How a season marker's words name it: "part", "season", or "" (a bare number)."""
    if any(_PART_WORD.match(w) for w in words):
        return "part"
    if len(words) == 1 and (_number(words[0]) is not None):
        return ""
    return "season"


def _strip_ends(
    words: list[str],
    noise: frozenset[str],
    steps: list[list[str]] | None = None,
    dropped: list[str] | None = None,
    asking: bool = False,
) -> list[str]:
    """Drop noise phrases and episode markers from both ends while a title word remains: the
    end first, then the start ("show window netflix" passes through "show window"). Each
    shorter form is added to ``steps``, each phrase dropped to ``dropped``; ``asking``: the
    query starts as a question, so what it asks about after the title goes too
    (:data:`ASKED_ABOUT`)."""
    ends, starts = noise | TAILS, (noise - _BARE_KINDS) | LEADS
    doubled = any(len(word) > 2 and word[-1] == word[-2] for word in words)  # ("watchh")
    for at_end in (True, False):
        changed = True
        while changed and len(words) > 1:
            changed = False
            for size in range(min(_LONGEST, len(words) - 1), 0, -1):
                if at_end and (
                    (phrase := " ".join(words[-size:])) in ends
                    or (asking and phrase in ASKED_ABOUT)
                    or (size == 1 and _unstretched(phrase) in ends)
                ):
                    if size > 1 and f"{words[-size - 1]} {words[-size]}" in noise - KINDS:
                        # "kingdom apple tv series": "tv" ends a service, not "tv series"
                        size -= 1
                        phrase = " ".join(words[-size:])
                        if phrase not in ends:
                            continue
                    words, changed = words[:-size], True
                    break
                if at_end and size == 2 and (service := _service_misspelt(words, noise)):
                    words, changed, phrase = words[:-2], True, f"on {service}"
                    break
                if not at_end and (
                    (phrase := " ".join(words[:size])) in starts
                    or (doubled and _unslipped(words[:size]) in starts)
                ):
                    words, changed = words[size:], True
                    break
            if changed and dropped is not None:
                dropped.append(phrase)
            if not changed and at_end and 0 < (episode := _episode_at_end(words)) < len(words):
                words, changed = words[:-episode], True
            if changed and steps is not None:
                steps.append(words)
    return words


def _service_misspelt(words: list[str], noise: frozenset[str]) -> str | None:
    """The service or network ``words`` end in after "on", typed with one slip: "vincenzo
    on netfilx" -> "netflix" (fan pass 14); None when they end otherwise."""
    if len(words) < 3 or words[-2] != "on" or len(typed := words[-1]) < _SLIPPED_SERVICE:
        return None
    near = [
        s
        for s in noise
        if len(s) >= _SLIPPED_SERVICE
        and s[0] == typed[0]
        and DamerauLevenshtein.distance(s, typed) == 1
        and is_slip(typed, s)
        and s not in _NOT_OUTLETS
    ]
    return near[0] if len(near) == 1 else None


# A service's name this long or longer may be typed with one slip after "on".
_SLIPPED_SERVICE = 5
_STRETCHED = re.compile(r"(\w)\1{2,}$")


def _unstretched(word: str) -> str:
    """A word whose last letter is typed three times or more, with it once: "plsss" ->
    "pls", "pleaseee" -> "please" (fan pass 10); any other word as it is."""
    return _STRETCHED.sub(r"\1", word) if word[-3:-2] == word[-1:] else word


def _unslipped(words: list[str]) -> str:
    """The words of a phrase a title follows, a last letter typed twice made once where that
    makes a word of such phrases: "where can i watchh" (fan pass 18)."""
    return " ".join(
        word[:-1] if len(word) > 2 and word[-1] == word[-2] and word[:-1] in _LEAD_WORDS else word
        for word in words
    )


def _strip_starts(words: list[str], noise: frozenset[str]) -> list[str]:
    """``words`` without the phrases a title follows ("shows like", "the drama"), while a
    word remains; the end is left as it is."""
    starts = (noise - _BARE_KINDS) | LEADS
    changed = True
    while changed and len(words) > 1:
        changed = False
        for size in range(min(_LONGEST, len(words) - 1), 0, -1):
            if " ".join(words[:size]) in starts:
                words, changed = words[size:], True
                break
    return words


def _episode_at_end(words: list[str]) -> int:
    """How many words at the end say which episode: "ep 3", "episode 8", "e03", "ep3"."""
    last = _EPISODE.match(words[-1])
    if last and last.group(1):
        return 1
    if len(words) >= 2 and _NUMBER.match(words[-1]) and _EPISODE.match(words[-2]):
        return 2
    return 0


def _season_at_end(words: list[str]) -> tuple[int, int] | None:
    """``(season, words used)`` for a season marker ending ``words``: "2", "II", "season 2",
    "s2", "part 2", "시즌2", "2기", "2nd season", "season two"."""
    last = words[-1]
    before = words[-2] if len(words) >= 2 else ""
    if (token := _SEASON_TOKEN.match(last)) is not None:
        return _season(int(next(g for g in token.groups() if g)), 1)
    if (word := _SEASON_WORD.match(last)) is not None and word.group(1):
        return _season(int(word.group(1)), 1)
    number = _number(last)
    if number is None and _SEASON_WORD.fullmatch(before) and len(words) > 2:
        number = _OTHER_NUMBERS.get(last)  # "kingdom season deux", "kingdom temporada dos"
        return None if number is None else _season(number, 2)
    if number is not None:
        if _SEASON_WORD.fullmatch(before) and len(words) > 2:
            return _season(number, 2)
        return _season(number, 1) if _SEASON_NUMBER.match(last) or last in _ROMAN else None
    if last in {"season", "시즌"} and len(words) > 2 and (ordinal := _ORDINAL.match(before)):
        return _season(int(ordinal.group(1)), 2)
    if last == "season" and len(words) > 2 and before in _WORD_NUMBERS:
        return _season(_WORD_NUMBERS[before], 2)
    if _SEASON_WORD.fullmatch(last) and len(words) > 2 and before in _OTHER_NUMBERS:
        return _season(_OTHER_NUMBERS[before], 2)  # "kingdom deuxieme saison"
    return None


def _episode_first(words: list[str]) -> list[str]:
    """An episode named before its title, set aside (fan pass 19): "ep 1 of start up free",
    "episode 3 of the glory", "ep3 of moving" -> the words after "of"."""
    for used in (1, 2):
        if len(words) > used + 1 and words[used] == "of" and _episode_at_end(words[:used]) == used:
            return words[used + 1 :]
    return words


def _season_first(words: list[str]) -> list[str]:
    """A season named before its title, moved after it: "season 2 of sweet home", "the 2nd
    season of sweet home", "s2 of kingdom", "part 2 of the glory" -> "sweet home season 2",
    ..., "the glory part 2". Only with a number ("part of me" is a title) and "of"."""
    start = 1 if words[:1] == ["the"] else 0
    for used in (1, 2):
        of = start + used
        if len(words) <= of + 1 or words[of] != "of":
            continue
        marker = words[start:of]
        number = _leading_season(marker)
        if number is not None and 1 <= number <= MAX_SEASON:
            kind = "part" if any(_PART_WORD.match(w) for w in marker) else "season"
            return [*words[of + 1 :], kind, str(number)]
    return words


def _leading_season(marker: list[str]) -> int | None:
    """The season one or two words name before "of": "s2", "season2", "시즌2", "season 2",
    "season two", "2nd season", "second season", "part 2"."""
    if len(marker) == 1:
        if (token := _SEASON_TOKEN.match(marker[0])) is not None:
            return int(next(g for g in token.groups() if g))
        word = _SEASON_WORD.match(marker[0])
        return int(word.group(1)) if word is not None and word.group(1) else None
    first, second = marker
    if _SEASON_WORD.fullmatch(first) and not first.isdigit():
        return _number(second)
    if second in {"season", "part", "시즌"}:
        if (ordinal := _ORDINAL.match(first)) is not None:
            return int(ordinal.group(1))
        return _WORD_NUMBERS.get(first)
    return None


def bare_number_word(word: str) -> int | None:
    """The season a cardinal number word names after a title ("two" to "five"), else None."""
    return _CARDINALS.get(word)


_CARDINALS = {"two": 2, "three": 3, "four": 4, "five": 5}


def _number(word: str) -> int | None:
    if _NUMBER.match(word):
        return int(word)
    if word in _ROMAN:
        return _ROMAN[word]
    return _WORD_NUMBERS.get(word)


def _season(number: int, used: int) -> tuple[int, int] | None:
    return (number, used) if 1 <= number <= MAX_SEASON else None


def _short_year(digits: str) -> int:
    """``'18`` -> 2018; ``'97`` -> 1997 (two digits above 50 are 19xx)."""
    number = int(digits)
    return 1900 + number if number > 50 else 2000 + number
