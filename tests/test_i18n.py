"""Interface languages: every language file has the keys English has, and nothing else."""

from __future__ import annotations

import re

import pytest

from bot.answering import i18n
from bot.answering.commands import COMMANDS
from bot.answering.render import similar_reason
from bot.catalog.snapshot import Catalog


def test_discord_locales_map_to_language_files() -> None:
    assert i18n.language_of("ko") == "ko"
    assert i18n.language_of("en-US") == "en"
    assert i18n.language_of("pt-BR") == "en"  # no file: English
    assert i18n.language_of(None) == "en"


@pytest.mark.parametrize("locale", [loc for loc in i18n.available_locales() if loc != "en"])
def test_every_command_and_option_is_translated(locale: str) -> None:
    for name, spec in COMMANDS.items():
        assert i18n.command_text(locale, name, "name"), (locale, name)
        assert i18n.command_text(locale, name, "description"), (locale, name)
        for option in spec.options:
            assert i18n.option_text(locale, name, option.name, "name"), (locale, name, option)
            description = i18n.option_text(locale, name, option.name, "description")
            assert description and len(description) <= 100, (locale, name, option)


OTHER_LOCALES = [loc for loc in i18n.available_locales() if loc != "en"]


def _forms(message: object) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [str(message)]


def _placeholders(message: object) -> set[str]:
    return set().union(*(i18n.placeholders(form) for form in _forms(message)))


def test_english_has_the_interface_text() -> None:
    english = i18n.messages("en")
    assert len(english) > 150
    assert english["drama.year"] == "Year"
    for key, message in english.items():
        if isinstance(message, dict):  # forms by number: both, and {count} in each
            assert set(message) == {"one", "other"}, key
            assert all("count" in i18n.placeholders(form) for form in message.values()), key


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_every_language_has_exactly_the_english_keys(locale: str) -> None:
    english, other = set(i18n.messages("en")), set(i18n.messages(locale))
    assert sorted(english - other) == [], f"missing in {locale}.yaml"
    assert sorted(other - english) == [], f"in {locale}.yaml but not in en.yaml"


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_translations_keep_the_placeholders(locale: str) -> None:
    english = i18n.messages("en")
    for key, message in i18n.messages(locale).items():
        assert _placeholders(message) == _placeholders(english[key]), (locale, key)
        if isinstance(message, dict):  # a language with forms by number needs `other`
            assert "other" in message and set(message) <= {"one", "other"}, (locale, key)


@pytest.mark.parametrize("locale", i18n.available_locales())
def test_every_sentence_can_be_filled_in(locale: str) -> None:
    for key, message in i18n.messages(locale).items():
        values = dict.fromkeys(_placeholders(message), 1234)
        for count in (1, 2):
            worded = i18n.text(key, locale, **(values | ({"count": count} if values else {})))
            assert worded and "{" not in worded.replace("{{", ""), (locale, key, worded)


def test_a_phrase_is_its_english_text_and_can_be_said_in_korean() -> None:
    phrase = i18n.Phrase("reload.errors", count=3)
    assert phrase == "3 errors" and isinstance(phrase, str)
    assert phrase.said("ko") == "오류 3개"
    assert i18n.Phrase("reload.errors", count=1) == "1 error"
    nested = i18n.Phrase("random.none", filters=i18n.Phrase("filters.dramas"))
    assert nested == "dramas: none in the catalog yet."
    assert nested.said("ko") == "드라마는 아직 카탈로그에 없어요."
    assert i18n.say(nested, "en-GB") == nested  # no file: English
    assert i18n.say("plain text", "ko") == "plain text"


def test_commands_genres_and_alternatives_are_said_the_readers_way() -> None:
    assert i18n.CommandName("stream").said("ko") == "스트리밍"
    assert i18n.CommandName("stream") == "stream"
    assert i18n.GenreName("romance").said("ko") == "로맨스"
    assert i18n.GenreName("no-such-genre").said("ko") == "no-such-genre"
    either = i18n.OrList(["tvN", "JTBC", "OCN"])
    assert either == "tvN, JTBC or OCN"
    assert either.said("ko") == "tvN, JTBC 또는 OCN"


