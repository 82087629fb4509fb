"""The preparation checklist of each ÅMV (issue 14.2): the steps, their due dates (R11),
what is done, what is late; ticking and unticking a step (audited, undoable).

The steps are a setting of the plan year (``preparation_steps``; municipalities differ):
a Swedish name, "days before the ÅMV", the role that does it and whether it is the step that
invites relatives (:mod:`lakarrond.steps`; the defaults follow Lidköping's agreement). A
step's due date is the ÅMV date minus its days, moved back to the previous working day (R11,
:func:`solver.calendar.preparation_date`). A patient with "Bjud inte in närstående"
(``Patient.no_relatives``) has no relatives' step on the checklist.

A tick belongs to one ÅMV occurrence, ``(patient_id, review_date)``. When the ÅMV moves to
another date the old ticks no longer apply (the checklist of the new date starts empty);
:func:`carry_ticks` takes them along when the user moves the ÅMV deliberately.

Definitions (today = the date the list is made for):

- *late*: not done and the due date is before today (shown red);
- *due now*: not done and due within :data:`DUE_SOON_DAYS` days from today (today + 7
  included); every late step is also due now;
- *done late*: done after its due date (kept for the printout; not red).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lakarrond.errors import BadInput
from lakarrond.matter import Role
from lakarrond.services.common import read_scope
from lakarrond.steps import DEFAULT_STEPS, PreparationStep, for_patient, from_stored, to_stored
from lakarrond.store import ConflictError, Database, audit, current_user
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings, read_values, write_settings
from lakarrond.today import today as todays_date
from solver.calendar import WorkCalendar, preparation_date

SETTING_KEY = "preparation_steps"
MAX_NAME_LENGTH = 60
MAX_DAYS_BEFORE = 60
DUE_SOON_DAYS = 7
FIELD = "Förberedelsesteg"

ReviewKey = tuple[int, date]  # (patient id, ÅMV date)


__all__ = ["DEFAULT_STEPS", "PreparationStep"]  # re-exported: their old home


@dataclass(frozen=True)
class StepState:
    """One step of one ÅMV's checklist as the list shows it."""

    step: str
    days_before: int
    due: date
    done_on: date | None
    done_by: str
    late: bool
    due_now: bool
    role: Role | None = None  # who does the step (None: not said)

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def done_late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due


@dataclass(frozen=True)
class Tick:
    """A done step as stored: enough to restore it exactly (undo)."""

    patient_id: int
    review_date: date
    step: str
    done_on: date
    done_by: str


# --- the step list ------------------------------------------------------------------------


def steps(source: Database | Session, year: int) -> list[PreparationStep]:
    """The checklist's steps in ``year``, in order (the defaults when none are stored)."""
    with read_scope(source) as s:
        stored = read_values(s, year).get(SETTING_KEY)
    if not stored:
        return list(DEFAULT_STEPS)
    return from_stored(stored)


def validate_steps(new_steps: Sequence[PreparationStep]) -> list[str]:
    """Swedish messages for a bad step list (empty when it is fine)."""
    if not new_steps:
        return [f"{FIELD}: listan måste ha minst ett steg."]
    errors: list[str] = []
    seen: set[str] = set()
    for number, step in enumerate(new_steps, start=1):
        name = step.name.strip()
        if not name:
            errors.append(f"{FIELD} {number}: namnet saknas.")
        elif len(name) > MAX_NAME_LENGTH:
            errors.append(f"{FIELD} {number}: namnet \"{name[:20]}…\" är längre än "
                          f"{MAX_NAME_LENGTH} tecken.")
        elif name.casefold() in seen:
            errors.append(f"{FIELD} {number}: \"{name}\" finns redan i listan.")
        seen.add(name.casefold())
        if not 0 <= step.days_before <= MAX_DAYS_BEFORE:
            errors.append(f"{FIELD} {number}: dagar före ÅMV måste vara 0–{MAX_DAYS_BEFORE} "
                          f"(nu {step.days_before}).")
    return errors


