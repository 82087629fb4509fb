"""The coordinator's week (issue 14.1/14.2): rounds per doctor and day with their ÅMV, times
and preparation; what needs doing now; New Year; the week's round list (one page per doctor,
counted in the PDF); the printed preparation list shows the ticks; the patient list's next
ÅMV and late preparation."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, time, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.services import preparation, printing
from lakarrond.services.document import current_document
from lakarrond.services.patients import list_patients
from lakarrond.services.plan import plan_year
from lakarrond.services.visits import record_outcomes, restore_visits
from lakarrond.services.week import build_week, horizon_years, load_week, week_printout
from lakarrond.services.week_data import (
    LATE,
    NEW_DATE,
    PREP_DUE,
    PREP_LATE,
    UNRECORDED,
    day_label,
    monday_of,
    week_label,
)
from lakarrond.store import models as m
from tests.stores import fill_small_store

YEAR = 2027
TODAY = date(2027, 3, 22)  # Monday of week 12


def pdf_pages(path) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages]


@pytest.fixture
def planned(sqlite_db):  # type: ignore[no-untyped-def]
    fill_small_store(sqlite_db)
    plan_year(sqlite_db, YEAR, time_limit=10)
    return sqlite_db


def review_of(db, name: str):  # type: ignore[no-untyped-def]
    doc = current_document(db, YEAR, TODAY)
    return next(a for a in doc.reviews if a.patient == name)


def test_week_words():
    assert week_label(date(2027, 3, 22)) == "Vecka 12 (22–28 mars 2027)"
    assert week_label(date(2027, 3, 29)) == "Vecka 13 (29 mars–4 april 2027)"
    assert week_label(date(2026, 12, 28)) == "Vecka 53 (28 december 2026–3 januari 2027)"
    assert day_label(date(2027, 3, 23)) == "tisdag 23 mars"
    assert monday_of(date(2027, 3, 28)) == date(2027, 3, 22)
    assert horizon_years(date(2027, 3, 22)) == (2027,)
    assert horizon_years(date(2027, 12, 20)) == (2027, 2028)  # the next two weeks reach 2028
    assert horizon_years(date(2026, 12, 28)) == (2026, 2027)


def test_rounds_and_reviews_of_the_week_with_times(planned):
    greta = review_of(planned, "Greta Ek")  # a Tuesday round at Bäckliden (09:00, 2 h)
    week = load_week(planned, greta.date, TODAY)
    assert week.label.startswith(f"Vecka {greta.date.isocalendar().week} ")
    (anna,) = week.doctors
    assert anna.doctor == "Anna Berg" and anna.health_centre == "Vårdcentralen Test"
    day = next(d for d in anna.days if d.date == greta.date)
    rnd = next(r for r in day.rounds if r.unit == "Bäckliden")
    assert (rnd.form, rnd.time_text, rnd.separate, rnd.cancelled) == (
        "Fysisk", "09:00–11:00", False, False)
    (w,) = rnd.reviews
    assert (w.patient, w.time_text, w.status_text, w.unrecorded) == (
        "Greta Ek", "09:00–09:30", "Planerad", False)
    assert [d.date.weekday() for d in anna.days] == [0, 1, 2, 3, 4]  # no empty weekend
    assert week.find(greta.visit_id) == w
    # the LSS unit's ÅMV are on the doctor's separate ÅMV time (from 13:00)
    leif = review_of(planned, "Leif Sand")
    lss_day = next(d for d in load_week(planned, leif.date, TODAY).doctors[0].days
                   if d.date == leif.date)
    separate = next(r for r in lss_day.rounds if r.separate)
    assert (separate.form, separate.unit) == ("ÅMV-tid", "Tallen")
    assert [(x.patient, x.start) for x in separate.reviews] == [("Leif Sand", time(13, 0))]


def test_absence_substitute_and_cancelled_rounds(planned):
    week = load_week(planned, date(2027, 3, 1), TODAY)  # absent 1–12 March, Per Vikarie
    tuesday = next(d for d in week.doctors[0].days if d.date == date(2027, 3, 2))
    assert tuesday.absence == "Frånvarande (Semester) – vikarie Per Vikarie"
    assert next(r for r in tuesday.rounds if r.unit == "Bäckliden").remark == \
        "Vikarie: Per Vikarie"
    epiphany = load_week(planned, date(2027, 1, 4), TODAY)  # Wednesday 6 January: holiday
    wednesday = next(d for d in epiphany.doctors[0].days if d.date == date(2027, 1, 6))
    tallen = next(r for r in wednesday.rounds if r.unit == "Tallen")
    assert tallen.cancelled and tallen.remark.startswith("Inställd – ")
    assert epiphany.doctors[0].summary == "1 rond, 1 inställd, 0 ÅMV"


def test_what_needs_doing_now(planned):
    karl, greta, astrid = (review_of(planned, n) for n in
                           ("Karl Nilsson", "Greta Ek", "Astrid Holm"))
    assert karl.date < TODAY <= greta.date < astrid.date
    week = load_week(planned, TODAY, TODAY)
    kinds = {(t.kind, t.patient) for t in week.todo}
    assert (UNRECORDED, "Karl Nilsson") in kinds  # past and still Planerad
    # Greta's first steps were due 14 days before her ÅMV: late; Astrid's are due this week
    assert (PREP_LATE, "Greta Ek") in kinds and (PREP_DUE, "Astrid Holm") in kinds
    late = next(t for t in week.todo if t.patient == "Greta Ek")
    assert "Informera patienten" in late.detail and late.due is not None and late.due < TODAY
    assert [t.kind for t in week.todo][:2] == [PREP_LATE, PREP_DUE]  # late first
    assert "Informera patienten (Ssk)" in late.detail  # who does it
    assert "Läkaren ordinerar provtagning (Läk)" in late.detail
    # ticking the late steps leaves only the ones due now
    for step in (s.name for s in late.steps if s.late):
        preparation.tick(planned, greta.patient_id, greta.date, step, TODAY)
    again = next(t for t in load_week(planned, TODAY, TODAY).todo if t.patient == "Greta Ek")
    assert again.kind == PREP_DUE and "Informera patienten" not in again.detail
    # a week far ahead lists no preparation of this week (the horizon moves with it)
    later = load_week(planned, date(2027, 10, 4), TODAY)
    assert not any(t.patient == "Greta Ek" for t in later.todo)
    assert (UNRECORDED, "Karl Nilsson") in {(t.kind, t.patient) for t in later.todo}


def test_a_cancelled_review_needs_a_new_date(planned):
    greta = review_of(planned, "Greta Ek")
    record_outcomes(planned, [greta.visit_id], "Inställd", "sjuk")
    week = load_week(planned, TODAY, TODAY)
    item = next(t for t in week.todo if t.patient == "Greta Ek")
    assert item.kind == NEW_DATE and item.review is None and "inställd" in item.detail
    assert week.find(greta.visit_id) is None


def test_new_year_reads_both_plan_years(planned):
    """The week from Monday 28 December 2026 touches 2026 (no plan) and 2027; the ÅMV of
    early January 2027 are prepared in it."""
    today = date(2026, 12, 28)
    week = load_week(planned, today, today)
    assert week.years == (2026, 2027) and week.missing == (2026,)
    assert week.note == "Ingen sparad plan för 2026."
    doc = current_document(planned, YEAR, today)
    first = [a for a in doc.reviews if a.date <= date(2027, 1, 17)]
    for a in first:
        assert any(t.visit_id == a.visit_id and t.kind in (PREP_LATE, PREP_DUE)
                   for t in week.todo)
    # the week's days are in both years: 1 January is the Friday (a holiday)
    assert all(d.date >= date(2027, 1, 1) for doc_week in week.doctors for d in doc_week.days)


def test_build_week_is_pure_and_marks_late_preparation(planned):
    greta = review_of(planned, "Greta Ek")
    doc = current_document(planned, YEAR, TODAY)
    states = preparation.checklist(planned, YEAR, [(greta.patient_id, greta.date)], TODAY)
    week = build_week([doc], greta.date, TODAY, states)
    (w,) = [r for r in week.reviews if r.patient == "Greta Ek"]
    assert w.prep.state == LATE and w.prep.done == 0
    assert w.prep.total == len(preparation.DEFAULT_STEPS)
    assert w.prep.text == "0 av 11 klara · 4 sena"
    assert (w.start, w.end) == (time(9, 0), time(9, 30))  # no lengths given: 30 minutes
    # no documents: an empty week that says why
    empty = build_week([None], TODAY, TODAY)
    assert not empty.doctors and empty.note == "Ingen sparad plan för 2027."


def add_second_doctor(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        doctor = m.Doctor(name="Bo Läkare", review_weekdays="3", reviews_per_day=2)
        unit = m.Unit(name="Ekhagen", type="SÄBO", doctor=doctor, rhythm_kind="Varje vecka",
                      weekdays="1", start_time=time(10, 0), length_min=60, form="Fysisk",
                      reviews_per_round=1)
        s.add_all([doctor, unit])
        s.add(m.Patient(name="Ulla Ny", unit=unit, room="Rum 2", admitted=date(2020, 1, 1),
                        last_review=date(2026, 3, 24)))


def test_the_week_round_list_has_one_page_per_doctor(qapp, sqlite_db, tmp_path):
    fill_small_store(sqlite_db)
    add_second_doctor(sqlite_db)
    plan_year(sqlite_db, YEAR, time_limit=10)
    greta = review_of(sqlite_db, "Greta Ek")
    job = printing.make_week_list(sqlite_db, greta.date, TODAY)
    assert job.kind == "veckans ronder" and job.title.startswith("Veckans ronder – Vecka 13")
    out = printing.save_pdf(sqlite_db, job, tmp_path / "vecka.pdf")
    pages = pdf_pages(out)
    assert len(pages) == 2  # two doctors, each on a page of their own
    assert "Veckans ronder – Anna Berg" in pages[0] and "Bo Läkare" not in pages[0]
    assert "Veckans ronder – Bo Läkare" in pages[1] and "Greta Ek" not in pages[1]
    assert "09:00–09:30 Greta Ek" in pages[0] and "Rum 1 · 19300101-****" in pages[0]
    assert "Inget steg klart" in pages[0]
    with sqlite_db.begin() as s:
        row = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "print")).one()
        assert row.after["what"] == "veckans ronder"
    one = week_printout(load_week(sqlite_db, greta.date, TODAY), "Bo Läkare")
    assert one.doctor == "Bo Läkare" and len(one.content.doctors) == 1
    with pytest.raises(printing.BadInput, match="Okänd"):
        printing.make_week_list(sqlite_db, greta.date, TODAY, doctor="Okänd")


def test_the_printed_preparation_list_shows_the_ticks(qapp, planned, tmp_path):
    greta = review_of(planned, "Greta Ek")
    preparation.tick(planned, greta.patient_id, greta.date, "Provtagning", date(2027, 3, 19))
    job = printing.make_preparation_list(planned, YEAR, "Bäckliden", date(2027, 3, 1),
                                         date(2027, 3, 31))
    entry = next(e for e in job.content.entries if e.patient.name == "Greta Ek")
    steps = list(job.content.steps)
    assert steps == [s.name for s in preparation.steps(planned, YEAR)]
    assert entry.ticks[steps.index("Provtagning")] == "2027-03-19"
    assert entry.ticks.count("") == len(steps) - 1
    out = printing.save_pdf(planned, job, tmp_path / "prep.pdf")
    assert "✓ 19/3" in " ".join(pdf_pages(out))  # 11 steps: the short day in a narrow column


def test_the_patient_list_has_the_next_review_and_late_preparation(planned):
    greta, karl = review_of(planned, "Greta Ek"), review_of(planned, "Karl Nilsson")
    rows = {r.name: r for r in list_patients(planned, YEAR, TODAY)}
    assert rows["Greta Ek"].next_review == greta.date
    assert rows["Karl Nilsson"].next_review is None  # his ÅMV has passed
    assert rows["Greta Ek"].prep_late
    assert rows["Greta Ek"].late_steps == (
        "Planeringsunderlag till läkaren", "Informera patienten", "Bjud in närstående",
        "Läkaren ordinerar provtagning")
    assert not rows["Astrid Holm"].prep_late  # due this week, not late
    for step in rows["Greta Ek"].late_steps:
        preparation.tick(planned, greta.patient_id, greta.date, step, TODAY)
    assert not {r.name: r for r in list_patients(planned, YEAR, TODAY)}["Greta Ek"].prep_late
    assert all(r.next_review is None for r in list_patients(planned))  # no year: no plan
    assert karl.date < TODAY


def test_a_review_held_on_another_day_is_recorded_on_that_day(planned):
    greta = review_of(planned, "Greta Ek")
    held = greta.date - timedelta(days=7)  # the same weekday a week earlier (not Easter)
    with pytest.raises(BadInput, match="Bara en genomförd"):
        record_outcomes(planned, [greta.visit_id], "Avböjd", "nej", held_on=held)
    saturday = greta.date + timedelta(days=(5 - greta.date.weekday()) % 7)
    with pytest.raises(BadInput, match="ingen arbetsdag"):
        record_outcomes(planned, [greta.visit_id], "Genomförd", held_on=saturday,
                        today=date(2027, 12, 31))
    with pytest.raises(BadInput, match="inte i planåret 2027"):
        record_outcomes(planned, [greta.visit_id], "Genomförd", held_on=date(2026, 12, 30),
                        today=date(2027, 12, 31))
    (change,) = record_outcomes(planned, [greta.visit_id], "Genomförd", held_on=held,
                                today=held)
    with planned.begin() as s:
        visit = s.get(m.Visit, greta.visit_id)
        assert (visit.date, visit.status) == (held, "Genomförd")
    assert change.before.date == greta.date and change.after.date == held
    restore_visits(planned, [(change.visit_id, change.after, change.before)])
    with planned.begin() as s:
        visit = s.get(m.Visit, greta.visit_id)
        assert (visit.date, visit.status) == (greta.date, "Planerad")
