"""What an admin sees after /settings: the server's settings, in words (pure)."""

from __future__ import annotations

from bot.answering.answers import Notice
from bot.answering.i18n import CommandName, Phrase
from bot.answering.regions import country
from bot.catalog.settings import ServerSettings


def settings_notice(settings: ServerSettings, changed: str = "") -> Notice:
    """The server's settings; ``changed`` (already in the admin's language, or a Phrase)
    says what this /settings just changed."""
    region = (
        Phrase(
            "settings.region_value",
            country=country(settings.region).short_name,
            code=settings.region,
        )
        if settings.region
        else Phrase("settings.region_unset")
    )
    if settings.public_channels:
        channels = ", ".join(f"<#{c}>" for c in sorted(settings.public_channels))
        where = Phrase("settings.answers_some", channels=channels)
    else:
        where = Phrase("settings.answers_everywhere")
    lines = (
        Phrase("settings.region_line", command=CommandName("stream"), region=region),
        Phrase("settings.answers_line", where=where),
    )
    return Notice(
        "settings",
        changed or Phrase("settings.intro"),
        title=Phrase("settings.title"),
        lines=lines,
        ok=True,
    )


def outside_a_server() -> Notice:
    return Notice("settings", Phrase("settings.outside_server", command=CommandName("settings")))
