"""A scripted year 2025 for the yearly follow-up (issue 18.6), built with the services:
admissions, outcomes Genomförd/Avböjd/Inställd, a death, a discharge, a move, a one-off
cancelled and an extra round. The hand count of its figures is in HAND_COUNT.

"Karin Ek" moves to Tallen and keeps her doctor Anna Berg (a named doctor, fast
läkarkontakt): she counts in her own row, Tallen under Anna Berg and Vårdcentralen Norr.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from lakarrond.services.patients import PatientData, create_patient, get_patient, update_patient
from lakarrond.services.round_changes import add_round_change
from lakarrond.services.visits import record_visit
from lakarrond.store import models as m
from lakarrond.store.settings import write_settings

YEAR = 2025
TODAY = date(2026, 1, 20)  # the year is over: everything can be recorded
NORR, SODER = "Vårdcentralen Norr", "Vårdcentralen Söder"

# Bäckliden: 52 Tuesdays (none a holiday in 2025), one cancelled (11 March) and one extra
# round (Thursday 13 March): 52 held, 1 cancelled, 1 extra. Tallen: 27 Wednesdays of odd
# weeks, two of them holidays (Nyårsdagen 1 Jan, Nyårsafton 31 Dec): 25 held, 2 cancelled.
# Patients: Bäckliden – Alva (held within 12 months), Bertil (held, late), Cecilia (declined),
# David (cancelled, never held: overdue), Eva (cancelled, then held, late), Frida (new,
# seen in 22 days), Gustav (new in October, only a locked date: overdue), Hilda (died in
# January); Ivar (discharged 2024) and Jonna (admitted 2026) are not in the year. Tallen –
# Karin (moved in from Bäckliden keeping Anna Berg: her own row; held within 12 months),
# Lars (excluded: not overdue).
HAND_COUNT = {
    (NORR, "Anna Berg", "Bäckliden"): {
        "patients": 8, "held": 4, "held_within_12_months": 2, "declined": 1,
        "cancelled_not_held": 1, "overdue_at_year_end": 2, "new_seen_within_28_days": 1,
        "rounds_held": 52, "rounds_cancelled": 1, "extra_rounds": 1},
    # Karin alone: her kept doctor holds her ÅMV, Tallen's rounds are Bo Lind's
    (NORR, "Anna Berg", "Tallen"): {
        "patients": 1, "held": 1, "held_within_12_months": 1, "declined": 0,
        "cancelled_not_held": 0, "overdue_at_year_end": 0, "new_seen_within_28_days": 0,
        "rounds_held": 0, "rounds_cancelled": 0, "extra_rounds": 0},
    (SODER, "Bo Lind", "Tallen"): {
        "patients": 1, "held": 0, "held_within_12_months": 0, "declined": 0,
        "cancelled_not_held": 0, "overdue_at_year_end": 0, "new_seen_within_28_days": 0,
        "rounds_held": 25, "rounds_cancelled": 2, "extra_rounds": 0},
}
TOTAL = {"patients": 10, "held": 5, "held_within_12_months": 3, "declined": 1,
         "cancelled_not_held": 1, "overdue_at_year_end": 2, "new_seen_within_28_days": 1,
         "rounds_held": 77, "rounds_cancelled": 3, "extra_rounds": 1}


def _units(db):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        norr, soder = m.HealthCentre(name=NORR), m.HealthCentre(name=SODER)
        anna = m.Doctor(name="Anna Berg", health_centre=norr, review_weekdays="3")
        bo = m.Doctor(name="Bo Lind", health_centre=soder, review_weekdays="3")
        home = m.Unit(name="Bäckliden", type="SÄBO", doctor=anna, nurse="Eva Syster",
                      rhythm_kind="Varje vecka", weekdays="1", start_time=time(9, 0),
                      length_min=120, form="Fysisk", reviews_per_round=2)
        lss = m.Unit(name="Tallen", type="LSS", doctor=bo, rhythm_kind="Varannan vecka",
                     parity="udda", weekdays="2", start_time=time(14, 0), length_min=60,
                     form="Fysisk", reviews_per_round=1)
        s.add_all([norr, soder, anna, bo, home, lss])
        write_settings(s, YEAR, {"summer_weeks": ()})
        s.flush()
        return home.id, lss.id, anna.id


def _admit(db, name, unit_id, admitted, last=None, **extra):  # type: ignore[no-untyped-def]
    data = PatientData(name=name, unit_id=unit_id, admitted=admitted, last_review=last,
                       **extra)
    return create_patient(db, data, today=TODAY).id


def _change(db, patient_id, **fields):  # type: ignore[no-untyped-def]
    row = get_patient(db, patient_id)
    update_patient(db, patient_id, replace(row.data, **fields), row.version, today=TODAY,
                   raise_matters=False)


def _visit(db, name, day, status, reason=""):  # type: ignore[no-untyped-def]
    record_visit(db, name, day, status, reason, today=TODAY)


def script_the_year(db) -> None:  # type: ignore[no-untyped-def]
    home, lss, anna = _units(db)
    add_round_change(db, home, date(YEAR, 3, 11), "cancelled", "läkaren sjuk")
    add_round_change(db, home, date(YEAR, 3, 13), "extra")
    _admit(db, "Alva Ek", home, date(2015, 1, 1), date(2024, 3, 4))
    _visit(db, "Alva Ek", date(YEAR, 2, 25), "Genomförd")
    _admit(db, "Bertil Ek", home, date(2015, 1, 1), date(2024, 1, 10))
    _visit(db, "Bertil Ek", date(YEAR, 5, 6), "Genomförd")
    _admit(db, "Cecilia Ek", home, date(2015, 1, 1), date(2024, 6, 3))
    _visit(db, "Cecilia Ek", date(YEAR, 6, 3), "Låst")
    _visit(db, "Cecilia Ek", date(YEAR, 6, 3), "Avböjd", "patienten tackade nej")
    _admit(db, "David Ek", home, date(2015, 1, 1), date(2024, 9, 2))
    _visit(db, "David Ek", date(YEAR, 9, 2), "Låst")
    _visit(db, "David Ek", date(YEAR, 9, 2), "Inställd", "patienten sjuk")
    _admit(db, "Eva Ek", home, date(2015, 1, 1), date(2024, 4, 1))
    _visit(db, "Eva Ek", date(YEAR, 4, 1), "Låst")
    _visit(db, "Eva Ek", date(YEAR, 4, 1), "Inställd", "läkaren sjuk")
    _visit(db, "Eva Ek", date(YEAR, 4, 15), "Genomförd")
    _admit(db, "Frida Ek", home, date(YEAR, 3, 3))
    _visit(db, "Frida Ek", date(YEAR, 3, 25), "Genomförd")
    _admit(db, "Gustav Ek", home, date(YEAR, 10, 1))
    _visit(db, "Gustav Ek", date(YEAR, 11, 4), "Låst")  # planned, never held
    hilda = _admit(db, "Hilda Ek", home, date(2010, 1, 1), date(2024, 2, 5))
    _change(db, hilda, status="Avliden", end_date=date(YEAR, 1, 20))
    ivar = _admit(db, "Ivar Ek", home, date(2010, 1, 1), date(2024, 2, 5))
    _change(db, ivar, status="Utskriven", end_date=date(2024, 11, 30))
    _admit(db, "Jonna Ek", home, date(2026, 1, 10))
    karin = _admit(db, "Karin Ek", home, date(2012, 1, 1), date(2024, 10, 8))
    _change(db, karin, unit_id=lss, doctor_id=anna)  # moved to Tallen, kept her doctor
    _visit(db, "Karin Ek", date(YEAR, 10, 1), "Genomförd")
    _admit(db, "Lars Ek", lss, date(2012, 1, 1), date(2024, 12, 10),
           excluded="ÅMV i primärvården")
