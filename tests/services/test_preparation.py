"""The preparation checklist: steps as a setting, due dates by R11, late / due now, ticks
audited and undoable, ticks bound to one ÅMV date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.matter import Role
from lakarrond.services import preparation as prep
from lakarrond.services.document import load_document
from lakarrond.services.patients import get_patient, update_patient
from lakarrond.services.plan import plan_year
from lakarrond.services.preparation import DEFAULT_STEPS, PreparationStep, Tick
from lakarrond.services.visits import allowed_dates, set_visit
from lakarrond.store import ConflictError, current_user
from lakarrond.store import models as m
from lakarrond.store.settings import write_settings

YEAR = 2027
REVIEW = date(2027, 3, 2)  # a Tuesday
HEALTH = "Förändring i hälsotillståndet meddelad läkaren"  # the last step, 2 days before


def _patient(db, name: str = "Karl Nilsson") -> int:
    with db.begin() as s:
        return s.scalars(select(m.Patient.id).where(m.Patient.name == name)).one()


def _audit(db, entity: str) -> list[m.AuditLog]:
    with db.begin() as s:
        return list(s.scalars(select(m.AuditLog).where(m.AuditLog.entity == entity)
                              .order_by(m.AuditLog.id)))


def test_default_steps_follow_lidkoping_each_with_its_role(sqlite_db):
    assert prep.steps(sqlite_db, YEAR) == list(DEFAULT_STEPS)
    nurse, ot, pt, staff = (Role.NURSE, Role.OCCUPATIONAL, Role.PHYSIO, Role.CARE_STAFF)
    assert [(s.name, s.days_before, s.role) for s in DEFAULT_STEPS] == [
        ("Planeringsunderlag till läkaren", 14, nurse), ("Informera patienten", 14, nurse),
        ("Bjud in närstående", 14, nurse), ("Läkaren ordinerar provtagning", 12, Role.DOCTOR),
        ("Provtagning", 7, nurse), ("Symtomskattning (PHASE-20)", 7, nurse),
        ("Riskbedömning sjuksköterska", 7, nurse), ("Riskbedömning arbetsterapeut", 7, ot),
        ("Riskbedömning fysioterapeut", 7, pt), ("Riskbedömning omvårdnadspersonal", 7, staff),
        ("Förändring i hälsotillståndet meddelad läkaren", 2, nurse)]
    assert [s.name for s in DEFAULT_STEPS if s.relatives] == ["Bjud in närstående"]
    assert all(s.role is not None for s in DEFAULT_STEPS)


def test_a_stored_list_without_roles_keeps_its_steps(db):
    with db.begin() as s:  # as a database before issue 18 stored it
        write_settings(s, YEAR, {"preparation_steps": [("Kallad", 10), ("Prover", 5)]})
    steps = prep.steps(db, YEAR)
    assert steps == [PreparationStep("Kallad", 10), PreparationStep("Prover", 5)]
    assert [s.role_text for s in steps] == ["–", "–"] and not any(s.relatives for s in steps)
    assert prep.steps(db, YEAR + 1) == list(DEFAULT_STEPS)  # nothing stored: the defaults
    roles = [PreparationStep("Kallad", 10, Role.NURSE, relatives=True),
             PreparationStep("Prover", 5, Role.DOCTOR)]
    prep.set_steps(db, YEAR, roles)  # a role and the relatives' flag are stored
    assert prep.steps(db, YEAR) == roles


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
    assert log.after == {"preparation_steps": [["Kallad", 10, "", False],
                                               ["Blodprov, EKG", 5, "", False]]}
    assert log.before["preparation_steps"][0] == ["Planeringsunderlag till läkaren", 14,
                                                  "Sjuksköterska", False]
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
        "Planeringsunderlag till läkaren": date(2027, 2, 16),
        "Läkaren ordinerar provtagning": date(2027, 2, 18),
        "Riskbedömning sjuksköterska": date(2027, 2, 23),
        "Riskbedömning arbetsterapeut": date(2027, 2, 23),
        "Riskbedömning fysioterapeut": date(2027, 2, 23),
        "Riskbedömning omvårdnadspersonal": date(2027, 2, 23),
        "Informera patienten": date(2027, 2, 16),
        "Bjud in närstående": date(2027, 2, 16),
        "Provtagning": date(2027, 2, 23),
        "Symtomskattning (PHASE-20)": date(2027, 2, 23),
        "Förändring i hälsotillståndet meddelad läkaren": date(2027, 2, 26),  # Sunday → Friday
    }
    # 6 January (Trettondedag jul) is a holiday: back to the 5th
    assert lists[(pid, date(2027, 1, 8))][-1].due == date(2027, 1, 5)
    # into the year before, over the new year's holidays
    assert lists[(pid, date(2027, 1, 12))][0].due == date(2026, 12, 29)


def test_late_and_due_now(small_db):
    pid = _patient(small_db)
    later = date(2027, 6, 1)
    prep.tick(small_db, pid, REVIEW, "Informera patienten", date(2027, 2, 18))
    lists = prep.checklist(small_db, YEAR, [(pid, REVIEW), (pid, later)],
                           today=date(2027, 2, 24))
    state = {s.step: s for s in lists[(pid, REVIEW)]}
    called = state["Informera patienten"]
    assert (called.done, called.late, called.due_now, called.done_late) == (
        True, False, False, True)
    assert (called.done_on, called.done_by) == (date(2027, 2, 18), current_user())
    invited = state["Bjud in närstående"]
    assert (invited.done, invited.late, invited.due_now, invited.done_by) == (
        False, True, True, "")
    tests_taken = state["Provtagning"]  # due yesterday
    assert (tests_taken.late, tests_taken.due_now) == (True, True)
    medication = state[HEALTH]  # due on Friday, in two days
    assert (medication.late, medication.due_now) == (False, True)
    assert not any(s.late or s.due_now for s in lists[(pid, later)])
    # due exactly today is not late yet; due in exactly 7 days is due now
    on_due = prep.checklist(small_db, YEAR, [(pid, REVIEW)], today=date(2027, 2, 23))
    step = next(s for s in on_due[(pid, REVIEW)] if s.step == "Provtagning")
    assert (step.late, step.due_now) == (False, True)
    week_before = prep.checklist(small_db, YEAR, [(pid, REVIEW)], today=date(2027, 2, 16))
    step = next(s for s in week_before[(pid, REVIEW)] if s.step == "Provtagning")
    assert step.due_now
    step = next(s for s in week_before[(pid, REVIEW)] if s.step == HEALTH)
    assert not step.due_now


def test_tick_untick_are_audited_and_undo_restores_exactly(small_db):
    db = small_db
    pid = _patient(db)
    step = "Provtagning"
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
        prep.tick(small_db, 99999, REVIEW, "Provtagning")


def test_ticks_belong_to_one_review_date_and_can_be_carried(small_db):
    db = small_db
    pid = _patient(db)
    moved_to = date(2027, 3, 9)
    prep.tick(db, pid, REVIEW, "Informera patienten", date(2027, 2, 10))
    prep.tick(db, pid, REVIEW, "Provtagning", date(2027, 2, 20))
    prep.tick(db, pid, moved_to, "Provtagning", date(2027, 2, 27))
    lists = prep.checklist(db, YEAR, [(pid, moved_to)], date(2027, 3, 1))
    done = {s.step: s.done_on for s in lists[(pid, moved_to)] if s.done}
    assert done == {"Provtagning": date(2027, 2, 27)}  # the old date's ticks do not apply
    with db.begin() as s:
        assert prep.carry_ticks(s, pid, REVIEW, moved_to) == 1
        assert prep.carry_ticks(s, pid, moved_to, moved_to) == 0
    with db.begin() as s:  # a Session works as well as the Database
        lists = prep.checklist(s, YEAR, [(pid, moved_to), (pid, REVIEW)], date(2027, 3, 1))
    done = {st.step: st.done_on for st in lists[(pid, moved_to)] if st.done}
    assert done == {"Informera patienten": date(2027, 2, 10), "Provtagning": date(2027, 2, 27)}
    left = {st.step for st in lists[(pid, REVIEW)] if st.done}
    assert left == {"Provtagning"}  # the new date had its own tick: the old one stays
    carried = _audit(db, "preparation")[-1]
    assert (carried.action, carried.before["review_date"], carried.after["review_date"]) == (
        "update", "2027-03-02", "2027-03-09")


def test_ticks_of_a_removed_step_leave_the_list_and_come_back(small_db):
    db = small_db
    pid = _patient(db)
    prep.tick(db, pid, REVIEW, "Symtomskattning (PHASE-20)", date(2027, 2, 20))
    before = prep.set_steps(db, YEAR, [PreparationStep("Informera patienten", 14)])
    lists = prep.checklist(db, YEAR, [(pid, REVIEW)], date(2027, 2, 1))
    assert [s.step for s in lists[(pid, REVIEW)]] == ["Informera patienten"]
    prep.set_steps(db, YEAR, before)
    lists = prep.checklist(db, YEAR, [(pid, REVIEW)], date(2027, 2, 1))
    assert [s.step for s in lists[(pid, REVIEW)] if s.done] == ["Symtomskattning (PHASE-20)"]


def test_ticks_go_with_the_patient(small_db):
    db = small_db
    pid = _patient(db, "Astrid Holm")
    prep.tick(db, pid, REVIEW, "Provtagning", date(2027, 2, 20))
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
    prep.tick(small_db, review.patient_id, review.date, "Provtagning", done_on=review.date)
    target = allowed_dates(small_db, review.visit_id)[0].date
    set_visit(small_db, review.visit_id, target, "Låst")
    states = prep.checklist(small_db, YEAR, [(review.patient_id, target)],
                            today=target)[(review.patient_id, target)]
    assert {st.step for st in states if st.done_on} == {"Provtagning"}


def test_the_ticks_of_many_moved_reviews_are_carried_with_one_read(small_db):
    """A saved re-plan moves many ÅMV: their ticks follow in one read (issue 17), as one
    :func:`carry_ticks` each would."""
    from sqlalchemy import event

    db = small_db
    with db.read() as s:
        pids = list(s.scalars(select(m.Patient.id).order_by(m.Patient.id)))[:4]
    moved_to = date(2027, 3, 9)
    for pid in pids:
        prep.tick(db, pid, REVIEW, "Informera patienten", date(2027, 2, 10))
    prep.tick(db, pids[0], moved_to, "Informera patienten", date(2027, 2, 27))  # taken
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


def test_do_not_invite_relatives_removes_that_step_for_that_patient_only(small_db):
    karl, other = _patient(small_db), _patient(small_db, "Greta Ek")
    rows = [(karl, REVIEW), (other, REVIEW)]
    relatives = "Bjud in närstående"
    lists = prep.checklist(small_db, YEAR, rows, today=date(2027, 1, 1))
    assert relatives in [s.step for s in lists[(karl, REVIEW)]]  # invited by default
    row = get_patient(small_db, karl)
    update_patient(small_db, karl, replace(row.data, no_relatives=True), row.version)
    lists = prep.checklist(small_db, YEAR, rows, today=date(2027, 1, 1))
    assert [s.step for s in lists[(karl, REVIEW)]] == [
        s.name for s in DEFAULT_STEPS if s.name != relatives]
    assert relatives in [s.step for s in lists[(other, REVIEW)]]  # the others keep it
    counts = prep.count_steps(list(lists.values()))  # both selected: the step counts once
    assert [c.step for c in counts] == [s.name for s in DEFAULT_STEPS]
    assert next(c for c in counts if c.step == relatives).total == 1
    assert _audit(small_db, "patient")[-1].after == {"no_relatives": True}


def test_ticking_the_relatives_step_for_many_skips_a_patient_without_relatives(small_db):
    karl, greta = _patient(small_db), _patient(small_db, "Greta Ek")
    row = get_patient(small_db, karl)
    update_patient(small_db, karl, replace(row.data, no_relatives=True), row.version)
    keys = [(karl, REVIEW), (greta, REVIEW)]
    changed = prep.tick_many(small_db, keys, "Bjud in närstående", date(2027, 2, 10))
    assert [key for key, _before in changed] == [(greta, REVIEW)]  # not Karl's
    changed = prep.tick_many(small_db, keys, "Provtagning", date(2027, 2, 10))
    assert [key for key, _before in changed] == keys  # any other step: both


def test_nothing_is_late_before_the_patient_came(small_db):
    """Found walking the window: a new patient whose ÅMV is days after the admission was
    red from the start ("0 av 11 klara · 11 sena"): her steps fell due before she came."""
    astrid, karl = _patient(small_db, "Astrid Holm"), _patient(small_db, "Karl Nilsson")
    review, admission_day = date(2027, 4, 5), date(2027, 4, 1)  # Astrid admitted 1 April
    found = prep.checklist(small_db, YEAR, [(astrid, review), (karl, review)], admission_day)
    new, old = found[(astrid, review)], found[(karl, review)]
    first = next(s for s in new if s.days_before == 14)
    assert first.due < admission_day  # R11 is kept: due 14 days before the ÅMV …
    assert not first.late and first.due_now  # … but not late before she came: to do now
    assert next(s for s in old if s.days_before == 14).late  # a patient who was there: late
    day_after = prep.checklist(small_db, YEAR, [(astrid, review)], date(2027, 4, 2))
    assert next(s for s in day_after[(astrid, review)] if s.days_before == 14).late
