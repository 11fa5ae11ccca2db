"""Credits the data's providers require, shown wherever their data is (one place for them all,
so ``/about`` and the embeds say the same thing)."""

from __future__ import annotations

# TMDB's API terms ask for this exact notice wherever TMDB data is used.
TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."
TMDB_SHORT = "Data from TMDB (not endorsed or certified by TMDB)"
TMDB_URL = "https://www.themoviedb.org/"

# TMDB's where-to-watch data is supplied by JustWatch, which asks to be credited.
JUSTWATCH_NOTICE = "Streaming availability data is provided by JustWatch."
JUSTWATCH_SHORT = "Streaming data: JustWatch"
JUSTWATCH_URL = "https://www.justwatch.com/"


def is_tmdb_image(url: str | None) -> bool:
    """A poster served by TMDB's image host (so shown with TMDB's notice)."""
    return bool(url) and str(url).startswith("https://image.tmdb.org/")
