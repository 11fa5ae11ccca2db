"""Interface text in more than one language. Every sentence the bot says lives in
``locales/en.yaml`` under ``text:`` (command names and descriptions stay with the command specs
in ``commands.py``); every other language is one file in ``locales/``, named for Discord's
locale code, with the same keys. A missing key falls back to English, never to an error.

Answers are built without knowing who will read them: where the answer layer words something
(a reload report, a list's heading) it makes a :class:`Phrase`, a ``str`` holding the English
text plus the key and values to say it again in the reader's language when it is rendered.
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import yaml

from bot import process_caches
from bot.process_caches import cached

try:  # libyaml: the two locale files in 4 ms rather than 35 (every `ask` reads them)
    from yaml import CSafeLoader as LocaleLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as LocaleLoader  # type: ignore[assignment]

log = logging.getLogger(__name__)

DEFAULT_LOCALE = "en"
_LOCALE_CODE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")  # ko, en-US, zh-TW, es-419


@cached
def _locale_file(locale: str) -> dict[str, Any]:
    """The parsed file for ``locale`` (``{}`` when there is none, or it cannot be read)."""
    if not _LOCALE_CODE.fullmatch(locale):
        return {}
    name = f"{locale}.yaml"
    folder = resources.files("bot.answering") / "locales"
    path = folder / name
    if not path.is_file():
        return {}
    return parse_locale(path.read_text("utf-8"), name)


def parse_locale(text: str, name: str) -> dict[str, Any]:
    """A locale file's contents; a broken file is logged and left out (its users get English),
    never a crash."""
    try:
        loaded = yaml.load(text, Loader=LocaleLoader)
    except yaml.YAMLError as exc:
        log.error("locales/%s is not valid YAML, so English is used instead: %s", name, exc)
        return {}
    if not isinstance(loaded, dict):
        log.error("locales/%s does not hold a mapping, so English is used instead", name)
        return {}
    return loaded


@cached
def available_locales() -> tuple[str, ...]:
    """Every locale with a file, English first."""
    folder = resources.files("bot.answering") / "locales"
    found = sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )
    return (DEFAULT_LOCALE, *(f for f in found if f != DEFAULT_LOCALE))


def _every_locale_file() -> None:
    for locale in available_locales():
        _locale_file(locale)


process_caches.register(remake=_every_locale_file)  # (what the first answers read)


def language_of(locale: str | None) -> str:
    """Discord's locale (``ko``, ``en-US``, ``zh-TW``) -> the file to use (``ko``, ``en``);
    any case (``KO``, ``ko-kr``)."""
    if not locale:
        return DEFAULT_LOCALE
    known = {name.casefold(): name for name in available_locales()}
    for candidate in (locale, locale.split("-")[0]):
        name = known.get(candidate.casefold())
        if name is not None and _locale_file(name):
            return name
    return DEFAULT_LOCALE


def _node(locale: str, *path: str) -> Any:
    """Whatever is at ``path`` in ``locale``'s file (text, a mapping), or None."""
    node: Any = _locale_file(locale)
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def lookup(locale: str, *path: str) -> str | None:
    """The text at ``path`` in ``locale``'s file, or None."""
    node = _node(locale, *path)
    return node if isinstance(node, str) else None


def command_text(locale: str, command: str, what: str) -> str | None:
    """A command's localized ``name`` or ``description``."""
    return lookup(locale, "commands", command, what)


def option_text(locale: str, command: str, option: str, what: str) -> str | None:
    """An option's localized ``name`` or ``description`` (a command may override it)."""
    return lookup(locale, "command_options", command, option, what) or lookup(
        locale, "options", option, what
    )


PLURAL_FORMS = ("one", "other")


def _is_message(node: Any) -> bool:
    """A sentence: text, or its forms by number (``{one: ..., other: ...}``)."""
    return isinstance(node, str) or (
        isinstance(node, dict) and bool(node) and set(node) <= set(PLURAL_FORMS)
    )


def _template(language: str, key: str) -> Any:
    node = _node(language, "text", *key.split("."))
    return node if _is_message(node) else None


def _form(template: Any, values: Mapping[str, Any]) -> str:
    """The text for ``values["count"]`` when the sentence has forms by number: ``one`` for
    exactly 1 (when the language has it), ``other`` otherwise. A language without plurals
    (Korean) gives a single text instead of forms."""
    if isinstance(template, str):
        return template
    count = values.get("count")
    if count == 1 and "one" in template:
        return str(template["one"])
    return str(template.get("other", next(iter(template.values()))))


