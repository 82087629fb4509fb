"""The doctor-time service (issue 18 point 4): the small store counted by hand – Bäckliden's
weekly Tuesday rounds and Tallen's (LSS) fortnightly rounds plus its ÅMV on separate times
from the saved plan – the floor setting and the unit form's figure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lakarrond.agreement import below_floor_line, doctor_time_json
from lakarrond.errors import BadInput
from lakarrond.services.doctor_time import (
    DoctorTimeTable,
    counting_day,
    doctor_time,
    doctors_with_doctor_time,
    unit_form_doctor_time,
    unit_form_warning,
    units_with_doctor_time,
)
from lakarrond.services.plan import make_plan, save_draft
from lakarrond.services.settings import get_settings, save_settings
from lakarrond.services.units import list_units
from solver.result import DoctorTime

YEAR = 2027
# 2027: 52 Tuesdays, 5 in the summer weeks 27–31, no holiday on a Tuesday; the absence in
# March has a substitute (the rounds are held)
BACKLIDEN_MIN = (52 - 5) * 120
# odd ISO weeks: 26 Wednesdays, minus 6 January (Trettondedag jul) and weeks 27, 29, 31
TALLEN_MIN = (26 - 1 - 3) * 60


def hours(minutes: int) -> float:
    return pytest.approx(minutes / 60 / 52)  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _in_the_year(monkeypatch):  # type: ignore[no-untyped-def]
    """Today is in the plan year, after Astrid Holm's admission (1 April): 6 at Bäckliden."""
    monkeypatch.setenv("LAKARROND_TODAY", f"{YEAR}-06-01")


def test_without_a_plan_the_rounds_alone(small_db):
    table = doctor_time(small_db, YEAR)
    assert isinstance(table, DoctorTimeTable) and table.floor == 1.0
    home, lss = table.units["Bäckliden"], table.units["Tallen"]
    assert (home.hours_per_week, home.patients) == (hours(BACKLIDEN_MIN), 6)
    assert home.per_10 == pytest.approx(BACKLIDEN_MIN / 60 / 52 / 6 * 10)
    assert (lss.hours_per_week, lss.patients) == (hours(TALLEN_MIN), 2)
    anna = table.doctors["Anna Berg"]
    assert (anna.hours_per_week, anna.patients) == (hours(BACKLIDEN_MIN + TALLEN_MIN), 8)


def test_an_lss_units_separate_review_time_is_counted(small_db):
    save_draft(small_db, make_plan(small_db, YEAR, time_limit=10))
    table = doctor_time(small_db, YEAR)
    # the two LSS patients' ÅMV on Anna Berg's ÅMV days, 30 minutes each
    assert table.units["Tallen"].hours_per_week == hours(TALLEN_MIN + 2 * 30)
    # Bäckliden's ÅMV are held in its rounds: nothing added
    assert table.units["Bäckliden"].hours_per_week == hours(BACKLIDEN_MIN)
    assert table.doctors["Anna Berg"].hours_per_week == hours(BACKLIDEN_MIN + TALLEN_MIN + 60)


def test_the_floor_setting_flags_a_unit(small_db):
    table = doctor_time(small_db, YEAR)
    # Bäckliden 3,01 and Tallen 2,12 h per 10 patients: over the default 1,0
    assert not table.units["Bäckliden"].below_floor and not table.units["Tallen"].below_floor
    save_settings(small_db, YEAR, replace(get_settings(small_db, YEAR), doctor_hours_per_10=2.5))
    raised = doctor_time(small_db, YEAR)
    assert raised.floor == 2.5
    assert raised.units["Tallen"].below_floor  # under the raised floor: flagged
    assert not raised.units["Bäckliden"].below_floor  # over it: not


def test_a_floor_out_of_range_is_refused(small_db):
    with pytest.raises(BadInput, match="Läkartid minst"):
        save_settings(small_db, YEAR, replace(get_settings(small_db, YEAR),
                                              doctor_hours_per_10=-1.0))