def set_steps(
    db: Database, year: int, new_steps: Sequence[PreparationStep]
) -> list[PreparationStep]:
    """Store the step list of ``year`` (audited); returns the list before (for undo).
    Ticks of a step that is no longer in the list stay stored but leave the checklist."""
    errors = validate_steps(new_steps)
    if errors:
        raise BadInput("\n".join(errors))
    clean = [replace(step, name=step.name.strip()) for step in new_steps]
    with db.begin() as s:
        before = steps(s, year)
        if clean != before:
            write_settings(s, year, {SETTING_KEY: to_stored(clean)})
            audit(s, "update", "setting", year, before={SETTING_KEY: to_stored(before)},
                  after={SETTING_KEY: to_stored(clean)})
        return before


# --- the checklist -----------------------------------------------------------------------


def due_date(review: date, days_before: int, cal: WorkCalendar) -> date:
    """R11 for one step: the ÅMV date − ``days_before``, moved back to a working day."""
    return preparation_date(review, cal, days_before)


def _ticks(
    session: Session, patient_ids: Iterable[int]
) -> dict[tuple[int, date, str], m.PreparationTick]:
    ids = sorted(set(patient_ids))
    if not ids:
        return {}
    rows = session.scalars(
        select(m.PreparationTick).where(m.PreparationTick.patient_id.in_(ids))
    )
    return {(t.patient_id, t.review_date, t.step): t for t in rows}


def _patients(session: Session, patient_ids: Iterable[int]) -> tuple[dict[int, date], set[int]]:
    """The admission date of each of ``patient_ids``, and those with "Bjud inte in
    närstående" (one read per 500 patients)."""
    ids = sorted(set(patient_ids))
    admitted: dict[int, date] = {}
    alone: set[int] = set()
    for start in range(0, len(ids), 500):
        for pid, day, no_relatives in session.execute(select(
                m.Patient.id, m.Patient.admitted, m.Patient.no_relatives).where(
                m.Patient.id.in_(ids[start:start + 500]))):
            admitted[pid] = day
            if no_relatives:
                alone.add(pid)
    return admitted, alone


