"""Behöver ingen ÅMV: the patients the plan needs no ÅMV for, each with the reason, so that
the ÅMV list, the unplaced (under Avvikelser) and this list hold every patient."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from lakarrond.document import NotRequiredEntry

HEADERS = ("Patient", "Enhet", "Orsak")


class NotRequiredView(QTableWidget):
    """A read-only table: Patient, Enhet, Orsak."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(HEADERS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(len(HEADERS) - 1,
                                                     QHeaderView.ResizeMode.Stretch)
        self.setSortingEnabled(True)

    def set_rows(self, rows: Sequence[NotRequiredEntry]) -> None:
        self.setSortingEnabled(False)
        self.setRowCount(len(rows))
        for i, entry in enumerate(sorted(rows, key=lambda n: (n.unit, n.patient))):
            for column, value in enumerate((entry.patient, entry.unit, entry.reason)):
                self.setItem(i, column, QTableWidgetItem(value))
        self.resizeColumnToContents(0)
        self.resizeColumnToContents(1)
        self.setSortingEnabled(True)

    def rows(self) -> list[tuple[str, str, str]]:
        """What the table shows, row by row (for tests and copying)."""
        return [tuple(self.item(r, c).text() for c in range(len(HEADERS)))  # type: ignore[misc]
                for r in range(self.rowCount())]
