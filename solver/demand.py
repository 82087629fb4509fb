"""Which patients need an ÅMV in the plan year (R1) and when it is due (R7, R8).

Every method (CP-SAT, the baselines, ``suggest``, the exact check model) and every measure
reads the same requirements, so that the plans are judged by one yardstick.

The *first possible date* of a patient is the planning date (``Settings.plan_from``, or
1 January) or the admission if later. A patient whose R7/R8 window closed before that date is
*overdue*: the effective window becomes the 28 days (``new_patient_days``) from the first
possible date ("as early as possible"). A patient admitted less than 28 days before it is not
overdue: the real R7 window reaches past it. A cancelled (Inställd) ÅMV makes the patient due
again as early as possible, like an overdue patient, never on the cancelled date.

A patient who ends later in the year (a planned discharge or move, or a death recorded after
the planning date) is planned until the day before the end date like an active one, and needs
no ÅMV here when the next one falls due only after leaving: the R7/R8 deadline is on or after
the end date (see :func:`leaves_before_due`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from solver.problem import (
    Patient,
    PatientStatus,
    PinnedVisit,
    Problem,
    Unit,
    VisitStatus,
    care_unit,
)

COUNTS_AS_REVIEW = frozenset(
    {VisitStatus.PLANNED, VisitStatus.LOCKED, VisitStatus.DONE, VisitStatus.DECLINED}
)


@dataclass(frozen=True)
class Requirement:
    """The due window of one patient.

    ``earliest``/``latest`` bound every date the patient may get (first possible date, end
    date, plan year); ``window_start``/``window_end`` is the effective window: the R7/R8
    window clipped to those bounds, or for an overdue patient the 28 days from the first
    possible date; ``due_start``/``due_end`` the real R7/R8 window (for the explanations);
    ``target`` is the ideal date (12 months after the last ÅMV, or the admission, or the first
    possible date when overdue). ``unit`` is the unit as the patient's ÅMV is held
    (:func:`solver.problem.care_unit`): for a patient with another named doctor than the
    unit's, the unit in that doctor's ÅMV time, so ``doctor`` is the named doctor."""

    patient: Patient
    unit: Unit
    rule: str  # "R7" (new patient) or "R8" (recorded ÅMV)
    earliest: date
    latest: date
    window_start: date
    window_end: date
    target: date
    overdue: bool  # the real window closed before the first possible date
    due_start: date | None = None
    due_end: date | None = None
    cancelled: date | None = None  # a cancelled ÅMV: due again, not on this date

    def in_window(self, day: date) -> bool:
        return self.window_start <= day <= self.window_end

    def allows(self, day: date) -> bool:
        """The patient's own bounds (first possible date, end date, not the cancelled date)."""
        return self.earliest <= day <= self.latest and day != self.cancelled

    def days_late(self, day: date) -> int:
        """Tier 4: days by which ``day`` misses the effective window (before or after)."""
        if day > self.window_end:
            return (day - self.window_end).days
        if day < self.window_start:
            return (self.window_start - day).days
        return 0

    @property
    def doctor(self) -> str:
        return self.unit.doctor


@dataclass(frozen=True)
class Demand:
    required: tuple[Requirement, ...]
    not_required: tuple[tuple[Patient, str], ...]  # patient, Swedish reason
    pinned: dict[str, PinnedVisit]  # patient id -> pinned ÅMV in the plan year

    def by_patient(self) -> dict[str, Requirement]:
        return {r.patient.id: r for r in self.required}


def _not_required_reason(patient: Patient, unit: Unit, first: date, start: date,
                         last: date) -> str | None:
    if not unit.has_annual_reviews:
        return f"{unit.name} är ett korttidsboende (ingen ÅMV där)"
    if patient.excluded:
        return f"undantagen: {patient.excluded}"
    if patient.palliative_from is not None and patient.palliative_from <= start:
        return palliative_text(patient.palliative_from)
    if patient.end_date is not None and patient.end_date <= start:
        when = "före planåret" if patient.end_date <= first else "före planeringsdatumet"
        if patient.status is not PatientStatus.ACTIVE:
            return f"{patient.status.value.lower()} {when}"
        return f"slutdatum {when}"
    if patient.status is not PatientStatus.ACTIVE and patient.end_date is None:
        return f"{patient.status.value.lower()} före planåret"
    if patient.admitted > last:
        return "inskrivs efter planåret"
    return None


def palliative_text(day: date) -> str:
    """The reason of a palliative patient's missing ÅMV: "palliativ vård från 2027-05-03"."""
    return f"palliativ vård från {day.isoformat()}"


ENDS = {PatientStatus.DISCHARGED: "skrivs ut", PatientStatus.DECEASED: "avliden",
        PatientStatus.ACTIVE: "slutar"}


