"""Issue 20.1: one preparation step ticked for many ÅMV at once – one transaction, audited
per ÅMV, a step already done keeps its date, undone exactly; the checklist of several ÅMV
counts each step ("3 av 9 klara")."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.matter import Role
from lakarrond.services import preparation as prep
from lakarrond.services.preparation import StepCount, Tick
from lakarrond.store import ConflictError, current_user
from lakarrond.store import models as m

YEAR = 2027
REVIEW = date(2027, 3, 2)
STEP = "Provtagning"


def _patients(db) -> list[int]:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return list(s.scalars(select(m.Patient.id).order_by(m.Patient.id)))[:3]


def _audit(db) -> list[m.AuditLog]:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        rows = list(s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "preparation")
                              .order_by(m.AuditLog.id)))
        s.expunge_all()
        return rows


def _done(db, keys) -> list[date | None]:  # type: ignore[no-untyped-def]
    lists = prep.checklist(db, YEAR, keys, date(2027, 2, 1))
    return [next(s.done_on for s in lists[k] if s.step == STEP) for k in keys]


def test_a_step_is_ticked_for_many_reviews_in_one_call_and_undone(small_db):
    db = small_db
    keys = [(pid, REVIEW) for pid in _patients(db)]
    earlier = date(2027, 2, 15)
    assert prep.tick(db, keys[0][0], REVIEW, STEP, earlier) is None  # one done already
    changed = prep.tick_many(db, keys, STEP, date(2027, 2, 20))
    # the one already done keeps its own date; the other two are ticked
    assert [k for k, _ in changed] == keys[1:] and all(b is None for _, b in changed)
    assert _done(db, keys) == [earlier, date(2027, 2, 20), date(2027, 2, 20)]
    log = _audit(db)
    assert [r.action for r in log] == ["create"] * 3  # audited per ÅMV
    assert [r.patient_id for r in log[1:]] == [pid for pid, _ in keys[1:]]
    # undo: exactly the ticks before (none), redo: those the undo removed
    after = prep.restore_ticks(db, STEP, changed)
    assert [t for _, t in after] == [Tick(pid, REVIEW, STEP, date(2027, 2, 20), current_user())
                                     for pid, _ in keys[1:]]
    assert _done(db, keys) == [earlier, None, None]
    prep.restore_ticks(db, STEP, after)
    assert _done(db, keys) == [earlier, date(2027, 2, 20), date(2027, 2, 20)]
    # untick all in one call; a date given replaces the ticks
    removed = prep.untick_many(db, keys, STEP)
    assert len(removed) == 3 and _done(db, keys) == [None, None, None]
    assert prep.untick_many(db, keys, STEP) == []  # nothing left to remove
    prep.tick_many(db, keys[:1], STEP, earlier)
    replaced = prep.tick_many(db, keys, STEP, date(2027, 2, 21), replace_done=True)
    assert [b.done_on if b else None for _, b in replaced] == [earlier, None, None]


def test_a_bad_batch_ticks_nothing(small_db):
    """One transaction: an unknown step or a patient gone leaves every ÅMV as it was."""
    db = small_db
    keys = [(pid, REVIEW) for pid in _patients(db)]
    with pytest.raises(BadInput, match="\"Blodtryck\" finns inte i årets lista"):
        prep.tick_many(db, keys, "Blodtryck")
    with pytest.raises(ConflictError, match="patienten"):
        prep.tick_many(db, [*keys, (99999, REVIEW)], STEP)
    assert _done(db, keys) == [None, None, None] and _audit(db) == []


def test_the_steps_of_several_reviews_are_counted(small_db):
    db = small_db
    keys = [(pid, REVIEW) for pid in _patients(db)]
    prep.tick_many(db, keys[:2], STEP, date(2027, 2, 20))
    prep.tick_many(db, keys, "Informera patienten", date(2027, 2, 20))
    lists = prep.checklist(db, YEAR, keys, date(2027, 2, 25))
    counts = {c.step: c for c in prep.count_steps([lists[k] for k in keys])}
    assert [c.step for c in counts.values()] == [s.name for s in prep.DEFAULT_STEPS]
    assert counts[STEP] == StepCount(STEP, counts[STEP].due, 2, 3, late=True,
                                     due_now=True, role=Role.NURSE)
    assert counts[STEP].text == "2 av 3 klara" and counts[STEP].due is not None
    assert counts["Informera patienten"].text == "3 av 3 klara"
    assert counts["Informera patienten"].due is None
    assert counts["Bjud in närstående"].late and counts["Bjud in närstående"].done == 0
