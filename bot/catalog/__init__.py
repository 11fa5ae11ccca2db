"""The catalog: the SQLite store, the in-memory snapshot with its indexes, loading and reloading."""
