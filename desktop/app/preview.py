"""A page viewer for attachments and package parts: real pages, page by page, zoomable.

Pages are drawn by PDFium (`forms.documents.preview`) on a worker thread, one at a time;
what is not a PDF (a scan, a photo, a Word file) is first turned into the PDF the package
would hold (`forms.package.attachments.load_attachment`), so the preview shows what will
be uploaded. An attachment stored encrypted in the workspace is decrypted into a private
temporary folder that is removed when the viewer closes.

Keys: PgUp/PgDn or ←/→ turn pages, Home/End the first and last, Ctrl+= and Ctrl+- zoom,
Ctrl+0 fits the width. "Open in the system viewer" says so when this computer has none.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.app.workers import Job, JobRunner
from forms.documents.preview import PageImage, PreviewError, render_page
from forms.system.atomic import write_atomic
from forms.system.naming import safe_file_name

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
#: Produces the file to show (on the worker thread), given a private folder to write in.
Source = Callable[[Path], Path]


def as_pdf(path: Path, folder: Path) -> Path:
    """`path` itself when it is a PDF, else the PDF the package would make of it."""
    # start-up: qpdf and Pillow load when an image or Word file is previewed
    from forms.package.attachments import AttachmentError, Kind, load_attachment, sniff

    if sniff(path) is Kind.PDF:
        return path
    try:
        pdf, _kind = load_attachment(path)
    except AttachmentError as exc:
        raise PreviewError(exc.message()) from None
    out = folder / f"{path.stem}.preview.pdf"
    with pdf:
        pdf.save(out)
    return out


def stored_source(read: Callable[[], bytes], name: str) -> Source:
    """A file stored in the workspace, decrypted into the viewer's private folder."""

    def make(folder: Path) -> Path:
        path = folder / safe_file_name(name, "attachment")
        write_atomic(path, read())
        return as_pdf(path, folder)

    return make


def file_source(path: Path) -> Source:
    return lambda folder: as_pdf(path, folder)


