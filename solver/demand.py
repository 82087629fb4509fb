"""Which patients need an ÅMV in the plan year (R1) and when it is due (R7, R8).

Every method (CP-SAT and the baselines) and every measure reads the same requirements, so
that the plans are judged by one yardstick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from solver.problem import Patient, PatientStatus, PinnedVisit, Problem, Unit, VisitStatus


@dataclass(frozen=True)
class Requirement:
    """The due window of one patient.

    ``earliest``/``latest`` bound every date the patient may get (admission, end date, plan
    year); ``window_start``/``window_end`` is the R7/R8 window (already clipped to those
    bounds when the original window lay before the plan year: "as early as possible");
    ``target`` is the ideal date (12 months after the last ÅMV, or the admission)."""

    patient: Patient
    unit: Unit
    rule: str  # "R7" (new patient) or "R8" (recorded ÅMV)
    earliest: date
    latest: date
    window_start: date
    window_end: date
    target: date
    overdue: bool  # the original window closed before the plan year began

    def in_window(self, day: date) -> bool:
        return self.window_start <= day <= self.window_end

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


def _not_required_reason(patient: Patient, unit: Unit, first: date, last: date) -> str | None:
    if not unit.has_annual_reviews:
        return f"{unit.name} är ett korttidsboende (ingen ÅMV där)"
    if patient.excluded:
        return f"undantagen: {patient.excluded}"
    if patient.status is not PatientStatus.ACTIVE and (
        patient.end_date is None or patient.end_date <= first
    ):
        return f"{patient.status.value.lower()} före planåret"
    if patient.end_date is not None and patient.end_date <= first:
        return "slutdatum före planåret"
    if patient.admitted > last:
        return "inskrivs efter planåret"
    return None


def build_demand(problem: Problem) -> Demand:
    """Requirements of all patients. A recorded last ÅMV inside the plan year counts as a
    done (Genomförd) ÅMV for the year."""
    s = problem.settings
    first, last = date(s.year, 1, 1), date(s.year, 12, 31)
    units = {u.name: u for u in problem.units}
    pinned = {p.patient_id: p for p in problem.pinned if p.date.year == s.year}
    required: list[Requirement] = []
    not_required: list[tuple[Patient, str]] = []
    for patient in problem.patients:
        unit = units.get(patient.unit)
        if unit is None:
            not_required.append((patient, f"okänd enhet {patient.unit!r}"))
            continue
        reason = _not_required_reason(patient, unit, first, last)
        if reason and patient.id not in pinned:
            not_required.append((patient, reason))
            continue
        if (
            patient.id not in pinned
            and patient.last_review is not None
            and first <= patient.last_review <= last
        ):
            pinned[patient.id] = PinnedVisit(patient.id, patient.last_review, VisitStatus.DONE)
        earliest = max(first, patient.admitted)
        latest = last
        if patient.end_date is not None:
            latest = min(latest, patient.end_date - timedelta(days=1))
        if latest < earliest and patient.id not in pinned:
            not_required.append((patient, "slutar innan en ÅMV kan hållas"))
            continue
        if patient.last_review is None:
            rule = "R7"
            w_start = patient.admitted
            w_end = patient.admitted + timedelta(days=s.new_patient_days)
            target = patient.admitted
        else:
            rule = "R8"
            w_start = patient.last_review + relativedelta(months=s.min_interval_months)
            w_end = patient.last_review + relativedelta(months=s.max_interval_months)
            target = w_end
        overdue = w_end < earliest
        if overdue:
            w_start, w_end = earliest, earliest + timedelta(days=s.new_patient_days)
            target = earliest
        w_start, w_end = max(w_start, earliest), min(w_end, latest)
        target = min(max(target, earliest), latest)
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
            )
        )
    return Demand(tuple(required), tuple(not_required), pinned)
