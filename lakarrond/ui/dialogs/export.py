"""Exportera: the plan as people need it — the format (Excel, calendar, JSON, a PDF round
schedule), one health centre, doctor or unit, a period, and a clear choice about
personnummer (without them unless chosen). The file name follows the choices."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from lakarrond.document import PlanDocument
from lakarrond.ui.dialogs.common import (
    FormDialog,
    NumbersChoice,
    date_edit,
    error_label,
    from_qdate,
)

FORMATS = {
    ".xlsx": "Excel (.xlsx) – till vårdcentralen",
    ".ics": "Kalender (.ics) – Outlook m.fl.",
    ".json": "JSON – till andra program",
    ".pdf": "PDF – läkarens rondschema",
}
FILTERS = {".xlsx": "Excel-filer (*.xlsx)", ".ics": "Kalenderfiler (*.ics)",
           ".json": "JSON-filer (*.json)", ".pdf": "PDF-filer (*.pdf)"}
ALL_CENTRES, ALL_DOCTORS, ALL_UNITS = "Alla vårdcentraler", "Alla läkare", "Alla enheter"
WARNING = ("Filen får fullständiga personnummer: känsliga personuppgifter. Spara den bara där "
           "obehöriga inte kommer åt den och radera den när den inte behövs. Exporten loggas "
           "med valet.")


@dataclass(frozen=True)
class ExportSpec:
    """What to export, as chosen in the dialog."""

    suffix: str  # ".xlsx", ".ics", ".json" or ".pdf"
    path: Path
    health_centre: str | None = None
    doctor: str | None = None
    unit: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    include_personnummer: bool = False
    include_names: bool = False  # patients' names in a calendar file


def _slug(text: str) -> str:
    """A piece of a file name: no characters Windows refuses, spaces as dashes."""
    return re.sub(r"[-\s]+", "-", re.sub(r'[<>:"/\\|?*.,]', "", text)).strip("-").lower()


def suggested_name(year: int, spec: ExportSpec) -> str:
    """"arsplan-2027-vc-norr-2027-03-01-2027-03-31-med-personnummer.xlsx" and the like."""
    first = "rondschema" if spec.suffix == ".pdf" else (
        "kalender" if spec.suffix == ".ics" else "arsplan")
    parts = [first, str(year)]
    parts += [_slug(x) for x in (spec.health_centre, spec.doctor, spec.unit) if x]
    if spec.date_from or spec.date_to:
        parts.append(f"{spec.date_from or date(year, 1, 1)}-{spec.date_to or date(year, 12, 31)}")
    if spec.include_personnummer and spec.suffix != ".ics":
        parts.append("med-personnummer")
    return "-".join(p for p in parts if p) + spec.suffix


def _set_items(combo: QComboBox, first: str, items: list[str]) -> None:
    """Refill a combo, keeping the choice when it is still there."""
    current = combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(first, None)
    for item in items:
        combo.addItem(item, item)
    combo.setCurrentIndex(max(0, combo.findText(current)))
    combo.blockSignals(False)


class ExportDialog(FormDialog):
    def __init__(self, doc: PlanDocument, suffix: str = ".xlsx", folder: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Exportera planen för {doc.year}")
        self.doc = doc
        self.folder = folder or Path.home()
        self.format = QComboBox()
        for key, label in FORMATS.items():
            self.format.addItem(label, key)
        self.format.setCurrentIndex(max(0, self.format.findData(suffix)))
        self.health_centre = QComboBox()
        self.doctor = QComboBox()
        self.unit = QComboBox()
        self.whole_year = QCheckBox(f"Hela {doc.year}")
        self.whole_year.setChecked(True)
        self.date_from = date_edit(date(doc.year, 1, 1))
        self.date_to = date_edit(date(doc.year, 12, 31))
        choice = NumbersChoice(self, WARNING)
        self.without_numbers, self.with_numbers = choice.without_numbers, choice.with_numbers
        self.warning = choice.warning
        self.warning.setStyleSheet("color: #9a5b00; font-weight: bold;")
        self.names = QCheckBox("Med patienternas namn och klockslag (aldrig personnummer)")
        self.path = QLineEdit()
        self.browse = QPushButton("Bläddra …")
        self.errors = error_label()
        self._named = False  # the user typed a file name: stop suggesting

        period = QHBoxLayout()
        for widget in (self.whole_year, QLabel("eller från"), self.date_from, QLabel("till"),
                       self.date_to):
            period.addWidget(widget)
        period.addStretch()
        numbers = choice.row
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Vårdcentral", self.health_centre)
        form.addRow("Läkare", self.doctor)
        form.addRow("Enhet", self.unit)
        form.addRow("Period", period)
        form.addRow("Personnummer", numbers)
        form.addRow("", self.warning)
        form.addRow("Kalender", self.names)
        form.addRow("Fil", file_row)
        self._finish(form, "Exportera")
        self.resize(640, 0)

        _set_items(self.health_centre, ALL_CENTRES, doc.health_centres)
        self._refill()
        self.format.currentIndexChanged.connect(self._update)
        self.health_centre.currentIndexChanged.connect(self._refill)
        self.doctor.currentIndexChanged.connect(self._refill)
        self.unit.currentIndexChanged.connect(self._update)
        self.whole_year.toggled.connect(self._update)
        self.date_from.dateChanged.connect(self._update)
        self.date_to.dateChanged.connect(self._update)
        self.with_numbers.toggled.connect(self._update)
        self.names.toggled.connect(self._update)
        self.path.textEdited.connect(self._typed_name)
        self.browse.clicked.connect(self._browse)
        self._update()

    # --- the choices ----------------------------------------------------------------------
    def _units(self) -> list[tuple[str, str, str]]:
        """(unit, doctor, health centre) of the plan's units with annual planning."""
        names = set(self.doc.unit_names)
        return [(u.name, u.doctor, u.health_centre) for u in self.doc.units
                if u.annual and u.name in names]

    def _refill(self) -> None:
        """The doctors of the chosen health centre, the units of the chosen doctor."""
        centre = self.health_centre.currentData()
        units = [u for u in self._units() if centre is None or u[2] == centre]
        _set_items(self.doctor, ALL_DOCTORS, sorted({u[1] for u in units}))
        doctor = self.doctor.currentData()
        _set_items(self.unit, ALL_UNITS,
                   sorted(u[0] for u in units if doctor is None or u[1] == doctor))
        self._update()

    def _update(self) -> None:
        suffix = self.suffix()
        calendar = suffix == ".ics"
        self.date_from.setEnabled(not self.whole_year.isChecked())
        self.date_to.setEnabled(not self.whole_year.isChecked())
        self.without_numbers.setEnabled(not calendar)
        self.with_numbers.setEnabled(not calendar)
        self.warning.setVisible(self.with_numbers.isChecked() and not calendar)
        self._fit()
        self.names.setEnabled(calendar)
        self.with_numbers.setToolTip("Kalenderfilen innehåller aldrig personnummer."
                                     if calendar else "")
        if not self._named:
            self.path.setText(str(self.folder / suggested_name(self.doc.year,
                                                               self._spec(Path()))))

    def _fit(self) -> None:
        """Tall enough for the wrapped warning at this width (a dialog does not grow by
        itself when a word-wrapped label appears: the warning was clipped)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if self.height() < needed:
            self.resize(self.width(), needed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _typed_name(self, text: str) -> None:
        self._named = bool(text.strip())

    def _browse(self) -> None:
        suffix = self.suffix()
        name, _ = QFileDialog.getSaveFileName(self, "Exportera planen", self.path.text(),
                                              FILTERS[suffix])
        if name:
            self.path.setText(name)
            self._named = True

    def suffix(self) -> str:
        return str(self.format.currentData())

    def _spec(self, path: Path) -> ExportSpec:
        whole = self.whole_year.isChecked()
        suffix = self.suffix()
        calendar = suffix == ".ics"
        return ExportSpec(
            suffix=suffix, path=path,
            health_centre=self.health_centre.currentData(),
            doctor=self.doctor.currentData(),
            unit=self.unit.currentData(),
            date_from=None if whole else from_qdate(self.date_from.date()),
            date_to=None if whole else from_qdate(self.date_to.date()),
            include_personnummer=self.with_numbers.isChecked() and not calendar,
            include_names=calendar and self.names.isChecked(),
        )

    def spec(self) -> ExportSpec:
        """The choices and the file (its suffix follows the format)."""
        text = self.path.text().strip()
        path = Path(text) if text else Path()
        if text and path.suffix.lower() != self.suffix():
            path = path.with_suffix(self.suffix())
        return self._spec(path)

    def check(self) -> list[str]:
        spec = self.spec()
        errors = []
        if spec.suffix == ".pdf" and spec.doctor is None:
            errors.append("Läkare: rondschemat (PDF) gäller en läkare – välj en.")
        if spec.date_from and spec.date_to and spec.date_to < spec.date_from:
            errors.append("Period: till-datum ligger före från-datum.")
        if not self.path.text().strip():
            errors.append("Fil: ange var filen ska sparas.")
        elif not spec.path.parent.is_dir():
            errors.append(f"Fil: mappen {spec.path.parent} finns inte.")
        return errors
