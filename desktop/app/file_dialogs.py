"""File dialogs in the interface's language, whatever dialog the platform gives.

Where the platform has no native dialog (a minimal Linux desktop, Xvfb), Qt draws its
own, and some of its labels ("Look in:", "Files of type:") stayed English in the Chinese
interface although Qt's Chinese translation is installed. So every dialog is made here,
with those labels set explicitly through our own translations.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget


def _dialog(parent: QWidget | None, title: str, folder: str, filters: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, folder, filters)
    for label, text in (
        (QFileDialog.DialogLabel.LookIn, QCoreApplication.translate("FileDialogs", "查找范围：")),
        (
            QFileDialog.DialogLabel.FileName,
            QCoreApplication.translate("FileDialogs", "文件名(&N)："),
        ),
        (QFileDialog.DialogLabel.FileType, QCoreApplication.translate("FileDialogs", "文件类型：")),
    ):
        dialog.setLabelText(label, text)
    return dialog


def open_files(parent: QWidget | None, title: str, folder: str, filters: str) -> list[Path]:
    dialog = _dialog(parent, title, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setLabelText(
        QFileDialog.DialogLabel.Accept, QCoreApplication.translate("FileDialogs", "打开(&O)")
    )
    return [Path(name) for name in dialog.selectedFiles()] if dialog.exec() else []


def open_file(parent: QWidget | None, title: str, folder: str, filters: str) -> Path | None:
    dialog = _dialog(parent, title, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setLabelText(
        QFileDialog.DialogLabel.Accept, QCoreApplication.translate("FileDialogs", "打开(&O)")
    )
    return Path(dialog.selectedFiles()[0]) if dialog.exec() and dialog.selectedFiles() else None


def save_file(
    parent: QWidget | None, title: str, default: Path, filters: str, suffix: str
) -> Path | None:
    dialog = _dialog(parent, title, str(default), filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix)
    dialog.setLabelText(
        QFileDialog.DialogLabel.Accept, QCoreApplication.translate("FileDialogs", "保存(&S)")
    )
    return Path(dialog.selectedFiles()[0]) if dialog.exec() and dialog.selectedFiles() else None


def existing_folder(parent: QWidget | None, title: str, folder: str) -> Path | None:
    dialog = _dialog(parent, title, folder, "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setLabelText(
        QFileDialog.DialogLabel.Accept, QCoreApplication.translate("FileDialogs", "选择(&C)")
    )
    return Path(dialog.selectedFiles()[0]) if dialog.exec() and dialog.selectedFiles() else None
