"""The coordinator's week (issue 14.1): who has an ÅMV this week, is each prepared, whom do
I still have to record, and what do I tell the doctor.

:func:`build_week` is pure: from the saved plan(s) (:class:`~lakarrond.document.PlanDocument`),
a Monday, "today", the preparation checklists and the ÅMV lengths it returns
:class:`WeekData` – per doctor, per day, the rounds (unit, time, form, cancelled, substitute)
with their ÅMV and each ÅMV's preparation, the ÅMV on separate times (phone-round and LSS
units), and what needs doing now. :func:`load_week` reads what it needs from the store.

The plan year may differ from the week's year near New Year: every year the week and the
next two weeks touch is read (a week from Monday 28 December reads both years).

What needs doing (:class:`TodoItem`), for the week and the next two weeks (the *horizon*):

- preparation steps late (due before today) or due within a week, of the ÅMV from today
  on in the horizon that are still to be held;
- past ÅMV not recorded ("Ej registrerad"), of the years read;
- ÅMV that need a new date (the date cannot be held any more, or cancelled).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, time, timedelta

from sqlalchemy import select

from lakarrond.document import AnnualReview, PlanDocument, RoundEntry
from lakarrond.errors import BadInput
from lakarrond.printouts import (
    MASKED,
    DoctorWeekList,
    Printout,
    WeekListDay,
    WeekListReview,
    WeekListRound,
    printed_patient,
    week_round_list,
)
from lakarrond.services.clock import sequence_times
from lakarrond.services.document import current_document
from lakarrond.services.preparation import StepState, checklist
from lakarrond.services.settings import review_day_start
from lakarrond.services.week_data import (
    DEFAULT_REVIEW_MINUTES,
    DUE,
    HORIZON_WEEKS,
    LATE,
    NEW_DATE,
    PREP_DUE,
    PREP_LATE,
    TO_HOLD,
    TODO_ORDER,
    UNRECORDED,
    DoctorWeek,
    PrepSummary,
    TodoItem,
    WeekData,
    WeekDay,
    WeekReview,
    WeekRound,
    monday_of,
)
from lakarrond.store import Database
from lakarrond.store import models as m
from lakarrond.store.settings import DEFAULT_REVIEW_DAY_START

Checklists = Mapping[tuple[int, date], Sequence[StepState]]


# --- building -----------------------------------------------------------------------------


def horizon_years(monday: date) -> tuple[int, ...]:
    """The plan years the week and the next two weeks touch."""
    last = monday + timedelta(days=7 * HORIZON_WEEKS - 1)
    return tuple(sorted({monday.year, (monday + timedelta(days=6)).year, last.year}))


def still_to_hold(review: AnnualReview, today: date) -> bool:
    """Planned or locked from today on, with a date that holds: its preparation can be late
    or due; a held, declined, past or homeless ÅMV's cannot."""
    return review.status in TO_HOLD and review.date >= today and not review.needs_new_date


def review_checklist(db: Database, review: AnnualReview, today: date) -> list[StepState]:
    """The preparation steps of one ÅMV (Veckan's checklist), late/due only when the ÅMV is
    still to be held."""
    found = checklist(db, review.date.year, [(review.patient_id, review.date)],
                                  today)
    states = found.get((review.patient_id, review.date), [])
    if still_to_hold(review, today):
        return states
    return [replace(s, late=False, due_now=False) for s in states]


def summarise(states: Sequence[StepState], review: AnnualReview, today: date) -> PrepSummary:
    """The checklist in short; late and due only for an ÅMV still to be held from today."""
    pending = still_to_hold(review, today)
    open_steps = [s for s in states if not s.done]
    return PrepSummary(
        done=sum(1 for s in states if s.done),
        total=len(states),
        late_steps=tuple(s.step for s in open_steps if s.late) if pending else (),
        due_steps=tuple(s.step for s in open_steps if s.due_now and not s.late)
        if pending else (),
        first_due=min((s.due for s in open_steps), default=None),
        open_steps=tuple(s.step for s in open_steps),
    )


def _absence_text(doc: PlanDocument, doctor: str, day: date) -> str:
    absence = doc.absence(doctor, day)
    if absence is None:
        return ""
    why = f" ({absence.reason})" if absence.reason else ""
    who = f"vikarie {absence.substitute}" if absence.substitute else "vikarie saknas"
    return f"Frånvarande{why} – {who}"


def _round_remark(doc: PlanDocument, r: RoundEntry, doctor: str) -> tuple[str, str]:
    if r.cancelled:
        return f"Inställd – {r.cancel_reason or 'spärrad dag'}", "cancel"
    if r.doctor != doctor:
        return f"Som vikarie för {r.doctor}", "sub"
    if r.substitute:
        return f"Vikarie: {r.substitute}", "sub"
    if doc.absence(r.doctor, r.date) is not None:
        return "Läkaren frånvarande – vikarie saknas", "cancel"
    return "", ""


