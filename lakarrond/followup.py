"""The yearly follow-up (Årsuppföljning, issue 18.6): what the agreements ask to be followed
up once a year, counted from what was RECORDED – never from the plan alone.

Pure: plain rows in (:class:`PatientYear`, :class:`UnitYear`, the doctor time), the figures
out (:class:`FollowUp`) per unit (with its doctor and health centre), per doctor, per health
centre and in total. The definitions are in docs/domain.md ("The yearly follow-up");
:mod:`lakarrond.services.followup` reads the store into these rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any  # Any: JSON edge: the follow-up as the contract writes it

from dateutil.relativedelta import relativedelta

DONE = "Genomförd"
DECLINED = "Avböjd"
CANCELLED = "Inställd"
INTERVAL = relativedelta(months=12)  # "inom 12 månader" of the agreements


@dataclass(frozen=True)
class Recorded:
    """A patient's ÅMV of the year as recorded in the year's latest plan version."""

    date: dt.date
    status: str  # Planerad, Låst, Genomförd, Avböjd, Inställd
    cancelled_on: dt.date | None = None  # the last time it was recorded Inställd


@dataclass(frozen=True)
class PatientYear:
    """One patient as the follow-up needs them (plain data, no store behind it)."""

    patient_id: int
    unit: str
    doctor: str  # the patient's named doctor (the unit's unless another is kept)
    health_centre: str  # the named doctor's
    admitted: date
    end_date: date | None  # left (discharged, died, moved out) on this date
    previous: date | None  # the latest ÅMV held before the year (last_review or Genomförd)
    review: Recorded | None  # the year's ÅMV in the latest plan, or None
    exempt: bool = False  # excluded from ÅMV, or palliative by the year's end
    # the patient's last ÅMV (last_review) lies in the year: a matter counted as ÅMV
    # ("räknas som ÅMV") or a date typed in – not held, but not overdue either
    reviewed_in_year: bool = False


@dataclass(frozen=True)
class UnitYear:
    """A unit's round dates of the year up to the cut-off (year end, or today)."""

    unit: str
    doctor: str
    health_centre: str
    rounds_held: int  # rhythm dates not cancelled + extra rounds
    rounds_cancelled: int  # rhythm dates cancelled (one-off, holiday, summer, blocked)
    extra_rounds: int  # extra round dates held


@dataclass(frozen=True)
class Counts:
    patients: int = 0
    held: int = 0
    held_within_12_months: int = 0
    declined: int = 0
    cancelled_not_held: int = 0
    overdue_at_year_end: int = 0
    new_seen_within_28_days: int = 0
    rounds_held: int = 0
    rounds_cancelled: int = 0
    extra_rounds: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name)
                        for f in fields(Counts)))

    def to_json(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(Counts)}


COUNT_KEYS = tuple(f.name for f in fields(Counts))
HEADERS = {  # the Swedish column headers, by JSON key
    "health_centre": "Vårdcentral", "doctor": "Läkare", "unit": "Enhet",
    "patients": "Patienter under året", "held": "ÅMV genomförda",
    "held_within_12_months": "Genomförda inom 12 månader", "declined": "Avböjda",
    "cancelled_not_held": "Inställda, ej hållna", "overdue_at_year_end": "Försenade vid årets slut",
    "new_seen_within_28_days": "Nya, ÅMV inom 28 dagar", "rounds_held": "Ronder hållna",
    "rounds_cancelled": "Ronder inställda", "extra_rounds": "Extra ronder",
    "per_10": "Läkartimmar per vecka per 10 patienter",
}

SHORT_HEADERS = {  # narrow column headers (text table, PDF), explained by HEADERS
    "patients": "Pat.", "held": "Hållna", "held_within_12_months": "≤ 12 mån",
    "declined": "Avböjda", "cancelled_not_held": "Inst. ej hållna",
    "overdue_at_year_end": "Sena", "new_seen_within_28_days": "Nya ≤ 28 d",
    "rounds_held": "Ronder", "rounds_cancelled": "Ronder inst.",
    "extra_rounds": "Extra ronder", "per_10": "Tim/ 10 pat.",
}


@dataclass(frozen=True)
class Row:
    health_centre: str
    doctor: str  # "" in the per-centre table and the total
    unit: str  # "" in the per-doctor, per-centre tables and the total
    counts: Counts
    per_10: float | None  # doctor hours per week per 10 patients; None when not known

    def to_json(self) -> dict[str, Any]:
        return {"health_centre": self.health_centre, "doctor": self.doctor, "unit": self.unit,
                **self.counts.to_json(),
                "per_10": None if self.per_10 is None else round(self.per_10, 2)}


