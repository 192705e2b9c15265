"""The passphrase dialog: choose one (new workspace, or "Set passphrase…") or unlock with it.

Choosing asks twice and shows, as it is typed, how many guesses the passphrase would take
(zxcvbn, see forms/workspace/strength.py) and why that matters: a copied workspace can be
attacked offline without limit. OK stays disabled until both agree, it has at least
`MIN_LENGTH` characters and it needs at least 10^12 guesses. Unlocking shows a clear
message after a wrong passphrase and lets the user try again. The text is never
kept anywhere but the line edits (echo mode Password) and the caller's hands.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.app.unlock import Ask, Mode
from forms.workspace.strength import MIN_GUESSES_LOG10, estimate

MIN_LENGTH = 8


class PassphraseDialog(QDialog):
    def __init__(self, mode: Mode, folder: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.mode = mode
        layout = QVBoxLayout(self)
        self.setMinimumWidth(500)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        layout.addLayout(form)
        self.first = QLineEdit(self)
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName(self.tr("口令"))
        first_label = QLabel(self.tr("口令(&P)："), self)
        first_label.setBuddy(self.first)
        form.addRow(first_label, self.first)
        self.second = QLineEdit(self)
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName(self.tr("再次输入口令"))
        second_label = QLabel(self.tr("再次输入(&A)："), self)
        second_label.setBuddy(self.second)
        form.addRow(second_label, self.second)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(self.tr("口令提示"))
        form.addRow("", self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        where = str(folder) if folder is not None else ""
        if mode == "create":
            self.setWindowTitle(self.tr("设置工作区口令"))
            self.intro.setText(
                self.tr(
                    "工作区中的资料全部加密保存。此电脑没有可用的系统密钥环，请设置一个口令："
                    "每次打开工作区时输入，换电脑时也凭它打开。口令遗失后资料无法找回。\n{folder}"
                ).format(folder=where)
            )
        else:
            self.setWindowTitle(self.tr("打开工作区"))
            self.intro.setText(
                self.tr("请输入工作区口令（系统密钥环中没有此工作区的密钥）。\n{folder}").format(
                    folder=where
                )
            )
            second_label.hide()
            self.second.hide()
        self.first.textChanged.connect(lambda _: self._update())
        self.second.textChanged.connect(lambda _: self._update())
        self._update()

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)

    def passphrase(self) -> str:
        return self.first.text()

    def show_wrong(self) -> None:
        """The last passphrase did not open the workspace."""
        self.first.clear()
        self._say(self.tr("口令不正确，请重新输入。"), "#c62828")
        self.first.setFocus()

    def _say(self, text: str, colour: str) -> None:
        self.hint.setText(text)
        self.hint.setStyleSheet(f"color: {colour};")
        self.first.setAccessibleDescription(text)

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        text = self.first.text()
        if self.mode == "unlock":
            if text:
                self._say("", "#555")
            if ok is not None:
                ok.setEnabled(bool(text))
            return
        strength = estimate(text) if len(text) >= MIN_LENGTH else None
        strong = strength is not None and strength.acceptable
        acceptable = strong and text == self.second.text()
        if ok is not None:
            ok.setEnabled(acceptable)
        why = self.tr(
            "工作区文件一旦被复制（丢失的电脑、同步盘、共享盘），别人可以在自己的电脑上不限次数地"
            "尝试口令，所以口令要估计至少需要 10^{minimum} 次猜测才算够强。"
        ).format(minimum=MIN_GUESSES_LOG10)
        if not text:
            self._say(
                self.tr("至少 {n} 个字符；四五个不相关的词或一句不常见的话最好记也最安全。").format(
                    n=MIN_LENGTH
                )
                + " "
                + why,
                "#555",
            )
        elif strength is None:
            self._say(self.tr("太短：至少 {n} 个字符。").format(n=MIN_LENGTH), "#c62828")
        elif not strong:
            self._say(
                self.tr(
                    "强度：太容易猜（约 10^{guesses} 次猜测即可猜中，需要至少 10^{minimum} 次）。"
                    "加几个不相关的词会好得多，加数字和符号帮助不大。"
                ).format(guesses=f"{strength.guesses_log10:.0f}", minimum=MIN_GUESSES_LOG10)
                + " "
                + why,
                "#c62828",
            )
        elif self.second.text() and text != self.second.text():
            self._say(self.tr("两次输入的口令不一致。"), "#c62828")
        else:
            years = strength.offline_days / 365
            self._say(
                self.tr(
                    "强度：足够（约需 10^{guesses} 次猜测；按每秒一万次离线尝试约 {years} 年）。"
                ).format(
                    guesses=f"{strength.guesses_log10:.0f}",
                    years=f"{years:,.0f}" if years < 1e6 else "10^" + f"{years:.1e}".split("e+")[1],
                ),
                "#2e7d32",
            )
            if not self.second.text():
                self.hint.setText(self.hint.text() + " " + self.tr("请再输入一次。"))


def ask_with_dialog(folder: Path | None = None, parent: QWidget | None = None) -> Ask:
    """An `unlock.Ask` that shows the dialog (one dialog, reused after a wrong passphrase)."""
    dialogs: dict[Mode, PassphraseDialog] = {}

    def ask(mode: Mode, wrong: bool) -> str | None:
        dialog = dialogs.get(mode)
        if dialog is None:
            dialog = dialogs[mode] = PassphraseDialog(mode, folder, parent)
        if wrong:
            dialog.show_wrong()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.passphrase()

    return ask
