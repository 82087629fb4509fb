"""The list "Flyttade – meddela" is complete (issue 22.7): the difference between the saved
plan and the new one – moved dates, changed clock times, a cancelled ÅMV placed again, a lost
date – each with old and new date and time and a reason; the preview and the saved plan give
one figure; the printout, the PDF's HTML and the Excel file show the same rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import openpyxl
from sqlalchemy import select

from lakarrond.cli.report import format_measures, format_moves
from lakarrond.document import AnnualReview, PlanDocument, RoundEntry, SolverFigures, UnitInfo
from lakarrond.io.moves_export import write_moves_xlsx
from lakarrond.io.print_html import moved_html
from lakarrond.printouts import MovedList
from lakarrond.services.document import current_document
from lakarrond.services.exporter import moved_printout
from lakarrond.services.moves import PLACED_AGAIN, SAME_DAY, Saved, find_moves
from lakarrond.services.plan import make_plan, plan_year, save_draft
from lakarrond.services.visits import record_visit
from lakarrond.store import models as m
from solver.problem import Settings, VisitStatus
from solver.result import Appointment, PlanResult

YEAR = 2027
FROM = date(YEAR, 3, 15)


def _reviews(db):  # type: ignore[no-untyped-def]
    return current_document(db, YEAR, date(YEAR, 1, 1)).reviews


def _cancel_one(db) -> AnnualReview:  # type: ignore[no-untyped-def]
    review = next(a for a in _reviews(db) if a.date >= date(YEAR, 4, 5))
    record_visit(db, review.patient, review.date, "Inställd", "sjuk")
    return review


def test_a_cancelled_review_placed_again_is_listed(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    cancelled = _cancel_one(small_db)
    draft = make_plan(small_db, YEAR, plan_from=FROM, time_limit=10)
    placed = [mv for mv in draft.moves if mv.patient_id == cancelled.patient_id]
    assert len(placed) == 1 and placed[0].new is not None
    assert placed[0].reason == PLACED_AGAIN and placed[0].old == cancelled.date


def test_the_preview_and_the_saved_plan_give_one_figure(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    _cancel_one(small_db)
    with small_db.begin() as s:  # Bäckliden's rounds move from Tuesday to Thursday
        s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one().weekdays = "3"
    draft = make_plan(small_db, YEAR, plan_from=FROM, time_limit=10)
    assert len(draft.moves) >= 2
    save_draft(small_db, draft)
    doc = current_document(small_db, YEAR, FROM)
    assert doc.moved_since_previous == len(draft.moves)
    assert (f"Flyttade ÅMV jämfört med förra versionen: {len(draft.moves)}, varav "
            f"{len(draft.forced)} inom" in format_measures(doc))  # plan on the command line


def test_every_moved_review_has_a_reason_and_a_time(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    with small_db.begin() as s:  # the doctor is away, no substitute
        doctor = s.scalars(select(m.Doctor)).one()
        s.add(m.Absence(doctor=doctor, start=date(YEAR, 6, 1), end=date(YEAR, 6, 11),
                        reason="Tjänstledig", substitute=""))
    draft = make_plan(small_db, YEAR, plan_from=FROM, time_limit=10)
    assert draft.moves
    assert all(mv.reason for mv in draft.moves)
    assert all(mv.old_time and (mv.new is None or mv.new_time) for mv in draft.moves)
    away = [mv for mv in draft.moves if date(YEAR, 6, 1) <= mv.old <= date(YEAR, 6, 11)]
    assert away and all(mv.reason.startswith("läkaren frånvarande") for mv in away)


def test_every_output_shows_the_same_rows_with_times_and_reasons(small_db, tmp_path):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    _cancel_one(small_db)
    with small_db.begin() as s:
        s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one().weekdays = "3"
    draft = make_plan(small_db, YEAR, plan_from=FROM, time_limit=10)
    printout = moved_printout(draft)
    assert isinstance(printout.content, MovedList)
    rows = printout.content.rows
    assert printout.count == len(draft.moves) == len(rows)
    html, _ = moved_html(printout.content)
    write_moves_xlsx(printout.content, tmp_path / "flyttade.xlsx")
    sheet = list(openpyxl.load_workbook(tmp_path / "flyttade.xlsx")["Flyttade"]
                 .iter_rows(values_only=True))
    assert sheet[0] == ("Enhet", "Patient", "Läkare", "Tidigare datum", "Nytt datum",
                        "Tidigare tid", "Ny tid", "Orsak")
    assert len(sheet) == len(rows) + 1
    lines = format_moves(draft).splitlines()[1:]  # plan --preview
    assert len(lines) == len(rows)
    for r, line in zip(rows, sheet[1:], strict=True):
        assert (line[1], line[5] or "", line[7]) == (r.patient, r.old_time, r.reason)
        assert r.reason in html and r.patient in html
        assert not r.new_time or r.new_time in html
        assert any(r.patient in text and r.reason in text and r.old_time in text
                   for text in lines)


# --- the rule on hand-made plans: a clock time change on the same day is listed ------------

ROUND = RoundEntry(date=date(YEAR, 4, 5), unit="Bäckliden", doctor="Anna Berg",
                   start="09:00", length_min=120, form="Fysisk")


NEXT = replace(ROUND, date=date(YEAR, 4, 12))


def _doc(*names: tuple[int, str], day: date = ROUND.date,
         rounds: tuple[RoundEntry, ...] = (ROUND,)) -> PlanDocument:
    reviews = tuple(AnnualReview(date=day, doctor="Anna Berg", unit="Bäckliden",
                                 patient=name, personnummer=None, preparation=date(YEAR, 3, 22),
                                 status="Planerad", patient_id=pid)
                    for pid, name in names)
    return PlanDocument(year=YEAR, version=1, settings=Settings(year=YEAR),
                        solver=SolverFigures("OPTIMAL", 0, 0, 0), reviews=reviews,
                        rounds=rounds, units=(UnitInfo("Bäckliden", "SÄBO", "Anna Berg"),))


def _result(*pids: int, day: date = ROUND.date) -> PlanResult:
    # find_moves reads the appointments, the forced moves and the unplaced only
    return PlanResult(year=YEAR, method="cpsat", unplaced=(), violations=(),
                      measures=None,  # type: ignore[arg-type]
                      appointments=tuple(Appointment(str(p), "Bäckliden", "Anna Berg",
                                                     day, date(YEAR, 3, 22))
                                         for p in pids))


def test_a_new_clock_time_on_the_same_day_is_listed():
    saved = [Saved(2, ROUND.date, VisitStatus.PLANNED.value, "Bäckliden", "Anna Berg")]
    old = _doc((2, "Olof Lund"))
    new = _doc((1, "Agnes Ny"), (2, "Olof Lund"))  # a new patient first in the round
    moves = find_moves(saved, old, new, _result(1, 2), {"1": "Agnes Ny", "2": "Olof Lund"},
                       date(YEAR, 3, 1))
    assert [(mv.patient, mv.old, mv.new, mv.old_time, mv.new_time, mv.reason)
            for mv in moves] == [("Olof Lund", ROUND.date, ROUND.date, "09:00–09:30",
                                  "09:30–10:00", SAME_DAY)]


def test_the_same_day_and_time_is_not_listed():
    saved = [Saved(2, ROUND.date, VisitStatus.PLANNED.value, "Bäckliden", "Anna Berg")]
    old = _doc((2, "Olof Lund"))
    new = _doc((2, "Olof Lund"), (3, "Ragnar Sist"))  # after him: his time stays
    assert find_moves(saved, old, new, _result(2, 3), {"2": "Olof Lund", "3": "Ragnar Sist"},
                      date(YEAR, 3, 1)) == []


def test_a_cancelled_round_keeps_its_old_time_and_says_why():
    saved = [Saved(2, ROUND.date, VisitStatus.PLANNED.value, "Bäckliden", "Anna Berg")]
    now = (replace(ROUND, cancelled=True, cancel_reason="personalbrist"), NEXT)
    old = _doc((2, "Olof Lund"), rounds=now)  # the rounds as they are now
    new = _doc((2, "Olof Lund"), day=NEXT.date, rounds=now)
    [move] = find_moves(saved, old, new, _result(2, day=NEXT.date), {"2": "Olof Lund"},
                        date(YEAR, 3, 1))
    assert (move.old_time, move.new, move.new_time) == ("09:00–09:30", NEXT.date, "09:00–09:30")
    assert move.reason == "ronden inställd (personalbrist)"


def test_a_round_day_that_is_gone_has_no_old_time_and_says_why():
    saved = [Saved(2, ROUND.date, VisitStatus.PLANNED.value, "Bäckliden", "Anna Berg")]
    old = _doc((2, "Olof Lund"), rounds=(NEXT,))  # the rhythm changed: no round that day
    new = _doc((2, "Olof Lund"), day=NEXT.date, rounds=(NEXT,))
    [move] = find_moves(saved, old, new, _result(2, day=NEXT.date), {"2": "Olof Lund"},
                        date(YEAR, 3, 1))
    assert (move.old_time, move.new_time, move.reason) == ("", "09:00–09:30",
                                                           "ronddagen har ändrats")
