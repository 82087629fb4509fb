"""The preparation checklist: steps as a setting, due dates by R11, late / due now, ticks
audited and undoable, ticks bound to one ÅMV date."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.services import preparation as prep
from lakarrond.services.document import load_document
from lakarrond.services.plan import plan_year
from lakarrond.services.preparation import DEFAULT_STEPS, PreparationStep, Tick
from lakarrond.services.visits import allowed_dates, set_visit
from lakarrond.store import ConflictError, current_user
from lakarrond.store import models as m

YEAR = 2027
REVIEW = date(2027, 3, 2)  # a Tuesday


def _patient(db, name: str = "Karl Nilsson") -> int:
    with db.begin() as s:
        return s.scalars(select(m.Patient.id).where(m.Patient.name == name)).one()


def _audit(db, entity: str) -> list[m.AuditLog]:
    with db.begin() as s:
        return list(s.scalars(select(m.AuditLog).where(m.AuditLog.entity == entity)
                              .order_by(m.AuditLog.id)))


def test_default_steps(sqlite_db):
    assert prep.steps(sqlite_db, YEAR) == list(DEFAULT_STEPS)
    assert [(s.name, s.days_before) for s in DEFAULT_STEPS] == [
        ("Kallad/informerad", 14), ("Närstående inbjudna", 14), ("Prover tagna", 7),
        ("PHASE-20 / skattning", 7), ("Läkemedelsgenomgång förberedd", 2)]


def test_set_steps_validates_stores_and_audits(db):
    with pytest.raises(BadInput, match="minst ett steg"):
        prep.set_steps(db, YEAR, [])
    bad = [PreparationStep(" ", 3), PreparationStep("Prover", 61), PreparationStep("x" * 61, 1),
           PreparationStep("Kallad", 14), PreparationStep("kallad", 10)]
    with pytest.raises(BadInput) as info:
        prep.set_steps(db, YEAR, bad)
    lines = info.value.lines
    assert lines[0] == "Förberedelsesteg 1: namnet saknas."
    assert "Förberedelsesteg 2: dagar före ÅMV måste vara 0–60 (nu 61)." in lines
    assert any(line.startswith("Förberedelsesteg 3: namnet") and "60 tecken" in line
               for line in lines)
    assert "Förberedelsesteg 5: \"kallad\" finns redan i listan." in lines

    mine = [PreparationStep(" Kallad ", 10), PreparationStep("Blodprov, EKG", 5)]
    before = prep.set_steps(db, YEAR, mine)
    assert before == list(DEFAULT_STEPS)
    assert prep.steps(db, YEAR) == [PreparationStep("Kallad", 10),
                                    PreparationStep("Blodprov, EKG", 5)]
    assert prep.steps(db, YEAR + 1) == list(DEFAULT_STEPS)  # a setting per plan year
    log = _audit(db, "setting")[-1]
    assert log.after == {"preparation_steps": [["Kallad", 10], ["Blodprov, EKG", 5]]}
    assert log.before["preparation_steps"][0] == ["Kallad/informerad", 14]
    # undo: store the list before again
    prep.set_steps(db, YEAR, before)
    assert prep.steps(db, YEAR) == list(DEFAULT_STEPS)
    count = len(_audit(db, "setting"))
    prep.set_steps(db, YEAR, before)  # no change, no audit row
    assert len(_audit(db, "setting")) == count


def test_due_dates_follow_r11(small_db):
    pid = _patient(small_db)
    rows = [(pid, REVIEW), (pid, date(2027, 1, 8)), (pid, date(2027, 1, 12))]
    lists = prep.checklist(small_db, YEAR, rows, today=date(2027, 1, 1))
    due = {step.step: step.due for step in lists[(pid, REVIEW)]}
    assert due == {
        "Kallad/informerad": date(2027, 2, 16),
        "Närstående inbjudna": date(2027, 2, 16),
        "Prover tagna": date(2027, 2, 23),
        "PHASE-20 / skattning": date(2027, 2, 23),
        "Läkemedelsgenomgång förberedd": date(2027, 2, 26),  # Sunday → Friday
    }
    # 6 January (Trettondedag jul) is a holiday: back to the 5th
    assert lists[(pid, date(2027, 1, 8))][-1].due == date(2027, 1, 5)
    # into the year before, over the new year's holidays
    assert lists[(pid, date(2027, 1, 12))][0].due == date(2026, 12, 29)


def test_late_and_due_now(small_db):
    pid = _patient(small_db)
    later = date(2027, 6, 1)
    prep.tick(small_db, pid, REVIEW, "Kallad/informerad", date(2027, 2, 18))
    lists = prep.checklist(small_db, YEAR, [(pid, REVIEW), (pid, later)],
                           today=date(2027, 2, 24))
    state = {s.step: s for s in lists[(pid, REVIEW)]}
    called = state["Kallad/informerad"]
    assert (called.done, called.late, called.due_now, called.done_late) == (
        True, False, False, True)
    assert (called.done_on, called.done_by) == (date(2027, 2, 18), current_user())
    invited = state["Närstående inbjudna"]
    assert (invited.done, invited.late, invited.due_now, invited.done_by) == (
        False, True, True, "")
    tests_taken = state["Prover tagna"]  # due yesterday
    assert (tests_taken.late, tests_taken.due_now) == (True, True)
    medication = state["Läkemedelsgenomgång förberedd"]  # due on Friday, in two days
    assert (medication.late, medication.due_now) == (False, True)
    assert not any(s.late or s.due_now for s in lists[(pid, later)])
    # due exactly today is not late yet; due in exactly 7 days is due now
    on_due = prep.checklist(small_db, YEAR, [(pid, REVIEW)], today=date(2027, 2, 23))
    step = next(s for s in on_due[(pid, REVIEW)] if s.step == "Prover tagna")
    assert (step.late, step.due_now) == (False, True)
    week_before = prep.checklist(small_db, YEAR, [(pid, REVIEW)], today=date(2027, 2, 16))
    step = next(s for s in week_before[(pid, REVIEW)] if s.step == "Prover tagna")
    assert step.due_now
    step = next(s for s in week_before[(pid, REVIEW)] if s.step == "Läkemedelsgenomgång förberedd")
    assert not step.due_now


def test_tick_untick_are_audited_and_undo_restores_exactly(small_db):
    db = small_db
    pid = _patient(db)
    step = "Prover tagna"
    assert prep.tick(db, pid, REVIEW, step, date(2027, 2, 20)) is None
    first = Tick(pid, REVIEW, step, date(2027, 2, 20), current_user())
    assert prep.tick(db, pid, REVIEW, step, date(2027, 2, 22)) == first  # the tick before
    removed = prep.untick(db, pid, REVIEW, step)
    assert removed == Tick(pid, REVIEW, step, date(2027, 2, 22), current_user())
    assert prep.untick(db, pid, REVIEW, step) is None  # nothing to remove
    # undo the untick: exactly the tick before, even someone else's
    someone = Tick(pid, REVIEW, step, date(2027, 2, 19), "eva")
    assert prep.restore_tick(db, pid, REVIEW, step, someone) is None
    state = prep.checklist(db, YEAR, [(pid, REVIEW)], date(2027, 2, 1))[(pid, REVIEW)]
    got = next(s for s in state if s.step == step)
    assert (got.done_on, got.done_by) == (date(2027, 2, 19), "eva")
    assert prep.restore_tick(db, pid, REVIEW, step, None) == someone
    log = _audit(db, "preparation")
    assert [row.action for row in log] == ["create", "update", "delete", "create", "delete"]
    assert all(row.patient_id == pid for row in log)
    assert log[0].after == {"review_date": "2027-03-02", "step": step,
                            "done_on": "2027-02-20", "done_by": current_user()}
    assert (log[1].before["done_on"], log[1].after["done_on"]) == ("2027-02-20", "2027-02-22")
    assert log[2].before["done_on"] == "2027-02-22" and log[2].after is None


def test_tick_refuses_unknown_step_and_patient(small_db):
    pid = _patient(small_db)
    with pytest.raises(BadInput, match="\"Blodtryck\" finns inte i årets lista"):
        prep.tick(small_db, pid, REVIEW, "Blodtryck")
    with pytest.raises(ConflictError, match="patienten"):
        prep.tick(small_db, 99999, REVIEW, "Prover tagna")


def test_ticks_belong_to_one_review_date_and_can_be_carried(small_db):
    db = small_db
    pid = _patient(db)
    moved_to = date(2027, 3, 9)
    prep.tick(db, pid, REVIEW, "Kallad/informerad", date(2027, 2, 10))
    prep.tick(db, pid, REVIEW, "Prover tagna", date(2027, 2, 20))
    prep.tick(db, pid, moved_to, "Prover tagna", date(2027, 2, 27))
    lists = prep.checklist(db, YEAR, [(pid, moved_to)], date(2027, 3, 1))
    done = {s.step: s.done_on for s in lists[(pid, moved_to)] if s.done}
    assert done == {"Prover tagna": date(2027, 2, 27)}  # the old date's ticks do not apply
    with db.begin() as s:
        assert prep.carry_ticks(s, pid, REVIEW, moved_to) == 1
        assert prep.carry_ticks(s, pid, moved_to, moved_to) == 0
    with db.begin() as s:  # a Session works as well as the Database
        lists = prep.checklist(s, YEAR, [(pid, moved_to), (pid, REVIEW)], date(2027, 3, 1))
    done = {st.step: st.done_on for st in lists[(pid, moved_to)] if st.done}
    assert done == {"Kallad/informerad": date(2027, 2, 10), "Prover tagna": date(2027, 2, 27)}
    left = {st.step for st in lists[(pid, REVIEW)] if st.done}
    assert left == {"Prover tagna"}  # the new date had its own tick: the old one stays
    carried = _audit(db, "preparation")[-1]
    assert (carried.action, carried.before["review_date"], carried.after["review_date"]) == (
        "update", "2027-03-02", "2027-03-09")


def test_ticks_of_a_removed_step_leave_the_list_and_come_back(small_db):
    db = small_db
    pid = _patient(db)
    prep.tick(db, pid, REVIEW, "PHASE-20 / skattning", date(2027, 2, 20))
    before = prep.set_steps(db, YEAR, [PreparationStep("Kallad/informerad", 14)])
    lists = prep.checklist(db, YEAR, [(pid, REVIEW)], date(2027, 2, 1))
    assert [s.step for s in lists[(pid, REVIEW)]] == ["Kallad/informerad"]
    prep.set_steps(db, YEAR, before)
    lists = prep.checklist(db, YEAR, [(pid, REVIEW)], date(2027, 2, 1))
    assert [s.step for s in lists[(pid, REVIEW)] if s.done] == ["PHASE-20 / skattning"]


def test_ticks_go_with_the_patient(small_db):
    db = small_db
    pid = _patient(db, "Astrid Holm")
    prep.tick(db, pid, REVIEW, "Prover tagna", date(2027, 2, 20))
    with db.begin() as s:
        s.delete(s.get(m.Patient, pid))
    with db.begin() as s:
        assert s.scalars(select(m.PreparationTick)).all() == []
    assert prep.checklist(db, YEAR, [], date(2027, 2, 1)) == {}


def test_moving_a_review_keeps_its_ticks(small_db):
    """The user moves an ÅMV (and a re-plan that moves one does the same): the preparation
    already done goes with it."""
    plan_year(small_db, YEAR, time_limit=10)
    with small_db.begin() as s:
        review = load_document(s, YEAR).reviews[0]
    prep.tick(small_db, review.patient_id, review.date, "Prover tagna", done_on=review.date)
    target = allowed_dates(small_db, review.visit_id)[0].date
    set_visit(small_db, review.visit_id, target, "Låst")
    states = prep.checklist(small_db, YEAR, [(review.patient_id, target)],
                            today=target)[(review.patient_id, target)]
    assert {st.step for st in states if st.done_on} == {"Prover tagna"}


def test_the_ticks_of_many_moved_reviews_are_carried_with_one_read(small_db):
    """A saved re-plan moves many ÅMV: their ticks follow in one read (issue 17), as one
    :func:`carry_ticks` each would."""
    from sqlalchemy import event

    db = small_db
    with db.read() as s:
        pids = list(s.scalars(select(m.Patient.id).order_by(m.Patient.id)))[:4]
    moved_to = date(2027, 3, 9)
    for pid in pids:
        prep.tick(db, pid, REVIEW, "Kallad/informerad", date(2027, 2, 10))
    prep.tick(db, pids[0], moved_to, "Kallad/informerad", date(2027, 2, 27))  # taken
    reads: list[str] = []

    def seen(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "preparation" in statement:
            reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.begin() as s:
            moves = [(pid, REVIEW, moved_to) for pid in pids]
            assert prep.carry_ticks_many(s, moves) == len(pids) - 1
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(reads) == 1  # not one per moved ÅMV
    lists = prep.checklist(db, YEAR, [(pid, moved_to) for pid in pids], date(2027, 3, 1))
    assert [next(st.done_on for st in lists[(pid, moved_to)] if st.done) for pid in pids] == \
        [date(2027, 2, 27)] + [date(2027, 2, 10)] * (len(pids) - 1)