def checklist(
    source: Database | Session,
    year: int,
    review_rows: Sequence[ReviewKey],
    today: date,
) -> dict[ReviewKey, list[StepState]]:
    """Per ÅMV (patient id, ÅMV date) the steps of ``year`` in order, with due date, tick
    and the late / due-now flags for ``today``; without the relatives' step for a patient
    with "Bjud inte in närstående". A step is never late before the patient's admission
    (a new patient's ÅMV soon after it: steps due earlier are due now, late only after the
    admission day)."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    with read_scope(source) as s:
        step_list = steps(s, year)
        ticks = _ticks(s, (pid for pid, _ in review_rows))
        admitted, alone = _patients(s, (pid for pid, _ in review_rows))
        calendars = {y: WorkCalendar(read_settings(s, y))
                     for y in sorted({review.year for _, review in review_rows})}
    out: dict[ReviewKey, list[StepState]] = {}
    for pid, review in review_rows:
        cal = calendars[review.year]
        states = []
        for step in for_patient(step_list, pid in alone):
            due = due_date(review, step.days_before, cal)
            # nothing is late before the patient came: late from the admission day at most
            late_from = max(due, admitted[pid]) if pid in admitted else due
            tick = ticks.get((pid, review, step.name))
            done_on = tick.done_on if tick else None
            states.append(StepState(
                step=step.name, days_before=step.days_before, due=due, done_on=done_on,
                done_by=tick.done_by if tick else "",
                late=done_on is None and late_from < today,
                due_now=done_on is None and due <= soon, role=step.role,
            ))
        out[(pid, review)] = states
    return out


# --- ticking -----------------------------------------------------------------------------


def _as_tick(row: m.PreparationTick) -> Tick:
    return Tick(row.patient_id, row.review_date, row.step, row.done_on, row.done_by)


def _audit_values(tick: Tick) -> dict[str, object]:
    return {"review_date": tick.review_date.isoformat(), "step": tick.step,
            "done_on": tick.done_on.isoformat(), "done_by": tick.done_by}


def _find(session: Session, patient_id: int, review_date: date,
          step: str) -> m.PreparationTick | None:
    return session.scalars(select(m.PreparationTick).where(
        m.PreparationTick.patient_id == patient_id,
        m.PreparationTick.review_date == review_date,
        m.PreparationTick.step == step,
    )).first()


def _set(session: Session, patient_id: int, review_date: date, step: str,
         state: Tick | None) -> Tick | None:
    """Make the stored tick equal ``state`` (None = not ticked), audited; returns the tick
    before."""
    if session.get(m.Patient, patient_id) is None:
        raise ConflictError("patienten")
    row = _find(session, patient_id, review_date, step)
    before = _as_tick(row) if row is not None else None
    if before == state:
        return before
    if row is not None and state is None:
        audit(session, "delete", "preparation", row.id, patient_id=patient_id,
              before=_audit_values(_as_tick(row)))
        session.delete(row)
    elif row is not None and state is not None:
        row.done_on, row.done_by = state.done_on, state.done_by
        audit(session, "update", "preparation", row.id, patient_id=patient_id,
              before=_audit_values(before) if before else None, after=_audit_values(state))
    elif state is not None:
        row = m.PreparationTick(patient_id=patient_id, review_date=review_date, step=step,
                                done_on=state.done_on, done_by=state.done_by)
        session.add(row)
        try:
            session.flush()
        except IntegrityError as exc:  # someone ticked the same step meanwhile
            raise ConflictError("förberedelsen") from exc
        audit(session, "create", "preparation", row.id, patient_id=patient_id,
              after=_audit_values(state))
    session.flush()
    return before


def tick(
    db: Database,
    patient_id: int,
    review_date: date,
    step: str,
    done_on: date | None = None,
) -> Tick | None:
    """Mark ``step`` of the patient's ÅMV on ``review_date`` done on ``done_on`` (today by
    default) by the current user. Returns the tick before (None when it was not ticked);
    undo with :func:`restore_tick`."""
    state = Tick(patient_id, review_date, step, done_on or todays_date(), current_user())
    with db.begin() as s:
        names = [st.name for st in steps(s, review_date.year)]
        if step not in names:
            raise BadInput(f"{FIELD}: \"{step}\" finns inte i årets lista "
                           f"({', '.join(names)}).")
        return _set(s, patient_id, review_date, step, state)


def untick(db: Database, patient_id: int, review_date: date, step: str) -> Tick | None:
    """Mark ``step`` not done; returns the removed tick (None when it was not ticked); undo
    with :func:`restore_tick`."""
    with db.begin() as s:
        return _set(s, patient_id, review_date, step, None)


def restore_tick(
    db: Database, patient_id: int, review_date: date, step: str, state: Tick | None
) -> Tick | None:
    """Put back exactly ``state`` (what :func:`tick` or :func:`untick` returned), done_by
    included; returns the tick it replaced (for redo)."""
    with db.begin() as s:
        return _set(s, patient_id, review_date, step, state)


def tick_many(
    db: Database,
    keys: Sequence[ReviewKey],
    step: str,
    done_on: date | None = None,
    replace_done: bool = False,
) -> list[tuple[ReviewKey, Tick | None]]:
    """Mark ``step`` done on ``done_on`` (today by default) for every ÅMV in ``keys`` in ONE
    transaction, audited per ÅMV (issue 20.1). A step already done keeps its tick unless
    ``replace_done``; the relatives' step is not ticked for a patient with "Bjud inte in
    närstående" (it is not on that checklist). Returns (ÅMV, the tick before) for each ÅMV
    that changed; undo with :func:`restore_ticks`."""
    day = done_on or todays_date()
    by = current_user()
    changed: list[tuple[ReviewKey, Tick | None]] = []
    with db.begin() as s:
        relatives = False
        for year in sorted({review.year for _, review in keys}):
            year_steps = steps(s, year)
            names = [st.name for st in year_steps]
            if step not in names:
                raise BadInput(f"{FIELD}: \"{step}\" finns inte i årets lista "
                               f"({', '.join(names)}).")
            relatives = relatives or any(st.relatives for st in year_steps if st.name == step)
        ticked = _ticks(s, (pid for pid, _ in keys))
        alone = _patients(s, (pid for pid, _ in keys))[1] if relatives else set()
        for pid, review in dict.fromkeys(keys):
            row = ticked.get((pid, review, step))
            if pid in alone or (row is not None and (not replace_done or row.done_on == day)):
                continue
            before = _set(s, pid, review, step, Tick(pid, review, step, day, by))
            changed.append(((pid, review), before))
    return changed


def untick_many(db: Database, keys: Sequence[ReviewKey],
                step: str) -> list[tuple[ReviewKey, Tick | None]]:
    """Mark ``step`` not done for every ÅMV in ``keys`` in one transaction, audited per
    ÅMV; returns (ÅMV, the removed tick) for each ÅMV that had it."""
    changed: list[tuple[ReviewKey, Tick | None]] = []
    with db.begin() as s:
        ticked = _ticks(s, (pid for pid, _ in keys))
        for pid, review in dict.fromkeys(keys):
            if (pid, review, step) in ticked:
                changed.append(((pid, review), _set(s, pid, review, step, None)))
    return changed


def restore_ticks(db: Database, step: str,
                  states: Sequence[tuple[ReviewKey, Tick | None]]
                  ) -> list[tuple[ReviewKey, Tick | None]]:
    """Put back exactly each ÅMV's ``state`` of ``step`` (what :func:`tick_many` or
    :func:`untick_many` returned) in one transaction; returns the ticks replaced (redo)."""
    with db.begin() as s:
        return [((pid, review), _set(s, pid, review, step, state))
                for (pid, review), state in states]


@dataclass(frozen=True)
class StepCount:
    """One step over several ÅMV (Veckan's checklist when several are selected)."""

    step: str
    due: date | None  # the earliest due date of the ÅMV where it is not done
    done: int
    total: int
    late: bool  # not done and late for at least one ÅMV
    due_now: bool
    role: Role | None = None

    @property
    def text(self) -> str:
        """``3 av 9 klara``."""
        return f"{self.done} av {self.total} klara"


def count_steps(lists: Sequence[Sequence[StepState]]) -> list[StepCount]:
    """The steps of several ÅMV's checklists (in the order of the longest: a patient
    without the relatives' step does not move it last), each with how many of the ÅMV have
    it done."""
    longest = max(lists, key=len, default=())
    names = list(dict.fromkeys([*(st.step for st in longest),
                                *(st.step for states in lists for st in states)]))
    out = []
    for name in names:
        found = [st for states in lists for st in states if st.step == name]
        open_ = [st for st in found if not st.done]
        out.append(StepCount(
            step=name, due=min((st.due for st in open_), default=None),
            done=len(found) - len(open_), total=len(found),
            late=any(st.late for st in open_), due_now=any(st.due_now for st in open_),
            role=found[0].role))
    return out


def carry_ticks(session: Session, patient_id: int, old_date: date, new_date: date) -> int:
    """Move the ticks of the patient's ÅMV on ``old_date`` to ``new_date`` (the user moved
    the ÅMV deliberately and the preparation done still holds), in the caller's
    transaction, audited. A step already ticked on ``new_date`` keeps that tick and the old
    one stays where it was. Returns how many ticks moved."""
    return carry_ticks_many(session, [(patient_id, old_date, new_date)])


def carry_ticks_many(session: Session, moves: Sequence[tuple[int, date, date]]) -> int:
    """:func:`carry_ticks` of many moved ÅMV (patient id, old date, new date) with one read
    per 500 patients (a saved re-plan, issue 17), not one per ÅMV."""
    wanted = {(pid, old): new for pid, old, new in moves if old != new}
    moved = 0
    pids = sorted({pid for pid, _old in wanted})
    for start in range(0, len(pids), 500):
        chunk = pids[start:start + 500]
        rows = session.scalars(select(m.PreparationTick).where(
            m.PreparationTick.patient_id.in_(chunk))).all()
        taken = {(r.patient_id, r.review_date, r.step) for r in rows}
        for row in rows:
            new_date = wanted.get((row.patient_id, row.review_date))
            if new_date is None or (row.patient_id, new_date, row.step) in taken:
                continue
            before = _audit_values(_as_tick(row))
            row.review_date = new_date
            audit(session, "update", "preparation", row.id, patient_id=row.patient_id,
                  before=before, after=_audit_values(_as_tick(row)))
            moved += 1
    session.flush()
    return moved
