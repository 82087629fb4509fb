"""The reason for an Avböjd or Inställd ÅMV (one or several at once)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from lakarrond.formatting import count
from lakarrond.ui.dialogs.common import ok_cancel
from solver.problem import VisitStatus

REASONS = {
    VisitStatus.DECLINED: ("patienten tackade nej", "närstående tackade nej",
                           "vill vänta till nästa år"),
    VisitStatus.CANCELLED: ("patienten sjuk", "läkaren förhindrad", "inlagd på sjukhus",
                            "flyttad tid på enhetens begäran"),
}
TITLES = {VisitStatus.DECLINED: "Avböjd ÅMV", VisitStatus.CANCELLED: "Inställd ÅMV"}
EXPLAIN = {
    VisitStatus.DECLINED: "ÅMV erbjöds men avböjdes. Årets ÅMV räknas som erbjuden; nästa "
                          "blir aktuell från detta datum.",
    VisitStatus.CANCELLED: "ÅMV ställs in. Patienten behöver ett nytt datum så snart som "
                           "möjligt (Föreslå datum eller Planera om).",
}


class OutcomeDialog(QDialog):
    def __init__(self, status: VisitStatus, how_many: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLES[status])
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(REASONS[status])
        self.reason.setCurrentText("")
        info = QLabel(f"{EXPLAIN[status]}<br/>Gäller {count(how_many, 'ÅMV', 'ÅMV')}.")
        info.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Orsak", self.reason)
        buttons = ok_cancel(self, "Registrera")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def value(self) -> str:
        return self.reason.currentText().strip()
