"""Command and option names and descriptions in other languages, from the locale files
(Discord shows them to users whose client is set to that language)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.answering import i18n

_Location = app_commands.TranslationContextLocation


class LocaleFileTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        language = locale.value
        if i18n.language_of(language) != language:  # only exact files, e.g. "ko"
            return None
        data = context.data
        if context.location is _Location.command_name:
            return i18n.command_text(language, data.name, "name")
        if context.location is _Location.command_description:
            return i18n.command_text(language, data.name, "description")
        if context.location is _Location.parameter_name:
            return i18n.option_text(language, data.command.name, data.name, "name")
        if context.location is _Location.parameter_description:
            return i18n.option_text(language, data.command.name, data.name, "description")
        return None
