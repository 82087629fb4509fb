"""Planning a year: store → solver, save in one transaction, stability on re-plan."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.services import plan as plan_service
from lakarrond.services.document import load_document
from lakarrond.services.plan import plan_year
from lakarrond.services.problem import build_problem
from lakarrond.services.visits import record_visit
from lakarrond.store import models as m
from solver.problem import UnitType, VisitStatus

YEAR = 2027


def _dates(db, version=None):
    with db.begin() as s:
        doc = load_document(s, YEAR, version)
    return {a.patient: a.date.isoformat() for a in doc.reviews}, doc


def test_build_problem_maps_the_store(small_db):
    with small_db.begin() as s:
        problem, maps = build_problem(s, YEAR, {"time_limit_s": 3})
    assert problem.settings.time_limit_s == 3
    assert [d.name for d in problem.doctors] == ["Anna Berg"]
    assert problem.doctors[0].review_weekdays == (3,)
    assert problem.doctors[0].health_centre == "Vårdcentralen Test"
    home = problem.unit("Bäckliden")
    assert home.type is UnitType.NURSING_HOME and home.reviews_per_round == 2
    assert problem.unit("Tallen").reviews_at_rounds is False
    assert len(problem.patients) == 8
    assert problem.absences[0].substitute == "Per Vikarie"
    assert problem.pinned == () and problem.previous == ()
    karl = next(p for p in problem.patients if p.name == "Karl Nilsson")
    assert maps.patients[karl.id] == int(karl.id)


def test_plan_is_saved_as_versions_and_the_same_data_gives_the_same_plan(small_db):
    first = plan_year(small_db, YEAR, time_limit=10)
    assert (first.version, first.result.measures.coverage) == (1, 1.0)
    dates1, _ = _dates(small_db, 1)
    assert len(dates1) == 8
    second = plan_year(small_db, YEAR, time_limit=10)
    assert second.version == 2
    dates2, doc2 = _dates(small_db)
    assert dates2 == dates1
    assert doc2.measures.moved == 0
    with small_db.begin() as s:  # the older version is kept
        assert s.scalars(select(m.Plan.version).order_by(m.Plan.version)).all() == [1, 2]
        assert len(s.scalars(select(m.Visit).where(m.Visit.plan_id == first.plan_id)).all()) == 8
        audit = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "plan")).all()
        assert [a.after["version"] for a in audit] == [1, 2]


def test_locking_one_visit_moves_only_what_must_move(small_db):
    plan_year(small_db, YEAR, time_limit=10)
    before, doc = _dates(small_db)
    busy_weeks = {date.fromisoformat(d).isocalendar()[:2] for d in before.values()}
    old = date.fromisoformat(before["Bo Ström"])
    # another Tuesday round of Bäckliden in Bo Ström's window, in a week without any ÅMV
    free_rounds = [
        r.date for r in doc.rounds
        if r.unit == "Bäckliden" and not r.cancelled and not r.substitute
        and date(YEAR, 5, 10) <= r.date <= date(YEAR, 10, 20)
        and r.date.isocalendar()[:2] not in busy_weeks
        and abs((r.date - old).days) > 20
    ]
    new = free_rounds[0]
    record_visit(small_db, "Bo Ström", new, VisitStatus.LOCKED)
    with small_db.begin() as s:
        problem, _ = build_problem(s, YEAR)
    assert [(p.date, p.status) for p in problem.pinned] == [(new, VisitStatus.LOCKED)]

    saved = plan_year(small_db, YEAR, time_limit=10)
    after, doc = _dates(small_db)
    assert after["Bo Ström"] == new.isoformat()
    assert {k: v for k, v in after.items() if k != "Bo Ström"} == {
        k: v for k, v in before.items() if k != "Bo Ström"
    }
    assert saved.result.measures.moved == 0
    bo = next(a for a in doc.reviews if a.patient == "Bo Ström")
    assert bo.status == "Låst"


def test_a_crash_while_saving_leaves_the_old_plan_whole(small_db, monkeypatch):
    plan_year(small_db, YEAR, time_limit=10)
    before, _ = _dates(small_db)
    real = plan_service._add_visits

    def half_then_crash(session, plan, draft, kept):
        result = draft.result
        half = result.appointments[: len(result.appointments) // 2]
        short = dataclasses.replace(draft, result=dataclasses.replace(result, appointments=half))
        real(session, plan, short, kept)
        raise OSError("strömavbrott")

    monkeypatch.setattr(plan_service, "_add_visits", half_then_crash)
    with pytest.raises(OSError):
        plan_year(small_db, YEAR, time_limit=10)
    monkeypatch.undo()
    with small_db.begin() as s:
        assert s.scalars(select(m.Plan.version)).all() == [1]
        assert len(s.scalars(select(m.Visit)).all()) == 8
        assert len(s.scalars(select(m.AuditLog).where(m.AuditLog.action == "plan")).all()) == 1
    assert _dates(small_db)[0] == before


def test_done_visit_of_last_year_counts_as_the_last_review(small_db):
    record_visit(small_db, "Karl Nilsson", date(YEAR - 1, 6, 1), "Genomförd")
    with small_db.begin() as s:
        problem, _ = build_problem(s, YEAR)
    karl = next(p for p in problem.patients if p.name == "Karl Nilsson")
    assert karl.last_review == date(YEAR - 1, 6, 1)
    assert problem.pinned == ()  # last year's visit is not pinned in this year


def test_plan_document_has_the_contract_keys_and_the_extras(small_db):
    plan_year(small_db, YEAR, time_limit=10)
    with small_db.begin() as s:
        doc = load_document(s, YEAR)
    keys = [(a.date, a.unit, a.patient) for a in doc.reviews]
    assert keys == sorted(keys)
    karl = next(a for a in doc.reviews if a.patient == "Karl Nilsson")
    assert karl.personnummer == "19380412-1238" and karl.masked == "19380412-****"
    assert karl.room == "Rum 1" and karl.unit_type == "SÄBO" and karl.visit_id
    assert karl.preparation <= karl.date - timedelta(days=14)
    assert doc.solver.status in ("OPTIMAL", "FEASIBLE")
    assert doc.settings_labels()["Semesterveckor"] == "27-31"
    assert doc.settings_labels()["Planår"] == YEAR
    tallen = [r for r in doc.rounds if r.unit == "Tallen"]
    assert tallen and all(r.start == "14:00" and r.form == "Fysisk" for r in tallen)
    absent = [r for r in doc.rounds if r.substitute]
    assert absent and all(r.substitute == "Per Vikarie" for r in absent)
    midsummer = [r for r in doc.rounds if r.cancelled]
    assert midsummer and all(r.cancel_reason for r in midsummer)
    plain = doc.to_json()
    assert list(plain) == ["year", "from", "solver", "appointments", "unplaced",
                           "not_required", "violations", "measures", "warnings"]
    assert list(plain["appointments"][0]) == ["date", "week", "doctor", "unit", "patient",
                                              "personnummer", "preparation", "status", "start"]
    assert list(plain["measures"]) == ["coverage", "max_interval_months", "peak_week",
                                       "peak_week_bound", "moved", "moved_in_freeze",
                                       "doctor_time"]  # issue 18


def test_plan_without_patients_or_plan_is_bad_input(db):
    with pytest.raises(BadInput, match="inga patienter"):
        plan_year(db, YEAR)
    with pytest.raises(BadInput, match="ingen sparad plan"), db.begin() as s:
        load_document(s, YEAR)


def test_a_version_saved_by_someone_else_meanwhile_is_a_conflict(small_db, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from lakarrond.store import ConflictError

    def clash(*args, **kwargs):
        raise IntegrityError("INSERT INTO plan", {}, Exception("uq_plan_year_version"))

    monkeypatch.setattr(plan_service, "save_plan", clash)
    with pytest.raises(ConflictError, match="ändrat planen"):
        plan_year(small_db, YEAR, time_limit=10)


def test_concurrent_edit_of_a_visit_raises_conflict(small_db):
    from lakarrond.store import ConflictError

    plan_year(small_db, YEAR, time_limit=10)
    # each user reads in its own action (on SQLite two open transactions wait for each other)
    with small_db.begin() as first:
        mine = first.scalars(select(m.Visit).order_by(m.Visit.id)).first()
    with small_db.begin() as second:
        second.scalars(select(m.Visit).order_by(m.Visit.id)).first().status = "Låst"
    with pytest.raises(ConflictError, match="besöket"), small_db.begin() as again:
        again.add(mine)
        mine.status = "Genomförd"
