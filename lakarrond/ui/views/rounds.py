"""Rondschema: every round date of the plan year per unit, cancelled ones struck out, the
substitute on absence days and the number of ÅMV in the round."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from lakarrond.ui.models.store_models import RoundModel
from lakarrond.ui.views.common import TablePanel


class RoundsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RoundModel(self)
        self.panel = TablePanel(self.model, {RoundModel.UNIT_COLUMN: "Enhet",
                                             RoundModel.DOCTOR_COLUMN: "Läkare"})
        self.title = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.panel)

    def load(self, year: int, doc: dict | None) -> None:
        if doc is None:
            self.title.setText(f"<b>Rondschema {year}</b> – ingen plan ännu (Planera år, F5)")
            self.panel.set_rows([])
            return
        self.title.setText(f"<b>Rondschema {year}</b> (plan version {doc['version']})")
        self.panel.set_rows(doc["rounds"])