def _timed(reviews: Sequence[WeekReview], slots: Sequence[tuple[time, time]] | None
           ) -> tuple[WeekReview, ...]:
    if slots is None:
        return tuple(reviews)
    return tuple(WeekReview(r.review, s, e, r.prep, r.unrecorded)
                 for r, (s, e) in zip(reviews, slots, strict=True))


def _slots(start: time, minutes: Sequence[int]) -> list[tuple[time, time]] | None:
    if not minutes:
        return None
    try:
        return sequence_times(start, minutes)
    except (BadInput, ValueError):  # past midnight, or no length: no clock times
        return None


def _at_rounds(doc: PlanDocument, unit: str) -> bool:
    """Whether the unit's ÅMV are held in its physical rounds (else on separate times)."""
    info = doc.unit(unit)
    return info.reviews_in_round if info is not None else True


def _end(start: time, minutes: int) -> time | None:
    slots = _slots(start, [minutes]) if minutes > 0 else None
    return slots[0][1] if slots else None


def _doctor_day(doc: PlanDocument, doctor: str, day: date, own: Sequence[RoundEntry],
                reviews: Sequence[WeekReview], minutes: Mapping[str, int],
                day_start: time) -> WeekDay:
    """One doctor's day: each round with the ÅMV held in it (times from the round's start,
    in name order), then the separate ÅMV time (times from the ÅMV-day start, in unit and
    name order). An ÅMV of a unit with ÅMV in the round but no round that day (it needs a
    new date) is listed on the separate time without a clock time."""
    by_unit = {r.unit: r for r in own}
    in_round: dict[str, list[WeekReview]] = defaultdict(list)
    separate: list[WeekReview] = []
    for w in reviews:
        if _at_rounds(doc, w.unit) and w.unit in by_unit:
            in_round[w.unit].append(w)
        else:
            separate.append(w)
    rounds: list[WeekRound] = []
    for r in own:
        in_it = sorted(in_round.get(r.unit, []), key=lambda w: w.patient)
        start = time.fromisoformat(r.start) if r.start else None
        slots = None
        if start is not None and not r.cancelled and in_it:
            slots = _slots(start, [minutes.get(r.unit, DEFAULT_REVIEW_MINUTES)] * len(in_it))
        end = _end(start, r.length_min) if start is not None else None
        remark, kind = _round_remark(doc, r, doctor)
        rounds.append(WeekRound(r, _timed(in_it, slots), remark, kind, start, end))
    if separate:
        ordered = sorted(separate, key=lambda w: (w.unit, w.patient))
        timed = [w for w in ordered if not _at_rounds(doc, w.unit)]
        untimed = [w for w in ordered if _at_rounds(doc, w.unit)]
        slots = _slots(day_start, [minutes.get(w.unit, DEFAULT_REVIEW_MINUTES) for w in timed])
        items = _timed(timed, slots) + tuple(untimed)
        start = slots[0][0] if slots else None
        end = slots[-1][1] if slots else None
        rounds.append(WeekRound(None, items, f"{len(items)} ÅMV på separat tid", "", start, end))
    rounds.sort(key=lambda r: r.sort_key)
    return WeekDay(day, tuple(rounds), _absence_text(doc, doctor, day))


def _todo(docs: Sequence[PlanDocument], horizon: tuple[date, date], today: date,
          prep: Mapping[int, PrepSummary]) -> list[TodoItem]:
    items: list[TodoItem] = []
    first, last = horizon
    for doc in docs:
        for a in doc.reviews:
            if a.unrecorded_on(today):
                items.append(TodoItem(
                    UNRECORDED, a.date, a.patient, a.unit, a.doctor,
                    "Passerad – registrera utfallet",
                    a.patient_id, a.visit_id, a))
            elif a.needs_new_date:
                items.append(TodoItem(NEW_DATE, a.date, a.patient, a.unit, a.doctor,
                                      a.needs_new_date, a.patient_id, a.visit_id, a))
            elif first <= a.date <= last and a.visit_id in prep:
                summary = prep[a.visit_id]
                if summary.state in (LATE, DUE):
                    kind = PREP_LATE if summary.state == LATE else PREP_DUE
                    items.append(TodoItem(kind, a.date, a.patient, a.unit, a.doctor,
                                          ", ".join(summary.missing), a.patient_id,
                                          a.visit_id, a, summary.first_due))
        items += [TodoItem(NEW_DATE, d.date, d.patient, d.unit, d.doctor, d.reason,
                           d.patient_id, d.visit_id) for d in doc.due_again]
    def order(t: TodoItem) -> tuple[int, int, str]:  # the newest unrecorded first
        day = (t.due or t.date).toordinal()
        return (TODO_ORDER.index(t.kind), -day if t.kind == UNRECORDED else day, t.patient)

    return sorted(items, key=order)