class PreviewDialog(QDialog):
    """Shows one document; the title names it."""

    def __init__(self, title: str, source: Source, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 960)
        self._folder = tempfile.TemporaryDirectory(
            prefix="shenbao-preview-", ignore_cleanup_errors=True
        )
        self.source = source
        self.path: Path | None = None
        self.pages = 0
        self.index = 0
        self.zoom = 1.0
        self.fit_width = True
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        serial = QThreadPool(self)
        serial.setMaxThreadCount(1)
        self.jobs = JobRunner(self, serial)
        self._wanted: tuple[int, float] | None = None
        self._page_points = 0.0  # the page's width in points, once it is open
        self._busy = False

        column = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.previous = QPushButton(self.tr("上一页(&P)"), self)
        self.page_box = QSpinBox(self)
        self.page_box.setAccessibleName(self.tr("页码"))
        self.page_box.setMinimum(1)
        self.of = QLabel(self)
        self.next = QPushButton(self.tr("下一页(&N)"), self)
        self.zoom_out = QPushButton(self.tr("缩小(&-)"), self)
        self.zoom_label = QLabel(self)
        self.zoom_in = QPushButton(self.tr("放大(&+)"), self)
        self.fit = QPushButton(self.tr("适合宽度(&W)"), self)
        self.external = QPushButton(self.tr("用系统阅读器打开(&O)"), self)
        for widget in (self.previous, self.page_box, self.of, self.next):
            bar.addWidget(widget)
        bar.addSpacing(16)
        for widget in (self.zoom_out, self.zoom_label, self.zoom_in, self.fit):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.external)
        column.addLayout(bar)
        self.area = QScrollArea(self)
        self.area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.area.setStyleSheet("QScrollArea { background: #8a8f96; }")
        self.picture = QLabel(self.area)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAccessibleName(self.tr("页面"))
        self.area.setWidget(self.picture)
        self.area.setWidgetResizable(False)
        column.addWidget(self.area, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        column.addWidget(self.status)

        self.previous.clicked.connect(lambda: self.go(self.index - 1))
        self.next.clicked.connect(lambda: self.go(self.index + 1))
        self.page_box.valueChanged.connect(lambda n: self.go(n - 1))
        self.zoom_in.clicked.connect(lambda: self.step_zoom(1))
        self.zoom_out.clicked.connect(lambda: self.step_zoom(-1))
        self.fit.clicked.connect(self.fit_to_width)
        self.external.clicked.connect(self.open_external)
        for keys, action in (
            (QKeySequence.StandardKey.MoveToNextPage, lambda: self.go(self.index + 1)),
            (QKeySequence.StandardKey.MoveToPreviousPage, lambda: self.go(self.index - 1)),
            (QKeySequence(Qt.Key.Key_Right), lambda: self.go(self.index + 1)),
            (QKeySequence(Qt.Key.Key_Left), lambda: self.go(self.index - 1)),
            (QKeySequence(Qt.Key.Key_Home), lambda: self.go(0)),
            (QKeySequence(Qt.Key.Key_End), lambda: self.go(self.pages - 1)),
            (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(1)),
            (QKeySequence("Ctrl+="), lambda: self.step_zoom(1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
            (QKeySequence("Ctrl+0"), self.fit_to_width),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.activated.connect(action)
        self._update_controls()
        self.status.setText(self.tr("正在打开…"))
        job = Job(lambda _r: self._prepare())
        job.signals.succeeded.connect(self._prepared)
        job.signals.failed.connect(self._failed)
        self.jobs.start(job)

    # --- opening --------------------------------------------------------------------------
    def _prepare(self) -> tuple[Path, PageImage]:
        path = self.source(Path(self._folder.name))
        return path, render_page(path, 0, 1.0)

    def _prepared(self, result: tuple[Path, PageImage]) -> None:
        self.path, first = result
        self.pages = first.pages
        self.page_box.blockSignals(True)
        self.page_box.setMaximum(max(1, self.pages))
        self.page_box.blockSignals(False)
        self._page_points = float(first.width)  # drawn at scale 1: points
        self._request()

    def _failed(self, message: str) -> None:
        self.status.setText("✖ " + message)
        self.status.setStyleSheet("color: #c62828;")
        self._busy = False
        self._update_controls()

    # --- drawing --------------------------------------------------------------------------
    def _scale(self) -> float:
        ratio = self.devicePixelRatioF() or 1.0
        dpi = self.logicalDpiX() / 72
        if self.fit_width and self._page_points:
            room = max(200, self.area.viewport().width() - 24)
            self.zoom = room / (self._page_points * dpi)
        return self.zoom * dpi * ratio

    def _request(self) -> None:
        if self.path is None:
            return
        self._wanted = (self.index, self._scale())
        if not self._busy:
            self._draw_next()

    def _draw_next(self) -> None:
        if self._wanted is None or self.path is None:
            return
        index, scale = self._wanted
        self._wanted = None
        self._busy = True
        path = self.path
        job = Job(lambda _r: render_page(path, index, scale))
        job.signals.succeeded.connect(self._drawn)
        job.signals.failed.connect(self._failed)
        self.jobs.start(job)
        self._update_controls()

    def _drawn(self, page: PageImage) -> None:
        self._busy = False
        pixmap = QPixmap()
        pixmap.loadFromData(page.png)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF() or 1.0)
        self.picture.setPixmap(pixmap)
        self.picture.adjustSize()
        self.status.setText("")
        self.status.setStyleSheet("")
        self._update_controls()
        self._draw_next()  # the user may have turned on meanwhile

    def _update_controls(self) -> None:
        ready = self.path is not None
        self.previous.setEnabled(ready and self.index > 0)
        self.next.setEnabled(ready and self.index < self.pages - 1)
        self.page_box.setEnabled(ready and self.pages > 1)
        self.page_box.blockSignals(True)
        self.page_box.setValue(self.index + 1)
        self.page_box.blockSignals(False)
        self.of.setText(self.tr("/ 共 {n} 页").format(n=self.pages) if ready else "")
        self.zoom_label.setText(f"{round(self.zoom * 100)}%")
        for widget in (self.zoom_in, self.zoom_out, self.fit):
            widget.setEnabled(ready)

    # --- navigation -----------------------------------------------------------------------
    def go(self, index: int) -> None:
        if self.path is None or not 0 <= index < self.pages or index == self.index:
            return
        self.index = index
        self._update_controls()
        self._request()
        self.area.verticalScrollBar().setValue(0)

    def step_zoom(self, direction: int) -> None:
        self.fit_width = False
        larger = [z for z in ZOOMS if z > self.zoom + 0.01]
        smaller = [z for z in ZOOMS if z < self.zoom - 0.01]
        if direction > 0 and larger:
            self.zoom = larger[0]
        elif direction < 0 and smaller:
            self.zoom = smaller[-1]
        self._update_controls()
        self._request()

    def fit_to_width(self) -> None:
        self.fit_width = True
        self._request()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.fit_width:
            self._request()

    def open_external(self) -> None:
        if self.path is None:
            return
        if self.open_url(QUrl.fromLocalFile(str(self.path))) is False:
            QMessageBox.information(
                self,
                self.tr("没有PDF阅读器"),
                self.tr(
                    "此电脑没有可以打开PDF文件的程序。页面可以在这里查看；"
                    "要用其他程序打开，请安装PDF阅读器，文件在：\n{path}"
                ).format(path=self.path),
            )

    def done(self, result: int) -> None:
        self.jobs.cancel_all()
        self.jobs.wait()
        super().done(result)
        self._folder.cleanup()
