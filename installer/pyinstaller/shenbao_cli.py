"""Frozen entry point of `shenbao` (console): the command line, `--self-test` included."""

import sys

from desktop.cli import main

sys.exit(main())
