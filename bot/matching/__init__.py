"""Matching: text folding and the fuzzy name index that resolves queries to ids (pure)."""
