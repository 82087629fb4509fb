"""A patient who ends later in the year (issue 22): planned until the day before leaving when
the next ÅMV falls due before that, otherwise not required, with the reason; and every
patient is accounted for: placed + unplaced + not required."""

from __future__ import annotations

from datetime import date

from tiny import patient, problem, weekly_unit

from solver.demand import build_demand
from solver.problem import PatientStatus
from solver.solve import solve


def _leaving(end: date, status: PatientStatus = PatientStatus.DISCHARGED):  # type: ignore[no-untyped-def]
    return patient("p1", last=date(2026, 10, 6), status=status, end_date=end)


def test_discharged_after_the_deadline_is_planned_before_it():
    p = problem([weekly_unit()], [_leaving(date(2027, 11, 16)),
                                  patient("p2", last=date(2026, 5, 4))])
    demand = build_demand(p)
    assert [r.patient.id for r in demand.required] == ["p1", "p2"]
    result = solve(p)
    day = result.by_patient()["p1"].date
    assert date(2027, 4, 6) <= day <= date(2027, 10, 6)  # inside the R8 window
    assert not result.unplaced and not result.not_required


def test_discharged_before_the_deadline_needs_no_review_with_the_reason():
    p = problem([weekly_unit()], [_leaving(date(2027, 9, 1)),
                                  patient("p2", last=date(2026, 5, 4))])
    demand = build_demand(p)
    assert [r.patient.id for r in demand.required] == ["p2"]
    assert [(n.id, reason) for n, reason in demand.not_required] == [
        ("p1", "skrivs ut 2027-09-01, innan nästa ÅMV ska hållas (senast 2027-10-06)")]
    result = solve(p)
    assert "p1" not in result.by_patient()
    assert [(n.patient_id, n.unit, n.reason) for n in result.not_required] == [
        ("p1", "Bäckliden", "skrivs ut 2027-09-01, innan nästa ÅMV ska hållas "
                            "(senast 2027-10-06)")]


def test_leaving_on_the_deadline_itself_needs_no_review():
    p = problem([weekly_unit()], [_leaving(date(2027, 10, 6), PatientStatus.DECEASED)])
    (not_required,) = build_demand(p).not_required
    assert not_required[1] == ("avliden 2027-10-06, innan nästa ÅMV ska hållas "
                               "(senast 2027-10-06)")


def test_overdue_and_leaving_is_required():
    p = problem([weekly_unit()], [patient("p1", last=date(2025, 10, 6),
                                          status=PatientStatus.DISCHARGED,
                                          end_date=date(2027, 11, 16))])
    (required,) = build_demand(p).required
    assert required.overdue and required.latest == date(2027, 11, 15)


def test_every_patient_is_placed_unplaced_or_not_required():
    patients = [patient(f"p{i}", last=date(2026, 1 + i % 12, 5)) for i in range(12)]
    patients += [patient("end1", last=date(2026, 3, 2), status=PatientStatus.DISCHARGED,
                         end_date=date(2027, 2, 1)),
                 patient("end2", last=date(2026, 3, 2), status=PatientStatus.DISCHARGED,
                         end_date=date(2027, 6, 1)),
                 patient("gone", last=date(2026, 3, 2), status=PatientStatus.DECEASED,
                         end_date=date(2026, 11, 1)),
                 patient("ex", last=date(2026, 3, 2), excluded="växelvård")]
    result = solve(problem([weekly_unit()], patients))
    placed = [a.patient_id for a in result.appointments]
    unplaced = [u.patient_id for u in result.unplaced]
    not_required = [n.patient_id for n in result.not_required]
    assert sorted(placed + unplaced + not_required) == sorted(p.id for p in patients)
    assert {"end1", "gone", "ex"} <= set(not_required) and "end2" in placed
