"""Cards in: the card model, reading and validating YAML, loading a folder (pure)."""