def test_the_unit_form_figure_follows_the_edited_rhythm(small_db):
    row = next(r for r in list_units(small_db) if r.name == "Bäckliden")
    same = unit_form_doctor_time(small_db, YEAR, row.data, 6, row.id)
    assert same is not None
    assert same.units["Bäckliden"] == doctor_time(small_db, YEAR).units["Bäckliden"]
    assert unit_form_warning(small_db, YEAR, row.data, 6, row.id) == ""
    shorter = replace(row.data, length_min=20)  # 47 × 20 min for 6 patients: 0,5 per 10
    assert unit_form_warning(small_db, YEAR, shorter, 6, row.id) == (
        "Läkartid under avtalet: Bäckliden 0,5 h/vecka per 10 patienter (minst 1,0)")


def test_the_lists_carry_the_figures(small_db):
    units = {r.name: r for r in units_with_doctor_time(small_db, YEAR)}
    assert units["Tallen"].doctor_time == doctor_time(small_db, YEAR).units["Tallen"]
    assert units["Tallen"].doctor_time_note == ""
    doctors = doctors_with_doctor_time(small_db, YEAR)
    assert doctors[0].doctor_time is not None and doctors[0].doctor_time.patients == 8
    save_settings(small_db, YEAR, replace(get_settings(small_db, YEAR), doctor_hours_per_10=2.5))
    units = {r.name: r for r in units_with_doctor_time(small_db, YEAR)}
    assert units["Tallen"].doctor_time_note.startswith("Läkartid under avtalet: Tallen 2,1")


def test_patients_are_counted_on_the_counting_day(small_db):
    assert counting_day(YEAR, date(YEAR, 6, 1)) == date(YEAR, 6, 1)  # the year runs: today
    assert counting_day(YEAR, date(YEAR - 1, 12, 1)) == date(YEAR, 1, 1)  # a year ahead
    assert counting_day(YEAR, date(YEAR + 1, 2, 1)) == date(YEAR, 12, 31)  # a past year
    # a year ahead: Astrid Holm (admitted 1 April) is not there yet
    assert doctor_time(small_db, YEAR, today=date(YEAR - 1, 12, 1)).units[
        "Bäckliden"].patients == 5
    assert doctor_time(small_db, YEAR, today=date(YEAR, 6, 1)).units["Bäckliden"].patients == 6


def test_the_json_rounds_and_the_line_never_shows_the_floor_itself():
    exact = DoctorTime(hours_per_week=1320 / 60 / 52, patients=2, per_10=13200 / 60 / 52 / 2,
                       below_floor=False)
    assert doctor_time_json(exact) == {"hours_per_week": 0.42, "patients": 2, "per_10": 2.12,
                                       "below_floor": False}
    assert doctor_time_json(replace(exact, patients=0, per_10=None))["per_10"] is None
    assert below_floor_line("Tallen", exact, 1.0) == ""  # over the floor: no line
    under = DoctorTime(0.6, 10, 0.6, True)
    assert below_floor_line("Tallen", under, 1.0) == (
        "Läkartid under avtalet: Tallen 0,6 h/vecka per 10 patienter (minst 1,0)")
    just = DoctorTime(0.96, 10, 0.96, True)  # 1,0 with one decimal: two are shown
    assert "Tallen 0,96 h/vecka" in below_floor_line("Tallen", just, 1.0)


def test_the_table_is_computed_once_until_the_store_changes(small_db):
    first = doctor_time(small_db, YEAR)
    assert doctor_time(small_db, YEAR) is first  # nothing changed: the same table
    with small_db.read() as s:
        assert doctor_time(s, YEAR) is not first  # a caller's session: computed in it
    save_settings(small_db, YEAR, replace(get_settings(small_db, YEAR), doctor_hours_per_10=2.5))
    changed = doctor_time(small_db, YEAR)
    assert changed is not first and changed.floor == 2.5  # a change (audited): computed again
