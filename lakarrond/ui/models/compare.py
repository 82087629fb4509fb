"""Two plans side by side: patients without a date, broken windows, late overdue patients,
days late and each doctor's busiest week – now, and with a fix or a re-plan."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from lakarrond.services.whatif import Figures
from lakarrond.ui.models.table import Column, RowTableModel
from lakarrond.wording import FIGURES


@dataclass(frozen=True)
class Compared:
    what: str
    now: int
    tried: int

    @property
    def change(self) -> str:
        diff = self.tried - self.now
        return "oförändrat" if diff == 0 else (f"{diff:+d}".replace("-", "−"))


def compare(now: Figures, tried: Figures) -> list[Compared]:
    rows = [
        Compared(FIGURES["unplaced"], now.unplaced, tried.unplaced),
        Compared(FIGURES["broken"], now.broken, tried.broken),
        Compared(FIGURES["late_overdue"], now.late_overdue, tried.late_overdue),
        Compared(FIGURES["days_late"], now.days_late, tried.days_late),
    ]
    tried_peaks = {d.doctor: d.peak_week for d in tried.doctors}
    for d in now.doctors:
        rows.append(Compared(f"Flest ÅMV en vecka – {d.doctor}", d.peak_week,
                             tried_peaks.get(d.doctor, d.peak_week)))
    return rows


class CompareModel(RowTableModel[Compared]):
    def __init__(self, parent: QWidget | None = None, now: str = "Nu",
                 tried: str = "Med åtgärden") -> None:
        super().__init__([Column("", lambda r: r.what), Column(now, lambda r: r.now),
                          Column(tried, lambda r: r.tried),
                          Column("Skillnad", lambda r: r.change)], parent)
