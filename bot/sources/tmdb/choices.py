"""What ``drama-bot enrich`` may be asked for: its default regions and the keys ``--overwrite``
may name. Apart from the enrichment itself, so that the command line's parser needs nothing
heavy (``drama-bot ask`` builds the same parser)."""

DEFAULT_REGIONS = ("US", "KR", "GB", "CA", "AU")
# Keys --overwrite may name: hand-written values of these are replaced by TMDB's.
OVERWRITABLE = (
    "native_title",
    "network",
    "episodes",
    "poster",
    "community_rating",
    "streaming",
    "native_name",
)
