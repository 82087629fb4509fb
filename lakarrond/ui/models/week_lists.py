"""Veckan's lists beside the week tree: what needs doing now ("Att göra nu", filtered by
"Mina steg" – the role whose steps to show) and the preparation checklist of the ÅMV shown
(steps ticked in the table, with who does each)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any  # Any: Qt-role edge (values per role)

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from lakarrond.matter import Role
from lakarrond.services.preparation import StepCount, StepState
from lakarrond.services.week_data import (
    MATTER_TO_RECORD,
    PREP_DUE,
    PREP_LATE,
    UNRECORDED,
    TodoItem,
)
from lakarrond.steps import role_text
from lakarrond.ui.models.store_models import LATE_BG
from lakarrond.ui.models.table import Column, Index, RowTableModel

DUE_BG = QColor("#ffe0a3")  # amber: preparation due now (red LATE_BG: late, not recorded)


def bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class TodoModel(RowTableModel[TodoItem]):
    """What needs doing now: record, prepare, find a new date."""

    KIND_COLUMN = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Att göra", lambda r: r.kind),
                Column("ÅMV", lambda r: r.date),
                Column("Patient", lambda r: r.patient),
                # what is to be done before where: with "Mina steg" the step is the point
                Column("Vad", lambda r: r.detail, lambda r: _todo_tip(r)),
                Column("Enhet", lambda r: r.unit),
                Column("Läkare", lambda r: r.doctor),
            ],
            parent,
        )

    def extra_data(self, row: TodoItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and column == self.KIND_COLUMN:
            if row.kind in (UNRECORDED, PREP_LATE, MATTER_TO_RECORD):
                return QBrush(LATE_BG)
            if row.kind == PREP_DUE:
                return QBrush(DUE_BG)
        if role == Qt.ItemDataRole.FontRole and row.kind == UNRECORDED:
            return bold()
        return None

    def find_visit(self, visit_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.visit_id == visit_id), -1)


def for_role(items: Sequence[TodoItem], role: Role | None) -> list[TodoItem]:
    """The items of "Att göra nu" as "Mina steg" ``role`` shows them (every item for
    None: "Alla"), :meth:`TodoItem.for_role`."""
    return [shown for item in items if (shown := item.for_role(role)) is not None]


def _todo_tip(item: TodoItem) -> str:
    if item.kind in (PREP_LATE, PREP_DUE) and item.due is not None:
        return f"{item.detail}\nFörsta steget skulle vara klart {item.due.isoformat()}."
    return item.detail


ChecklistRow = StepState | StepCount


def _klart(row: ChecklistRow) -> object:
    return row.text if isinstance(row, StepCount) else row.done_on


def _check(row: ChecklistRow) -> Qt.CheckState:
    if isinstance(row, StepCount):
        if row.done and row.done == row.total:
            return Qt.CheckState.Checked
        return Qt.CheckState.PartiallyChecked if row.done else Qt.CheckState.Unchecked
    return Qt.CheckState.Checked if row.done else Qt.CheckState.Unchecked


class ChecklistModel(RowTableModel[ChecklistRow]):
    """The preparation steps of one ÅMV, or of several (issue 20.1: each step once, with how
    many of them have it done, "3 av 9 klara"); the first column is ticked when the step is
    done (partly when done for some). Ticking emits :attr:`toggled` – the controller saves
    it for every ÅMV shown and reloads the list."""

    toggled = Signal(str, bool)  # step, done

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Steg", lambda r: r.step),
                Column("Vem", lambda r: role_text(r.role)),
                Column("Senast", lambda r: r.due),
                Column("Klart", _klart),
                Column("Av", lambda r: "" if isinstance(r, StepCount) else r.done_by),
            ],
            parent,
        )

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def extra_data(self, row: ChecklistRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return _check(row)
        if role == Qt.ItemDataRole.BackgroundRole and column in (0, 2):
            if row.late:
                return QBrush(LATE_BG)
            if row.due_now:
                return QBrush(DUE_BG)
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 2) and row.due is not None:
            if row.late:
                return f"Sen: skulle vara klart {row.due.isoformat()}"
            if row.due_now:
                return f"Att göra nu: senast {row.due.isoformat()}"
        return None

    def setData(self, index: Index, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        done = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) \
            else value
        self.toggled.emit(self.row_at(index.row()).step, done)
        return True
