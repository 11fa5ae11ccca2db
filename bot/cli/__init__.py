"""The command-line front end: `drama-bot ask`, `check`, `run`, `import-review`, one module each."""
