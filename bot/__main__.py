"""``python -m bot`` and the ``drama-bot`` command: the command line lives in :mod:`bot.cli`."""

import sys

if __name__ == "__main__":
    try:
        from bot.cli.main import main
    except KeyboardInterrupt:  # (Ctrl-C while it starts: an exit status, no traceback)
        sys.exit(130)
    sys.exit(main())
