"""Reading a review article: HTML or plain text reduced to lines, and the labelled facts in it
(``Main Cast:``, ``Streaming Site:``, the three scores, ``K-Dramas of Similar Vibe:``, ...).

Pure: no files, no network. :mod:`bot.review_import` turns the result into a card draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from bot.cards.model import SCORE_NAMES

MAX_LIST_ITEMS = 30
MAX_HIGHLIGHTS = 15
MIN_YEAR, MAX_YEAR = 1950, 2100

# ---------------------------------------------------------------------------- the article


@dataclass(frozen=True, slots=True)
class Article:
    """A review page reduced to what extraction needs."""

    headline: str | None
    lines: tuple[str, ...]  # cleaned text lines; "" marks a paragraph break
    headings: tuple[str, ...]  # section headings, in order
    meta: PageMeta = field(default_factory=lambda: PageMeta())


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a saved or fetched page says about itself, beside the article text. Addresses are
    as written in the page (possibly relative); callers resolve them against the page's URL."""

    canonical_url: str | None = None  # <link rel=canonical>, og:url, or "saved from url="
    site_name: str | None = None  # og:site_name
    categories: tuple[str, ...] = ()  # WordPress category-/tag- classes, rel=category/tag links
    feed_links: tuple[str, ...] = ()  # <link rel=alternate> RSS/Atom feeds the page advertises


_INVISIBLE: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None),
    **dict.fromkeys(map(ord, "\u2010\u2011"), "-"),  # hyphens that look like "-"
}
_DROPPED_TAGS = ("script", "style", "nav", "footer", "aside", "form", "noscript", "template")
_BLOCK_TAGS = tuple(
    "p li h1 h2 h3 h4 h5 h6 div section article header main blockquote pre tr td th dt dd ul ol"
    " dl table figure figcaption hr".split()
)
# Class or id fragments of page furniture around a WordPress post: comments, sharing buttons,
# related-post lists, widgets. Their text must not be read as the review's.
_FURNITURE = tuple("comment respond related share sharing widget sidebar newsletter".split())
# WordPress also puts a post's categories and tags in its classes ("tag-sharing"): not furniture.
_TAXONOMY_CLASSES = ("tag-", "category-", "post-", "postid-", "status-", "format-", "type-")
_NEVER_FURNITURE = frozenset({"html", "body", "main", "article"})


def clean_line(text: str) -> str:
    """One line of text with invisible characters removed, Unicode hyphens made ``-`` and any
    whitespace run (including non-breaking spaces) made a single space."""
    return " ".join(text.translate(_INVISIBLE).split())


def looks_like_html(name: str, text: str) -> bool:
    """By suffix (``.html``/``.htm``), else by sniffing the start of the text."""
    if name.lower().endswith((".html", ".htm")):
        return True
    start = text.lstrip("\ufeff \t\r\n")[:512].lower()
    return start.startswith(("<!doctype", "<html")) or "<html" in start


def article_from_html(html: str) -> Article:
    """Reduce an HTML page to lines: each paragraph, list item, heading and ``<br>`` its own."""
    soup = BeautifulSoup(html, "html.parser")
    meta = page_meta(soup, html)
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_furniture):
        tag.decompose()
    headline = _html_headline(soup)
    body = _html_body(soup)
    headings = tuple(
        text
        for heading in body.find_all(["h2", "h3"])
        if (text := clean_line(heading.get_text(" ")))
    )
    _label_rows(body)
    for br in body.find_all("br"):
        br.replace_with("\n")
    for block in body.find_all(_BLOCK_TAGS):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = tuple(clean_line(line) for line in body.get_text().splitlines())
    return Article(headline, _squeeze_blanks(lines), headings, meta)


_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(?P<url>https?://[^\s>]+)\s*-->", re.I)
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})
_TAXONOMY_PREFIXES = ("category-", "tag-")