def leaves_before_due(patient: Patient, due_end: date, overdue: bool) -> str | None:
    """The reason a patient who ends in the year needs no ÅMV here: the next one falls due
    (R7/R8 deadline ``due_end``) only on or after the end date. An overdue or cancelled ÅMV
    is due now, so it is required."""
    end = patient.end_date
    care = patient.palliative_from
    if care is not None and not overdue and due_end >= care and (end is None or care < end):
        return (f"{palliative_text(care)}, innan nästa ÅMV ska hållas "
                f"(senast {due_end.isoformat()})")
    if end is None or overdue or due_end < end:
        return None
    return (f"{ENDS[patient.status]} {end.isoformat()}, innan nästa ÅMV ska hållas "
            f"(senast {due_end.isoformat()})")


def pinned_of_year(problem: Problem) -> dict[str, PinnedVisit]:
    """The pinned ÅMV of the plan year that count as the patient's ÅMV (not cancelled
    ones), the latest per patient."""
    pinned: dict[str, PinnedVisit] = {}
    for visit in sorted(problem.pinned, key=lambda v: (v.date, v.patient_id)):
        if visit.date.year == problem.year and visit.status in COUNTS_AS_REVIEW:
            pinned[visit.patient_id] = visit
    return pinned


def cancelled_of_year(problem: Problem) -> dict[str, date]:
    """Patient id -> the latest cancelled ÅMV date of the plan year (``Problem.cancelled``
    and pinned ÅMV with status Inställd)."""
    out: dict[str, date] = {}
    dates = [(c.patient_id, c.date) for c in problem.cancelled]
    dates += [(v.patient_id, v.date) for v in problem.pinned
              if v.status is VisitStatus.CANCELLED]
    for pid, day in sorted(dates, key=lambda x: (x[1], x[0])):
        if day.year == problem.year:
            out[pid] = day
    return out


def build_demand(problem: Problem) -> Demand:
    """Requirements of all patients. A recorded last ÅMV inside the plan year counts as a
    done (Genomförd) ÅMV for the year, and so does every pinned ÅMV (locked, done, declined,
    or any status before the planning date)."""
    s = problem.settings
    first, last = date(s.year, 1, 1), date(s.year, 12, 31)
    start = s.first_day
    units = {u.name: u for u in problem.units}
    pinned = pinned_of_year(problem)
    cancelled = cancelled_of_year(problem)
    required: list[Requirement] = []
    not_required: list[tuple[Patient, str]] = []
    for patient in problem.patients:
        unit = units.get(patient.unit)
        if unit is None:
            not_required.append((patient, f"okänd enhet {patient.unit!r}"))
            continue
        if patient.doctor and not problem.has_doctor(patient.doctor):
            not_required.append((patient, f"okänd läkare {patient.doctor!r}"))
            continue
        unit = care_unit(unit, patient)  # a named doctor's patient: that doctor's time (R6)
        reason = _not_required_reason(patient, unit, first, start, last)
        if reason and patient.id not in pinned:
            not_required.append((patient, reason))
            continue
        if (
            patient.id not in pinned
            and patient.id not in cancelled
            and patient.last_review is not None
            and first <= patient.last_review <= last
        ):
            pinned[patient.id] = PinnedVisit(patient.id, patient.last_review, VisitStatus.DONE)
        earliest = max(start, patient.admitted)
        latest = last
        if patient.end_date is not None:
            latest = min(latest, patient.end_date - timedelta(days=1))
        if patient.palliative_from is not None:  # no routine ÅMV from that date
            latest = min(latest, patient.palliative_from - timedelta(days=1))
        if latest < earliest and patient.id not in pinned:
            not_required.append((patient, "slutar innan en ÅMV kan hållas"))
            continue
        if patient.last_review is None or patient.last_review >= first:
            rule = "R7"
            w_start = patient.admitted
            w_end = patient.admitted + timedelta(days=s.new_patient_days)
            target = patient.admitted
        else:
            rule = "R8"
            w_start = patient.last_review + relativedelta(months=s.min_interval_months)
            w_end = patient.last_review + relativedelta(months=s.max_interval_months)
            target = w_end
        due_start, due_end = w_start, w_end
        cancel = cancelled.get(patient.id) if patient.id not in pinned else None
        overdue = w_end < earliest or cancel is not None
        leaves = leaves_before_due(patient, due_end, overdue)
        if leaves and patient.id not in pinned:
            not_required.append((patient, leaves))
            continue
        if overdue:
            w_start, w_end = earliest, earliest + timedelta(days=s.new_patient_days)
            target = earliest
        w_start, w_end = max(w_start, earliest), min(w_end, latest)
        target = min(max(target, earliest), max(latest, earliest))
        required.append(
            Requirement(
                patient=patient,
                unit=unit,
                rule=rule,
                earliest=earliest,
                latest=max(latest, earliest),
                window_start=w_start,
                window_end=w_end,
                target=target,
                overdue=overdue,
                due_start=due_start,
                due_end=due_end,
                cancelled=cancel,
            )
        )
    return Demand(tuple(required), tuple(not_required), pinned)
