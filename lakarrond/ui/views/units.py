"""Enheter: the units with their round rhythm and doctor time."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lakarrond.ui.models.store_models import UnitModel
from lakarrond.ui.views.common import TablePanel


class UnitsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = UnitModel(self)
        self.panel = TablePanel(self.model, {UnitModel.DOCTOR_COLUMN: "Läkare"})
        self.add_button = QPushButton("Ny enhet …")
        self.edit_button = QPushButton("Redigera …")
        self.edit_button.setToolTip("Rytm, ÅMV per rond, minuter per ÅMV och enstaka "
                                    "ronddatum")
        self.delete_button = QPushButton("Ta bort …")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch()
        floor = QLabel("Rosa läkartid: under avtalets golv")
        floor.setToolTip("Läkartid minst, timmar per vecka per 10 patienter: Planera → "
                         "Inställningar. Ronder och separata ÅMV-tider under året / 52 veckor; "
                         "restid räknas inte in.")
        buttons.addWidget(floor)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.panel)
        self.panel.selection_changed.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.panel.current() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
