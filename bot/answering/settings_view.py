"""What an admin sees after /settings: the server's settings, in words (pure)."""

from __future__ import annotations

from bot.answering.answers import Notice
from bot.answering.regions import country
from bot.catalog.settings import ServerSettings


def settings_notice(settings: ServerSettings, changed: str = "") -> Notice:
    region = (
        f"{country(settings.region).short_name} ({settings.region})"
        if settings.region
        else "not set (people pick one, or see every region)"
    )
    if settings.public_channels:
        channels = ", ".join(f"<#{c}>" for c in sorted(settings.public_channels))
        where = f"publicly in {channels}; privately (only the asker sees it) elsewhere"
    else:
        where = "publicly in every channel"
    lines = (f"Default region for /stream: {region}", f"Answers: {where}")
    return Notice(
        "settings",
        changed or "This server's settings:",
        title="Server settings",
        lines=lines,
        ok=True,
    )


def outside_a_server() -> Notice:
    return Notice("settings", "Settings belong to a Discord server: run /settings in one.")
