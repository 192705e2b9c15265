"""Frozen entry point of both programs, `shenbao-gui` (Qt) and `shenbao` (command line).

One script for both, chosen by the name the program was started under, so that on Linux
they are one executable (build.spec links `shenbao-gui` to `shenbao`) and on Windows and
macOS a windowed and a console executable of the same build.

PyInstaller's PySide6 runtime hook would import QtCore before this script, at every
start of either program; build.spec leaves it out, and `qt_environment()` does what it
does, only for the programs that start Qt: the GUI and the self-test. The GUI logs to a
file first (a windowed build has no console; see desktop/runtime.py).
"""

import os
import sys
from pathlib import Path


def qt_environment() -> None:
    """Point Qt at the plugins in this folder, never at another Qt's on the machine."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).parent))
    qt = base / "PySide6" if sys.platform == "win32" else base / "PySide6" / "Qt"
    os.environ["QT_PLUGIN_PATH"] = str(qt / "plugins")


if Path(sys.argv[0]).name.lower().startswith("shenbao-gui"):
    qt_environment()
    from desktop.runtime import log_to_file

    log_to_file("shenbao-gui")
    from desktop.launch import gui

    sys.exit(gui())

if "--self-test" in sys.argv[1:]:
    qt_environment()
from desktop.launch import cli  # noqa: E402 (after the environment is set)

sys.exit(cli())