def build_week(
    docs: Iterable[PlanDocument | None],
    monday: date,
    today: date,
    checklists: Checklists | None = None,
    minutes: Mapping[str, int] | None = None,
    day_start: Mapping[int, time] | None = None,
) -> WeekData:
    """The week from ``monday`` as the coordinator sees it on ``today``: per doctor and day
    the rounds with their ÅMV (times, preparation), and what needs doing now.
    ``checklists``: (patient id, ÅMV date) → the steps (:func:`~lakarrond.services.
    preparation.checklist`); ``minutes``: unit → minutes per ÅMV; ``day_start``: year →
    the first ÅMV time on the doctors' separate ÅMV days."""
    monday = monday_of(monday)
    years = horizon_years(monday)
    plans = [d for d in docs if d is not None and d.year in years]
    missing = tuple(y for y in years if y not in {d.year for d in plans})
    checklists = checklists or {}
    minutes = minutes or {}
    horizon = (monday, monday + timedelta(days=7 * HORIZON_WEEKS - 1))
    prep = {a.visit_id: summarise(checklists.get((a.patient_id, a.date), ()), a, today)
            for d in plans for a in d.reviews if horizon[0] <= a.date <= horizon[1]}

    doctors = sorted({name for d in plans for name in d.doctors})
    weeks: list[DoctorWeek] = []
    for doctor in doctors:
        days: list[WeekDay] = []
        centre = ""
        for offset in range(7):
            day = monday + timedelta(days=offset)
            doc = next((d for d in plans if d.year == day.year), None)
            if doc is None:
                continue
            centre = centre or next((u.health_centre for u in doc.units
                                     if u.doctor == doctor and u.health_centre), "")
            own = [r for r in doc.rounds if r.date == day
                   and (r.doctor == doctor or (r.substitute == doctor and r.doctor != doctor))]
            reviews = [WeekReview(a, prep=prep.get(a.visit_id, PrepSummary()),
                                  unrecorded=a.unrecorded_on(today))
                       for a in doc.reviews if a.date == day and a.doctor == doctor]
            if offset >= 5 and not own and not reviews:
                continue  # the weekend, when nothing happens
            start = (day_start or {}).get(day.year, DEFAULT_REVIEW_DAY_START)
            days.append(_doctor_day(doc, doctor, day, own, reviews, minutes, start))
        if days:
            weeks.append(DoctorWeek(doctor, tuple(days), centre))
    return WeekData(monday=monday, today=today, doctors=tuple(weeks),
                    todo=tuple(_todo(plans, horizon, today, prep)), years=years,
                    missing=missing)


# --- reading the store --------------------------------------------------------------------


def load_week(db: Database, monday: date, today: date,
              known: Iterable[PlanDocument | None] = ()) -> WeekData:
    """The week from ``monday`` (any day of the week will do) read from the store. A plan
    document in ``known`` (the window's current one) is used instead of reading its year
    again."""
    monday = monday_of(monday)
    years = horizon_years(monday)
    given = {d.year: d for d in known if d is not None}
    docs = [given[y] if y in given else current_document(db, y, today) for y in years]
    horizon_end = monday + timedelta(days=7 * HORIZON_WEEKS - 1)
    checklists: dict[tuple[int, date], Sequence[StepState]] = {}
    starts: dict[int, time] = {}
    with db.read() as session:
        minutes = {name: int(length or DEFAULT_REVIEW_MINUTES) for name, length in
                   session.execute(select(m.Unit.name, m.Unit.review_minutes))}
        for doc in docs:
            if doc is None:
                continue
            rows = [(a.patient_id, a.date) for a in doc.reviews
                    if monday <= a.date <= horizon_end]
            if rows:
                checklists.update(checklist(session, doc.year, rows, today))
            starts[doc.year] = review_day_start(session, doc.year)
    return build_week(docs, monday, today, checklists, minutes, starts)


# --- on paper -----------------------------------------------------------------------------


def _paper_prep(w: WeekReview) -> str:
    """How far the preparation is, for the doctor: "Klar", "Inget steg klart" or "3 av 5
    klara · saknas: prover tagna, …" (nothing for a held or past ÅMV)."""
    if w.review.status not in TO_HOLD or w.unrecorded or not w.prep.total:
        return ""
    if not w.prep.open_steps:
        return "Klar"
    if not w.prep.done:
        return "Inget steg klart"
    return (f"{w.prep.done} av {w.prep.total} klara · saknas: "
            + ", ".join(s.lower() for s in w.prep.open_steps))


def week_printout(week: WeekData, doctor: str | None = None, *,
                  numbers: str = MASKED) -> Printout:
    """The week's round list on paper: one page per doctor (or only ``doctor``'s)."""
    pages = []
    for d in week.doctors:
        if doctor is not None and d.doctor != doctor:
            continue
        days = tuple(
            WeekListDay(day.date, day.label, day.absence, tuple(
                WeekListRound(
                    r.time_text, r.unit, r.form, r.remark, r.remark_kind, r.cancelled,
                    tuple(WeekListReview(a.time_text,
                                         printed_patient(a.review, r.separate, numbers),
                                         a.status_text, _paper_prep(a),
                                         bool(a.prep.late_steps), a.unrecorded)
                          for a in r.reviews))
                for r in day.rounds))
            for day in d.days)
        pages.append(DoctorWeekList(d.doctor, d.health_centre, d.summary, days))
    return week_round_list(week.monday.year, week.monday, week.label, pages, numbers=numbers)
