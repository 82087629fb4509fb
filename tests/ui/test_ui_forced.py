"""The "Flyttad inom frysperioden" reminders stay in Att följa upp after the next saved
version (a fix, a re-plan) while they still hold."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from lakarrond.services.document import load_document
from lakarrond.services.forced import still_to_tell
from lakarrond.services.plan import plan_year
from lakarrond.store import models as m
from lakarrond.store.plan_results import ForcedMoveRow
from lakarrond.ui.models.follow_up import FORCED, follow_ups

YEAR = 2027


def _document(db, today: date):  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return load_document(s, YEAR, today=today)


def test_a_forced_move_is_still_to_tell_after_the_next_version(ui_db):
    plan_year(ui_db, YEAR, time_limit=5)
    first = _document(ui_db, date(YEAR, 1, 1))
    held = min((a for a in first.reviews if a.date >= date(YEAR, 4, 1)), key=lambda a: a.date)
    start = held.date - timedelta(days=3)  # the ÅMV is frozen from here
    with ui_db.begin() as s:  # the doctor is away that day, no substitute: it must move
        doctor = s.scalars(select(m.Doctor).where(m.Doctor.name == held.doctor)).one()
        s.add(m.Absence(doctor=doctor, start=held.date, end=held.date, reason="Kurs"))
    plan_year(ui_db, YEAR, time_limit=5, plan_from=start)
    moved = _document(ui_db, start)
    (reminder,) = [f for f in follow_ups(moved) if f.kind == FORCED]
    assert reminder.patient == held.patient and reminder.date == held.date
    plan_year(ui_db, YEAR, time_limit=5, plan_from=start)  # the next version, nothing changed
    again = _document(ui_db, start)
    assert again.version == moved.version + 1
    assert again.review_of(held.patient_id).date == moved.review_of(held.patient_id).date
    (kept,) = [f for f in follow_ups(again) if f.kind == FORCED]
    assert (kept.patient, kept.date, kept.detail) == (
        reminder.patient, reminder.date, reminder.detail)


def _row(pid: int, old: str, new: str | None) -> ForcedMoveRow:
    return ForcedMoveRow(patient_id=pid, patient=f"P{pid}", old=date.fromisoformat(old),
                         new=date.fromisoformat(new) if new else None, reason="frånvaro")


def test_a_reminder_goes_when_it_no_longer_holds():
    previous = [_row(1, "2027-04-06", "2027-04-13"), _row(2, "2027-04-06", "2027-04-20"),
                _row(3, "2027-04-06", "2027-04-13"), _row(4, "2027-04-06", None),
                _row(5, "2027-04-06", "2027-04-13")]
    new = [_row(5, "2027-04-13", "2027-04-27")]  # moved by force again: the new row tells it
    dates = {1: date(2027, 4, 13),  # still on the new date: kept
             2: date(2027, 4, 27),  # moved again: the moved list tells it
             3: date(2027, 4, 13),
             5: date(2027, 4, 27)}  # 4: still without a date: kept
    kept = still_to_tell(previous, new, dates, date(2027, 4, 1))
    assert [r.patient_id for r in kept] == [5, 1, 3, 4]
    assert still_to_tell(previous, [], dates, date(2027, 4, 14)) == []  # all passed