def text(key: str, locale: str | None = None, **values: Any) -> str:
    """An interface string, e.g. ``text("drama.year", "ko")``; ``{name}`` placeholders are
    filled from ``values`` (a :class:`Phrase` among them is said in the same language)."""
    language = language_of(locale)
    english = _template(DEFAULT_LOCALE, key)
    if english is None:
        raise KeyError(f"no interface text {key!r}")
    translated = _template(language, key) if language != DEFAULT_LOCALE else None
    return fill(translated, english, values, language, key)


def fill(
    translated: Any, english: Any, values: Mapping[str, Any], language: str, key: str = ""
) -> str:
    """The translated sentence with ``values`` filled in; the English one when there is no
    translation or it does not fit the values (a translator's slip is logged, never a crash)."""
    if translated is not None:
        try:
            return _fill(translated, values, language)
        except (KeyError, ValueError, IndexError, AttributeError, TypeError) as exc:
            log.warning("%s: %s does not fit its values (%r); said in English", language, key, exc)
    return _fill(english, values, language)


def _fill(template: Any, values: Mapping[str, Any], language: str) -> str:
    worded = _form(template, values)
    if not values:
        return worded
    return _FORMATTER.vformat(
        worded, (), {name: say(value, language) for name, value in values.items()}
    )


# ---------------------------------------------------------------------------- Korean particles

# ``{asked:은/는}``: the value, then the particle its last sound takes: the first form after a
# final consonant (받침), the second after a vowel. ``으로/로`` also takes 로 after ㄹ.
_PARTICLE_PAIR = re.compile(r"^([가-힣]+)/([가-힣]+)$")
_HANGUL_FIRST, _HANGUL_LAST, _FINALS = 0xAC00, 0xD7A3, 28
_RIEUL = 8  # ㄹ among the final consonants
_DIGIT_FINALS = (21, 8, 0, 16, 0, 0, 1, 8, 8, 0)  # 영 일 이 삼 사 오 육 칠 팔 구
_POWER_FINALS = (17, 1, 4)  # 십 백 천 (10, 100, 1000); 만 (4) past that


