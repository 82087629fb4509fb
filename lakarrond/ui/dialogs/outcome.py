"""The reason for an Avböjd or Inställd ÅMV (one or several at once), and the day a
preparation step was done when it is ticked afterwards."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from lakarrond.formatting import count
from lakarrond.ui.dialogs.common import (
    Dialog,
    FormDialog,
    date_edit,
    error_label,
    from_qdate,
    ok_cancel,
    to_qdate,
)
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


class OutcomeDialog(Dialog):
    """The reason for an Avböjd or Inställd ÅMV: picked from the list or typed; required
    (Registrera stays disabled until there is one)."""

    def __init__(self, status: VisitStatus, how_many: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLES[status])
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason.addItems(REASONS[status])
        self.reason.setCurrentText("")
        info = QLabel(f"{EXPLAIN[status]}<br/>Gäller {count(how_many, 'ÅMV', 'ÅMV')}.")
        info.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Orsak", self.reason)
        buttons = ok_cancel(self, "Registrera")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.reason.editTextChanged.connect(self._reason_changed)
        self._reason_changed()

    def _reason_changed(self, _text: str = "") -> None:
        self.ok_button.setEnabled(bool(self.value()))

    def value(self) -> str:
        return self.reason.currentText().strip()

    def accept(self) -> None:
        if self.value():  # an empty reason is never registered
            super().accept()


class DayDoneDialog(FormDialog):
    """The day something was done when it was not the planned day or today: a
    preparation step ticked afterwards, an ÅMV held on another day. Up to today."""

    def __init__(self, title: str, what: str, label: str, ok_text: str, today: date,
                 default: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.setWindowTitle(title)
        self.day = date_edit(min(default or today, today))
        self.day.setMaximumDate(to_qdate(today))
        self.errors = error_label()
        info = QLabel(what)
        info.setWordWrap(True)
        form = QFormLayout()
        form.addRow(info)
        form.addRow(label, self.day)
        self._finish(form, ok_text)

    def check(self) -> list[str]:
        if self.value() > self.today:
            return [f"Datumet kan inte ligga efter idag ({self.today.isoformat()})."]
        return []

    def value(self) -> date:
        return from_qdate(self.day.date())
