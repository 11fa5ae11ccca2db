"""drama-bot: answers fans' questions about TV dramas from curated review cards."""

__version__ = "0.1.0"
