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
- ÅMV that need a new date (the date cannot be held any more, or cancelled);
- frozen ÅMV the last re-plan had to move (tell the patient and the unit).

The last three are the plan's follow-ups (:func:`follow_ups`), the one list Årsplan's "Att
följa upp" shows too.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from lakarrond.document import AbsenceEntry, AnnualReview, PlanDocument, RoundEntry
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
from lakarrond.services.document import current_document
from lakarrond.services.matters import MatterRow
from lakarrond.services.preparation import StepState, checklist
from lakarrond.services.week_data import (
    DUE,
    FORCED,
    HORIZON_WEEKS,
    LATE,
    MATTER_TO_RECORD,
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
    bereavements,
    matters_to_record,
    monday_of,
    steps_text,
)
from lakarrond.services.week_matters import (
    MattersByRound,
    index_matters,
    other_minutes,
    read_matters,
    round_matters,
)
from lakarrond.store import Database
from lakarrond.timetable import (
    NO_ROUND,
    TimedReview,
    Timetable,
    end_of,
    parse_clock,
    timetable,
)
from lakarrond.today import today as todays_date

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


def review_checklists(db: Database, reviews: Sequence[AnnualReview],
                      today: date) -> list[list[StepState]]:
    """:func:`review_checklist` of several ÅMV (in their order) in one read."""
    found: dict[tuple[int, date], list[StepState]] = {}
    with db.read() as session:
        for year in sorted({a.date.year for a in reviews}):
            found.update(checklist(session, year, [(a.patient_id, a.date) for a in reviews
                                                   if a.date.year == year], today))
    return [found.get((a.patient_id, a.date), []) if still_to_hold(a, today)
            else [replace(s, late=False, due_now=False)
                  for s in found.get((a.patient_id, a.date), [])] for a in reviews]


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
        roles=tuple((s.step, s.role) for s in states),
    )


def _absence(doc: PlanDocument, doctor: str, day: date) -> AbsenceEntry | None:
    """``doc.absence`` by doctor (the week index's): not a search of the year's absences
    for each doctor-day of the week (issue 17)."""
    return next((a for a in week_index(doc).absences.get(doctor, ()) if a.covers(day)), None)


def _absence_text(doc: PlanDocument, doctor: str, day: date) -> str:
    absence = _absence(doc, doctor, day)
    if absence is None:
        return ""
    why = f" ({absence.reason})" if absence.reason else ""
    who = f"vikarie {absence.substitute_named}" if absence.substitute else "vikarie saknas"
    return f"Frånvarande{why} – {who}"


def _round_remark(doc: PlanDocument, r: RoundEntry, doctor: str) -> tuple[str, str]:
    if r.cancelled:
        return f"Inställd – {r.cancel_reason or 'spärrad dag'}", "cancel"
    if r.doctor != doctor:
        return f"Som vikarie för {r.doctor}", "sub"
    if r.substitute:
        return f"Vikarie: {r.substitute_named}", "sub"
    if doc.absence(r.doctor, r.date) is not None:
        return "Läkaren frånvarande – vikarie saknas", "cancel"
    return "", ""


def _week_review(t: TimedReview, prep: Mapping[int, PrepSummary], today: date) -> WeekReview:
    a = t.review
    return WeekReview(a, t.start, t.end, prep.get(a.visit_id, PrepSummary()),
                      a.unrecorded_on(today))


