"""The planning basis, "Planeringsunderlag fast planerad läkartid" (issue 21.4), as data: for
each round date the unit, date, time, doctor (and the substitute), nurse; the ÅMV in clock
order (times from :mod:`lakarrond.timetable`, the one source) with room and preparation
steps done and not done; the other matters (ärenden) with minutes, who raises them and the
note; the time booked against the length (:func:`lakarrond.matter.round_time`, the one
place). Pure Python over a :class:`~lakarrond.document.PlanDocument` and plain rows: no
store, no Qt. :func:`RoundBasis.to_json` is the JSON of contracts §3.

The matters follow the ÅMV back to back in booking order; one that would end after the
round has no clock time (``start`` None), like an ÅMV outside the round (R5b).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any  # Any: JSON edge: the basis as contract JSON

from lakarrond.document import PlanDocument, RoundEntry
from lakarrond.matter import TAKING_TIME, MatterStatus, RoundTime, round_time
from lakarrond.phone import substitute_text
from lakarrond.timetable import Timetable, end_of, minutes_per_review, parse_clock, timetable
from solver.problem import VisitStatus

REVIEW_KIND = "ÅMV"
TITLE = "Planeringsunderlag fast planerad läkartid"
HELD = (VisitStatus.PLANNED.value, VisitStatus.LOCKED.value, VisitStatus.DONE.value)
StepsDone = Sequence[tuple[str, bool]]  # (step, done) in the checklist's order


@dataclass(frozen=True)
class BasisMatter:
    """A matter as the basis needs it (from :class:`lakarrond.services.matters.MatterRow`)."""

    id: int
    kind: str
    unit: str
    date: date
    patient: str | None
    personnummer: str | None
    minutes: int
    by: str
    note: str
    status: str


@dataclass(frozen=True)
class BasisItem:
    """One line of a round: an ÅMV (``kind`` "ÅMV") or a matter."""

    id: int
    kind: str
    patient: str | None
    personnummer: str | None
    minutes: int
    start: time | None
    by: str | None
    note: str | None
    status: str
    room: str = ""
    steps: tuple[tuple[str, bool], ...] = ()  # ÅMV: the preparation steps, done or not
    contacts: str = ""  # ÅMV: the patient's own nurse where not the unit's ("ssk Lisa Lind")

    @property
    def start_text(self) -> str | None:
        return f"{self.start:%H:%M}" if self.start is not None else None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "patient": self.patient,
                "personnummer": self.personnummer, "minutes": self.minutes,
                "start": self.start_text, "by": self.by, "note": self.note,
                "status": self.status}


@dataclass(frozen=True)
class RoundBasis:
    """The planning basis of one round date."""

    unit: str
    date: date
    start: time
    end: time | None
    doctor: str
    substitute: str
    nurse: str
    time: RoundTime
    items: tuple[BasisItem, ...]
    substitute_phone: str = ""  # the substitute's phone (issue 18.2)

    @property
    def substitute_named(self) -> str:
        """"Per Holm, tel 070-123 45 67" (:func:`lakarrond.phone.substitute_text`)."""
        return substitute_text(self.substitute, self.substitute_phone)

    def to_json(self) -> dict[str, Any]:
        """Contracts §3 "a basis as JSON": one round of the list."""
        return {"unit": self.unit, "date": self.date.isoformat(),
                "start": f"{self.start:%H:%M}",
                "end": f"{self.end:%H:%M}" if self.end is not None else None,
                "length_min": self.time.length_min, "booked_min": self.time.booked_min,
                "doctor": self.doctor, "substitute": self.substitute or None,
                "substitute_phone": self.substitute_phone or None,
                "nurse": self.nurse or None, "items": [i.to_json() for i in self.items]}


def _plus(start: time, minutes: int) -> datetime:
    return datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)


def _number(value: str | None, with_personnummer: bool) -> str | None:
    return value if with_personnummer and value else None


def round_basis(doc: PlanDocument, rnd: RoundEntry, matters: Iterable[BasisMatter],
                steps: Mapping[tuple[int, date], StepsDone], other_min: int = 0,
                with_personnummer: bool = False, tt: Timetable | None = None) -> RoundBasis:
    """The basis of the round ``rnd`` of ``doc``: its held ÅMV (Planerad, Låst, Genomförd)
    and ``matters`` (those of that unit and date with status Planerad or Genomförd);
    ``tt`` is ``doc``'s timetable when the caller has it."""
    start = parse_clock(rnd.start)
    sitting = (tt or timetable(doc)).in_round(rnd.unit, rnd.date)
    timed = [t for t in (sitting.reviews if sitting else ()) if t.review.status in HELD]
    review_min = minutes_per_review(doc, rnd.unit)
    items = [BasisItem(
        id=t.review.visit_id, kind=REVIEW_KIND, patient=t.review.patient,
        personnummer=_number(t.review.personnummer, with_personnummer), minutes=review_min,
        start=t.start, by=None, note=None, status=t.review.status, room=t.review.room,
        steps=tuple(steps.get((t.review.patient_id, t.review.date), ())),
        contacts=doc.named_contacts(t.review))
        for t in timed]
    items.sort(key=lambda i: (i.start is None, i.start or time.min))
    own = [x for x in matters if (x.unit, x.date) == (rnd.unit, rnd.date)
           and MatterStatus(x.status) in TAKING_TIME]
    used = len(sitting.reviews) * review_min if sitting else 0
    end = _plus(start, rnd.length_min)
    for x in own:
        at = _plus(start, used)
        used += x.minutes
        fits = _plus(start, used) <= end and at.date() == date(2000, 1, 1)
        items.append(BasisItem(
            id=x.id, kind=x.kind, patient=x.patient,
            personnummer=_number(x.personnummer, with_personnummer), minutes=x.minutes,
            start=at.time() if fits else None, by=x.by or None, note=x.note or None,
            status=x.status))
    info = doc.unit(rnd.unit)
    return RoundBasis(
        unit=rnd.unit, date=rnd.date, start=start, end=end_of(start, rnd.length_min),
        doctor=rnd.doctor, substitute=rnd.substitute, nurse=info.nurse if info else "",
        substitute_phone=rnd.substitute_phone,
        time=round_time(rnd.length_min, other_min, len(timed), review_min,
                        sum(x.minutes for x in own)),
        items=tuple(items))


def rounds_of(doc: PlanDocument, *, unit: str | None = None, doctor: str | None = None,
              date_from: date | None = None, date_to: date | None = None) -> list[RoundEntry]:
    """The held rounds of ``doc`` of a unit or a doctor in a period, by date and time."""
    return sorted((r for r in doc.rounds if not r.cancelled
                   and (unit is None or r.unit == unit)
                   and (doctor is None or r.doctor == doctor)
                   and (date_from is None or r.date >= date_from)
                   and (date_to is None or r.date <= date_to)),
                  key=lambda r: (r.date, r.start, r.unit))


def basis_json(rounds: Sequence[RoundBasis]) -> list[dict[str, Any]]:
    return [r.to_json() for r in rounds]