def page_meta(soup: BeautifulSoup, html: str) -> PageMeta:
    """The page's own address, site name, categories and advertised feeds."""
    canonical = _attr(soup.find("link", rel="canonical"), "href") or _attr(
        soup.find("meta", property="og:url"), "content"
    )
    if canonical is None and (saved := _SAVED_FROM.search(html[:4096])):
        canonical = saved["url"]
    site = _attr(soup.find("meta", property="og:site_name"), "content")
    categories: list[str] = []
    for article in soup.find_all("article"):
        for cls in article.get("class") or ():
            if str(cls).startswith(_TAXONOMY_PREFIXES):
                categories.append(str(cls).split("-", 1)[1].replace("-", " "))
    for link in soup.find_all("a", rel=["category", "tag"]):
        categories.append(clean_line(link.get_text(" ")))
    feeds = [
        href
        for link in soup.find_all("link", rel="alternate")
        if str(link.get("type", "")).lower() in _FEED_TYPES and (href := _attr(link, "href"))
    ]
    return PageMeta(
        canonical_url=canonical,
        site_name=one_line(site)[:100] if site else None,
        categories=tuple(dict.fromkeys(c for c in categories if c))[:50],
        feed_links=tuple(dict.fromkeys(feeds))[:5],
    )


def _attr(tag: Tag | None, name: str) -> str | None:
    if not isinstance(tag, Tag):
        return None
    value = tag.get(name)
    text = clean_line(value if isinstance(value, str) else "")
    return text or None


_MAX_ROW_LABEL = 40


def _label_rows(body: Tag) -> None:
    """Infobox tables (``<tr><th>Starring</th><td>A, B</td></tr>``) and definition lists
    (``<dt>Network</dt><dd>tvN</dd>``) become ``Label: value`` lines, as other templates write
    them."""
    for row in body.find_all("tr"):
        cells = row.find_all(["th", "td"], recursive=False)
        if len(cells) == 2:
            _join_pair(row, cells[0], cells[1])
    for term in body.find_all("dt"):
        definition = term.find_next_sibling()
        if isinstance(definition, Tag) and definition.name == "dd":
            _join_pair(term, term, definition)
            definition.decompose()


def _join_pair(container: Tag, key_cell: Tag, value_cell: Tag) -> None:
    key = clean_line(key_cell.get_text(" ")).rstrip(":：").strip()
    if not key or len(key) > _MAX_ROW_LABEL:
        return
    value = clean_line(value_cell.get_text(" "))
    container.clear()
    container.append(f"\n{key}: {value}\n")


def _is_furniture(tag: Tag) -> bool:
    if tag.name in _NEVER_FURNITURE or tag.find(class_="entry-content") is not None:
        return False
    names = [str(tag.get("id") or "")]
    names += [str(c) for c in tag.get("class") or () if not str(c).startswith(_TAXONOMY_CLASSES)]
    return any(part in name.lower() for name in names for part in _FURNITURE)


def _html_headline(soup: BeautifulSoup) -> str | None:
    candidates: list[Tag | None] = [
        soup.find(["h1", "h2", "h3"], class_="entry-title"),  # WordPress, Blogger (h3)
        soup.find(["h1", "h2", "h3"], class_="post-title"),
        *(scope.find("h1") for scope in soup.find_all(["article", "main"])),
        soup.find("h1"),
        soup.find("title"),
    ]
    for tag in candidates:
        if tag is not None and (text := clean_line(tag.get_text(" "))):
            return text
    return None


def _html_body(soup: BeautifulSoup) -> Tag:
    for found in (
        soup.find(class_="entry-content"),
        soup.find("article"),
        soup.find("main"),
        soup.find("body"),
    ):
        if isinstance(found, Tag):
            return found
    return soup


