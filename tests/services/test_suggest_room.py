"""Suggest through the store and the command line (issue 22): the year and the patient's
window come from the patient and today (a patient admitted in December is due in December);
a full window offers a date that moves one other ÅMV inside its own window, and booking it
moves both (undoable); a booked date is kept by later re-plans unless it cannot be held."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from lakarrond.cli import main
from lakarrond.services.plan import make_plan, plan_year, save_draft
from lakarrond.services.problem import build_problem, latest_plan
from lakarrond.services.suggest import book, suggest_dates, unbook
from lakarrond.services.visits import record_visit
from lakarrond.store import models as m
from lakarrond.store import open_database
from solver.check import PlanContext, check_plan, new_hard_breaks
from solver.problem import VisitStatus
from solver.result import Appointment
from solver.suggest import applied
from tests.stores import fill_small_store

YEAR = 2027
SEPTEMBER = (date(YEAR, 9, 7), date(YEAR, 9, 14), date(YEAR, 9, 21), date(YEAR, 9, 28))


def _add_patient(db, name: str, admitted: date, last: date | None = None) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        unit = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        pat = m.Patient(name=name, unit=unit, room="Rum 2", admitted=admitted,
                        last_review=last)
        s.add(pat)
        s.flush()
        return pat.id


def _visits(db) -> dict[str, tuple[date, str, bool]]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        plan = latest_plan(s, YEAR)
        assert plan is not None
        return {v.patient.name: (v.date, v.status, v.booked) for v in plan.visits}


def _fill_september(db) -> None:  # type: ignore[no-untyped-def]
    """Every Bäckliden round in September (two ÅMV each) taken by ÅMV that may move until
    1 December."""
    plan_year(db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    taken = [day for day, _status, _b in _visits(db).values()]
    n = 0
    for day in SEPTEMBER:
        for _ in range(2 - taken.count(day)):
            n += 1
            pid = _add_patient(db, f"Fyll {n}", date(2020, 1, 1), date(YEAR - 1, 12, 1))
            with db.begin() as s:
                plan = latest_plan(s, YEAR)
                assert plan is not None
                s.add(m.Visit(plan=plan, patient_id=pid, date=day, preparation=day,
                              status="Planerad", unit="Bäckliden", doctor="Anna Berg"))


def test_a_patient_admitted_in_december_is_suggested_december_dates(small_db):
    """Whatever year the caller looks at, the patient's next ÅMV falls due in December."""
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    pid = _add_patient(small_db, "Nils Ny", date(YEAR, 12, 2))
    found = suggest_dates(small_db, pid, today=date(YEAR, 12, 2))
    assert (found.year, found.plan_from) == (YEAR, date(YEAR, 12, 2))
    assert found.result.window == (date(YEAR, 12, 2), date(YEAR, 12, 30))
    assert [s.date for s in found.result.suggestions][:4] == [
        date(YEAR, 12, 7), date(YEAR, 12, 14), date(YEAR, 12, 21), date(YEAR, 12, 28)]
    assert all(s.in_window for s in found.result.suggestions[:4])


