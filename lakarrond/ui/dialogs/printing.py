"""What to print: a doctor's round schedule or a unit's preparation list, for a period;
printed through a preview (Skriv ut) or saved as a PDF (Spara utskrift som PDF)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from lakarrond.printouts import MASKED, NUMBER_CHOICES, PREPARATION_LIST, ROUND_SCHEDULE
from lakarrond.today import today as todays_date
from lakarrond.ui.dialogs.common import Dialog, date_edit, error_label, from_qdate, ok_cancel
from lakarrond.ui.dialogs.export import _slug

PREVIEW = "Förhandsgranska"
SAVE_PDF = "Spara som PDF …"


@dataclass(frozen=True)
class PrintSpec:
    kind: str  # ROUND_SCHEDULE or PREPARATION_LIST
    name: str  # the doctor (round schedule) or the unit (preparation list)
    date_from: date | None
    date_to: date | None
    numbers: str = MASKED  # full personnummer on paper only as a deliberate choice

    def pdf_name(self, year: int) -> str:
        """The suggested file name, with the chosen period:
        "rondschema-anna-berg-2027-03-01--2027-03-31.pdf" (the whole year: "…-2027.pdf")."""
        if self.date_from is None and self.date_to is None:
            period = str(year)
        else:
            period = (f"{self.date_from or date(year, 1, 1)}--"
                      f"{self.date_to or date(year, 12, 31)}")
        return f"{_slug(self.kind)}-{_slug(self.name)}-{period}.pdf"


class PrintDialog(Dialog):
    def __init__(self, year: int, doctors: Sequence[str], units: Sequence[str],
                 doctor: str | None = None, parent: QWidget | None = None, *,
                 action: str = PREVIEW, today: date | None = None) -> None:
        """``action`` names what the OK button does: :data:`PREVIEW` (Skriv ut) or
        :data:`SAVE_PDF` (Spara utskrift som PDF)."""
        super().__init__(parent)
        self.setWindowTitle("Spara utskrift som PDF" if action == SAVE_PDF else "Skriv ut")
        self.rounds = QRadioButton("Rondschema för läkare")
        self.prep = QRadioButton("Förberedelselista för enhet (provtagning m.m.)")
        self.kind = QButtonGroup(self)
        self.kind.addButton(self.rounds)
        self.kind.addButton(self.prep)
        self.rounds.setChecked(True)
        self.doctor = QComboBox()
        self.doctor.addItems(list(doctors))
        if doctor:
            self.doctor.setCurrentText(doctor)
        self.unit = QComboBox()
        self.unit.addItems(list(units))
        self.whole_year = QCheckBox(f"Hela {year}")
        self.whole_year.setChecked(True)
        today = today or todays_date()
        start = max(today, date(year, 1, 1)) if today.year <= year else date(year, 1, 1)
        self.date_from = date_edit(start)
        self.date_to = date_edit(date(year, 12, 31))
        self.numbers = QComboBox()
        for key, label in NUMBER_CHOICES.items():
            self.numbers.addItem(label, key)
        self.numbers.setToolTip("Fullständiga personnummer på papper är känsliga uppgifter; "
                                "utskriften loggas med valet.")
        self.errors = error_label()
        form = QFormLayout()
        form.addRow(self.rounds)
        form.addRow("Läkare", self.doctor)
        form.addRow(self.prep)
        form.addRow("Enhet", self.unit)
        form.addRow("Period", self.whole_year)
        form.addRow("Från", self.date_from)
        form.addRow("Till", self.date_to)
        form.addRow("Personnummer", self.numbers)
        buttons = ok_cancel(self, action)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.rounds.toggled.connect(self._update)
        self.whole_year.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.doctor.setEnabled(self.rounds.isChecked())
        self.unit.setEnabled(not self.rounds.isChecked())
        self.date_from.setEnabled(not self.whole_year.isChecked())
        self.date_to.setEnabled(not self.whole_year.isChecked())

    def spec(self) -> PrintSpec:
        whole = self.whole_year.isChecked()
        rounds = self.rounds.isChecked()
        return PrintSpec(
            kind=ROUND_SCHEDULE if rounds else PREPARATION_LIST,
            name=self.doctor.currentText() if rounds else self.unit.currentText(),
            date_from=None if whole else from_qdate(self.date_from.date()),
            date_to=None if whole else from_qdate(self.date_to.date()),
            numbers=str(self.numbers.currentData()),
        )

    def accept(self) -> None:
        spec = self.spec()
        errors = []
        if not spec.name:
            errors.append("Välj en läkare." if spec.kind == ROUND_SCHEDULE else "Välj en enhet.")
        if spec.date_from and spec.date_to and spec.date_to < spec.date_from:
            errors.append("Till-datum ligger före från-datum.")
        if errors:
            self.errors.setText("\n".join(errors))
            self.errors.show()
            return
        super().accept()
