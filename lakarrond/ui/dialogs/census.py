"""Ändringar sedan …: the patients admitted, moved, discharged and deceased since a date,
per health centre and doctor (the list the kommun sends the health centre), with buttons to
save it as Excel or PDF or print it, with or without personnummer like the other exports.
The table masks the personnummer; the list is read by the controller, off the GUI thread."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lakarrond import pnr
from lakarrond.census import CensusList, CensusRow, unit_text
from lakarrond.formatting import count
from lakarrond.ui.dialogs.common import Dialog, NumbersChoice, date_edit, from_qdate, row_table
from lakarrond.ui.models.table import Column, RowTableModel

WARNING = ("Filen får fullständiga personnummer: känsliga personuppgifter. Skicka den bara "
           "på ett säkert sätt.")


class CensusModel(RowTableModel[CensusRow]):
    """One row per event; the personnummer masked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([
            Column("Vårdcentral", lambda r: r.health_centre),
            Column("Läkare", lambda r: r.doctor),
            Column("Datum", lambda r: r.date),
            Column("Händelse", lambda r: r.kind.value),
            Column("Patient", lambda r: r.patient),
            Column("Personnummer", lambda r: pnr.mask(r.personnummer)),
            Column("Enhet", unit_text),
        ], parent)


class CensusDialog(Dialog):
    """Choose the date, see the list, save or print it."""

    since_changed = Signal(object)  # date
    save_requested = Signal(str)  # ".xlsx" or ".pdf"
    print_requested = Signal()

    def __init__(self, since: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ändringar sedan …")
        self.census: CensusList | None = None
        self.since_edit = date_edit(since)
        self.since_edit.dateChanged.connect(lambda _d: self.since_changed.emit(self.since()))
        choice = NumbersChoice(self, WARNING)
        self.without_numbers, self.with_numbers = choice.without_numbers, choice.with_numbers
        self.warning = choice.warning
        self.with_numbers.toggled.connect(self.warning.setVisible)
        numbers = choice.row
        form = QFormLayout()
        form.addRow("Sedan", self.since_edit)
        form.addRow("Personnummer", numbers)
        self.summary = QLabel("Läser …")
        self.model = CensusModel(self)
        self.view = row_table(self.model)
        self.excel_button = QPushButton("Spara som Excel …")
        self.pdf_button = QPushButton("Spara som PDF …")
        self.print_button = QPushButton("Skriv ut …")
        self.excel_button.clicked.connect(lambda: self.save_requested.emit(".xlsx"))
        self.pdf_button.clicked.connect(lambda: self.save_requested.emit(".pdf"))
        self.print_button.clicked.connect(self.print_requested)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Stäng")
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.excel_button, self.pdf_button, self.print_button):
            row.addWidget(button)
        row.addStretch()
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Patienter inskrivna, flyttade, utskrivna och avlidna – "
                                "listan till hälsocentralen, per vårdcentral och läkare."))
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        layout.addWidget(self.warning)
        layout.addLayout(row)
        self._enable(False)
        self.resize(900, 520)

    def since(self) -> date:
        return from_qdate(self.since_edit.date())

    def include_personnummer(self) -> bool:
        return self.with_numbers.isChecked()

    def loading(self) -> None:
        self.census = None
        self.summary.setText("Läser …")
        self._enable(False)

    def set_list(self, census: CensusList) -> None:
        """Show the list read for ``census.since`` (an older answer for another date is
        ignored: the controller reads again when the date changes)."""
        if census.since != self.since():
            return
        self.census = census
        self.model.set_rows(census.rows)
        self.summary.setText(
            f"{count(len(census.rows), 'ändring', 'ändringar')} sedan "
            f"{census.since.isoformat()}." if census.rows
            else f"Inga ändringar sedan {census.since.isoformat()}.")
        self._enable(True)

    def _enable(self, ready: bool) -> None:
        for button in (self.excel_button, self.pdf_button, self.print_button):
            button.setEnabled(ready)