def test_a_patient_seen_this_year_is_suggested_next_years_dates(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    pid = _add_patient(small_db, "Nils Sedd", date(2020, 1, 1), date(YEAR, 3, 2))
    found = suggest_dates(small_db, pid, today=date(YEAR, 12, 2))
    assert found.year == YEAR + 1
    # due 6–12 months after 2 March: from 1 January to 2 March next year
    assert found.result.window == (date(YEAR + 1, 1, 1), date(YEAR + 1, 3, 2))


def test_a_full_window_offers_a_date_that_moves_one_other(small_db):
    _fill_september(small_db)
    pid = _add_patient(small_db, "Nina Ny", date(YEAR, 9, 1))
    found = suggest_dates(small_db, pid, plan_from=date(YEAR, 8, 2))
    first = found.result.suggestions[0]
    assert first.in_window and date(YEAR, 9, 1) <= first.date <= date(YEAR, 9, 29)
    assert first.move is not None and first.move.old == first.date
    data = found.to_json()["suggestions"][0]  # type: ignore[index]
    assert data["move"] == {"patient": first.move.patient, "unit": "Bäckliden",
                            "from": first.date.isoformat(),
                            "to": first.move.new.isoformat()}
    # applied to the saved plan, it adds no break of a hard rule
    with small_db.read() as s:
        problem, _ = build_problem(s, YEAR, plan_from=date(YEAR, 8, 2))
        plan = latest_plan(s, YEAR)
        assert plan is not None
        saved = [Appointment(str(v.patient_id), v.unit, v.doctor, v.date, v.preparation,
                             VisitStatus(v.status)) for v in plan.visits]
    ctx = PlanContext.of(problem)
    for s in found.result.suggestions:
        others = [a for a in saved if a.patient_id != str(pid)]
        assert not new_hard_breaks(check_plan(ctx, others, []),
                                   check_plan(ctx, applied(ctx, others, str(pid), s), []))
    before = _visits(small_db)
    booking = book(small_db, pid, first.date, first.move)
    after = _visits(small_db)
    assert after["Nina Ny"] == (first.date, "Planerad", True)
    assert after[first.move.patient][0] == first.move.new
    unbook(small_db, booking)  # undo: both back
    assert _visits(small_db) == before


def test_the_command_line_books_the_first_and_moves_the_other(tmp_path, capsys):
    path = str(tmp_path / "cli.sqlite")
    db = open_database(path)
    try:
        fill_small_store(db)
        _fill_september(db)
        _add_patient(db, "Nina Ny", date(YEAR, 9, 1))
    finally:
        db.dispose()
    assert main(["--db", path, "suggest", "--patient", "Nina Ny", "--from", "2027-08-02",
                 "--json", "--apply"]) == 0
    out = json.loads(capsys.readouterr().out)
    first = out["suggestions"][0]
    assert out["booked"] == first["date"] and out["moved"] == first["move"]
    assert first["move"] is not None and first["in_window"]
    db = open_database(path)
    try:
        visits = _visits(db)
    finally:
        db.dispose()
    assert visits["Nina Ny"] == (date.fromisoformat(first["date"]), "Planerad", True)
    assert visits[first["move"]["patient"]][0] == date.fromisoformat(first["move"]["to"])


def test_the_command_line_text_names_the_move_to_tell(tmp_path, capsys):
    path = str(tmp_path / "cli.sqlite")
    db = open_database(path)
    try:
        fill_small_store(db)
        _fill_september(db)
        _add_patient(db, "Nina Ny", date(YEAR, 9, 1))
    finally:
        db.dispose()
    assert main(["--db", path, "suggest", "--patient", "Nina Ny", "--from", "2027-08-02",
                 "--apply"]) == 0
    out = capsys.readouterr().out
    assert "inom fönstret; flyttar Fyll" in out.splitlines()[1]
    assert "Bokad: ÅMV för Nina Ny den 2027-09-" in out
    assert "Flyttad – meddela:" in out and "plats åt Nina Ny" in out


# --- a booked date is kept -----------------------------------------------------------------


def _book_late(db) -> date:  # type: ignore[no-untyped-def]
    """Astrid Holm (admitted 1 April) booked on the last date of her window, 27 April,
    not the date the planner would choose."""
    plan_year(db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    found = suggest_dates(db, "Astrid Holm", YEAR, date(YEAR, 2, 1), limit=10)
    day = date(YEAR, 4, 27)
    assert day in [s.date for s in found.result.suggestions if s.move is None]
    book(db, found.patient_id, day)
    return day


def test_a_booked_date_is_kept_by_a_replan(small_db):
    day = _book_late(small_db)
    draft = make_plan(small_db, YEAR, plan_from=date(YEAR, 2, 1), time_limit=10)
    assert all(mv.patient != "Astrid Holm" for mv in draft.moves)
    save_draft(small_db, draft)
    assert _visits(small_db)["Astrid Holm"] == (day, "Planerad", True)  # still booked
    again = make_plan(small_db, YEAR, plan_from=date(YEAR, 3, 1), time_limit=10)
    assert all(mv.patient != "Astrid Holm" for mv in again.moves)


def test_a_booked_date_that_cannot_be_held_moves_with_the_reason(small_db):
    day = _book_late(small_db)
    with small_db.begin() as s:
        doctor = s.scalars(select(m.Doctor)).one()
        s.add(m.Absence(doctor=doctor, start=date(YEAR, 4, 26), end=date(YEAR, 4, 30),
                        reason="Kurs", substitute=""))
    draft = make_plan(small_db, YEAR, plan_from=date(YEAR, 2, 1), time_limit=10)
    astrid = [mv for mv in draft.moves if mv.patient == "Astrid Holm"]
    assert len(astrid) == 1 and astrid[0].old == day and astrid[0].new != day
    assert astrid[0] in draft.forced
    assert astrid[0].reason == ("bokat datum kan inte hållas: läkaren är frånvarande utan "
                                "vikarie")
    save_draft(small_db, draft)
    assert _visits(small_db)["Astrid Holm"][2] is False  # a new date, not a booked one


@pytest.mark.parametrize("booked", [False, True])
def test_the_booked_flag_reaches_the_planner(small_db, booked):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    with small_db.begin() as s:
        plan = latest_plan(s, YEAR)
        assert plan is not None
        visit = next(v for v in plan.visits if v.patient.name == "Astrid Holm")
        visit.booked = booked
    with small_db.read() as s:
        problem, maps = build_problem(s, YEAR, plan_from=date(YEAR, 2, 1))
    astrid = next(pid for pid, name in maps.patient_names.items() if name == "Astrid Holm")
    assert next(v.booked for v in problem.previous if v.patient_id == astrid) is booked


def test_a_cancelled_review_next_year_comes_before_a_dated_one_this_year(small_db):
    """Kalle Kors (last ÅMV 20 December two years ago) has his ÅMV dated 15 December this
    year, and his ÅMV next year was cancelled: Föreslå datum is about the cancelled one."""
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    pid = _add_patient(small_db, "Kalle Kors", date(2020, 1, 1), date(YEAR - 2, 12, 20))
    book(small_db, pid, date(YEAR - 1, 12, 15))  # this year's ÅMV has a date
    book(small_db, pid, date(YEAR, 12, 14))
    record_visit(small_db, "Kalle Kors", date(YEAR, 12, 14), "Inställd", "sjuk")
    found = suggest_dates(small_db, pid, today=date(YEAR - 1, 12, 1))
    assert found.year == YEAR
    assert all(s.date.year == YEAR for s in found.result.suggestions)


def test_a_booked_date_of_a_patient_who_leaves_is_listed_with_the_reason(small_db):
    day = _book_late(small_db)
    with small_db.begin() as s:
        astrid = s.scalars(select(m.Patient).where(m.Patient.name == "Astrid Holm")).one()
        astrid.status, astrid.end_date = "Utskriven", date(YEAR, 4, 20)
    draft = make_plan(small_db, YEAR, plan_from=date(YEAR, 2, 1), time_limit=10)
    moved = [mv for mv in draft.moves if mv.patient == "Astrid Holm"]
    assert len(moved) == 1 and moved[0].old == day and moved[0].new != day
    assert moved[0].reason.startswith("bokat datum kan inte hållas: ")


def test_the_command_line_gives_a_december_patient_december_dates(tmp_path, capsys,
                                                                   monkeypatch):
    """``lakarrond suggest`` without --year/--from on 2 December: the same dates as the
    window (the service picks the year from today)."""
    import lakarrond.services.suggest as suggest_module

    class December(date):
        @classmethod
        def today(cls):  # type: ignore[no-untyped-def,override]
            return date(YEAR, 12, 2)

    path = str(tmp_path / "cli.sqlite")
    db = open_database(path)
    try:
        fill_small_store(db)
        plan_year(db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
        _add_patient(db, "Nils Ny", date(YEAR, 12, 2))
        window = suggest_dates(db, "Nils Ny", today=date(YEAR, 12, 2))
    finally:
        db.dispose()
    monkeypatch.setattr(suggest_module, "date", December)
    assert main(["--db", path, "suggest", "--patient", "Nils Ny", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["window"] == ["2027-12-02", "2027-12-30"]
    assert [s["date"] for s in out["suggestions"]] == [
        s.date.isoformat() for s in window.result.suggestions]
    assert out["suggestions"][0]["date"] == "2027-12-07"
