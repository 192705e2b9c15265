"""The two programs' entry points: `shenbao` (command line) and `shenbao-gui` (Qt app).

They share nothing but the domain, so each entry imports only its own program: the
command line never loads Qt (it works on a server without Qt's system libraries), and
`--self-test`, which checks both, is dispatched here before either is imported. So is
`--version`: it needs nothing but the version, and IT scripts call it to see what is
installed, so it answers without loading the command line's parser and the domain
models behind it (docs/it-deployment.md has the start-up figures).

The program's modules are imported with the garbage collector paused: importing builds
hundreds of thousands of objects that live as long as the program (pydantic's validators,
the Qt bindings' type objects), so collections in between find nothing and cost about a
tenth of the import time. Afterwards those objects are frozen out of later collections.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager


@contextmanager
def _collector_paused() -> Iterator[None]:
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def cli(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if "--self-test" in arguments:  # before the subcommands: it needs none
        with _collector_paused():
            from desktop.selftest import run  # start-up: only the self-test loads its checks

        return run(arguments)
    if arguments == ["--version"]:
        from desktop.runtime import version_line  # start-up: the fastest answer there is

        print(version_line())
        return 0
    with _collector_paused():
        from desktop.cli.main import main  # start-up: `--version` above needs none of it

    return main(arguments)


def gui(argv: Sequence[str] | None = None) -> int:
    with _collector_paused():
        from desktop.app.main import main  # start-up: the command line never loads Qt

    return main() if argv is None else main(list(argv))
