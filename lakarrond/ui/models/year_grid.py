"""The year grid: ISO weeks (columns) × units grouped per doctor (rows), ÅMV per cell.

A doctor row (bold) sums its units and precedes them. Summer weeks and weeks with a public
holiday on a weekday are shaded (BackgroundRole) and explained in the tooltip. The rows can
be limited to some doctors (one, or a health centre's) and to a search text (a doctor's
name shows the doctor's units, a unit's name its doctor and the unit); the cell values are
computed once per plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any  # Any: Qt-role edge: data() returns a different type per role

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from lakarrond.document import AnnualReview
from lakarrond.today import today as todays_date
from lakarrond.ui.models.table import Index
from solver.calendar import swedish_holidays

SUMMER_BG = QColor("#d6e9f8")
HOLIDAY_BG = QColor("#f3e0e0")
DOCTOR_BG = QColor("#eeeeee")


@dataclass(frozen=True)
class GridRow:
    doctor: str
    unit: str | None  # None for the doctor's total row

    @property
    def label(self) -> str:
        return self.doctor if self.unit is None else f"    {self.unit}"


def year_weeks(year: int) -> list[tuple[int, int]]:
    """The ISO (year, week) keys that contain a day of ``year``, in order."""
    keys: list[tuple[int, int]] = []
    day = date(year, 1, 1)
    while day.year == year:
        iso = day.isocalendar()
        key = (iso.year, iso.week)
        if not keys or keys[-1] != key:
            keys.append(key)
        day += timedelta(days=1)
    return keys


class YearGridModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.year = todays_date().year
        self._weeks: list[tuple[int, int]] = year_weeks(self.year)
        self._rows: list[GridRow] = []  # the rows shown
        self._all: list[GridRow] = []  # every row of the plan
        self._cells: dict[GridRow, list[int]] = {}  # the weeks' counts and the total
        self._doctors: frozenset[str] | None = None  # the filter (None: every doctor)
        self._text = ""
        self._counts: Counter[tuple[str, str | None, tuple[int, int]]] = Counter()
        self._summer: frozenset[int] = frozenset()
        self._holidays: dict[tuple[int, int], list[str]] = {}

    def set_plan(
        self,
        year: int,
        units: Iterable[tuple[str, str]],
        reviews: Sequence[AnnualReview],
        summer_weeks: Iterable[int] = (),
    ) -> None:
        """``units``: (doctor, unit) pairs; ``reviews``: the plan's ÅMV."""
        self.beginResetModel()
        self.year = year
        self._weeks = year_weeks(year)
        self._summer = frozenset(summer_weeks)
        self._holidays = {}
        for day, name in sorted(swedish_holidays(year).items()):
            if day.year == year and day.weekday() < 5:
                iso = day.isocalendar()
                self._holidays.setdefault((iso.year, iso.week), []).append(
                    f"{day.isoformat()} {name}")
        pairs = set(units) | {(a.doctor, a.unit) for a in reviews}
        self._all = []
        for doctor in sorted({d for d, _ in pairs}):
            self._all.append(GridRow(doctor, None))
            self._all.extend(GridRow(doctor, u) for u in sorted(u for d, u in pairs
                                                                  if d == doctor))
        self._counts = Counter()
        for a in reviews:
            iso = a.date.isocalendar()
            key = (iso.year, iso.week)
            self._counts[(a.doctor, a.unit, key)] += 1
            self._counts[(a.doctor, None, key)] += 1
        self._cells = {}
        for row in self._all:
            values = [self._counts[(row.doctor, row.unit, key)] for key in self._weeks]
            self._cells[row] = [*values, sum(values)]
        self._rows = self._filtered()
        self.endResetModel()

    # --- the filter -----------------------------------------------------------------------
    def set_filter(self, doctors: Collection[str] | None = None, text: str = "") -> None:
        """Show only ``doctors`` (None: all) and the rows matching ``text``."""
        self.beginResetModel()
        self._doctors = None if doctors is None else frozenset(doctors)
        self._text = text.strip().casefold()
        self._rows = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[GridRow]:
        wanted, text = self._doctors, self._text
        rows = [r for r in self._all if wanted is None or r.doctor in wanted]
        if not text:
            return rows
        hit_doctors = {r.doctor for r in rows if r.unit is None and text in r.doctor.casefold()}
        hit_units = {r for r in rows if r.unit is not None and text in r.unit.casefold()}
        with_units = {r.doctor for r in hit_units}
        return [r for r in rows if r.doctor in hit_doctors or r in hit_units
                or (r.unit is None and r.doctor in with_units)]

    def doctors(self) -> list[str]:
        """Every doctor of the plan (whatever the filter shows)."""
        return [r.doctor for r in self._all if r.unit is None]

    def shown_rows(self) -> int:
        return len(self._rows)

    def all_rows(self) -> int:
        return len(self._all)

    # --- queries used by views and tests ------------------------------------------------
    def grid_row(self, row: int) -> GridRow:
        return self._rows[row]

    def week_key(self, column: int) -> tuple[int, int] | None:
        return self._weeks[column] if column < len(self._weeks) else None

    def count(self, doctor: str, unit: str | None, week: int) -> int:
        return self._counts[(doctor, unit, (self.year, week))]

    def total(self) -> int:
        return sum(v for (_, unit, _), v in self._counts.items() if unit is None)

    def is_summer(self, column: int) -> bool:
        key = self.week_key(column)
        return key is not None and key[0] == self.year and key[1] in self._summer

    # --- Qt ---------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._weeks) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        total_column = column == len(self._weeks)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole):
            value = self._cells[row][column]
            if role == Qt.ItemDataRole.UserRole:
                return value
            return str(value) if value else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and (row.unit is None or total_column):
            font = QFont()
            font.setBold(True)
            return font
        if total_column:
            return None
        key = self._weeks[column]
        if role == Qt.ItemDataRole.BackgroundRole:
            if self.is_summer(column):
                return QBrush(SUMMER_BG)
            if key in self._holidays:
                return QBrush(HOLIDAY_BG)
            if row.unit is None:
                return QBrush(DOCTOR_BG)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"Vecka {key[1]}" + (f" ({key[0]})" if key[0] != self.year else "")]
            if self.is_summer(column):
                lines.append("Semestervecka – ingen ÅMV")
            lines.extend(self._holidays.get(key, []))
            value = self._counts[(row.doctor, row.unit, key)]
            lines.append(f"{row.unit or row.doctor}: {value} ÅMV")
            return "\n".join(lines)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section <= len(self._weeks):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return "Summa" if section == len(self._weeks) else str(self._weeks[section][1])
            if role == Qt.ItemDataRole.ToolTipRole and section < len(self._weeks):
                return f"ISO-vecka {self._weeks[section][1]}"
            return None
        if not 0 <= section < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[section].label
        if role == Qt.ItemDataRole.FontRole and self._rows[section].unit is None:
            font = QFont()
            font.setBold(True)
            return font
        return None
