"""``python -m bot`` and the ``drama-bot`` command: the command line lives in :mod:`bot.cli`."""

import sys

from bot.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