def _squeeze_blanks(lines: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return tuple(out)


_MARKDOWN_HEADING = re.compile(r"^#{2,6}\s+(?P<text>.+?)\s*#*$")


def article_from_text(text: str) -> Article:
    """A plain-text article: the first non-empty line is the headline (unless it is a label);
    ``## `` lines and short title-like lines before a paragraph are section headings."""
    lines = _squeeze_blanks(clean_line(line) for line in text.splitlines())
    first = next((line for line in lines if line), None)
    headline = None
    if first is not None and _label(first) is None:
        headline = first.lstrip("#").strip() or None
    headings: list[str] = []
    for index, line in enumerate(lines):
        if index == 0 or not line:
            continue
        if match := _MARKDOWN_HEADING.match(line):
            headings.append(match["text"])
        elif _looks_like_text_heading(lines, index):
            headings.append(line)
    return Article(headline, lines, tuple(headings))


_BULLET_CHARS = "•·◦▪●►*-–—"
_SENTENCE_END = (".", ",", ";", ":")
_BYLINE = re.compile(r"^(?:posted|published|updated|written|by)\b", re.IGNORECASE)


def _looks_like_text_heading(lines: Sequence[str], index: int) -> bool:
    line = lines[index]
    if lines[index - 1] or len(line) > 100 or len(line.split()) > 14:
        return False
    if line.endswith(_SENTENCE_END) or line[0] in _BULLET_CHARS or "|" in line:
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"“‘'"):
        return False
    if _label(line) is not None or _BYLINE.match(line):
        return False
    following = next((later for later in lines[index + 1 :] if later), "")
    return _label(following) is None and (len(following) >= 80 or len(following.split()) >= 12)


# ---------------------------------------------------------------------------- labels


def _plural(word: str) -> str:
    """``site``, ``sites`` and ``site(s)``, as review templates write them."""
    return rf"{word}(?:s|\s*\(s\))?"


# Label variants collected from real review-blog templates (one-line fact labels above or
# beside the review). Order matters: the first pattern that fits a line names it.
_LABEL_PATTERNS = {
    "title": r"(?:drama\s*|english\s*|show\s*)?title",
    "native_title": (r"native\s*title|(?:korean|original|hangul)\s*(?:title|name)|hangul|hangeul"),
    "cast": (
        r"(?:main\s*|lead\s*)?cast|starring|(?:main\s*|lead\s*)?actors?(?:\s*and\s*actress(?:es)?)?"
    ),
    "streaming": (
        rf"streaming\s*(?:{_plural('site')}|{_plural('platform')}|{_plural('service')}|on)"
        r"|where\s*(?:to|can\s*(?:i|you))\s*(?:watch|stream)(?:\s*it)?"
        r"|(?:watch|stream)\s*(?:it\s*)?on|available\s*(?:to\s*(?:stream|watch)\s*)?on"
        rf"|{_plural('platform')}|streaming"
    ),
    "romance": (
        r"(?:romance\s*/\s*addictive|romance|addictive(?:ness)?)\s*(?:meter|rating|score)"
        r"|addictiveness"
    ),
    "overall": r"(?:overall|final|my)\s*(?:rating|score)",
    "rewatch": r"re-?\s*watch\s*(?:value|factor|ability)|re-?\s*watchability",
    "similar": (
        r"k-?\s*dramas?\s*(?:of|with)\s*(?:a\s*)?similar\s*vibes?|similar\s*k-?\s*dramas?"
        r"|similar\s*(?:dramas?|shows?|series|titles?)|(?:dramas?|shows?)\s*like\s*this"
        r"|if\s*you\s*(?:liked|like|enjoyed)\s*(?:this|it)?,?\s*(?:try|watch)"
    ),
    "year": (
        r"(?:release\s*)?year|year\s*(?:released|of\s*release|aired)|first\s*aired|aired"
        + "|"
        + _plural(r"air\s*date")
        + "|"
        + _plural(r"airing\s*date")
        + r"|release\s*date|released"
        r"|broadcast\s*(?:period|dates?)|original\s*run|premiered?"
    ),
    "network": (
        r"(?:original\s*|broadcast(?:ing)?\s*|tv\s*)?network|channel|broadcaster"
        r"|(?:tv\s*|broadcast(?:ing)?\s*)station"
    ),
    "episodes": rf"(?:number\s*of\s*|no\.?\s*of\s*|total\s*)?{_plural('episode')}",
    "genres": _plural("genre"),
    # Bare "Rating:"/"Score:"/"Overall:" count as the overall score only when a fraction follows
    # ("Rating: 4/5"): on their own they are too often an age rating or a section heading.
    "overall_weak": r"rating|score|overall",
}
_WEAK_LABELS = {"overall_weak": "overall"}
_LABEL_LINE = re.compile(
    rf"^[{re.escape(_BULLET_CHARS)}\s]*[*_]*\s*(?:"
    + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _LABEL_PATTERNS.items())
    + r")\s*[*_]*\s*[:：]\s*[*_]*\s*(?P<value>.*)$",
    re.IGNORECASE,
)


