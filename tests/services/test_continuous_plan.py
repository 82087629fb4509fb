"""Planning from a date against the saved plan: outcomes recorded while a plan is being made
are kept, an input change makes it stale (nothing saved), previews save nothing, bad input is
refused with exit 2; and the command line for plan --from/--freeze/--preview, suggest, visit."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from lakarrond.cli import main
from lakarrond.errors import BadInput
from lakarrond.services import plan as plan_service
from lakarrond.services.document import load_document
from lakarrond.services.plan import StalePlan, make_plan, plan_year, save_draft
from lakarrond.services.problem import build_problem
from lakarrond.services.suggest import book, suggest_dates
from lakarrond.services.visits import record_visit
from lakarrond.store import audit, open_database
from lakarrond.store import models as m
from tests.stores import fill_small_store

YEAR = 2027


def _doc(db, today=date(YEAR, 1, 1)):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return load_document(s, YEAR, today=today)


def _versions(db) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return int(s.scalar(select(func.count()).select_from(m.Plan)))


def test_an_outcome_recorded_while_planning_is_kept(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    first = _doc(small_db).reviews[0]
    draft = make_plan(small_db, YEAR, plan_from=date(YEAR, 1, 1), time_limit=10)
    # while the plan was being made, the coordinator recorded the first ÅMV as held
    record_visit(small_db, first.patient, first.date, "Genomförd", today=first.date)
    saved = save_draft(small_db, draft)
    assert saved.kept_changes == 1
    again = {a.patient: a for a in _doc(small_db).reviews}
    assert again[first.patient].status == "Genomförd"
    assert again[first.patient].date == first.date


def test_a_plan_made_during_an_import_saves_nothing(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    draft = make_plan(small_db, YEAR, plan_from=date(YEAR, 1, 1), time_limit=10)
    with small_db.begin() as s:  # an import (or an edit) changes a patient meanwhile
        patient = s.scalars(select(m.Patient)).first()
        patient.room = "Rum 99"
        audit(s, "update", "patient", patient.id, patient_id=patient.id,
              after={"room": "Rum 99"})
    with pytest.raises(StalePlan, match=r"ändrades medan planen beräknades.*patienter"):
        save_draft(small_db, draft)
    assert _versions(small_db) == 1


def test_preview_saves_nothing_and_lists_the_moves(small_db, monkeypatch):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    with small_db.begin() as s:  # Bäckliden's rounds move from Tuesday to Thursday
        unit = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        unit.weekdays = "3"
    draft = make_plan(small_db, YEAR, plan_from=date(YEAR, 3, 1), time_limit=10)
    assert _versions(small_db) == 1
    moved = [mv for mv in draft.moves if mv.unit == "Bäckliden"]
    assert moved and all(mv.new is None or mv.new.weekday() == 3 for mv in moved)
    assert draft.moved_per_unit["Bäckliden"] == len(moved)


def test_rhythm_change_marks_the_reviews_needing_a_new_date(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    with small_db.begin() as s:
        unit = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        unit.weekdays = "3"
    doc = _doc(small_db)
    flagged = doc.needing_new_date
    assert flagged and all(a.unit == "Bäckliden" for a in flagged)
    assert all("rond" in a.needs_new_date or "helg" in a.needs_new_date for a in flagged)


def test_the_next_year_counts_this_years_latest_review(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    last = {a.patient_id: a.date for a in _doc(small_db).reviews}
    with small_db.begin() as s:
        problem, maps = build_problem(s, YEAR + 1)
    counted = [(patient.last_review, last[maps.patients[patient.id]])
               for patient in problem.patients if maps.patients[patient.id] in last]
    assert counted  # patients planned this year are in next year's problem
    assert all(seen == planned for seen, planned in counted)


def test_bad_input_changes_nothing(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    karl = next(a for a in _doc(small_db).reviews if a.patient == "Karl Nilsson")
    with pytest.raises(BadInput, match="ligger inte i planåret"):
        make_plan(small_db, YEAR, plan_from=date(YEAR + 1, 2, 1))
    with pytest.raises(BadInput, match="ingen ÅMV den"):
        record_visit(small_db, "Karl Nilsson", karl.date.replace(day=1 if karl.date.day > 1
                                                                 else 2), "Avböjd",
                     "patienten tackade nej", today=date(YEAR, 12, 31))
    with pytest.raises(BadInput, match="ingen arbetsdag"):
        record_visit(small_db, "Karl Nilsson", date(YEAR, 1, 6), "Genomförd",
                     today=date(YEAR, 12, 31))
    with small_db.begin() as s:
        patient = s.scalars(select(m.Patient).where(m.Patient.name == "Karl Nilsson")).one()
        patient.status, patient.end_date = "Avliden", date(YEAR, 1, 4)
    with pytest.raises(BadInput, match="avliden sedan"):
        record_visit(small_db, "Karl Nilsson", date(YEAR, 2, 2), "Genomförd",
                     today=date(YEAR, 12, 31))
    with pytest.raises(BadInput, match="ska inte ha någon ÅMV"):
        suggest_dates(small_db, "Karl Nilsson", YEAR, date(YEAR, 2, 1))
    assert _versions(small_db) == 1


def test_suggest_and_book_a_new_patient(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    found = suggest_dates(small_db, "Astrid Holm", YEAR, date(YEAR, 2, 1))
    assert found.result.suggestions
    best = found.result.suggestions[0]
    assert best.in_window and best.date >= date(YEAR, 4, 1)  # admitted 1 April
    data = found.to_json()
    assert list(data) == ["patient", "unit", "window", "suggestions"]
    assert list(data["suggestions"][0]) == ["date", "week", "in_window", "reason", "move"]
    book(small_db, found.patient_id, best.date)
    astrid = next(a for a in _doc(small_db).reviews if a.patient == "Astrid Holm")
    assert (astrid.date, astrid.status) == (best.date, "Planerad")


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def db_path(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "db" / "cli.sqlite"
    db = open_database(str(path))
    fill_small_store(db)
    db.dispose()
    return str(path)


def test_cli_plan_from_preview_suggest_and_visit(db_path, capsys):
    assert main(["--db", db_path, "plan", "--year", "2027", "--from", "2027-01-01"]) == 0
    capsys.readouterr()
    assert main(["--db", db_path, "plan", "--year", "2027", "--from", "2027-03-01",
                 "--freeze", "7", "--preview", "--json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["from"] == "2027-03-01" and "moves" in preview
    assert all({"old_time", "new_time", "reason"} <= set(mv) and mv["reason"]
               for mv in preview["moves"])
    db = open_database(db_path)
    try:
        assert _versions(db) == 1  # the preview saved nothing
        karl = next(a for a in _doc(db).reviews if a.patient == "Karl Nilsson")
    finally:
        db.dispose()
    assert main(["--db", db_path, "visit", "--patient", "Karl Nilsson", "--date",
                 karl.date.isoformat(), "--status", "Inställd", "--reason", "sjuk"]) == 0
    assert "behöver ett nytt datum" in capsys.readouterr().out
    assert main(["--db", db_path, "suggest", "--patient", "Karl Nilsson", "--from",
                 "2027-01-01", "--json", "--apply"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["patient"] == "Karl Nilsson" and found["booked"]
    assert all(s["date"] >= "2027-01-01" for s in found["suggestions"])
    assert main(["--db", db_path, "plan", "--year", "2027", "--from", "2027-03-01",
                 "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["from"] == "2027-03-01" and "moved_in_freeze" in plan["measures"]


@pytest.mark.parametrize(("args", "message"), [
    (["plan", "--year", "2027", "--from", "2028-01-05"], "ligger inte i planåret"),
    (["plan", "--year", "2027", "--freeze", "200"], "mellan 0 och 90"),
    (["visit", "--patient", "Karl Nilsson", "--date", "2027-01-09", "--status",
      "Genomförd"], "ingen arbetsdag"),
    (["visit", "--patient", "Karl Nilsson", "--date", "2027-01-12", "--status", "Okänd"],
     "ogiltigt val"),
    (["suggest", "--patient", "Ingen Alls"], "Ingen patient heter"),
])
def test_cli_bad_input_is_exit_2(db_path, capsys, args, message, monkeypatch):
    monkeypatch.setenv("LAKARROND_TODAY", "2027-12-31")
    assert main(["--db", db_path, *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_plan_service_keeps_the_audit_mark(small_db, monkeypatch):
    """The save checks the audit log from the read on: nothing else is needed to notice."""
    draft = make_plan(small_db, YEAR, plan_from=date(YEAR, 1, 1), time_limit=10)
    assert draft.audit_mark >= 0
    assert plan_service.INPUT_ENTITIES
