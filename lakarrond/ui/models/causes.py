"""The broken rules as a tree: causes (title, where, how many, what to do) with their
patients under them."""

from __future__ import annotations

from typing import Any  # Any: Qt-role edge: data() returns a different type per role

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from lakarrond.causes import Cause
from lakarrond.document import ViolationEntry

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Orsak", "Gäller", "Antal", "Åtgärd")
ACTION_BG = QColor("#e8f3e8")
NO_PARENT = 0xFFFFFFFF  # internal id of a top-level (cause) row


class CauseTreeModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._causes: list[Cause] = []

    def set_causes(self, causes: list[Cause]) -> None:
        self.beginResetModel()
        self._causes = list(causes)
        self.endResetModel()

    def cause_at(self, index: Index) -> Cause | None:
        if not index.isValid():
            return None
        if index.internalId() == NO_PARENT:
            return self._causes[index.row()]
        return self._causes[index.internalId()]

    def violation_at(self, index: Index) -> ViolationEntry | None:
        if not index.isValid() or index.internalId() == NO_PARENT:
            return None
        return self._causes[index.internalId()].violations[index.row()]

    # --- Qt -------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, NO_PARENT)
        return self.createIndex(row, column, parent.row())

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008  # Qt's two parent() overloads
        if not index.isValid() or index.internalId() == NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId(), 0, NO_PARENT)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._causes)
        if parent.internalId() == NO_PARENT and parent.column() == 0:
            return len(self._causes[parent.row()].violations)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if index.internalId() == NO_PARENT:
            cause = self._causes[index.row()]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return (cause.title, cause.where, cause.summary, cause.fix)[column]
            if role == Qt.ItemDataRole.FontRole and column == 0:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole and cause.action and column == 3:
                return QBrush(ACTION_BG)
            return None
        v = self._causes[index.internalId()].violations[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (v.patient or "–", v.unit or v.doctor, "", v.message)[column]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None
