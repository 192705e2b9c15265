"""A coloured strip across the top of a view with a message and one action button.

Used for what the user must not overlook while working: a draft open read-only because
someone else edits it (with "take over"), a demo workspace with the public passphrase
(with "set passphrase"). It stays until its cause is gone.

Signals:
    activated(): the action button was pressed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

STYLES = {
    "warning": "#fff4e0; border: 1px solid #e0b060; color: #5a3b00",
    "info": "#e8f1fb; border: 1px solid #9bbfe6; color: #0b3d73",
}


class Banner(QFrame):
    activated = Signal()

    def __init__(self, kind: str = "warning", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        background = STYLES.get(kind, STYLES["warning"])
        self.setStyleSheet(
            f"QFrame#banner {{ background: {background}; border-radius: 3px; }}"
            "QFrame#banner QLabel { border: none; background: transparent; }"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 8, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.button = QPushButton(self)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.button.clicked.connect(self.activated.emit)
        self.hide()

    def show_message(self, text: str, action: str | None = None) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        self.button.setVisible(action is not None)
        if action is not None:
            self.button.setText(action)
            self.button.setAccessibleName(action.replace("&", "").rstrip("…"))
        self.show()
