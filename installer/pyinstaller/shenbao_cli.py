"""Frozen entry point of `shenbao` (console): the command line, `--self-test` included."""

import sys

from desktop.launch import cli

sys.exit(cli())
