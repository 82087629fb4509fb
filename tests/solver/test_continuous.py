"""Continuous planning: the planning date, the freeze, outcomes, one-off round changes and
substitutes who hold the ÅMV."""

from __future__ import annotations

from datetime import date

from tiny import DOCTOR, patient, problem, weekly_unit

from solver.calendar import WorkCalendar
from solver.problem import (
    Absence,
    CancelledVisit,
    PatientStatus,
    PinnedVisit,
    PreviousVisit,
    Settings,
    VisitStatus,
)
from solver.rounds import unit_round_dates
from solver.solve import solve

FROM = date(2027, 3, 1)  # a Monday; the freeze covers 1–14 March (Thursdays 4 and 11)
SETTINGS = Settings(2027, plan_from=FROM)


def dates(result) -> dict[str, date]:
    return {a.patient_id: a.date for a in result.appointments}


def test_nothing_new_before_the_planning_date():
    patients = [patient(f"p{i}", last=date(2026, 2, 1 + i)) for i in range(5)]
    result = solve(problem([weekly_unit(per_round=2)], patients, settings=SETTINGS))
    assert all(d >= FROM for d in dates(result).values())


def test_a_frozen_visit_keeps_its_date_even_when_another_would_be_better():
    # due in September; the previous plan had it on 4 March, inside the freeze: it stays
    p = problem([weekly_unit()], [patient("a", last=date(2026, 9, 2))], settings=SETTINGS,
                previous=(PreviousVisit("a", date(2027, 3, 4)),))
    result = solve(p)
    assert dates(result)["a"] == date(2027, 3, 4)
    assert result.measures.moved == 0 and not result.forced_moves


def test_frozen_visits_that_cannot_be_held_are_forced_and_reported():
    unit = weekly_unit(cancelled_dates=(date(2027, 3, 11),))
    patients = [patient("full1", last=date(2026, 9, 2)), patient("full2", last=date(2026, 9, 2)),
                patient("cancel", last=date(2026, 9, 2)),
                patient("moved", last=date(2026, 9, 2))]
    previous = (PreviousVisit("full1", date(2027, 3, 4)), PreviousVisit("full2", date(2027, 3, 4)),
                PreviousVisit("cancel", date(2027, 3, 11)),
                PreviousVisit("moved", date(2027, 3, 4), unit="Solgården"))
    result = solve(problem([unit], patients, settings=SETTINGS, previous=previous))
    plan = dates(result)
    forced = {f.patient_id: f for f in result.forced_moves}
    assert plan["full1"] == date(2027, 3, 4)  # one place: the first by id holds it
    assert set(forced) == {"full2", "cancel", "moved"}
    assert forced["cancel"].reason == "ronden är inställd (inställd rond)"
    assert forced["moved"].reason == "patienten har flyttat till Bäckliden"
    assert "fler frysta ÅMV" in forced["full2"].reason
    assert all(f.new_date == plan[pid] and f.new_date != f.old_date for pid, f in forced.items())
    assert result.measures.moved_in_freeze == 3 and result.measures.moved == 3


def test_frozen_visit_on_a_holiday_and_on_an_absence_without_substitute():
    settings = Settings(2027, plan_from=date(2027, 5, 3))
    away = (Absence(DOCTOR, date(2027, 5, 13), date(2027, 5, 13), "kurs"),)
    previous = (PreviousVisit("h", date(2027, 5, 6)), PreviousVisit("a", date(2027, 5, 13)))
    patients = [patient("h", last=date(2026, 9, 2)), patient("a", last=date(2026, 9, 2))]
    result = solve(problem([weekly_unit()], patients, settings=settings, absences=away,
                           previous=previous))
    forced = {f.patient_id: f.reason for f in result.forced_moves}
    assert forced == {"h": "ronden är inställd (helgdag: Kristi himmelsfärdsdag)",
                      "a": "läkaren är frånvarande utan vikarie"}


def test_a_patient_who_ends_releases_the_frozen_visit_without_a_move():
    ended = patient("e", last=date(2026, 9, 2), status=PatientStatus.DECEASED,
                    end_date=date(2027, 3, 4))
    result = solve(problem([weekly_unit()], [ended], settings=SETTINGS,
                           previous=(PreviousVisit("e", date(2027, 3, 4)),)))
    assert "e" not in dates(result) and not result.forced_moves and result.measures.moved == 0


def test_history_stays_and_a_declined_visit_counts_as_the_years_review():
    pinned = (PinnedVisit("d", date(2027, 2, 3), VisitStatus.DECLINED),
              PinnedVisit("u", date(2027, 2, 11), VisitStatus.PLANNED))  # ej registrerad
    patients = [patient("d", last=date(2026, 2, 3)), patient("u", last=date(2026, 2, 11))]
    result = solve(problem([weekly_unit()], patients, settings=SETTINGS, pinned=pinned))
    by = {a.patient_id: a for a in result.appointments}
    assert by["d"].date == date(2027, 2, 3) and by["d"].status is VisitStatus.DECLINED
    assert by["u"].date == date(2027, 2, 11) and len(result.appointments) == 2
    assert not result.violations  # history is not judged


def test_a_cancelled_visit_is_due_again_as_early_as_possible_not_that_day():
    cancelled = (CancelledVisit("c", date(2027, 3, 4)),)
    result = solve(problem([weekly_unit(per_round=2)], [patient("c", last=date(2026, 9, 2))],
                           settings=SETTINGS, cancelled=cancelled))
    day = dates(result)["c"]
    assert day != date(2027, 3, 4) and FROM <= day <= date(2027, 3, 29)
    assert not result.violations


def test_extra_and_cancelled_round_dates():
    thursdays = (date(2027, 3, 4), date(2027, 3, 11), date(2027, 3, 18), date(2027, 3, 25))
    unit = weekly_unit(extra_dates=(date(2027, 3, 16),), cancelled_dates=thursdays)
    result = solve(problem([unit], [patient("n", admitted=date(2027, 3, 1))]))
    assert dates(result)["n"] == date(2027, 3, 16) and not result.violations
    rounds = {r.date: r for r in unit_round_dates(unit, WorkCalendar(Settings(2027)))}
    assert rounds[date(2027, 3, 16)].extra and rounds[date(2027, 3, 16)].reviews_possible
    assert rounds[date(2027, 3, 4)].cancelled
    assert rounds[date(2027, 3, 4)].cancel_reason == "inställd rond"


def test_a_substitute_who_holds_the_reviews_keeps_the_days():
    def plan(by_substitute: bool):
        away = (Absence(DOCTOR, date(2027, 3, 1), date(2027, 3, 31), "kurs", "Per Ek",
                        by_substitute),)
        return solve(problem([weekly_unit()], [patient("n", admitted=date(2027, 3, 1))],
                             absences=away))
    held = plan(True)
    assert date(2027, 3, 1) <= dates(held)["n"] <= date(2027, 3, 29)
    assert not held.violations
    away = plan(False)
    assert dates(away)["n"] == date(2027, 4, 1)
    [v] = [v for v in away.violations if v.rule == "R7"]
    assert v.action is not None and v.action.kind == "substitute_reviews"
    assert v.action.day == date(2027, 3, 1) and v.cause == f"absence:{DOCTOR}:2027-03-01"
