"""A local stand-in for TMDB's API v3 (see :mod:`tests.standins.tmdb.server`)."""

from .server import API_KEY, READ_TOKEN, TmdbStandIn

__all__ = ["API_KEY", "READ_TOKEN", "TmdbStandIn"]
