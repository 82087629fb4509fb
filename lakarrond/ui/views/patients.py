"""Patienter: the patient list with search and unit/status filters, and the edit buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from lakarrond.ui.models.store_models import PatientModel
from lakarrond.ui.views.common import TablePanel


class PatientsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PatientModel(self)
        self.panel = TablePanel(self.model, {PatientModel.UNIT_COLUMN: "Enhet",
                                             PatientModel.STATUS_COLUMN: "Status"})
        self.add_button = QPushButton("Ny patient …")
        self.edit_button = QPushButton("Redigera …")
        self.discharge_button = QPushButton("Utskrivning …")
        self.deceased_button = QPushButton("Avliden …")
        self.move_button = QPushButton("Flytta till enhet …")
        self.exclude_button = QPushButton("Undanta …")
        self.delete_button = QPushButton("Ta bort …")
        self.visit_button = QPushButton("Visa ÅMV")
        self.visit_button.setToolTip("Visa patientens ÅMV i årsplanen")
        self.suggest_button = QPushButton("Föreslå datum …")
        self.suggest_button.setToolTip("De bästa lediga datumen för patientens ÅMV i den "
                                       "sparade planen, utan att flytta någon annan")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.discharge_button,
                  self.deceased_button, self.move_button, self.exclude_button,
                  self.delete_button, self.visit_button, self.suggest_button):
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.panel)
        self.panel.selection_changed.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.panel.current() is not None
        for b in (self.edit_button, self.discharge_button, self.deceased_button,
                  self.move_button, self.exclude_button, self.delete_button,
                  self.visit_button, self.suggest_button):
            b.setEnabled(has)
