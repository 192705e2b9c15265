"""The workspace overview: clients on the left, their drafts in a sortable table.

Each draft row shows its direction, status, completeness (pages without errors), the
policy's submission window with the days left, and the last change. A search box and a
status filter narrow the table; the row's draft id travels in the model for actions.

The table is sorted by deadline (the window closing soonest first; closed ones last),
rows closing within a week or two tinted. The client list counts clients; each client
lists its drafts. Both have context menus with the window's actions.

Signals:
    open_requested(str): open this draft id in the wizard.
    selection_changed(): the selected draft or client changed (for enabling actions).
    draft_menu_requested(QPoint): the context menu of the table (global position).
    client_menu_requested(QPoint): the context menu of the client list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.app import fmt, labels
from desktop.app.context import AppContext
from desktop.app.store import ClientInfo, DraftInfo
from forms.catalog.model import Catalog
from forms.draft.model import Draft, DraftStatus
from validators.context import FileCheck
from validators.overview import OverviewRow, deadline_order, overview_row

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
CLIENT_ROLE = Qt.ItemDataRole.UserRole + 3
ALL = "__all__"


@dataclass(frozen=True)
class Row:
    """One draft in the table: its overview figures (`validators.overview`, the same the
    .xlsx and the calendar use) and the client it is listed under."""

    info: DraftInfo
    overview: OverviewRow
    client: str  # the client's id

    @property
    def errors(self) -> int:
        return self.overview.errors

    @property
    def percent(self) -> int:
        return self.overview.percent

    @property
    def days_left(self) -> int | None:
        return self.overview.days_left

    @property
    def shown_status(self) -> DraftStatus:
        return self.overview.status


def summarise(
    info: DraftInfo, catalog: Catalog, on: date, others: list[Draft], files: FileCheck
) -> Row:
    """One row of the overview, judged exactly as the wizard judges the draft (the same
    context: the day, the other drafts, and whether each attached file is stored)."""
    return Row(info, overview_row(info.draft, catalog, on, others, files), info.client_id)


def _deadline_key(row: OverviewRow) -> int:
    """`deadline_order` as one number (Qt sorts numbers, not tuples)."""
    group, days = deadline_order(row)
    return group * 1_000_000 + days


#: Background of a row whose window closes soon (within a week / two weeks).
SOON, NEAR = QColor("#fde8e8"), QColor("#fff6dd")


class DraftFilter(QSortFilterProxyModel):
    """Rows whose text contains the search, of the chosen status and client."""

    def __init__(self, view: WorkspaceView) -> None:
        super().__init__(view)
        self.view = view

    def set_filter(self) -> None:
        self.beginFilterChange()
        self.endFilterChange()

    def filterAcceptsRow(  # noqa: N802 (Qt's name)
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        return self.view.accepts(source_row)


class WorkspaceView(QWidget):
    open_requested = Signal(str)
    selection_changed = Signal()
    draft_menu_requested = Signal(QPoint)
    client_menu_requested = Signal(QPoint)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[Row] = []
        self._client_names: dict[str, str] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        filters = QHBoxLayout()
        search_label = QLabel(self.tr("搜索(&Q)："), self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("单位、项目、方向或信用代码"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("搜索草稿"))
        search_label.setBuddy(self.search)
        status_label = QLabel(self.tr("状态(&T)："), self)
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName(self.tr("按状态筛选"))
        self.status_filter.addItem(self.tr("全部"), "")
        for status in DraftStatus:
            self.status_filter.addItem(labels.name(status), status.value)
        status_label.setBuddy(self.status_filter)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        filters.addWidget(status_label)
        filters.addWidget(self.status_filter)
        layout.addLayout(filters)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(split)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        clients_label = QLabel(self.tr("单位(&U)"), left)
        clients_label.setStyleSheet("font-weight: 600;")
        self.clients = QListWidget(left)
        self.clients.setAccessibleName(self.tr("单位"))
        clients_label.setBuddy(self.clients)
        left_layout.addWidget(clients_label)
        left_layout.addWidget(self.clients)
        self.model = QStandardItemModel(0, 7, self)
        self.proxy = DraftFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(split)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("申报草稿"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        split.addWidget(left)
        split.addWidget(self.table)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([210, 1000])
        layout.addWidget(split, 1)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555;")
        layout.addWidget(self.empty)

        self.search.textChanged.connect(self._filter)
        self.status_filter.currentIndexChanged.connect(lambda _: self._filter())
        self.clients.currentItemChanged.connect(lambda *_: self._filter())
        self.table.doubleClicked.connect(lambda _: self._open_current())
        self.table.activated.connect(lambda _: self._open_current())
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.selection_changed.emit()
        )
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.clients.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.clients.customContextMenuRequested.connect(self._client_menu)
        # Soonest deadline first (the window's days-left column sorts by deadline order).
        self.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)

    def _headers(self) -> list[str]:
        return [
            self.tr("单位"),
            self.tr("草稿"),
            self.tr("支持方向"),
            self.tr("状态"),
            self.tr("完整度"),
            self.tr("申报窗口 / 剩余"),
            self.tr("最后修改"),
        ]

    # --- data -------------------------------------------------------------------------
    def reload(self) -> None:
        store = self.ctx.store
        infos = store.drafts()
        drafts = [i.draft for i in infos]
        on = self.ctx.today()
        self.rows = [summarise(i, self.ctx.catalog, on, drafts, store.has_file) for i in infos]
        clients = store.clients()
        self._client_names = {c.id: c.profile.company.name for c in clients}
        self._fill_clients(clients, infos)
        self._fill_table()
        self._filter()

    def _fill_clients(self, clients: list[ClientInfo], infos: list[DraftInfo]) -> None:
        """Every client (by id), and the drafts of a deleted client under their own name."""
        current = self.current_client()
        self.clients.blockSignals(True)
        self.clients.clear()
        everyone = QListWidgetItem(self.tr("全部单位（{n}）").format(n=len(clients)))
        everyone.setData(CLIENT_ROLE, ALL)
        self.clients.addItem(everyone)
        entries = {c.id: c.profile.company.name or self.tr("（未填单位）") for c in clients}
        for info in infos:
            if info.client_id not in entries:
                entries[info.client_id] = info.draft.company.name or self.tr("（未填单位）")
        for client_id, name in sorted(entries.items(), key=lambda e: (e[1], e[0])):
            count = sum(1 for i in infos if i.client_id == client_id)
            item = QListWidgetItem(f"{name}（{count}）")
            item.setData(CLIENT_ROLE, client_id)
            item.setData(ID_ROLE, client_id)
            item.setToolTip(name)
            self.clients.addItem(item)
        self.select_client(current)
        self.clients.blockSignals(False)

    def select_client(self, client_id: str | None) -> None:
        """Select a client by id (or everyone); nothing happens for an unknown id."""
        selected = 0
        for row in range(self.clients.count()):
            item = self.clients.item(row)
            if item is not None and item.data(CLIENT_ROLE) == client_id:
                selected = row
        self.clients.setCurrentRow(selected)

    def _fill_table(self) -> None:
        lang = self.ctx.lang
        self.model.removeRows(0, self.model.rowCount())
        self.model.setHorizontalHeaderLabels(self._headers())
        for row in self.rows:
            draft = row.info.draft
            q = row.overview.direction
            direction = "—"
            if q is not None:
                direction = q.direction.title_en if lang == "en" else q.direction.title
            cells = [
                (draft.company.name or self.tr("（未填单位）"), draft.company.name),
                (draft.title or draft.project.name or self.tr("新草稿"), draft.title),
                (direction, direction),
                (labels.name(row.shown_status), row.shown_status.value),
                (f"{row.percent}%" + (f"  ✖{row.errors}" if row.errors else ""), row.percent),
                (self._window_text(row), _deadline_key(row.overview)),
                (fmt.day(row.info.modified, lang), row.info.modified.timestamp()),
            ]
            items = []
            for text, key in cells:
                item = QStandardItem(text)
                item.setData(key, SORT_ROLE)
                item.setData(draft.id, ID_ROLE)
                item.setToolTip(text)
                items.append(item)
            items[4].setForeground(QBrush(QColor("#2e7d32" if not row.errors else "#a15c00")))
            trouble = self._trouble(row.info)
            if trouble:
                # A damaged newest file or a sync conflict: said where the status is, in red;
                # opening the draft offers the way out (restore, or choose a copy).
                items[3].setText(trouble)
                items[3].setToolTip(trouble)
                items[3].setForeground(QBrush(QColor("#c62828")))
            days = row.days_left
            if days is not None and days < 0:
                items[5].setForeground(QBrush(QColor("#8a8a8a")))
            elif days is not None and days <= 14 and row.overview.open:
                if days <= 7:
                    items[5].setForeground(QBrush(QColor("#c62828")))
                for item in items:
                    item.setBackground(QBrush(SOON if days <= 7 else NEAR))
            self.model.appendRow(items)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((190, 0, 190, 64, 84, 170, 160)):
            if width:
                self.table.setColumnWidth(column, width)
        if any(self._trouble(row.info) for row in self.rows):
            self.table.setColumnWidth(3, 170)  # "damaged" / "sync conflict" must be readable
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if self.rows:
            self.empty.setText("")
            self.empty.hide()
        else:
            self.empty.setText(
                self.tr(
                    "工作区里还没有草稿。点“新建单位”录入申报单位（或“导入单位”读入名单），"
                    "随后即可开始填写它的第一份草稿。"
                )
            )
            self.empty.show()

    def _trouble(self, info: DraftInfo) -> str:
        if info.damaged:
            return self.tr("已损坏：显示第 {n} 版").format(n=info.version)
        if info.conflict:
            return self.tr("同步冲突：两处各有修改")
        return ""

    def _window_text(self, row: Row) -> str:
        days = row.days_left
        overview = row.overview
        if overview.direction is None:
            return "—"  # no direction yet: no window to speak of
        if days is None:
            return self.tr("长期")
        window = ""
        if overview.opens is not None and overview.closes is not None:
            window = f"{overview.opens:%m-%d}—{overview.closes:%m-%d}"
        prefix = f"{window}  " if window else ""
        if days < 0:
            return prefix + self.tr("已截止")
        return prefix + self.tr("剩 {n} 天").format(n=days)

    def _filter(self, *_: object) -> None:
        self.proxy.set_filter()
        self.selection_changed.emit()

    def accepts(self, source_row: int) -> bool:
        if source_row >= len(self.rows):
            return True
        row = self.rows[source_row]
        draft = row.info.draft
        needle = self.search.text().strip().lower()
        status = self.status_filter.currentData() or ""
        client = self.current_client()
        if status and row.shown_status.value != status:
            return False
        if client not in (None, ALL) and row.client != client:
            return False
        if not needle:
            return True
        cells = (self.model.item(source_row, c) for c in range(self.model.columnCount()))
        hay = " ".join(c.text() for c in cells if c is not None)
        hay += f" {draft.company.credit_code} {draft.direction or ''}"
        return needle in hay.lower()

    def client_of(self, info: DraftInfo) -> str:
        """The name a draft is listed under: its client's, else its own company's."""
        return (
            self._client_names.get(info.client_id)
            or info.draft.company.name
            or self.tr("（未填单位）")
        )

    # --- selection ----------------------------------------------------------------------
    def current_client(self) -> str | None:
        """The selected client's id, ALL for everyone, None when nothing is selected."""
        item = self.clients.currentItem()
        value = item.data(CLIENT_ROLE) if item is not None else None
        return value if isinstance(value, str) else None

    def current_client_id(self) -> str | None:
        """The selected client's id; None for "everyone"."""
        client = self.current_client()
        return None if client in (None, ALL) else client

    def _table_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.setCurrentIndex(index)
        self.draft_menu_requested.emit(self.table.viewport().mapToGlobal(point))

    def _client_menu(self, point: QPoint) -> None:
        item = self.clients.itemAt(point)
        if item is not None:
            self.clients.setCurrentItem(item)
        self.client_menu_requested.emit(self.clients.viewport().mapToGlobal(point))

    def current_draft_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = index.data(ID_ROLE)
        return value if isinstance(value, str) else None

    def select_draft(self, draft_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == draft_id:
                self.table.selectRow(row)
                self.table.setCurrentIndex(index)
                return

    def _open_current(self) -> None:
        draft_id = self.current_draft_id()
        if draft_id is not None:
            self.open_requested.emit(draft_id)