def _label(line: str) -> tuple[str, str] | None:
    """``("cast", "A | B")`` for a labelled fact line, else None. A weak label (``Rating:``)
    counts only with a fraction on the same line."""
    match = _LABEL_LINE.match(line)
    if match is None:
        return None
    name = next(name for name in _LABEL_PATTERNS if match[name] is not None)
    value = match["value"].strip().strip("*_").strip()
    if name in _WEAK_LABELS:
        if not _FRACTION.search(value):
            return None
        name = _WEAK_LABELS[name]
    return name, value


# ---------------------------------------------------------------------------- extraction


@dataclass(slots=True)
class Extracted:
    """What one article says, in card terms. ``scores`` holds only labels that were present;
    a present label with no usable value is None (the site showed a star image)."""

    source: str  # what review.source says: the blog's name, an address, or a file name
    title: str | None = None
    year: int | None = None
    url: str | None = None  # review.url: the https address the review was published at
    cast: list[str] = field(default_factory=list)
    streaming: list[str] = field(default_factory=list)
    scale: int = 5
    scores: dict[str, float | None] = field(default_factory=dict)
    score_texts: dict[str, str] = field(default_factory=dict)  # each score as the article wrote it
    similar: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    native_title: str | None = None
    network: str | None = None
    episodes: int | None = None
    genres: list[str] = field(default_factory=list)
    label_counts: dict[str, int] = field(default_factory=dict)  # distinct values per label

    @property
    def facts(self) -> set[str]:
        """Which review facts the article gave: cast, streaming, scores, similar."""
        given = {"cast": bool(self.cast), "streaming": bool(self.streaming)}
        given |= {"scores": bool(self.scores), "similar": bool(self.similar)}
        return {name for name, present in given.items() if present}


def extract(article: Article, source: str) -> Extracted:
    """Read the labelled fact lines, the headline and the headings of one article."""
    found: dict[str, str] = {}
    raw_scores: list[tuple[str, str]] = []
    values: dict[str, set[str]] = {}
    for name, value in _labelled_values(article.lines):
        if value:
            values.setdefault(name, set()).add(value.casefold())
        if name in SCORE_NAMES:
            if name not in dict(raw_scores):
                raw_scores.append((name, value))
        elif name not in found or (not found[name] and value):
            found[name] = value
    result = Extracted(source=one_line(source)[:300])
    result.title = _title(found.get("title"), article.headline)
    result.year = _year(found.get("year"), article.headline)
    result.cast = _people(found.get("cast", ""))
    result.streaming = _split(found.get("streaming", ""), _SERVICE_SEPARATORS)
    result.similar = _similar_titles(found.get("similar", ""))
    result.highlights = _highlights(article.headings, article.headline)
    result.scale, result.scores, result.notes = _scores(raw_scores)
    result.score_texts = dict(raw_scores)
    result.native_title = _short_text(found.get("native_title"), 200)
    result.network = _short_text(found.get("network"), 80)
    result.episodes = _episodes(found.get("episodes"), result.notes)
    result.genres = _genres(found.get("genres", ""))
    result.label_counts = {name: len(seen) for name, seen in values.items()}
    return result