@dataclass(frozen=True)
class FollowUp:
    year: int
    units: tuple[Row, ...]  # per unit and its doctor (the contract's "rows")
    doctors: tuple[Row, ...]
    centres: tuple[Row, ...]
    total: Row

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON (docs/contracts.md, ``uppfoljning``)."""
        total = {**self.total.counts.to_json(),
                 "per_10": None if self.total.per_10 is None else round(self.total.per_10, 2)}
        return {"year": self.year, "rows": [r.to_json() for r in self.units], "total": total}

    def tables(self) -> tuple[tuple[str, tuple[Row, ...]], ...]:
        """(Swedish table name, rows), as the window's tabs and the workbook's sheets."""
        return (("Per vårdcentral", self.centres), ("Per läkare", self.doctors),
                ("Per enhet", self.units), ("Totalt", (self.total,)))


@dataclass(frozen=True)
class Hours:
    """Doctor time of a unit or a doctor: hours per week and the patients they serve."""

    hours_per_week: float
    patients: int


def active_some_day(p: PatientYear, year: int) -> bool:
    """Admitted by 31 December and not left before 1 January (left ON ``end_date``)."""
    return p.admitted <= date(year, 12, 31) and (p.end_date is None
                                                 or p.end_date > date(year, 1, 1))


def active_at_year_end(p: PatientYear, year: int, until: date | None = None) -> bool:
    """Active on 31 December (or on ``until``, today while the year runs)."""
    day = until or date(year, 12, 31)
    return p.admitted <= day and (p.end_date is None or p.end_date > day)


def due_date(p: PatientYear, new_patient_days: int) -> date:
    """12 months after the previous ÅMV; with none, ``new_patient_days`` after admission."""
    if p.previous is not None:
        return p.previous + INTERVAL
    return p.admitted + timedelta(days=new_patient_days)


def _in(day: date | None, year: int) -> bool:
    return day is not None and day.year == year


def patient_counts(p: PatientYear, year: int, new_patient_days: int,
                   until: date | None = None) -> Counts:
    """One patient's part of the figures (0 or 1 each; see docs/domain.md). ``until``: the
    day the year is counted to (31 December; today while the year runs) – a patient is
    overdue only when the ÅMV was due by then."""
    last_day = until or date(year, 12, 31)
    if not active_some_day(p, year):
        return Counts()
    r = p.review if p.review is not None and _in(p.review.date, year) else None
    held = r is not None and r.status == DONE
    declined = r is not None and r.status == DECLINED
    within = held and r is not None and r.date <= due_date(p, new_patient_days)
    cancelled = r is not None and _in(r.cancelled_on, year) and not (
        held and r.cancelled_on is not None and r.date >= r.cancelled_on)
    overdue = (active_at_year_end(p, year, last_day) and not p.exempt and not held
               and not declined and not p.reviewed_in_year
               and due_date(p, new_patient_days) <= last_day)
    new_seen = (held and r is not None and p.admitted.year == year
                and r.date <= p.admitted + timedelta(days=new_patient_days))
    return Counts(patients=1, held=int(held), held_within_12_months=int(within),
                  declined=int(declined), cancelled_not_held=int(cancelled),
                  overdue_at_year_end=int(overdue), new_seen_within_28_days=int(new_seen))


def per_10(hours: Hours | None) -> float | None:
    if hours is None or hours.patients <= 0:
        return None
    return hours.hours_per_week / hours.patients * 10


def _sum_hours(items: Iterable[Hours]) -> Hours | None:
    listed = list(items)
    if not listed:
        return None
    return Hours(sum(h.hours_per_week for h in listed), sum(h.patients for h in listed))


Key = tuple[str, str, str]  # health centre, doctor, unit


def _grouped(counts: Mapping[Key, Counts], key: Callable[[Key], Key]) -> dict[Key, Counts]:
    out: dict[Key, Counts] = {}
    for k, c in counts.items():
        g = key(k)
        out[g] = out.get(g, Counts()) + c
    return out


def follow_up(year: int, patients: Iterable[PatientYear], units: Iterable[UnitYear],
              new_patient_days: int, unit_hours: Mapping[str, Hours],
              doctor_hours: Mapping[str, Hours], until: date | None = None) -> FollowUp:
    """The year's figures per unit (a row per unit and doctor: a patient who keeps another
    doctor makes a row of that doctor in the unit), per doctor, per health centre and in
    total. ``unit_hours``/``doctor_hours``: the doctor time by unit and by doctor name.
    ``until``: the day the year is counted to (default 31 December; today while it runs)."""
    by_unit: dict[Key, Counts] = {}
    unit_doctor: dict[str, str] = {}
    for u in units:
        key = (u.health_centre, u.doctor, u.unit)
        unit_doctor[u.unit] = u.doctor
        by_unit[key] = by_unit.get(key, Counts()) + Counts(
            rounds_held=u.rounds_held, rounds_cancelled=u.rounds_cancelled,
            extra_rounds=u.extra_rounds)
    for p in patients:
        c = patient_counts(p, year, new_patient_days, until)
        if c == Counts():
            continue
        key = (p.health_centre, p.doctor, p.unit)
        by_unit[key] = by_unit.get(key, Counts()) + c
    unit_rows = tuple(
        Row(hc, doctor, unit, c,
            per_10(unit_hours.get(unit)) if unit_doctor.get(unit) == doctor else None)
        for (hc, doctor, unit), c in sorted(by_unit.items()))
    by_doctor = _grouped(by_unit, lambda k: (k[0], k[1], ""))
    doctor_rows = tuple(Row(hc, d, "", c, per_10(doctor_hours.get(d)))
                        for (hc, d, _), c in sorted(by_doctor.items()))
    by_centre = _grouped(by_unit, lambda k: (k[0], "", ""))
    centre_doctors: dict[str, set[str]] = {}
    for hc, d, _ in by_doctor:
        centre_doctors.setdefault(hc, set()).add(d)
    centre_rows = tuple(
        Row(hc, "", "", c, per_10(_sum_hours(doctor_hours[d] for d in
                                             sorted(centre_doctors.get(hc, ()))
                                             if d in doctor_hours)))
        for (hc, _, _), c in sorted(by_centre.items()))
    total_counts = sum(by_unit.values(), Counts())
    total = Row("", "", "", total_counts, per_10(_sum_hours(doctor_hours.values())))
    return FollowUp(year, unit_rows, doctor_rows, centre_rows, total)


__all__ = ["COUNT_KEYS", "HEADERS", "SHORT_HEADERS", "Counts", "FollowUp", "Hours",
           "PatientYear", "Recorded", "Row", "UnitYear", "active_at_year_end",
           "active_some_day", "due_date", "follow_up", "patient_counts", "per_10"]