def test_similar_reasons_read_as_the_catalog_words_them_and_in_korean(
    shipped_catalog: Catalog,
) -> None:
    said = []
    for slug, card in shipped_catalog.cards.items():
        for pick in shipped_catalog.similar(slug):
            assert similar_reason(pick, card) == pick.reason, (slug, pick)
            korean = similar_reason(pick, card, "ko")
            assert korean != pick.reason and "also" not in korean, (slug, pick, korean)
            said.append(korean)
    for kind in ("자체 리뷰의 추천", " 출연", "같은 장르: ", "같은 방송사: "):
        assert any(kind in reason for reason in said), kind


def test_genre_tags_to_type_are_shown_with_the_readers_name_for_them() -> None:
    listed = i18n.CommaList([i18n.GenreTag("romance"), i18n.GenreTag("no-such-genre")])
    assert listed == "romance, no-such-genre"
    assert listed.said("ko") == "로맨스 (romance), no-such-genre"
    assert i18n.genre_from_name("로맨스") == "romance" and i18n.genre_from_name("x") is None


def test_a_broken_language_file_means_english_not_a_crash(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert i18n.parse_locale("text: {drama: [unclosed\n", "xx.yaml") == {}
    assert i18n.parse_locale("- just a list\n", "xx.yaml") == {}
    assert "xx.yaml" in caplog.text
    assert i18n.language_of("../../etc/passwd") == "en"  # only locale codes name files


def test_a_translation_that_does_not_fit_its_values_is_said_in_english(
    caplog: pytest.LogCaptureFixture,
) -> None:
    english = i18n.messages("en")["reload.errors"]
    for slip in ("오류 {count", "오류 {counts}개", "오류 {0}개"):
        assert i18n.fill(slip, english, {"count": 2}, "ko", "reload.errors") == "2 errors"
    assert i18n.fill("오류 {count}개", english, {"count": 2}, "ko") == "오류 2개"
    assert i18n.fill(None, english, {"count": 1}, "ko") == "1 error"
    assert "reload.errors does not fit its values" in caplog.text


# Korean particles whose form depends on the last sound of the word before them (받침).
VARIABLE_PARTICLES = re.compile(
    r"^(은|는|이|가|을|를|과|와|으로|로|라는|이라는|라고|이라고|란|이란|예요|이에요|였|이었|"
    r"나|이나|랑|이랑|야|이야|며|이며)"
)
AFTER_PLACEHOLDER = re.compile(r"\{(\w+)(?::([^}]*))?\}[”’)\]`*]*([가-힣]*)")


def test_korean_particles_after_a_placeholder_are_chosen_by_the_word() -> None:
    """A placeholder's value is not known in advance, so a particle right after it is either
    avoided or written as a pair the code chooses from (``{asked:은/는}``)."""
    for key, message in i18n.messages("ko").items():
        for form in _forms(message):
            for name, spec, following in AFTER_PLACEHOLDER.findall(form):
                if spec and "/" in spec:
                    continue
                assert not VARIABLE_PARTICLES.match(following), (key, name, following, form)


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        (3, "은/는", "3은"),
        (2, "은/는", "2는"),
        (10, "은/는", "10은"),  # 십
        (1, "이/가", "1이"),
        (4, "이/가", "4가"),
        ("북한", "이라는/라는", "북한이라는"),
        ("대만", "이라는/라는", "대만이라는"),
        ("호주", "이라는/라는", "호주라는"),
        ("서울", "으로/로", "서울로"),  # ㄹ takes 로
        ("부산", "으로/로", "부산으로"),
        ("Narnia", "이라는/라는", "Narnia(이)라는"),  # how it is read is not known
        ("Netflix", "은/는", "Netflix은(는)"),
    ],
)
def test_a_particle_pair_is_chosen_by_the_final_consonant(
    word: object, pair: str, expected: str
) -> None:
    assert i18n.fill("{word:" + pair + "}", "{word}", {"word": word}, "ko") == expected


def test_the_korean_sentences_qa_found_read_correctly() -> None:
    seasons = i18n.text("choices.seasons_we_have", "ko", seasons="Hospital Playlist", asked=3)
    assert "시즌 3은" in seasons
    for typed in ("북한", "대만", "호주", "Narnia"):
        said = i18n.text("region.unknown", "ko", typed=typed)
        assert f"“{typed}”" in said and "”라는" not in said
