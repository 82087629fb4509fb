"""Named contacts per patient (issue 18 point 1): the named doctor (fast läkarkontakt) and
nurse (fast vårdkontakt) are stored, audited, planned in the named doctor's ÅMV time and
shown on the plan's rows; empty means the unit's."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.io.json_export import plan_json_text
from lakarrond.services.doctors import delete_doctor, retire_doctor
from lakarrond.services.document import load_document
from lakarrond.services.patients import get_patient, list_patients, update_patient
from lakarrond.services.plan import plan_year
from lakarrond.services.problem import build_problem
from lakarrond.store import models as m

YEAR = 2027
KARIN = "Karin Ek"


def _keep_karin(db) -> tuple[int, int]:
    """Karin Ek (ÅMV on Fridays) as Karl Nilsson's named doctor, Lisa Lind his nurse."""
    with db.begin() as s:
        karin = m.Doctor(name=KARIN, review_weekdays="4", reviews_per_day=1)
        s.add(karin)
        s.flush()
        karin_id = karin.id
        karl = s.scalars(select(m.Patient).where(m.Patient.name == "Karl Nilsson")).one()
        karl_id = karl.id
    row = get_patient(db, karl_id)
    update_patient(db, karl_id, dataclasses.replace(row.data, doctor_id=karin_id,
                                                    nurse=" Lisa Lind "), row.version)
    return karl_id, karin_id


def test_the_named_contacts_round_trip_are_audited_and_listed(small_db):
    karl_id, karin_id = _keep_karin(small_db)
    row = get_patient(small_db, karl_id)
    assert (row.data.doctor_id, row.data.nurse) == (karin_id, "Lisa Lind")
    assert (row.doctor, row.nurse) == (KARIN, "Lisa Lind")
    others = {r.name: r for r in list_patients(small_db)}
    assert (others["Karl Nilsson"].doctor, others["Karl Nilsson"].nurse) == (KARIN, "Lisa Lind")
    assert (others["Greta Ek"].doctor, others["Greta Ek"].nurse) == ("Anna Berg", "Eva Syster")
    with small_db.read() as s:
        log = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "update",
                                                 m.AuditLog.entity == "patient")).all()[-1]
    assert log.after == {"doctor_id": karin_id, "nurse": "Lisa Lind"}
    assert log.before == {"doctor_id": None, "nurse": ""}


def test_a_named_doctor_cannot_be_deleted_and_an_unknown_one_is_refused(small_db):
    karl_id, karin_id = _keep_karin(small_db)
    with pytest.raises(BadInput, match=r"namngiven läkare för 1 patient \(Karl Nilsson\)"):
        delete_doctor(small_db, karin_id)
    row = get_patient(small_db, karl_id)
    with pytest.raises(BadInput, match="Läkaren finns inte"):
        update_patient(small_db, karl_id, dataclasses.replace(row.data, doctor_id=9999))


def test_the_plan_puts_the_named_doctors_patient_on_that_doctors_days(small_db):
    _keep_karin(small_db)
    with small_db.read() as s:
        problem, _ = build_problem(s, YEAR)
    by_name = {p.name: p for p in problem.patients}
    assert (by_name["Karl Nilsson"].doctor, by_name["Greta Ek"].doctor) == (KARIN, "")
    plan_year(small_db, YEAR, time_limit=10)
    with small_db.read() as s:
        doc = load_document(s, YEAR)
    reviews = {a.patient: a for a in doc.reviews}
    karl, greta = reviews["Karl Nilsson"], reviews["Greta Ek"]
    assert (karl.doctor, karl.date.weekday(), karl.needs_new_date) == (KARIN, 4, "")
    assert karl.start is not None  # on Karin Ek's separate ÅMV time
    assert (greta.doctor, greta.date.weekday()) == ("Anna Berg", 1)  # the unit's round
    appointments = {a["patient"]: a for a in json.loads(plan_json_text(doc))["appointments"]}
    assert appointments["Karl Nilsson"]["doctor"] == KARIN
    assert appointments["Greta Ek"]["doctor"] == "Anna Berg"
    mine = doc.filtered(doctor=KARIN)
    assert [a.patient for a in mine.reviews] == ["Karl Nilsson"]
    assert "Karl Nilsson" not in {a.patient for a in doc.filtered(doctor="Anna Berg").reviews}


