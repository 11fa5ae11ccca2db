"""Sources of cards: review articles (one, or a whole blog) and enrichment from outside services."""