def _doctor_day(doc: PlanDocument, tt: Timetable, doctor: str, day: date,
                own: Sequence[RoundEntry], prep: Mapping[int, PrepSummary],
                today: date, by_round: MattersByRound | None = None,
                other_min: Mapping[str, int] | None = None) -> WeekDay:
    """One doctor's day from the plan's :class:`~lakarrond.timetable.Timetable` (the one
    source of clock times): each round with the doctor's ÅMV held in it, then the separate
    ÅMV time. An ÅMV of a unit with ÅMV in the round but no held round that day (it needs a
    new date) has no clock time: it is listed in its cancelled round, or else on the
    separate time."""
    homeless = [t for t in tt.on(day) if t.review.doctor == doctor and t.why == NO_ROUND]
    rounds: list[WeekRound] = []
    for r in own:
        sitting = tt.in_round(r.unit, r.date)
        held = [t for t in sitting.reviews if t.review.doctor == doctor] if sitting else []
        lost = [t for t in homeless if t.review.unit == r.unit]
        homeless = [t for t in homeless if t.review.unit != r.unit]
        start = parse_clock(r.start) if r.start else None
        end = end_of(start, r.length_min) if start is not None else None
        remark, kind = _round_remark(doc, r, doctor)
        items = tuple(_week_review(t, prep, today) for t in held + lost)
        used, matters = round_matters(doc, tt, r, by_round or {}, other_min or {}, today)
        rounds.append(WeekRound(r, items, remark, kind, start, end, used, matters))
    separate = tt.separate(doctor, day)
    timed = list(separate.reviews) if separate is not None else []
    if timed or homeless:
        items = tuple(_week_review(t, prep, today) for t in timed + homeless)
        start = separate.start if separate is not None else None
        end = separate.end if separate is not None else None
        rounds.append(WeekRound(None, items, f"{len(items)} ÅMV på separat tid", "", start, end))
    rounds.sort(key=lambda r: r.sort_key)
    return WeekDay(day, tuple(rounds), _absence_text(doc, doctor, day))


def _follow_up_order(t: TodoItem) -> tuple[date, int, str]:
    return (t.date, TODO_ORDER.index(t.kind), t.patient)


def follow_ups(doc: PlanDocument, today: date | None = None,
               matters: Iterable[MatterRow] = ()) -> list[TodoItem]:
    """What needs following up in a saved plan – the one list, shown by Årsplan's "Att
    följa upp" and (with the preparation of the coming weeks) by Veckan's "Att göra": past
    ÅMV not recorded, ÅMV that need a new date (the date cannot be held, or cancelled and
    due again), and frozen ÅMV the last re-plan had to move (tell the patient and the
    unit), recent deaths (Efterlevandesamtal), and the ``matters`` of the plan's year still
    Planerad the working day after their round ("Ärende att registrera"). By date, kind and
    patient; ``today`` defaults to the day the document was read for."""
    today = today or doc.today or todays_date()
    items: list[TodoItem] = []
    for a in doc.reviews:
        if a.unrecorded_on(today):
            items.append(TodoItem(UNRECORDED, a.date, a.patient, a.unit, a.doctor,
                                  "Passerad – registrera Genomförd, Avböjd eller Inställd",
                                  a.patient_id, a.visit_id, a))
        elif a.needs_new_date:
            items.append(TodoItem(NEW_DATE, a.date, a.patient, a.unit, a.doctor,
                                  a.needs_new_date, a.patient_id, a.visit_id, a))
    items += [TodoItem(NEW_DATE, d.date, d.patient, d.unit, d.doctor, d.reason,
                       d.patient_id, d.visit_id) for d in doc.due_again]
    for f in doc.forced_moves:
        now = doc.review_of(f.patient_id) if f.patient_id else None
        items.append(TodoItem(
            FORCED, f.old, f.patient, now.unit if now else "", now.doctor if now else "",
            f"→ {f.new.isoformat() if f.new else 'inget datum'}: {f.reason}",
            f.patient_id or 0, now.visit_id if now else 0, now))
    items += bereavements(doc)  # recent deaths: Efterlevandesamtal
    items += matters_to_record((x for x in matters if x.date.year == doc.year), today)
    return sorted(items, key=_follow_up_order)


def _todo(docs: Sequence[PlanDocument], horizon: tuple[date, date], today: date,
          prep: Mapping[int, PrepSummary], matters: Sequence[MatterRow] = ()) -> list[TodoItem]:
    """Veckan's "Att göra": the plans' follow-ups and the preparation late or due of the
    ÅMV in the horizon."""
    items = [t for doc in docs for t in week_index(doc).follow_ups(doc, today, matters)]
    for doc in docs:
        index = week_index(doc)
        for a in (a for day in _days(*horizon) for a in index.by_date.get(day, ())):
            if a.unrecorded_on(today) or a.needs_new_date:
                continue
            if a.visit_id in prep:
                summary = prep[a.visit_id]
                if summary.state in (LATE, DUE):
                    kind = PREP_LATE if summary.state == LATE else PREP_DUE
                    steps = summary.todo_steps()
                    items.append(TodoItem(kind, a.date, a.patient, a.unit, a.doctor,
                                          steps_text(steps), a.patient_id, a.visit_id, a,
                                          summary.first_due, steps=steps))

    def order(t: TodoItem) -> tuple[int, int, str]:  # the newest unrecorded first
        day = (t.due or t.date).toordinal()
        newest_first = t.kind in (UNRECORDED, MATTER_TO_RECORD)
        return (TODO_ORDER.index(t.kind), -day if newest_first else day, t.patient)

    return sorted(items, key=order)


