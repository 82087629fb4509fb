"""The yearly follow-up's definitions (docs/domain.md, "The yearly follow-up"), each as a pair:
one case that counts and the nearest one that does not (:mod:`lakarrond.followup`, pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lakarrond.followup import (
    Counts,
    Hours,
    PatientYear,
    Recorded,
    UnitYear,
    follow_up,
    patient_counts,
)

YEAR = 2025
DAYS = 28
BASE = PatientYear(1, "Bäckliden", "Anna Berg", "VC Norr", admitted=date(2015, 1, 1),
                   end_date=None, previous=date(2024, 3, 4), review=None)


def _counts(p: PatientYear) -> Counts:
    return patient_counts(p, YEAR, DAYS)


@pytest.mark.parametrize(("end", "counted"), [(date(YEAR, 1, 2), 1), (date(YEAR, 1, 1), 0)])
def test_a_patient_who_left_on_new_years_day_was_not_in_the_year(end, counted):
    assert _counts(replace(BASE, end_date=end)).patients == counted


@pytest.mark.parametrize(("admitted", "counted"), [(date(YEAR, 12, 31), 1),
                                                    (date(YEAR + 1, 1, 1), 0)])
def test_a_patient_admitted_after_the_year_is_not_in_it(admitted, counted):
    assert _counts(replace(BASE, admitted=admitted, previous=None)).patients == counted


@pytest.mark.parametrize(("status", "held"), [("Genomförd", 1), ("Låst", 0), ("Planerad", 0)])
def test_only_genomford_is_held(status, held):
    p = replace(BASE, review=Recorded(date(YEAR, 2, 25), status))
    assert _counts(p).held == held


@pytest.mark.parametrize(("day", "within"), [(date(YEAR, 3, 4), 1), (date(YEAR, 3, 5), 0)])
def test_held_within_12_months_of_the_previous(day, within):
    c = _counts(replace(BASE, review=Recorded(day, "Genomförd")))
    assert (c.held, c.held_within_12_months) == (1, within)


@pytest.mark.parametrize(("day", "seen"), [(date(YEAR, 3, 29), 1), (date(YEAR, 3, 30), 0)])
def test_a_new_patient_is_seen_within_the_new_patient_days(day, seen):
    p = replace(BASE, admitted=date(YEAR, 3, 1), previous=None,
                review=Recorded(day, "Genomförd"))
    c = _counts(p)
    assert (c.new_seen_within_28_days, c.held_within_12_months) == (seen, seen)


@pytest.mark.parametrize(("review", "counted"), [
    (Recorded(date(YEAR, 4, 1), "Inställd", date(YEAR, 4, 1)), 1),
    (Recorded(date(YEAR, 5, 6), "Planerad", date(YEAR, 4, 1)), 1),  # placed again, not held
    (Recorded(date(YEAR, 4, 15), "Genomförd", date(YEAR, 4, 1)), 0),  # held after it
])
def test_cancelled_and_not_held_again(review, counted):
    assert _counts(replace(BASE, review=review)).cancelled_not_held == counted


@pytest.mark.parametrize(("patient", "overdue"), [
    (BASE, 1),  # due 4 March, nothing recorded
    (replace(BASE, review=Recorded(date(YEAR, 6, 3), "Avböjd")), 0),  # offered, declined
    (replace(BASE, exempt=True), 0),  # excluded or palliative
    (replace(BASE, end_date=date(YEAR, 12, 31)), 0),  # left before the year's end
    (replace(BASE, admitted=date(YEAR, 12, 10), previous=None), 0),  # new, due in January
    (replace(BASE, admitted=date(YEAR, 12, 1), previous=None), 1),  # new, due 29 December
    (replace(BASE, review=Recorded(date(YEAR, 11, 4), "Låst")), 1),  # a locked date is late
    (replace(BASE, reviewed_in_year=True), 0),  # a matter counted as ÅMV in the year
])
def test_overdue_at_year_end(patient, overdue):
    assert _counts(patient).overdue_at_year_end == overdue


@pytest.mark.parametrize(("until", "overdue"), [
    (date(YEAR, 3, 5), 1),  # the year counted to 5 March: due 4 March, late already
    (date(YEAR, 3, 3), 0),  # counted to 3 March (today while the year runs): not due yet
])
def test_while_the_year_runs_only_the_due_by_today_are_overdue(until, overdue):
    """Found walking the window on 29 March: "Försenade vid årets slut" counted every
    patient whose ÅMV was due later in the year (216 of 219)."""
    assert patient_counts(BASE, YEAR, DAYS, until).overdue_at_year_end == overdue


def test_a_patient_who_leaves_after_today_is_counted_while_the_year_runs():
    leaving = replace(BASE, end_date=date(YEAR, 6, 1))
    assert patient_counts(leaving, YEAR, DAYS, date(YEAR, 3, 29)).overdue_at_year_end == 1
    assert patient_counts(leaving, YEAR, DAYS).overdue_at_year_end == 0


def test_the_follow_up_passes_its_day_on():
    def overdue(until: date | None) -> int:
        result = follow_up(YEAR, [BASE], [UnitYear("Bäckliden", "Anna Berg", "VC Norr",
                                                   0, 0, 0)], DAYS, {}, {}, until=until)
        return result.total.counts.overdue_at_year_end
    assert (overdue(date(YEAR, 3, 3)), overdue(None)) == (0, 1)


def test_a_kept_doctor_makes_a_row_of_its_own_without_the_units_time():
    kept = replace(BASE, patient_id=2, doctor="Bo Lind", health_centre="VC Söder")
    result = follow_up(YEAR, [BASE, kept], [UnitYear("Bäckliden", "Anna Berg", "VC Norr",
                                                     50, 2, 1)],
                       DAYS, {"Bäckliden": Hours(2.0, 2)},
                       {"Anna Berg": Hours(2.0, 1), "Bo Lind": Hours(1.0, 1)})
    rows = {(r.doctor, r.unit): r for r in result.units}
    assert rows[("Anna Berg", "Bäckliden")].counts.rounds_held == 50
    assert rows[("Bo Lind", "Bäckliden")].counts.patients == 1
    assert rows[("Anna Berg", "Bäckliden")].per_10 == pytest.approx(10.0)
    assert rows[("Bo Lind", "Bäckliden")].per_10 is None
    assert [r.health_centre for r in result.centres] == ["VC Norr", "VC Söder"]
    assert result.total.per_10 == pytest.approx(15.0)  # 3 hours over 2 patients