def _short_text(value: str | None, limit: int) -> str | None:
    text = (value or "").strip(_QUOTE_CHARS + " .").strip()
    return text[:limit] or None


_WHOLE_NUMBER = re.compile(r"^(?P<n>\d{1,4})\b")


def _episodes(value: str | None, notes: list[str]) -> int | None:
    """``16``, ``16 episodes``, ``16 (70 minutes each)``; anything else is left out, noted."""
    if not value:
        return None
    match = _WHOLE_NUMBER.match(value.strip())
    if match and 1 <= int(match["n"]) <= 2000:
        return int(match["n"])
    notes.append(f'episodes: the article says "{one_line(value)[:80]}", not a count; left out')
    return None


_GENRE_SEPARATORS = re.compile(r"\s*[,;|/]\s*|\s+and\s+|\s*&\s*", re.IGNORECASE)
_NOT_A_TAG = re.compile(r"[^a-z0-9 &'/-]+")


def _genres(value: str) -> list[str]:
    """Lower-case tags, as cards hold them: ``Hardboiled, Noir`` -> ``["hardboiled", "noir"]``."""
    tags: list[str] = []
    for item in _split(value, _GENRE_SEPARATORS):
        tag = " ".join(_NOT_A_TAG.sub(" ", item.casefold()).split())[:40]
        if tag and tag[0].isalnum() and tag not in tags:
            tags.append(tag)
    return tags[:20]


def _labelled_values(lines: Sequence[str]) -> Iterable[tuple[str, str]]:
    for index, line in enumerate(lines):
        labelled = _label(line)
        if labelled is not None:
            name, value = labelled
            yield name, value or _value_below(lines, index, name)


def _value_below(lines: Sequence[str], index: int, name: str) -> str:
    """The value on the line right below an empty label, as in ``<b>Main Cast:</b><br>A | B``;
    "" when that line is blank, another label, prose, or (for a score) not a number."""
    below = lines[index + 1] if index + 1 < len(lines) else ""
    if not below or len(below) > 200 or _label(below) is not None:
        return ""
    if name in SCORE_NAMES:
        return below if _FRACTION.match(below) or _BARE_NUMBER.match(below) else ""
    return "" if below.endswith(".") and len(below.split()) > 8 else below


def one_line(text: str) -> str:
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


# -- title and year


_QUOTED = (
    re.compile(r"“\s*(?P<t>[^“”]+?)\s*”"),
    re.compile(r'"\s*(?P<t>[^"]+?)\s*"'),
    re.compile(r"‘\s*(?P<t>.+?)\s*’(?![^\W\d_])"),  # ’ inside a word is an apostrophe
    re.compile(r"«\s*(?P<t>[^«»]+?)\s*»"),
)
_REVIEW_WORDS = (
    r"(?:(?:k|c|j|korean|chinese|japanese|taiwanese|thai)\s*-?\s*)?(?:drama\s*|series\s+)?review"
)
# "K-Drama Review: X", "KDRAMA REVIEW | X", "Review: X", "[Review] X", "【Drama Review】X"
_REVIEW_PREFIX = re.compile(
    rf"^(?:[\[(【]\s*{_REVIEW_WORDS}\s*[\])】]\s*[:\-–—|]?\s*|{_REVIEW_WORDS}\s*[:\-–—|]\s*)",
    re.IGNORECASE,
)
# "X Review: what I thought" (the subtitle after the colon is not part of the title)
_TITLE_THEN_REVIEW = re.compile(rf"^(?P<t>.+?)\s+{_REVIEW_WORDS}\s*:\s+\S", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s+[-–—|]\s+[^-–—|]+$")
_REVIEW_SUFFIX = re.compile(r"\s+(?:k\s*-?\s*drama\s+)?review$", re.IGNORECASE)
_YEAR_IN_PARENS = re.compile(r"[(\[]\s*(?P<year>(?:19|20)\d\d)\s*[)\]]")
_ANY_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d\d)\b")
_TRAILING_YEAR = re.compile(r"\s*[(\[]\s*(?:19|20)\d\d\s*[)\]]\s*$")
_QUOTE_CHARS = "\"'“”‘’«»„"


