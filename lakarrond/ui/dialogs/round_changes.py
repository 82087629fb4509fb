"""Enstaka ronddatum: a unit's one-off extra and cancelled round dates, shown in the unit
form, and the small form for a new one (the date and a note)."""

from __future__ import annotations

from datetime import date
from typing import Any  # Any: Qt-role edge: extra_data() returns a different type per role

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lakarrond.services.round_changes import EXTRA, MAX_NOTE_LENGTH, RoundChangeRow
from lakarrond.ui.dialogs.common import (
    FormDialog,
    date_edit,
    error_label,
    from_qdate,
    row_table,
)
from lakarrond.ui.models.table import Column, RowTableModel
from solver.problem import WEEKDAY_NAMES_SV

PROBLEM_BG = QColor("#fde2e1")


class RoundChangeModel(RowTableModel[RoundChangeRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Datum", lambda r: r.data.date),
                Column("Dag", lambda r: WEEKDAY_NAMES_SV[r.data.date.weekday()]),
                Column("Ändring", lambda r: r.label),
                Column("Anteckning", lambda r: r.data.note),
                Column("Obs", lambda r: r.problem, lambda r: r.problem),
            ],
            parent,
        )

    def extra_data(self, row: RoundChangeRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.problem:
            return QBrush(PROBLEM_BG)
        return None


class RoundChangesPanel(QGroupBox):
    """The unit's one-off round dates with Lägg till extra rond / Ställ in en rond /
    Ta bort. Each change is saved at once (and can be undone), not with the form's Spara."""

    rows_changed = Signal()  # the unit form's preview of round dates follows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Enstaka ronddatum", parent)
        self.model = RoundChangeModel(self)
        self.view = row_table(self.model)
        self.view.setMaximumHeight(150)
        self.extra_button = QPushButton("Lägg till extra rond …")
        self.cancel_button = QPushButton("Ställ in en rond …")
        self.remove_button = QPushButton("Ta bort")
        note = QLabel("En extra rond utanför rytmen eller en inställd rond på ett av rytmens "
                      "datum. Sparas direkt och kan ångras.")
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.extra_button, self.cancel_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(self._update)
        self.model.modelReset.connect(self._update)
        self._update()

    def set_rows(self, rows: list[RoundChangeRow]) -> None:
        self.model.set_rows(rows)
        self.rows_changed.emit()

    def current(self) -> RoundChangeRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, change_id: int) -> None:
        for r in range(self.model.rowCount()):
            if self.model.row_at(r).id == change_id:
                self.view.selectRow(r)

    def _update(self) -> None:
        self.remove_button.setEnabled(self.current() is not None)


class RoundDateDialog(FormDialog):
    """The date (and a note) of an extra or a cancelled round."""

    def __init__(self, unit: str, kind: str, day: date, note: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        extra = kind == EXTRA
        self.setWindowTitle(f"Extra rond – {unit}" if extra else f"Ställ in en rond – {unit}")
        self.day = date_edit(day)
        self.note = QLineEdit(note)
        self.note.setMaxLength(MAX_NOTE_LENGTH)
        self.note.setPlaceholderText("t.ex. extra tid före semestern" if extra
                                     else "t.ex. läkaren på utbildning")
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("Datum", self.day)
        form.addRow("Anteckning", self.note)
        self._finish(form, "Lägg till" if extra else "Ställ in ronden")

    def value(self) -> tuple[date, str]:
        return from_qdate(self.day.date()), self.note.text().strip()
