"""Inställningar: the settings of a plan year (summer weeks, blocked periods, bridge days,
the R7/R8 windows, preparation and freeze days, ÅMV per day for a new doctor, the first
separate ÅMV time, the floor of doctor time "Läkartid minst") and the preparation
checklist's steps. The dialog stays open while the checks (``services.settings.validate``,
``services.preparation.validate_steps``) fail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, time

from PySide6.QtCore import QAbstractItemModel, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from lakarrond.formatting import week_ranges
from lakarrond.io.cells import CellError, parse_weeks
from lakarrond.matter import Role
from lakarrond.services.preparation import PreparationStep, validate_steps
from lakarrond.services.settings import (
    DOCTOR_HOURS_RANGE,
    FIELD_LABELS,
    RANGES,
    SettingsData,
    validate,
)
from lakarrond.steps import NO_ROLE
from lakarrond.ui.dialogs.choice_delegate import ChoiceDelegate
from lakarrond.ui.dialogs.common import (
    Dialog,
    date_edit,
    error_label,
    from_qdate,
    ok_cancel,
    row_table,
    to_qdate,
)
from lakarrond.ui.models.settings_models import PeriodModel, StepModel

YearValues = tuple[SettingsData, list[PreparationStep]]
Loader = Callable[[int], YearValues]
NUMBER_FIELDS = ("new_patient_days", "min_interval_months", "max_interval_months",
                 "preparation_days", "freeze_days", "default_reviews_per_day",
                 "move_in_days")


def _table(model: QAbstractItemModel) -> QTableView:
    view = row_table(model)
    view.setMinimumHeight(110)
    return view


def _selected_row(view: QTableView) -> int:
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else -1


class SettingsDialog(Dialog):
    def __init__(self, year: int, values: YearValues, load: Loader | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inställningar")
        self._load = load
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.summer_weeks = QLineEdit()
        self.summer_weeks.setPlaceholderText("t.ex. 27-31 (tomt: inga semesterveckor)")
        self.bridge_days = QCheckBox("Undvik klämdagar (vardag mellan helgdag och helg)")
        self.numbers: dict[str, QSpinBox] = {}
        for name in NUMBER_FIELDS:
            spin = QSpinBox()
            spin.setRange(*RANGES[name])
            self.numbers[name] = spin
        self.review_day_start = QTimeEdit()
        self.review_day_start.setDisplayFormat("HH:mm")
        self.doctor_hours = QDoubleSpinBox()  # the agreement's floor of doctor time
        self.doctor_hours.setRange(*DOCTOR_HOURS_RANGE)
        self.doctor_hours.setDecimals(1)
        self.doctor_hours.setSingleStep(0.1)
        self.doctor_hours.setToolTip("Enheter och läkare under golvet markeras i Enheter, "
                                     "Läkare, planeringens utskrift och Excel-planen")
        self.periods = PeriodModel(self)
        self.period_view = _table(self.periods)
        self.period_from = date_edit(date(year, 1, 1))
        self.period_to = date_edit(date(year, 1, 1))
        self.add_period_button = QPushButton("Lägg till period")
        self.remove_period_button = QPushButton("Ta bort period")
        self.steps = StepModel(self)
        self.step_view = _table(self.steps)
        self.step_view.setItemDelegateForColumn(StepModel.ROLE_COLUMN, ChoiceDelegate(
            [NO_ROLE, *(r.value for r in Role)], self.step_view))
        # the name takes the room left (long names elided), Dagar, Vem and Närstående show
        self.step_view.horizontalHeader().setStretchLastSection(False)
        self.step_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_step_button = QPushButton("Nytt steg")
        self.remove_step_button = QPushButton("Ta bort steg")
        self.up_button = QPushButton("Upp")
        self.down_button = QPushButton("Ner")
        self.errors = error_label()

        form = QFormLayout()
        form.addRow("Planår", self.year)
        form.addRow(FIELD_LABELS["summer_weeks"], self.summer_weeks)
        form.addRow("", self.bridge_days)
        for name, spin in self.numbers.items():
            label = ("ÅMV per dag för ny läkare" if name == "default_reviews_per_day"
                     else FIELD_LABELS[name])
            form.addRow(label, spin)
        form.addRow("Första tid för separata ÅMV", self.review_day_start)
        form.addRow(FIELD_LABELS["doctor_hours_per_10"], self.doctor_hours)
        periods = QGroupBox(FIELD_LABELS["blocked_periods"] + " (ingen ÅMV)")
        box = QVBoxLayout(periods)
        box.addWidget(self.period_view)
        row = QHBoxLayout()
        for widget in (QLabel("Från"), self.period_from, QLabel("till"), self.period_to,
                       self.add_period_button, self.remove_period_button):
            row.addWidget(widget)
        row.addStretch()
        box.addLayout(row)
        steps = QGroupBox("Förberedelsesteg (checklistan före varje ÅMV)")
        box = QVBoxLayout(steps)
        box.addWidget(self.step_view)
        row = QHBoxLayout()
        for button in (self.add_step_button, self.remove_step_button, self.up_button,
                       self.down_button):
            row.addWidget(button)
        row.addStretch()
        box.addLayout(row)
        right = QVBoxLayout()
        right.addWidget(periods)
        right.addWidget(steps)
        body = QHBoxLayout()
        body.addLayout(form)
        body.addLayout(right, 1)
        buttons = ok_cancel(self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("Ändringarna gäller planåret och syns i nästa planering.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(body)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.resize(900, 520)

        self.set_values(*values)
        self.year.valueChanged.connect(self._year_changed)
        self.add_period_button.clicked.connect(self.add_period)
        self.remove_period_button.clicked.connect(self.remove_period)
        self.add_step_button.clicked.connect(self.add_step)
        self.remove_step_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(self.step_up)
        self.down_button.clicked.connect(self.step_down)

    # --- values ---------------------------------------------------------------------------
    def set_values(self, data: SettingsData, steps: list[PreparationStep]) -> None:
        self.summer_weeks.setText(week_ranges(data.summer_weeks))
        self.bridge_days.setChecked(data.avoid_bridge_days)
        for name, spin in self.numbers.items():
            spin.setValue(getattr(data, name))
        self.review_day_start.setTime(QTime(data.review_day_start.hour,
                                            data.review_day_start.minute))
        self.doctor_hours.setValue(data.doctor_hours_per_10)
        self.periods.set_rows(sorted(data.blocked_periods))
        self.steps.set_steps(steps)
        self.show_errors([])

    def _year_changed(self, year: int) -> None:
        if self._load is not None:
            self.set_values(*self._load(year))
        self.period_from.setDate(to_qdate(date(year, 1, 1)))
        self.period_to.setDate(to_qdate(date(year, 1, 1)))

    def _weeks(self) -> tuple[tuple[int, ...], str]:
        text = self.summer_weeks.text().strip()
        if not text:
            return (), ""
        try:
            return parse_weeks(text), ""
        except CellError as exc:
            return (), f"{FIELD_LABELS['summer_weeks']}: {exc}."

    def data(self) -> SettingsData:
        t = self.review_day_start.time()
        numbers = {name: spin.value() for name, spin in self.numbers.items()}
        return replace(SettingsData(), summer_weeks=self._weeks()[0],
                       blocked_periods=tuple(self.periods.rows()),
                       avoid_bridge_days=self.bridge_days.isChecked(),
                       review_day_start=time(t.hour(), t.minute()),
                       doctor_hours_per_10=round(self.doctor_hours.value(), 1), **numbers)

    def value(self) -> tuple[int, SettingsData, list[PreparationStep]]:
        """The plan year, its settings and its preparation steps."""
        return self.year.value(), self.data(), self.steps.steps()

    # --- editing the lists ----------------------------------------------------------------
    def add_period(self) -> None:
        start, end = from_qdate(self.period_from.date()), from_qdate(self.period_to.date())
        if end < start:
            self.show_errors([f"{FIELD_LABELS['blocked_periods']}: till-datum ligger före "
                              "från-datum."])
            return
        self.periods.add((start, end))
        self.show_errors([])

    def remove_period(self) -> None:
        self.periods.remove(_selected_row(self.period_view))

    def remove_step(self) -> None:
        self.steps.remove(_selected_row(self.step_view))

    def step_up(self) -> None:
        self.move_step(-1)

    def step_down(self) -> None:
        self.move_step(1)

    def add_step(self) -> None:
        row = self.steps.add(PreparationStep("Nytt steg", 7))
        index = self.steps.index(row, 0)
        self.step_view.selectRow(row)
        self.step_view.edit(index)

    def move_step(self, offset: int) -> None:
        row = _selected_row(self.step_view)
        if row >= 0:
            self.step_view.selectRow(self.steps.move(row, offset))

    # --- checks ---------------------------------------------------------------------------
    def show_errors(self, errors: list[str]) -> None:
        self.errors.setText("\n".join(errors))
        self.errors.setVisible(bool(errors))

    def check(self) -> list[str]:
        weeks_error = self._weeks()[1]
        errors = [weeks_error] if weeks_error else []
        errors += [e for e in validate(self.data(), self.year.value())
                   if not (weeks_error and e.startswith(FIELD_LABELS["summer_weeks"]))]
        return errors + validate_steps(self.steps.steps())

    def accept(self) -> None:
        errors = self.check()
        if errors:
            self.show_errors(errors)
            return
        super().accept()