def _title(label: str | None, headline: str | None) -> str | None:
    if label:
        title = _strip_title(label)
    elif headline:
        title = _title_from_headline(headline)
    else:
        return None
    return title[:200] or None


def _title_from_headline(headline: str) -> str:
    quoted = [m for pattern in _QUOTED if (m := pattern.search(headline))]
    if quoted:
        return _strip_title(min(quoted, key=lambda m: m.start())["t"])
    text = headline.lstrip("# ")
    if (prefix := _REVIEW_PREFIX.match(text)) is not None:
        text = text[prefix.end() :]
    elif (review := _TITLE_THEN_REVIEW.match(text)) is not None:
        text = review["t"]
    text = _SITE_SUFFIX.sub("", text)
    return _strip_title(_REVIEW_SUFFIX.sub("", text))


def _strip_title(text: str) -> str:
    text = _TRAILING_YEAR.sub("", clean_line(text))
    return text.strip(_QUOTE_CHARS + " ").rstrip(".,;:").strip()


def _year(label: str | None, headline: str | None) -> int | None:
    candidates = []
    if label and (match := _ANY_YEAR.search(label)):
        candidates.append(int(match["year"]))
    if headline and (match := _YEAR_IN_PARENS.search(headline)):
        candidates.append(int(match["year"]))
    return next((y for y in candidates if MIN_YEAR <= y <= MAX_YEAR), None)


# -- lists

