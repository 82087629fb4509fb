"""The Swedish work calendar of a plan year.

Working day (R2): Monday–Friday and not a Swedish public holiday, with the de facto holidays
midsommarafton, julafton and nyårsafton (``holidays.Sweden``, categories public + de_facto).
Blocked (R3): the summer weeks (ISO weeks), other blocked periods and, when asked, bridge days.
Absent (R4): a day inside one of the doctor's absences.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from functools import lru_cache

import holidays

from solver.problem import Absence, Settings


@lru_cache(maxsize=16)
def swedish_holidays(year: int) -> dict[date, str]:
    """Public and de facto holidays (Swedish names) of ``year`` and its neighbours."""
    cal = holidays.Sweden(  # type: ignore[attr-defined]  # holidays: created at import
        categories=("public", "de_facto"), language="sv", years=(year - 1, year, year + 1)
    )
    return dict(cal.items())


def iso_week(day: date) -> tuple[int, int]:
    """(ISO year, ISO week): 2027-01-01 is (2026, 53)."""
    iso = day.isocalendar()
    return iso.year, iso.week


def days_of_year(year: int) -> Iterator[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


class WorkCalendar:
    """Which days of ``settings.year`` can hold an ÅMV, and why the others cannot."""

    def __init__(self, settings: Settings, absences: Iterable[Absence] = ()) -> None:
        self.settings = settings
        self.year = settings.year
        self.first = date(self.year, 1, 1)
        self.last = date(self.year, 12, 31)
        self._holidays = swedish_holidays(self.year)
        self._summer = frozenset(settings.summer_weeks)
        self._absences: dict[str, list[Absence]] = {}
        for absence in absences:
            self._absences.setdefault(absence.doctor, []).append(absence)

    # --- R2 -------------------------------------------------------------------------------
    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def is_bridge_day(self, day: date) -> bool:
        """A working day squeezed between a holiday and a weekend (klämdag)."""
        if not self.is_working_day(day):
            return False
        before, after = day - timedelta(days=1), day + timedelta(days=1)
        return (before in self._holidays and after.weekday() >= 5) or (
            before.weekday() >= 5 and after in self._holidays
        )

    # --- R3 -------------------------------------------------------------------------------
    def is_summer(self, day: date) -> bool:
        iso_year, week = iso_week(day)
        return iso_year == self.year and week in self._summer

    def blocked_reason(self, day: date) -> str | None:
        """Why a working day cannot hold an ÅMV under R3, or None."""
        if self.is_summer(day):
            return f"semestervecka {iso_week(day)[1]}"
        for start, end in self.settings.blocked_periods:
            if start <= day <= end:
                return f"spärrad period {start.isoformat()}–{end.isoformat()}"
        if self.settings.avoid_bridge_days and self.is_bridge_day(day):
            return "klämdag"
        return None

    # --- R4 -------------------------------------------------------------------------------
    def absence(self, doctor: str, day: date) -> Absence | None:
        """Any absence of the doctor that covers ``day`` (also one whose substitute holds
        the ÅMV), the first blocking one when there are several."""
        covering = [a for a in self._absences.get(doctor, ()) if a.covers(day)]
        for absence in covering:
            if absence.blocks_reviews:
                return absence
        return covering[0] if covering else None

    def blocking_absence(self, doctor: str, day: date) -> Absence | None:
        """The absence that keeps ÅMV off ``day`` (R4): one without a substitute holding the
        ÅMV (``reviews_by_substitute``)."""
        for absence in self._absences.get(doctor, ()):
            if absence.blocks_reviews and absence.covers(day):
                return absence
        return None

    # --- all together ---------------------------------------------------------------------
    def closed_reason(self, day: date, doctor: str | None = None) -> str | None:
        """Swedish reason why ``day`` cannot hold an ÅMV (for ``doctor``), or None if it can."""
        if day.weekday() >= 5:
            return "helg"
        name = self.holiday_name(day)
        if name:
            return f"helgdag ({name})"
        reason = self.blocked_reason(day)
        if reason:
            return reason
        if doctor is not None and self.blocking_absence(doctor, day) is not None:
            return f"{doctor} är frånvarande"
        return None

    def can_hold_review(self, day: date, doctor: str | None = None) -> bool:
        return self.closed_reason(day, doctor) is None

    def review_days(self, doctor: str | None = None) -> list[date]:
        return [d for d in days_of_year(self.year) if self.can_hold_review(d, doctor)]


def preparation_date(review: date, cal: WorkCalendar, days: int) -> date:
    """R11: ÅMV date − ``days``, moved back to the previous working day."""
    prep = review - timedelta(days=days)
    while not cal.is_working_day(prep):
        prep -= timedelta(days=1)
    return prep