def _final_consonant(word: str) -> int | None:
    """The final consonant of how ``word`` ends when read in Korean (0: none), or None when
    that is not known (a Latin word: "Netflix" is read as Korean speakers say it)."""
    word = word.rstrip(" ”’\"')]*`.")
    if not word:
        return None
    last = word[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        return (ord(last) - _HANGUL_FIRST) % _FINALS
    digits = re.search(r"\d+$", word)
    if digits is None:
        return None
    number = digits.group()
    if int(number) == 0:
        return _DIGIT_FINALS[0]
    zeros = len(number) - len(number.rstrip("0"))
    if zeros == 0:
        return _DIGIT_FINALS[int(number[-1])]
    return _POWER_FINALS[zeros - 1] if zeros <= 3 else 4


def particle(word: str, after_consonant: str, after_vowel: str) -> str:
    """The particle for ``word``: ``particle("북한", "이라는", "라는")`` is 이라는. When how the
    word ends is not known, both forms, as Korean software writes them: ``(이)라는``, ``은(는)``."""
    final = _final_consonant(word)
    if final is None:
        if after_consonant.endswith(after_vowel):
            return f"({after_consonant[: -len(after_vowel)]}){after_vowel}"
        return f"{after_consonant}({after_vowel})"
    if after_vowel == "로" and final == _RIEUL:
        return after_vowel
    return after_consonant if final else after_vowel


class _ParticleFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        pair = _PARTICLE_PAIR.match(format_spec)
        if pair is None:
            return str(super().format_field(value, format_spec))
        shown = str(value)
        return shown + particle(shown, pair.group(1), pair.group(2))


_FORMATTER = _ParticleFormatter()


def say(value: Any, locale: str | None = None) -> Any:
    """``value`` in ``locale``: :class:`Sayable` text is worded again, anything else is as is."""
    return value.said(locale) if isinstance(value, Sayable) else value


class Sayable(str):
    """Text that *is* its English wording (so it goes wherever a ``str`` does) and can be
    said again in another language with ``said(locale)``. Anything that strips it down to a
    plain ``str`` (slicing, ``+``, f-strings) keeps only the English."""

    __slots__ = ()

    def said(self, locale: str | None) -> str:
        raise NotImplementedError


class Phrase(Sayable):
    """An interface sentence: its key in the locale files and its values (which may be
    :class:`Sayable` too). ``tidy`` squeezes the spaces left by empty values (a sentence whose
    optional parts are missing); ``capital`` starts it with a capital letter."""

    key: str
    values: dict[str, Any]
    tidy: bool
    capital: bool

    def __new__(
        cls, key: str, /, *, tidy: bool = False, capital: bool = False, **values: Any
    ) -> Phrase:
        self = super().__new__(cls, _finish(text(key, DEFAULT_LOCALE, **values), tidy, capital))
        self.key, self.values, self.tidy, self.capital = key, values, tidy, capital
        return self

    def said(self, locale: str | None) -> str:
        return _finish(text(self.key, locale, **self.values), self.tidy, self.capital)

    def __reduce__(self) -> tuple[Any, ...]:  # copies and pickles keep the key and values
        return (_rebuild, (self.key, self.tidy, self.capital, self.values))


def _rebuild(key: str, tidy: bool, capital: bool, values: dict[str, Any]) -> Phrase:
    return Phrase(key, tidy=tidy, capital=capital, **values)


def _finish(worded: str, tidy: bool, capital: bool) -> str:
    if tidy:
        worded = _squeeze(worded)
    return worded[:1].upper() + worded[1:] if capital else worded


class CommandName(Sayable):
    """A slash command's name (``drama``), said as the reader's Discord shows it (``드라마``)."""

    __slots__ = ()

    def said(self, locale: str | None) -> str:
        return command_name(str(self), locale)


class GenreName(Sayable):
    """A genre tag (``romance``), shown with the reader's language's name for it (``로맨스``);
    the tag stays the value people type."""

    __slots__ = ()

    def said(self, locale: str | None) -> str:
        return genre_name(str(self), locale)


class GenreTag(Sayable):
    """A genre tag as something to type: ``romance``, or ``로맨스 (romance)`` for a reader whose
    language has its own name for it."""

    __slots__ = ()

    def said(self, locale: str | None) -> str:
        shown = genre_name(str(self), locale)
        return str(self) if shown == str(self) else f"{shown} ({self})"


class CommaList(Sayable):
    """Items, ``A, B, C``, each said in the reader's language."""

    items: tuple[str, ...]

    def __new__(cls, items: Iterable[str]) -> CommaList:
        items = tuple(items)
        self = super().__new__(cls, text("list.separator").join(items))
        self.items = items
        return self

    def said(self, locale: str | None) -> str:
        return text("list.separator", locale).join(str(say(i, locale)) for i in self.items)

    def __reduce__(self) -> tuple[Any, ...]:
        return (CommaList, (self.items,))


class OrList(Sayable):
    """Alternatives, ``A, B or C``, joined the reader's way."""

    items: tuple[str, ...]

    def __new__(cls, items: Iterable[str]) -> OrList:
        items = tuple(items)
        self = super().__new__(cls, or_list(items))
        self.items = items
        return self

    def said(self, locale: str | None) -> str:
        return or_list(self.items, locale)

    def __reduce__(self) -> tuple[Any, ...]:
        return (OrList, (self.items,))


def command_name(name: str, locale: str | None) -> str:
    """A command's name in ``locale`` (its English name when the language has none)."""
    return command_text(language_of(locale), name, "name") or name


def genre_from_name(name: str) -> str | None:
    """The tag a genre's name in any language stands for (``로맨스`` -> ``romance``)."""
    wanted = name.strip().casefold()
    for locale in available_locales():
        for tag, shown in (_node(locale, "genres") or {}).items():
            if isinstance(shown, str) and shown.casefold() == wanted:
                return str(tag)
    return None


def genre_name(tag: str, locale: str | None) -> str:
    """A genre tag's display name in ``locale`` (the tag itself when there is none)."""
    found = lookup(language_of(locale), "genres", tag)
    return found or tag


def _squeeze(worded: str) -> str:
    return " ".join(part for part in worded.split(" ") if part)


def or_list(items: Iterable[str], locale: str | None = None) -> str:
    """``A, B or C`` in ``locale`` (the last two joined by the language's word for "or")."""
    items = [str(say(item, locale)) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return text(
        "list.or", locale, first=text("list.separator", locale).join(items[:-1]), last=items[-1]
    )


def placeholders(template: str) -> set[str]:
    """The names of a template's ``{placeholders}``."""
    return {
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field
    }


def messages(locale: str) -> dict[str, Any]:
    """Every sentence of ``locale``'s ``text:`` tree by dotted key (text, or forms by number)."""
    found: dict[str, Any] = {}

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if _is_message(node) and path:
            found[".".join(path)] = node
        elif isinstance(node, dict):
            for name, child in node.items():
                walk(child, (*path, str(name)))

    walk(_node(locale, "text") or {}, ())
    return found
