"""Interface languages: every language file has the keys English has, and nothing else."""

from __future__ import annotations

import pytest

from bot.answering import i18n
from bot.answering.commands import COMMANDS


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
