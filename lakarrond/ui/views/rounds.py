"""Rondschema: every round date of the plan year per unit, cancelled ones struck out, the
substitute on absence days and the number of ÅMV in the round."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lakarrond.document import PlanDocument
from lakarrond.ui.models.store_models import RoundModel
from lakarrond.ui.views.common import ALL, TablePanel


class RoundsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RoundModel(self)
        self.panel = TablePanel(self.model, {RoundModel.UNIT_COLUMN: "Enhet",
                                             RoundModel.DOCTOR_COLUMN: "Läkare"})
        self.title = QLabel()
        self.print_button = QPushButton("Skriv ut …")
        self.print_button.setToolTip("Skriv ut en läkares rondschema eller en enhets "
                                     "förberedelselista (Ctrl+P)")
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.panel)

    def load(self, year: int, doc: PlanDocument | None) -> None:
        if doc is None:
            self.title.setText(f"<b>Rondschema {year}</b> – ingen plan ännu (Planera år, F5)")
            self.panel.set_rows([])
            return
        self.title.setText(f"<b>Rondschema {year}</b> (plan version {doc.version})")
        self.panel.set_rows(list(doc.rounds))

    def chosen_doctor(self) -> str | None:
        text = self.panel.filters[self.model.DOCTOR_COLUMN].currentText()
        return None if text == ALL else text
