"""The two programs' entry points: `shenbao` (command line) and `shenbao-gui` (Qt app).

They share nothing but the domain, so each entry imports only its own program: the
command line never loads Qt (`shenbao --version` stays fast, and works on a server
without Qt's system libraries), and `--self-test`, which checks both, is dispatched
here before either is imported.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def cli(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if "--self-test" in arguments:  # before the subcommands: it needs none
        from desktop.selftest import run

        return run(arguments)
    from desktop.cli.main import main

    return main(arguments)


def gui(argv: Sequence[str] | None = None) -> int:
    from desktop.app.main import main

    return main() if argv is None else main(list(argv))