@dataclass(frozen=True)
class WeekIndex:
    """One plan document looked up by doctor and date (built once per document, issue 17):
    a week reads only its own days instead of scanning the year's rounds and ÅMV for each
    doctor-day. It does not hold its document (it lives in the document's ``__dict__``: a
    reference back would be a cycle, which only a full collection frees – the window
    freezes its heap, so a replaced document must die by reference counting alone)."""

    rounds: Mapping[tuple[str, date], tuple[RoundEntry, ...]]  # (doctor or substitute, day)
    busy: frozenset[tuple[str, date]]  # (doctor, day) with an ÅMV
    rounds_on: Mapping[date, tuple[RoundEntry, ...]]
    by_date: Mapping[date, tuple[AnnualReview, ...]]
    centres: Mapping[str, str]  # doctor -> the health centre of their first unit
    doctors: tuple[str, ...]
    absences: Mapping[str, tuple[AbsenceEntry, ...]]  # doctor -> their absences, in order
    _follow_ups: dict[date, list[TodoItem]] = field(default_factory=dict, compare=False)
    _weeks: dict[date, Timetable] = field(default_factory=dict, compare=False)

    def timetable(self, doc: PlanDocument, monday: date) -> Timetable:
        """The timetable of the week from ``monday`` alone (a day's clock times depend on
        that day's ÅMV and rounds only) of the indexed ``doc``, made once per week asked
        for."""
        if monday not in self._weeks:
            days = _days(monday, monday + timedelta(days=6))
            mine = tuple(a for day in days for a in self.by_date.get(day, ()))
            held = tuple(r for day in days for r in self.rounds_on.get(day, ()))
            self._weeks[monday] = timetable(replace(doc, reviews=mine, rounds=held))
        return self._weeks[monday]

    def follow_ups(self, doc: PlanDocument, today: date,
                   matters: Sequence[MatterRow] = ()) -> list[TodoItem]:
        """:func:`follow_ups` of the indexed ``doc`` on ``today`` (the plan's part found
        once; the ``matters`` change without a new document)."""
        if today not in self._follow_ups:
            self._follow_ups[today] = follow_ups(doc, today)
        mine = matters_to_record((x for x in matters if x.date.year == doc.year), today)
        if not mine:
            return self._follow_ups[today]
        return sorted(self._follow_ups[today] + mine, key=_follow_up_order)


_LOCK = threading.Lock()
_INDEX_KEY = "_week_index"  # in the document's own __dict__ (beside its cached properties)


