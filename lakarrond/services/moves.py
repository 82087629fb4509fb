"""The list "Flyttade – meddela" (issue 22.7): the difference between the saved plan and the
new one – every ÅMV from the planning date on whose date or clock time changes, that gets a
date again (a cancelled one placed) or loses its date – with old and new date and clock time
and a plain Swedish reason for each. One function (:func:`find_moves`) makes the list for
the re-plan preview, the saved plan (its figure), the printout, the PDF and the Excel file.

Clock times come from the one source, :func:`lakarrond.timetable.timetable`, applied to the
saved plan and to the new one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any  # Any: JSON edge: a move as the plan stores it

from lakarrond.document import AnnualReview, PlanDocument
from lakarrond.timetable import reviews_at_rounds, timetable
from solver.problem import VisitStatus
from solver.result import PlanResult

CANCELLED = VisitStatus.CANCELLED
PLACED_AGAIN = "inställd – nytt datum"
SAME_DAY = "samma dag, ny tid (ändrat antal ÅMV i ronden)"
EVENER = "jämnare fördelning"
MATTERS = "rondens tid går till ärenden"  # matters booked on the round date (R5b)


@dataclass(frozen=True)
class Move:
    """A patient whose ÅMV date or clock time changes against the saved plan."""

    patient_id: int
    patient: str
    unit: str
    doctor: str
    old: date  # the date in the saved plan (a cancelled ÅMV: the date it was cancelled)
    new: date | None  # None: no date in the new plan
    reason: str = ""  # why it moves (never empty in a list made by find_moves)
    old_time: str = ""  # "09:00–09:30"; "" when not known
    new_time: str = ""
    in_freeze: bool = False  # a frozen ÅMV that could not be held

    def to_json(self) -> dict[str, Any]:
        return {"patient_id": self.patient_id, "patient": self.patient, "unit": self.unit,
                "doctor": self.doctor, "old": self.old.isoformat(),
                "new": self.new.isoformat() if self.new else None, "reason": self.reason,
                "old_time": self.old_time, "new_time": self.new_time,
                "in_freeze": self.in_freeze}


@dataclass(frozen=True)
class Saved:
    """A saved ÅMV as read before solving (plain data: the solve runs without a Session)."""

    patient_id: int
    date: date
    status: str
    unit: str
    doctor: str


def clock_times(doc: PlanDocument) -> dict[int, str]:
    """Patient id → the clock time of the patient's ÅMV in ``doc`` ("09:00–09:30"), from the
    one timetable, exactly as the round schedule prints it. An ÅMV of a round now cancelled
    keeps the time it had in that round (the round counted as held); one whose round date is
    gone (a changed rhythm) has no known time (left out)."""
    held = replace(doc, rounds=tuple(replace(r, cancelled=False) for r in doc.rounds))
    return {t.review.patient_id: t.text for t in timetable(held).reviews() if t.timed}


def draft_document(saved: PlanDocument, result: PlanResult,
                   names: Mapping[str, str]) -> PlanDocument:
    """The saved plan's document with the new plan's ÅMV in it (rounds, units and settings
    as the data is now): what the clock times of the new plan are read from."""
    known = {a.patient_id: a for a in saved.reviews}
    reviews = []
    for appt in result.appointments:
        pid = int(appt.patient_id)
        base = known.get(pid)
        status = VisitStatus(appt.status).value
        if base is None:
            reviews.append(AnnualReview(date=appt.date, doctor=appt.doctor, unit=appt.unit,
                                        patient=names.get(appt.patient_id, appt.patient_id),
                                        personnummer=None, preparation=appt.preparation,
                                        status=status, patient_id=pid))
        else:
            reviews.append(replace(base, date=appt.date, doctor=appt.doctor, unit=appt.unit,
                                   preparation=appt.preparation, status=status,
                                   moved_from=None))
    return replace(saved, reviews=tuple(reviews))


def _by_day(reviews: Iterable[AnnualReview]) -> dict[tuple[str, date], set[int]]:
    out: dict[tuple[str, date], set[int]] = defaultdict(set)
    for a in reviews:
        out[(a.doctor, a.date)].add(a.patient_id)
    return out


def _reason(before: Saved, new: date | None, unit: str, doctor: str, doc: PlanDocument,
            newcomers: list[str], unplaced: str,
            reserved: Mapping[tuple[str, date], int] | None = None) -> str:
    """Why an ÅMV moves, in plain Swedish: what happened to its old date, else who took
    its place, else that the plan spread the ÅMV more evenly."""
    if new is None:
        return f"fick inget nytt datum: {unplaced}" if unplaced else "fick inget nytt datum"
    if unit != before.unit:
        return f"ny enhet: {unit}"
    if doctor != before.doctor:
        return f"ny läkare: {doctor}"
    absence = doc.absence(before.doctor, before.date)
    if absence is not None and not absence.substitute:
        return "läkaren frånvarande" + (f" ({absence.reason})" if absence.reason else "")
    rnd = next((r for r in doc.rounds if (r.unit, r.date) == (before.unit, before.date)), None)
    if rnd is not None and rnd.cancelled:
        return "ronden inställd" + (f" ({rnd.cancel_reason})" if rnd.cancel_reason else "")
    if rnd is None and reviews_at_rounds(doc, before.unit):
        return "ronddagen har ändrats"
    if new == before.date:
        return SAME_DAY
    if reserved and reserved.get((before.unit, before.date)):
        return MATTERS
    if newcomers:
        more = f" m.fl. ({len(newcomers)})" if len(newcomers) > 1 else ""
        return f"plats för {newcomers[0]}{more}"
    return EVENER


def find_moves(saved: Iterable[Saved], old_doc: PlanDocument | None,
               new_doc: PlanDocument | None, result: PlanResult, names: Mapping[str, str],
               plan_from: date,
               reserved: Mapping[tuple[str, date], int] | None = None) -> list[Move]:
    """The list "Flyttade – meddela" of a new plan against the saved one (``saved``, its
    document ``old_doc``; the new plan's document ``new_doc``): every planned patient
    (``planned``: solver ids) whose saved ÅMV from ``plan_from`` on changes date or clock
    time or loses its date, and every cancelled one given a date again. In order of the old
    date, each with a reason (a frozen ÅMV: the planner's reason; one whose old round date
    has minutes ``reserved`` by matters: :data:`MATTERS`)."""
    new = {int(a.patient_id): a for a in result.appointments}
    forced = {int(f.patient_id): f.reason for f in result.forced_moves}
    unplaced = {int(u.patient_id): u.reason for u in result.unplaced if u.patient_id}
    wanted = {int(pid) for pid in names}
    old_times = clock_times(old_doc) if old_doc is not None else {}
    new_times = clock_times(new_doc) if new_doc is not None else {}
    doc = new_doc or old_doc
    name = {int(pid): text for pid, text in names.items()}
    before_days = _by_day(old_doc.reviews) if old_doc is not None else {}
    after_days = _by_day(new_doc.reviews) if new_doc is not None else {}
    moves = []
    for visit in sorted(saved, key=lambda v: (v.date, v.patient_id)):
        pid = visit.patient_id
        appt = new.get(pid)
        if pid not in wanted:
            continue
        if visit.status == CANCELLED:
            if appt is None or appt.status == VisitStatus.CANCELLED:
                continue
            reason = PLACED_AGAIN
            old_time = ""
        else:
            if visit.date < plan_from:
                continue
            old_time = old_times.get(pid, "")
            if appt is not None and appt.date == visit.date and (
                    not old_time or new_times.get(pid, old_time) == old_time):
                continue
            reason = ""
        new_day = appt.date if appt is not None else None
        if not reason:
            if pid in forced:
                reason = forced[pid]
            elif doc is None:
                reason = EVENER if new_day is not None else "fick inget nytt datum"
            else:
                came = after_days.get((visit.doctor, visit.date), set()) - before_days.get(
                    (visit.doctor, visit.date), set())
                reason = _reason(visit, new_day, appt.unit if appt else visit.unit,
                                 appt.doctor if appt else visit.doctor, doc,
                                 sorted(name.get(p, "") for p in came), unplaced.get(pid, ""),
                                 reserved)
        moves.append(Move(pid, name.get(pid, str(pid)), visit.unit, visit.doctor,
                          visit.date, new_day, reason, old_time,
                          new_times.get(pid, "") if new_day is not None else "",
                          pid in forced))
    return moves
