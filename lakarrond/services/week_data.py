"""The typed data of the coordinator's week (:mod:`lakarrond.services.week` builds it): per
doctor and day the rounds with their ÅMV and each one's preparation, and what needs doing
now; and the Swedish words for weeks and days ("Vecka 12 (22–28 mars 2027)")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from typing import NamedTuple

from lakarrond.document import AnnualReview, PlanDocument, RoundEntry
from lakarrond.formatting import count
from lakarrond.matter import Role, RoundTime, to_record
from lakarrond.services.matters import MatterRow
from lakarrond.steps import role_short
from solver.problem import WEEKDAY_NAMES_SV, RoundForm, VisitStatus

HORIZON_WEEKS = 3
MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december")

UNRECORDED = "Ej registrerad"
PREP_LATE = "Förberedelse sen"
NEW_DATE = "Behöver nytt datum"
PREP_DUE = "Förbered nu"
FORCED = "Flyttad inom frysperioden"  # tell the patient and the unit
BEREAVEMENT = "Efterlevandesamtal"  # a patient died: offer the next of kin a talk
MATTER_TO_RECORD = "Ärende att registrera"  # a matter still Planerad after its round
TODO_ORDER = (PREP_LATE, PREP_DUE, UNRECORDED, MATTER_TO_RECORD, NEW_DATE, FORCED,
              BEREAVEMENT)

LATE, DUE, DONE = "late", "due", "done"  # PrepSummary.state
TO_HOLD = (VisitStatus.PLANNED, VisitStatus.LOCKED)


# --- words --------------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_month(day: date) -> str:
    """``23 mars``."""
    return f"{day.day} {MONTHS_SV[day.month - 1]}"


def day_label(day: date) -> str:
    """``tisdag 23 mars``."""
    return f"{WEEKDAY_NAMES_SV[day.weekday()]} {day_month(day)}"


def week_label(monday: date) -> str:
    """``Vecka 12 (22–28 mars 2027)``; ``Vecka 13 (29 mars–4 april 2027)``; ``Vecka 53
    (28 december 2026–3 januari 2027)``."""
    sunday = monday + timedelta(days=6)
    week = monday.isocalendar().week
    if monday.year != sunday.year:
        span = f"{day_month(monday)} {monday.year}–{day_month(sunday)} {sunday.year}"
    elif monday.month != sunday.month:
        span = f"{day_month(monday)}–{day_month(sunday)} {sunday.year}"
    else:
        span = f"{monday.day}–{day_month(sunday)} {sunday.year}"
    return f"Vecka {week} ({span})"


def time_span(start: time | None, end: time | None) -> str:
    if start is None:
        return ""
    return f"{start:%H:%M}–{end:%H:%M}" if end is not None else f"{start:%H:%M}"


# --- the data -----------------------------------------------------------------------------


class TodoStep(NamedTuple):
    """A step late or due now of one ÅMV in "Att göra nu", with who does it ("Mina steg")."""

    name: str
    role: Role | None
    late: bool

    @property
    def text(self) -> str:
        """"Provtagning (Ssk)", the name alone without a role."""
        return f"{self.name} ({role_short(self.role)})" if self.role is not None else self.name


def steps_text(steps: Iterable[TodoStep]) -> str:
    """"Provtagning (Ssk), Riskbedömning arbetsterapeut (AT)": what "Att göra nu" says."""
    return ", ".join(s.text for s in steps)


@dataclass(frozen=True)
class PrepSummary:
    """One ÅMV's checklist in short: steps done of all, and the steps late or due now
    (only for an ÅMV still to be held from today on)."""

    done: int = 0
    total: int = 0
    late_steps: tuple[str, ...] = ()
    due_steps: tuple[str, ...] = ()  # due within a week, not late
    first_due: date | None = None  # the earliest due date of a step not done
    open_steps: tuple[str, ...] = ()  # every step not done
    roles: tuple[tuple[str, Role | None], ...] = ()  # every step with who does it

    def todo_steps(self) -> tuple[TodoStep, ...]:
        """The steps late or due now (late first), each with its role."""
        role = dict(self.roles)
        return tuple(TodoStep(name, role.get(name), name in self.late_steps)
                     for name in self.missing)

    @property
    def state(self) -> str:
        """LATE (red), DUE (amber), DONE (every step done) or ""."""
        if self.late_steps:
            return LATE
        if self.due_steps:
            return DUE
        return DONE if self.total and self.done == self.total else ""

    @property
    def text(self) -> str:
        """``3 av 5 klara · 1 sen``."""
        if not self.total:
            return ""
        parts = [f"{self.done} av {self.total} klara"]
        if self.late_steps:
            parts.append(f"{len(self.late_steps)} {'sen' if len(self.late_steps) == 1 else 'sena'}")
        elif self.due_steps:
            parts.append(f"{len(self.due_steps)} att göra nu")
        return " · ".join(parts)

    @property
    def missing(self) -> tuple[str, ...]:
        return self.late_steps + self.due_steps


@dataclass(frozen=True)
class WeekReview:
    """One ÅMV of the week with its time and preparation."""

    review: AnnualReview
    start: time | None = None
    end: time | None = None
    prep: PrepSummary = field(default_factory=PrepSummary)
    unrecorded: bool = False  # past and still Planerad

    @property
    def patient(self) -> str:
        return self.review.patient

    @property
    def patient_id(self) -> int:
        return self.review.patient_id

    @property
    def visit_id(self) -> int:
        return self.review.visit_id

    @property
    def unit(self) -> str:
        return self.review.unit

    @property
    def date(self) -> dt.date:
        return self.review.date

    @property
    def status(self) -> str:
        return self.review.status

    @property
    def status_text(self) -> str:
        return UNRECORDED if self.unrecorded else self.review.status

    @property
    def time_text(self) -> str:
        return time_span(self.start, self.end)


@dataclass(frozen=True)
class WeekMatter:
    """A matter (ärende) booked in a round of the week, with its clock time (after the ÅMV,
    as the planning basis orders them; None when it does not fit or is not held)."""

    matter: MatterRow
    start: time | None = None
    to_record: bool = False  # still Planerad after its round: record it

    @property
    def id(self) -> int:
        return self.matter.id

    @property
    def time_text(self) -> str:
        return f"{self.start:%H:%M}" if self.start is not None else ""


@dataclass(frozen=True)
class WeekRound:
    """A round of the day with its ÅMV, or (``entry`` None) the doctor's separate ÅMV time:
    units with phone rounds or without ÅMV in the round (LSS). ``time``: what is booked
    against the round's length (:func:`lakarrond.matter.round_time`); ``matters``: the
    matters booked on the round date."""

    entry: RoundEntry | None
    reviews: tuple[WeekReview, ...] = ()
    remark: str = ""
    remark_kind: str = ""  # "", "cancel" or "sub"
    start: time | None = None
    end: time | None = None
    time: RoundTime | None = None
    matters: tuple[WeekMatter, ...] = ()

    @property
    def time_used_text(self) -> str:
        """"45 av 60 min" ("" for the separate ÅMV time and a cancelled round)."""
        return self.time.text() if self.time is not None and not self.cancelled else ""

    @property
    def overbooked(self) -> bool:
        return self.time is not None and not self.cancelled and self.time.left_min < 0

    @property
    def separate(self) -> bool:
        return self.entry is None

    @property
    def unit(self) -> str:
        if self.entry is not None:
            return self.entry.unit
        return ", ".join(sorted({r.unit for r in self.reviews}))

    @property
    def form(self) -> str:
        if self.entry is None:
            return "ÅMV-tid"
        return "Telefon" if self.entry.form == RoundForm.PHONE else "Fysisk"

    @property
    def cancelled(self) -> bool:
        return self.entry is not None and self.entry.cancelled

    @property
    def time_text(self) -> str:
        return time_span(self.start, self.end)

    @property
    def sort_key(self) -> tuple[str, str]:
        return (f"{self.start:%H:%M}" if self.start else "99:99", self.unit)


@dataclass(frozen=True)
class WeekDay:
    date: dt.date
    rounds: tuple[WeekRound, ...] = ()
    absence: str = ""  # "Frånvarande (Semester) – vikarie Per Vikarie"

    @property
    def label(self) -> str:
        return day_label(self.date)

    @property
    def reviews(self) -> tuple[WeekReview, ...]:
        return tuple(r for rnd in self.rounds for r in rnd.reviews)


@dataclass(frozen=True)
class DoctorWeek:
    doctor: str
    days: tuple[WeekDay, ...]
    health_centre: str = ""

    @property
    def reviews(self) -> tuple[WeekReview, ...]:
        return tuple(r for d in self.days for r in d.reviews)

    @property
    def rounds(self) -> tuple[WeekRound, ...]:
        return tuple(rnd for d in self.days for rnd in d.rounds if not rnd.separate)

    @property
    def summary(self) -> str:
        """``3 ronder, 1 inställd, 5 ÅMV``."""
        rounds = self.rounds
        cancelled = sum(1 for r in rounds if r.cancelled)
        parts = [count(len(rounds) - cancelled, "rond")]
        if cancelled:
            parts.append(f"{cancelled} {'inställd' if cancelled == 1 else 'inställda'}")
        parts.append(count(len(self.reviews), "ÅMV"))
        return ", ".join(parts)


@dataclass(frozen=True)
class TodoItem:
    """One thing to do now: record a past ÅMV, prepare one, find a new date, or tell about
    a forced move."""

    kind: str  # UNRECORDED, PREP_LATE, NEW_DATE, PREP_DUE, FORCED, MATTER_TO_RECORD, …
    date: dt.date  # the ÅMV date (or the cancelled date, or the date before the move)
    patient: str
    unit: str
    doctor: str
    detail: str
    patient_id: int = 0
    visit_id: int = 0
    review: AnnualReview | None = None  # the live ÅMV, when there is one
    due: dt.date | None = None  # a preparation item's earliest due date
    matter_id: int = 0  # a matter to record (MATTER_TO_RECORD)
    steps: tuple[TodoStep, ...] = ()  # a preparation item's steps late or due, with roles

    def for_role(self, role: Role | None) -> TodoItem | None:
        """The item as "Mina steg" ``role`` shows it: a preparation item with only that
        role's steps (late only when one of them is), None when it has none of them or is
        not a preparation item; every item when ``role`` is None."""
        if role is None:
            return self
        mine = tuple(s for s in self.steps if s.role == role)
        if self.kind not in (PREP_LATE, PREP_DUE) or not mine:
            return None
        kind = PREP_LATE if any(s.late for s in mine) else PREP_DUE
        return replace(self, kind=kind, detail=steps_text(mine), steps=mine)

    @property
    def late(self) -> bool:
        return self.kind in (UNRECORDED, PREP_LATE)


@dataclass(frozen=True)
class WeekData:
    monday: date
    today: date
    doctors: tuple[DoctorWeek, ...] = ()
    todo: tuple[TodoItem, ...] = ()
    years: tuple[int, ...] = ()  # the plan years read
    missing: tuple[int, ...] = ()  # of them, the years without a saved plan

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def week(self) -> int:
        return self.monday.isocalendar().week

    @property
    def label(self) -> str:
        return week_label(self.monday)

    @property
    def reviews(self) -> tuple[WeekReview, ...]:
        return tuple(r for d in self.doctors for r in d.reviews)

    @property
    def matters(self) -> tuple[WeekMatter, ...]:
        return tuple(x for d in self.doctors for day in d.days for r in day.rounds
                     for x in r.matters)

    def find(self, visit_id: int) -> WeekReview | None:
        return next((r for r in self.reviews if r.visit_id == visit_id), None)

    @property
    def note(self) -> str:
        """Why the week may look empty (no saved plan for a year it touches), or ""."""
        if not self.missing:
            return ""
        years = " och ".join(str(y) for y in self.missing)
        return f"Ingen sparad plan för {years}."




def bereavements(doc: PlanDocument) -> list[TodoItem]:
    """The follow-ups of the plan's recent deaths (``PlanDocument.deaths``): an
    Efterlevandesamtal to offer the next of kin (issue 21.3)."""
    return [TodoItem(BEREAVEMENT, d.date, d.patient, d.unit, d.doctor,
                     f"{d.reason} – erbjud närstående ett efterlevandesamtal", d.patient_id)
            for d in doc.deaths]


def matters_to_record(matters: Iterable[MatterRow], today: date) -> list[TodoItem]:
    """The matters still Planerad on the working day after their round (issue 21.4): "Ärende
    att registrera" in Att göra nu until recorded."""
    return [TodoItem(MATTER_TO_RECORD, x.date, x.patient or "", x.unit, x.doctor,
                     f"{x.kind} – registrera Genomförd, Flyttad eller Struken",
                     x.patient_id or 0, matter_id=x.id)
            for x in matters if to_record(x.status, x.date, today)]
