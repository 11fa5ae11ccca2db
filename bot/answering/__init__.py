"""Answering: commands as data, one answer per command (pure), and rendering to Discord payloads."""
