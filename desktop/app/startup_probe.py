"""`SHENBAO_STARTUP_PROBE`: the GUI reports when its windows are on screen, then quits.

The build scripts and the self-test time the start of `shenbao-gui` with it
(desktop/startup.py): the first window a user sees (the main window, or on a first start
without a keyring the passphrase dialog), then the main window. A window counts when the
window system has exposed it, not when `show()` was called. Each event is written with
the wall-clock time (`time.time()`), so the measuring process compares it with the
moment it started the program: the figures include the frozen program's bootloader and
work for a windowed build that has no console. The value of the variable is the file
the events are written to (a JSON list, rewritten whole at each event); any other value
(`1`) prints them to stdout instead. A passphrase dialog is answered with
`SHENBAO_PASSPHRASE`, as a user would type it. After 60 s without a main window the
program exits with status 4.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget

from desktop.startup import FIRST_WINDOW, MAIN_WINDOW, PROBE_ENV
from forms.system.atomic import write_text_atomic

GIVE_UP_MS = 60_000
EXIT_NO_MAIN_WINDOW = 4


def wanted() -> bool:
    return bool(os.environ.get(PROBE_ENV))


class StartupProbe(QObject):
    """Watches every window's first exposure (an application-wide event filter)."""

    def __init__(self, app: QApplication, target: str) -> None:
        super().__init__(app)
        self.target = target
        self.first_seen = False
        self.handled: set[int] = set()
        self.records: list[dict[str, Any]] = []
        app.installEventFilter(self)
        self._give_up = QTimer(self)
        self._give_up.setSingleShot(True)
        self._give_up.timeout.connect(lambda: os._exit(EXIT_NO_MAIN_WINDOW))
        self._give_up.start(GIVE_UP_MS)

    def report(self, event: str, window: str) -> None:
        record = {"event": event, "window": window, "at": time.time()}
        self.records.append(record)
        path = Path(self.target)
        if path.is_absolute():
            write_text_atomic(path, json.dumps(self.records))
        else:
            print(f"startup-probe: {event} {window} at {record['at']:.3f}", flush=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            event.type() == QEvent.Type.Expose
            and isinstance(watched, QWindow)
            and watched.isExposed()
        ):
            self._exposed(watched)
        return False

    def _exposed(self, window: QWindow) -> None:
        widget = next(
            (w for w in QApplication.topLevelWidgets() if w.windowHandle() is window), None
        )
        if widget is None or not widget.isVisible() or id(widget) in self.handled:
            return
        name = type(widget).__name__
        if not self.first_seen:
            self.first_seen = True
            self.report(FIRST_WINDOW, name)
        if name == "MainWindow":
            self.handled.add(id(widget))
            self.report(MAIN_WINDOW, name)
            self._give_up.stop()
            QTimer.singleShot(0, QApplication.quit)
        elif isinstance(widget, QDialog):
            self.handled.add(id(widget))
            QTimer.singleShot(0, lambda: _answer(widget))


def _answer(dialog: QWidget) -> None:
    for field in dialog.findChildren(QLineEdit):
        field.setText(os.environ.get("SHENBAO_PASSPHRASE", "startup-probe"))
    if isinstance(dialog, QDialog):
        dialog.accept()


def install(app: QApplication) -> StartupProbe:
    return StartupProbe(app, os.environ.get(PROBE_ENV, "1"))
