"""Discord glue: slash commands, autocomplete and message components, one feature per module."""
