"""Frozen entry point of `shenbao-gui` (windowed): log to a file, then start the GUI.

`SHENBAO_STARTUP_PROBE=1` (the build scripts' start-up timing): quit as soon as the
event loop runs, printing which windows are up (the main window, or on a first start
without a keyring the passphrase dialog) and the seconds since this script began.
"""

import os
import sys
import time

STARTED = time.perf_counter()

from desktop.runtime import log_to_file  # noqa: E402

log_to_file("shenbao-gui")

if os.environ.get("SHENBAO_STARTUP_PROBE"):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    probe_app = QApplication(sys.argv)

    first: list[str] = []

    def report() -> None:
        """First window, then (past a passphrase dialog, answered with
        SHENBAO_PASSPHRASE) the main window."""
        from PySide6.QtWidgets import QDialog, QLineEdit

        shown = sorted(type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible())
        elapsed = time.perf_counter() - STARTED
        if shown and not first:
            first.append(", ".join(shown))
            print(f"startup-probe: {elapsed:.2f} s to first window ({first[0]})", flush=True)
        if "MainWindow" in shown:
            print(f"startup-probe: {elapsed:.2f} s to main window", flush=True)
            os._exit(0)
        if elapsed > 20:
            os._exit(4)
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                for field in widget.findChildren(QLineEdit):
                    field.setText(os.environ.get("SHENBAO_PASSPHRASE", "probe"))
                widget.accept()
        QTimer.singleShot(10, report)

    QTimer.singleShot(0, report)

from desktop.launch import gui  # noqa: E402 (after the log is in place)

sys.exit(gui())