def test_the_units_own_doctor_and_nurse_are_stored_as_the_units(small_db):
    with small_db.read() as s:
        anna = s.scalars(select(m.Doctor.id).where(m.Doctor.name == "Anna Berg")).one()
        karl_id = s.scalars(select(m.Patient.id).where(m.Patient.name == "Karl Nilsson")).one()
    row = get_patient(small_db, karl_id)
    saved = update_patient(small_db, karl_id, dataclasses.replace(
        row.data, doctor_id=anna, nurse="Eva Syster"))
    assert (saved.data.doctor_id, saved.data.nurse) == (None, "")
    assert (saved.doctor, saved.nurse) == ("Anna Berg", "Eva Syster")


def test_the_round_schedule_and_the_excel_plan_show_the_named_doctor(small_db):
    from lakarrond.io.excel_export import build_plan_workbook
    from lakarrond.printouts import round_schedule

    _keep_karin(small_db)
    plan_year(small_db, YEAR, time_limit=10)
    with small_db.read() as s:
        doc = load_document(s, YEAR)
    karin = round_schedule(doc, KARIN).content
    (entry,) = karin.entries
    assert (entry.form, entry.unit) == ("ÅMV-tid", "Bäckliden")
    (karl,) = entry.patients
    assert karl.name == "Karl Nilsson" and "läk Karin Ek" in karl.details
    assert "ssk Lisa Lind" in karl.details and karl.time
    # Bäckliden is not Karin's unit: named for her one patient, not with its rounds' nurse
    assert karin.unit_lines == ("Bäckliden (1 ÅMV som fast läkarkontakt)",)
    anna = round_schedule(doc, "Anna Berg").content
    assert any(line.startswith("Bäckliden (") and "fast läkarkontakt" not in line
               for line in anna.unit_lines)  # the unit's own doctor: the unit as before
    anna_patients = {p.name: p for e in anna.entries for p in e.patients}
    assert "Karl Nilsson" not in anna_patients
    assert "läk" not in anna_patients["Greta Ek"].details  # the unit's own: not repeated
    sheet = build_plan_workbook(doc)["Årsplan"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("Patient")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Karl Nilsson"][header.index("Läkare")] == KARIN
    assert rows["Greta Ek"][header.index("Läkare")] == "Anna Berg"


def test_suggest_and_book_give_the_named_doctors_days(small_db):
    from lakarrond.services.suggest import book, suggest_dates

    karl_id, _ = _keep_karin(small_db)
    plan_year(small_db, YEAR, time_limit=10)
    kept = suggest_dates(small_db, karl_id, YEAR, limit=3).result.suggestions
    assert kept and all(s.date.weekday() == 4 for s in kept)  # Karin Ek's Fridays
    with small_db.read() as s:
        greta = s.scalars(select(m.Patient.id).where(m.Patient.name == "Greta Ek")).one()
    unit = suggest_dates(small_db, greta, YEAR, limit=3).result.suggestions
    assert unit and all(s.date.weekday() == 1 for s in unit)  # Bäckliden's Tuesdays
    booked = book(small_db, karl_id, kept[0].date)
    with small_db.read() as s:
        assert s.get(m.Visit, booked.visit_id).doctor == KARIN


def test_the_week_list_puts_the_named_doctors_patient_on_that_doctors_page(small_db):
    from datetime import timedelta

    from lakarrond.services.printing import make_week_list

    _keep_karin(small_db)
    plan_year(small_db, YEAR, time_limit=10)
    with small_db.read() as s:
        doc = load_document(s, YEAR)
    day = next(a.date for a in doc.reviews if a.patient == "Karl Nilsson")
    monday = day - timedelta(days=day.weekday())
    pages = make_week_list(small_db, monday, today=monday).content.doctors

    def names(doctor: str) -> set[str]:
        return {a.patient.name for page in pages if page.doctor == doctor
                for d in page.days for r in d.rounds for a in r.reviews}

    assert "Karl Nilsson" in names(KARIN)
    assert "Karl Nilsson" not in names("Anna Berg")


def test_a_named_doctor_is_retired_only_when_no_active_patient_has_them(small_db):
    from datetime import date

    karl_id, karin_id = _keep_karin(small_db)
    with pytest.raises(BadInput, match="Byt läkare för dem först"):
        retire_doctor(small_db, karin_id, date(2027, 6, 1))
    row = get_patient(small_db, karl_id)
    update_patient(small_db, karl_id, dataclasses.replace(
        row.data, status="Utskriven", end_date=date(2027, 5, 1)))
    assert retire_doctor(small_db, karin_id, date(2027, 6, 1)) is None  # now allowed