_LIST_SEPARATORS = re.compile(r"\s*\|\s*")
_COMMAS = re.compile(r"\s*[,;]\s*")
_NAME_SEPARATORS = re.compile(r"\s*[,;]\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE)
_SERVICE_SEPARATORS = re.compile(r"\s*[|,;&]\s*|\s+and\s+|\s+/\s+", re.IGNORECASE)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")


def _split(value: str, separators: re.Pattern[str]) -> list[str]:
    items: list[str] = []
    for part in separators.split(value):
        item = part.strip(_QUOTE_CHARS + " .").strip()
        if item and item.casefold() not in {i.casefold() for i in items}:
            items.append(item)
    return items[:MAX_LIST_ITEMS]


def _people(value: str) -> list[str]:
    """``|`` separates names; only when there is none, commas (and ``and``/``&``) do."""
    names = _split(value, _LIST_SEPARATORS if "|" in value else _NAME_SEPARATORS)
    cleaned = (_PARENTHESES.sub("", name).strip(_QUOTE_CHARS + " ") for name in names)
    return [name[:100] for name in cleaned if name]


def _similar_titles(value: str) -> list[str]:
    """``|`` separates titles; only when there is none, commas do (titles may hold "and")."""
    titles = (_strip_title(t) for t in _split(value, _LIST_SEPARATORS if "|" in value else _COMMAS))
    return [title[:200] for title in titles if title and title.casefold() != "etc"]


# -- highlights

# Headings that are page furniture or the review's wrap-up, not a highlight: whole headings...
_BOILERPLATE_EXACT = frozenset(
    (
        "overall|summary|in summary|synopsis|plot|plot summary|trailer|related|share|like this|"
        "comments|reply|responses|tags|categories|archives|search|recent posts|cast|main cast|"
        "where to watch|rating|ratings|scores|disclaimer|subscribe|table of contents|"
        "the bottom line|bottom line|review"
    ).split("|")
)
# ...and headings that start with these words.
_BOILERPLATE_START = re.compile(
    r"^(?:in\s+)?(?:conclusion|final\s+(?:thoughts?|verdict|words)|(?:the\s+|my\s+)?verdict"
    r"|related\s+posts?|you\s+(?:may|might)\s+also\s+like|leave\s+a\s+(?:reply|comment)"
    r"|share\s+this|about\s+the\s+author|more\s+reviews|read\s+more|watch\s+the\s+trailer"
    r"|follow\s+us|post\s+navigation|to\s+sum\s+up|\d+\s+(?:comments?|responses?|thoughts?))\b"
    r"|\b(?:thoughts?\s+on|responses?\s+to)\b",
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"^(?:#?\d+\s*[.):\-–]\s*|[IVX]+\.\s+)")


def _highlights(headings: Iterable[str], headline: str | None) -> list[str]:
    picked: list[str] = []
    for heading in headings:
        text = _NUMBERING.sub("", heading).strip().rstrip(":").strip()
        if not text or text == headline or _label(heading) is not None:
            continue
        if _is_boilerplate(text):
            continue
        if text.casefold() not in {p.casefold() for p in picked}:
            picked.append(text[:300])
    return picked[:MAX_HIGHLIGHTS]


def _is_boilerplate(heading: str) -> bool:
    bare = " ".join(heading.casefold().strip(" .:!?-–—").split())
    return bare in _BOILERPLATE_EXACT or _BOILERPLATE_START.search(bare) is not None


# -- scores

_FRACTION = re.compile(
    r"(?P<value>\d+(?:[.,]\d+)?)\s*(?:/|out\s+of|of)\s*(?P<scale>\d+)", re.IGNORECASE
)
_BARE_NUMBER = re.compile(r"^(?P<value>\d+(?:[.,]\d+)?)(?![\d.,]*\s*/)")
SCORE_LABELS = {
    "romance": "Romance/Addictive Meter",
    "overall": "Overall Rating",
    "rewatch": "Rewatch Value",
}


def _number(text: str) -> float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


def _parse_score(value: str) -> tuple[float | None, int | None]:
    """``("4.5/5")`` -> ``(4.5, 5)``; a bare number has no scale; no number -> ``(None, None)``."""
    if match := _FRACTION.search(value):
        return _number(match["value"]), int(match["scale"])
    if match := _BARE_NUMBER.match(value):
        return _number(match["value"]), None
    return None, None


def _scores(
    raw: Sequence[tuple[str, str]],
) -> tuple[int, dict[str, float | None], list[str]]:
    """The common scale and each present score; disagreements become notes, never guesses."""
    parsed = {name: _parse_score(value) for name, value in raw}
    stated = [scale for _value, scale in parsed.values() if scale]
    scale = stated[0] if stated else 5
    notes: list[str] = []
    if not 1 <= scale <= 100:
        notes.append(f"the article's score scale /{scale} is not usable; assumed /5")
        scale = 5
    scores: dict[str, float | None] = {}
    for name, text in raw:
        value, own_scale = parsed[name]
        label = SCORE_LABELS[name]
        if value is None:
            if text:
                notes.append(f'ratings.{name}: {label} reads "{text}", not a number; left null')
            scores[name] = None
        elif own_scale is not None and own_scale != scale:
            notes.append(
                f'ratings.{name}: {label} is "{text}" but the first score uses /{scale}; '
                "scales conflict, left null"
            )
            scores[name] = None
        elif not 0 <= value <= scale:
            notes.append(f'ratings.{name}: {label} "{text}" is outside /{scale}; left null')
            scores[name] = None
        else:
            if own_scale is None and stated:
                notes.append(f'ratings.{name}: {label} "{text}" has no scale; assumed /{scale}')
            scores[name] = value
    return scale, scores, notes
