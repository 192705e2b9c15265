"""`shenbao-gui`: the desktop application's entry point.

Until the wizard lands this window is a browser of the policy catalog (policy →
measure → direction, with status on today's date), so a user can already see what
the tool knows. Expired and superseded policies are shown greyed, never hidden.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms.catalog import Catalog, QualifiedDirection, Status
from forms.catalog_loader import CatalogError, load_catalog

STATUS_NAMES = {
    Status.ACTIVE: "有效",
    Status.NOT_YET_OPEN: "未开始受理",
    Status.WINDOW_CLOSED: "受理已截止",
    Status.EXPIRED: "已过期",
    Status.SUPERSEDED: "已废止",
}
INACTIVE = (Status.EXPIRED, Status.SUPERSEDED)


class CatalogWindow(QMainWindow):
    """Main window: the catalog as a tree with each policy's status on `on`."""

    def __init__(self, catalog: Catalog, on: date) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("申报 — 上海“人工智能+”政策申报助手"))
        self.resize(1100, 720)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        header = QLabel(
            self.tr("政策目录 版本 {version}，状态日期 {day}").format(
                version=catalog.version, day=on.isoformat()
            )
        )
        header.setAccessibleName(self.tr("目录版本"))
        layout.addWidget(header)
        self.tree = QTreeWidget(central)
        self.tree.setAccessibleName(self.tr("政策目录"))
        self.tree.setHeaderLabels(
            [self.tr("政策 / 措施 / 支持方向"), self.tr("状态"), self.tr("条款 / 发文机关")]
        )
        self.tree.setColumnWidth(0, 560)
        self.tree.setColumnWidth(1, 110)
        layout.addWidget(self.tree)
        self.setCentralWidget(central)
        self._fill(catalog, on)

    def _fill(self, catalog: Catalog, on: date) -> None:
        grey = QBrush(QColor("#8a8a8a"))
        for policy in catalog.policies:
            status = policy.status_on(on)
            number = f"（{policy.doc_number}）" if policy.doc_number else ""
            top = QTreeWidgetItem([policy.title + number, STATUS_NAMES[status], policy.issuer])
            self.tree.addTopLevelItem(top)
            for measure in policy.measures:
                node = QTreeWidgetItem([f"{measure.number} {measure.title}", "", measure.clause])
                top.addChild(node)
                for direction in measure.directions:
                    q = QualifiedDirection(policy, measure, direction)
                    leaf = QTreeWidgetItem([direction.title, "", direction.clause])
                    leaf.setToolTip(0, q.key)
                    node.addChild(leaf)
            if status in INACTIVE:
                for item in _walk(top):
                    for column in range(3):
                        item.setForeground(column, grey)
                top.setToolTip(1, policy.validity_words or policy.note)
            else:
                top.setExpanded(True)


def _walk(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    items = [item]
    for index in range(item.childCount()):
        child = item.child(index)
        if child is not None:
            items.extend(_walk(child))
    return items


def main(argv: Sequence[str] | None = None) -> int:
    app = QApplication(list(argv) if argv is not None else sys.argv)
    try:
        catalog = load_catalog()
    except CatalogError as exc:
        label = QLabel(f"政策目录无法加载 / the policy catalog cannot be loaded:\n{exc}")
        label.setWordWrap(True)
        label.show()
        return app.exec()
    window = CatalogWindow(catalog, date.today())
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
