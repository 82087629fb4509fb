"""The Swedish work calendar of a plan year.

Working day (R2): Monday–Friday and not a Swedish public holiday, with the de facto holidays
midsommarafton, julafton and nyårsafton. From 2005 (national day a holiday, Annandag pingst
not) they follow from Easter and a few fixed rules, computed here; the tests compare them
with ``holidays.Sweden`` (categories public + de_facto) year by year. Earlier years are
asked of ``holidays`` itself (imported then: it loads every country, about 0.06 s).
Blocked (R3): the summer weeks (ISO weeks), other blocked periods and, when asked, bridge days.
Absent (R4): a day inside one of the doctor's absences.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from functools import lru_cache

from solver.problem import Absence, Settings

RULES_FROM = 2005  # the year the national day became a holiday and Annandag pingst ended


@lru_cache(maxsize=16)
def swedish_holidays(year: int) -> dict[date, str]:
    """Public and de facto holidays (Swedish names) of ``year`` and its neighbours."""
    found: dict[date, str] = {}
    for one in (year - 1, year, year + 1):
        found.update(holidays_of(one) if one >= RULES_FROM else library_holidays(one))
    return found


def library_holidays(year: int) -> dict[date, str]:
    """``holidays.Sweden`` for one year (public and de facto, Swedish names)."""
    import holidays

    cal = holidays.Sweden(  # type: ignore[attr-defined]  # holidays: created at import
        categories=("public", "de_facto"), language="sv", years=year
    )
    return dict(cal.items())


def easter_sunday(year: int) -> date:
    """Western Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * leap) // 433
    month = (h + leap - 7 * m + 90) // 25
    return date(year, month, (h + leap - 7 * m + 33 * month + 19) % 32)


def _weekday_from(first: date, weekday: int) -> date:
    """The first ``weekday`` (Monday 0) on or after ``first``."""
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def holidays_of(year: int) -> dict[date, str]:
    """Sweden's public and de facto holidays of ``year`` (from 2005)."""
    easter = easter_sunday(year)
    midsummer = _weekday_from(date(year, 6, 20), 5)  # Saturday 20–26 June
    days = [
        (date(year, 1, 1), "Nyårsdagen"),
        (date(year, 1, 6), "Trettondedag jul"),
        (easter - timedelta(days=2), "Långfredagen"),
        (easter, "Påskdagen"),
        (easter + timedelta(days=1), "Annandag påsk"),
        (date(year, 5, 1), "Första maj"),
        (easter + timedelta(days=39), "Kristi himmelsfärdsdag"),
        (easter + timedelta(days=49), "Pingstdagen"),
        (date(year, 6, 6), "Nationaldagen"),
        (midsummer - timedelta(days=1), "Midsommarafton"),
        (midsummer, "Midsommardagen"),
        (_weekday_from(date(year, 10, 31), 5), "Alla helgons dag"),  # Saturday 31 Oct–6 Nov
        (date(year, 12, 24), "Julafton"),
        (date(year, 12, 25), "Juldagen"),
        (date(year, 12, 26), "Annandag jul"),
        (date(year, 12, 31), "Nyårsafton"),
    ]
    names: dict[date, list[str]] = {}
    for day, name in days:  # two on one day (Första maj, Kristi himmelsfärd) share it
        names.setdefault(day, []).append(name)
    return {day: "; ".join(sorted(on_day)) for day, on_day in names.items()}


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
