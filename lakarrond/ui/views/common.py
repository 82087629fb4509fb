"""A table with a search field and column filters, used by every view.

The search waits a short pause after the last key (:data:`SEARCH_PAUSE_MS`; Enter filters at
once; text set by the program filters at once) and the columns are sized from the header and
a sample of rows, never from every row (issue 17)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lakarrond.ui.models.table import PreparedRows, RowTableModel, SearchFilterProxy

ALL = "Alla"
SEARCH_PAUSE_MS = 180  # the search filters this long after the last key
SAMPLE_ROWS = 60  # the rows a column's width is measured on
MAX_COLUMN_PX = 320


T = TypeVar("T")


class TablePanel(QWidget, Generic[T]):
    """Search field + filters (combo per filtered column) + sortable table."""

    activated = Signal(object)  # the row object that was double-clicked
    selection_changed = Signal()

    def __init__(self, model: RowTableModel[T], filters: dict[int, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = SearchFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök … (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_PAUSE_MS)
        self.search_timer.timeout.connect(self.apply_search)
        self._typed = False  # the text change under way is a key (textEdited comes first)
        self.search.textEdited.connect(self._key_typed)
        self.search.textChanged.connect(self._text_changed)
        self.search.returnPressed.connect(self.apply_search)
        self.filters: dict[int, QComboBox] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        for column, label in (filters or {}).items():
            combo = QComboBox()
            combo.setMinimumContentsLength(12)
            combo.addItem(ALL)
            combo.currentTextChanged.connect(
                lambda text, c=column: self.proxy.set_column_filter(c, None if text == ALL
                                                                    else text))
            self.filters[column] = combo
            bar.addWidget(QLabel(label))
            bar.addWidget(combo, 1)
        self.count = QLabel()
        bar.addWidget(self.count)
        self.bar = bar  # the search row, where a view may add its own buttons
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.selectionModel().selectionChanged.connect(self.selection_changed)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._update_count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view)

    def _key_typed(self, _text: str) -> None:
        self._typed = True
        self.search_timer.start()  # restarted on each key

    def _text_changed(self, _text: str) -> None:
        """Text set by the program (not typed) filters at once."""
        if self._typed:
            self._typed = False
            return
        self.apply_search()

    def apply_search(self) -> None:
        """Filter by the search text now (the pause is over, or Enter)."""
        self.search_timer.stop()
        self.proxy.set_search(self.search.text())

    def _update_count(self, *args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} av {total}" if shown != total else f"{total} st")

    def refresh_filters(self) -> None:
        """Refill the filter combos with the values in the model (keeping the choice)."""
        for column, combo in self.filters.items():
            current = combo.currentText()
            values = sorted(set(self.model.column_texts(column)) - {""})
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL)
            combo.addItems(values)
            index = combo.findText(current)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
            if index < 0 and current != ALL:
                self.proxy.set_column_filter(column, None)
        self._update_count()

    def set_rows(self, rows: list[T]) -> None:
        self.model.set_rows(rows)
        self.refresh_filters()
        self.fit_columns()

    def set_prepared(self, prepared: PreparedRows[T]) -> None:
        """:meth:`set_rows` with the rows' texts computed already (on a job's thread)."""
        self.model.set_prepared(prepared)
        self.refresh_filters()
        self.fit_columns()

    def fit_columns(self) -> None:
        """Each column as wide as its header and the widest of a sample of rows (the
        model's cached texts, measured with the font: no ``data()`` call per row)."""
        metrics = self.view.fontMetrics()
        header = self.view.horizontalHeader()
        header_metrics = header.fontMetrics()
        pad = 2 * self.view.style().pixelMetric(
            self.view.style().PixelMetric.PM_FocusFrameHMargin) + 16
        for column in range(self.model.columnCount()):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            texts = self.model.column_texts(column, SAMPLE_ROWS)
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            width = max(widest, header_metrics.horizontalAdvance(title) + 12) + pad
            self.view.setColumnWidth(column, min(width, MAX_COLUMN_PX))

    def allow_many(self) -> None:
        """Let the user select several rows (Ctrl/Shift-click) for one action."""
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def proxy_rows(self) -> list[T]:
        """The rows shown now (after search and filters), in the order shown."""
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                for r in range(self.proxy.rowCount())]

    def selected(self) -> list[T]:
        """The selected rows, in the order shown."""
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        return [self.model.row_at(self.proxy.mapToSource(i).row()) for i in rows]

    def current(self) -> T | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row())

    def select_where(self, predicate: Callable[[T], bool]) -> bool:
        for r in range(self.model.rowCount()):
            if predicate(self.model.row_at(r)):
                index = self.proxy.mapFromSource(self.model.index(r, 0))
                if index.isValid():
                    self.view.selectRow(index.row())
                    self.view.scrollTo(index)
                    return True
        return False

    def _double_clicked(self, index: QModelIndex) -> None:
        self.activated.emit(self.model.row_at(self.proxy.mapToSource(index).row()))