def week_index(doc: PlanDocument) -> WeekIndex:
    """The :class:`WeekIndex` of ``doc``, built the first time it is asked for (documents are
    immutable: a changed plan is a new document and gets a new index). The index lives as
    long as its document and no longer (a cache beside the documents kept the last four
    documents alive, each with its index and its weeks' timetables)."""
    found: WeekIndex | None = doc.__dict__.get(_INDEX_KEY)
    if found is not None:
        return found
    rounds: dict[tuple[str, date], list[RoundEntry]] = defaultdict(list)
    rounds_on: dict[date, list[RoundEntry]] = defaultdict(list)
    for r in doc.rounds:
        rounds_on[r.date].append(r)
        rounds[(r.doctor, r.date)].append(r)
        if r.substitute and r.substitute != r.doctor:
            rounds[(r.substitute, r.date)].append(r)
    by_date: dict[date, list[AnnualReview]] = defaultdict(list)
    for a in doc.reviews:
        by_date[a.date].append(a)
    centres: dict[str, str] = {}
    for u in doc.units:
        if u.health_centre:
            centres.setdefault(u.doctor, u.health_centre)
    index = WeekIndex(
        rounds={k: tuple(v) for k, v in rounds.items()},
        busy=frozenset((a.doctor, a.date) for a in doc.reviews),
        rounds_on={k: tuple(v) for k, v in rounds_on.items()},
        by_date={k: tuple(v) for k, v in by_date.items()},
        centres=centres,
        doctors=tuple(doc.doctors),
        absences={d: tuple(a for a in doc.absences if a.doctor == d)
                  for d in {a.doctor for a in doc.absences}},
    )
    with _LOCK:  # the job runner indexes a document it read (ui.controllers.plan)
        kept: WeekIndex = doc.__dict__.setdefault(_INDEX_KEY, index)
    return kept


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def build_week(
    docs: Iterable[PlanDocument | None],
    monday: date,
    today: date,
    checklists: Checklists | None = None,
    matters: Sequence[MatterRow] = (),
    other_min: Mapping[str, int] | None = None,
) -> WeekData:
    """The week from ``monday`` as the coordinator sees it on ``today``: per doctor and day
    the rounds with their ÅMV (clock times from :func:`lakarrond.timetable.timetable`,
    preparation), and what needs doing now. ``checklists``: (patient id, ÅMV date) → the
    steps (:func:`~lakarrond.services.preparation.checklist`); ``matters``: the matters
    booked (listed under their rounds, and in "Att göra" when not recorded after the
    round), ``other_min``: each unit's "Övrig tid" (the round's time). Each document is looked up
    through its :func:`week_index`: the work is linear in what the week shows."""
    monday = monday_of(monday)
    years = horizon_years(monday)
    plans = [d for d in docs if d is not None and d.year in years]
    missing = tuple(y for y in years if y not in {d.year for d in plans})
    checklists = checklists or {}
    indexes = {d.year: week_index(d) for d in plans}
    horizon = (monday, monday + timedelta(days=7 * HORIZON_WEEKS - 1))
    prep = {a.visit_id: summarise(checklists.get((a.patient_id, a.date), ()), a, today)
            for day in _days(*horizon) if day.year in indexes
            for a in indexes[day.year].by_date.get(day, ())}

    by_round = index_matters(matters)  # once per read (issue 17)
    doctors = sorted({name for d in plans for name in indexes[d.year].doctors})
    by_year = {d.year: d for d in reversed(plans)}  # the first document of a year wins
    weeks: list[DoctorWeek] = []
    for doctor in doctors:
        days: list[WeekDay] = []
        centre = ""
        for offset in range(7):
            day = monday + timedelta(days=offset)
            doc = by_year.get(day.year)
            if doc is None:
                continue
            index = indexes[doc.year]
            centre = centre or index.centres.get(doctor, "")
            own = list(index.rounds.get((doctor, day), ()))
            if offset >= 5 and not own and (doctor, day) not in index.busy:
                continue  # the weekend, when nothing happens
            days.append(_doctor_day(doc, index.timetable(doc, monday), doctor, day, own, prep,
                                    today, by_round, other_min))
        if days:
            weeks.append(DoctorWeek(doctor, tuple(days), centre))
    return WeekData(monday=monday, today=today, doctors=tuple(weeks),
                    todo=tuple(_todo(plans, horizon, today, prep, matters)), years=years,
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
    with db.read() as session:
        matters = read_matters(session, date(years[0], 1, 1), horizon_end)
        other_min = other_minutes(session)
        for doc in docs:
            if doc is None:
                continue
            rows = [(a.patient_id, a.date) for a in doc.reviews
                    if monday <= a.date <= horizon_end]
            if rows:
                checklists.update(checklist(session, doc.year, rows, today))
    return build_week(docs, monday, today, checklists, matters, other_min)


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
                  numbers: str = MASKED, doctors: Collection[str] | None = None) -> Printout:
    """The week's round list on paper: one page per doctor (or only ``doctor``'s, or only
    the pages of ``doctors``, e.g. a health centre's)."""
    pages = []
    for d in week.doctors:
        if doctor is not None and d.doctor != doctor:
            continue
        if doctors is not None and d.doctor not in doctors:
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
