"""Credits the data's providers require, shown wherever their data is (one place for them all,
so ``/about`` and the embeds say the same thing)."""

from __future__ import annotations

from bot.answering.i18n import Phrase

# TMDB's API terms ask for this exact notice wherever TMDB data is used (so every language
# file keeps it in English).
TMDB_NOTICE = Phrase("credits.tmdb_notice")
TMDB_SHORT = "Data from TMDB (not endorsed or certified by TMDB)"
TMDB_URL = "https://www.themoviedb.org/"

# TMDB's where-to-watch data is supplied by JustWatch, which asks to be credited.
JUSTWATCH_NOTICE = Phrase("credits.justwatch_notice")
JUSTWATCH_SHORT = Phrase("credits.justwatch_short")
JUSTWATCH_URL = "https://www.justwatch.com/"


def is_tmdb_image(url: str | None) -> bool:
    """A poster served by TMDB's image host (so shown with TMDB's notice)."""
    return bool(url) and str(url).startswith("https://image.tmdb.org/")
