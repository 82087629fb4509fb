"""Models of the Settings dialog: blocked periods (from–to dates) and the preparation steps
(name, days before the ÅMV, who does it and whether it invites relatives; edited in place,
reordered)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any  # Any: Qt-role edge: data()/setData() values differ per role

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from lakarrond.matter import parse_role
from lakarrond.services.preparation import MAX_DAYS_BEFORE, PreparationStep
from lakarrond.ui.models.table import Column, RowTableModel

Index = QModelIndex | QPersistentModelIndex
Period = tuple[date, date]


class PeriodModel(RowTableModel[Period]):
    """The blocked periods, sorted by start."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([Column("Från", lambda p: p[0]), Column("Till", lambda p: p[1]),
                          Column("Dagar", lambda p: (p[1] - p[0]).days + 1)], parent)

    def add(self, period: Period) -> None:
        self.set_rows(sorted({*self.rows(), period}))

    def remove(self, row: int) -> None:
        rows = self.rows()
        if 0 <= row < len(rows):
            del rows[row]
            self.set_rows(rows)


class StepModel(QAbstractTableModel):
    """The preparation checklist's steps in order; name, days and role ("Vem", "–" = not
    said) are edited in the table, "Närstående" (the step that invites relatives, left out
    for a patient with "Bjud inte in närstående") is ticked."""

    HEADERS = ("Steg", "Dagar före ÅMV", "Vem", "Närstående")
    ROLE_COLUMN, RELATIVES_COLUMN = 2, 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: list[PreparationStep] = []

    def set_steps(self, steps: list[PreparationStep]) -> None:
        self.beginResetModel()
        self._steps = list(steps)
        self.endResetModel()

    def steps(self) -> list[PreparationStep]:
        return list(self._steps)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._steps)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return str(section + 1) if orientation == Qt.Orientation.Vertical else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._steps):
            return None
        step = self._steps[index.row()]
        column = index.column()
        if column == self.RELATIVES_COLUMN:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if step.relatives else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Steget bjuder in närstående: tas bort för patienter med " \
                       "”Bjud inte in närstående”"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (step.name, step.days_before, step.role_text)[column]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.RELATIVES_COLUMN:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        step = self._steps[index.row()]
        column = index.column()
        if column == self.RELATIVES_COLUMN and role == Qt.ItemDataRole.CheckStateRole:
            checked = value if isinstance(value, bool) else \
                Qt.CheckState(value) == Qt.CheckState.Checked
            new = replace(step, relatives=checked)
        elif role != Qt.ItemDataRole.EditRole or column == self.RELATIVES_COLUMN:
            return False
        elif column == 0:
            new = replace(step, name=str(value))
        elif column == self.ROLE_COLUMN:
            new = replace(step, role=parse_role(str(value)))  # "–" or unknown: no role
        else:
            try:
                days = int(value)
            except (TypeError, ValueError):
                return False
            new = replace(step, days_before=max(0, min(days, MAX_DAYS_BEFORE)))
        self._steps[index.row()] = new
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        return True

    def add(self, step: PreparationStep) -> int:
        row = len(self._steps)
        self.beginInsertRows(QModelIndex(), row, row)
        self._steps.append(step)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._steps):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._steps[row]
            self.endRemoveRows()

    def move(self, row: int, offset: int) -> int:
        """Move a step up (-1) or down (+1); returns its new row."""
        target = row + offset
        if not (0 <= row < len(self._steps) and 0 <= target < len(self._steps)):
            return row
        # beginMoveRows wants the row *before which* it lands in the old numbering
        destination = target + 1 if offset > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._steps.insert(target, self._steps.pop(row))
        self.endMoveRows()
        return target
