"""What goes on paper: the doctor's round schedule and the unit's preparation list, as data.

Built from a :class:`~lakarrond.document.PlanDocument` (pure Python, no Qt, no store). The
rows here are what a person reads; :mod:`lakarrond.io.print_html` lays them out and
:mod:`lakarrond.io.pdf` paints them on pages.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from lakarrond import pnr
from lakarrond.census import CensusList
from lakarrond.document import AnnualReview, PlanDocument, RoundEntry
from lakarrond.formatting import count
from lakarrond.steps import DEFAULT_STEPS, PreparationStep, role_short
from lakarrond.timetable import (
    TimedReview,
    Timetable,
    clock_slots,  # noqa: F401 - re-exported: the clock times' old home
    end_of,
    held_round,
    minutes_per_review,
    parse_clock,
    round_times,  # noqa: F401
    separate_times,  # noqa: F401
    timetable,
)
from solver.problem import WEEKDAY_NAMES_SV

ROUND_SCHEDULE = "rondschema"
PREPARATION_LIST = "förberedelselista"
MOVED_LIST = "flyttade"
WEEK_LIST = "veckans ronder"
CENSUS_LIST = "ändringar"  # Ändringar sedan: admitted, moved, discharged, deceased
MASKED, FULL, NONE = "masked", "full", "none"  # how personnummer appear on paper
NUMBER_CHOICES = {MASKED: "Maskerade (19380412-****)", FULL: "Fullständiga", NONE: "Inga"}
SKIPPED = "–"  # a step not on this patient's checklist ("Bjud inte in närstående")


def short_weekday(day: date) -> str:
    return WEEKDAY_NAMES_SV[day.weekday()][:3]


def period_text(year: int, date_from: date | None, date_to: date | None) -> str:
    """"2027-02-01 – 2027-02-28 (v. 5–9)"."""
    first = date_from or date(year, 1, 1)
    last = date_to or date(year, 12, 31)
    w1, w2 = first.isocalendar().week, last.isocalendar().week
    if first.isocalendar().year < first.year:  # 1 January in the last week of the year before
        w1 = 1
    if last.isocalendar().year > last.year:  # 31 December in week 1 of the next year
        w2 = date(last.year, 12, 28).isocalendar().week
    weeks = f"v. {w1}" if (w1, first.year) == (w2, last.year) else f"v. {w1}–{w2}"
    return f"{first.isoformat()} – {last.isoformat()} ({weeks})"


def end_time(start: str, minutes: int) -> str:
    """When a round from ``start`` ("09:00") of ``minutes`` ends ("11:00"); "" past
    midnight (:func:`lakarrond.timetable.end_of`) or without a start."""
    if not start:
        return ""
    end = end_of(parse_clock(start), int(minutes or 0))
    return f"{end:%H:%M}" if end is not None else ""


def span_text(start: str, minutes: int) -> str:
    """"09:00–11:00", or "09:00" when the end is not known."""
    end = end_time(start, minutes)
    return f"{start}–{end}" if end else start


# Clock times of the ÅMV are computed once, in lakarrond.timetable (issue 22 point 2); the
# names stay importable from here: clock_slots, parse_clock, TimedReview, held_round,
# minutes_per_review, round_times, separate_times.


@dataclass(frozen=True)
class PrintedPatient:
    name: str
    details: str  # unit, room, personnummer (masked unless chosen otherwise), joined
    time: str = ""  # "09:00–09:30": the ÅMV's clock time (round schedule)


@dataclass(frozen=True)
class ScheduleEntry:
    """One row of the round schedule: a round date, or the doctor's separate ÅMV time."""

    date: date
    sort_time: str
    unit: str  # unit name, or the units of a separate ÅMV time
    time_text: str
    length_text: str
    form: str
    remark: str
    remark_kind: str = ""  # "", "cancel" (red) or "sub" (blue)
    cancelled: bool = False
    separate: bool = False
    patients: tuple[PrintedPatient, ...] = ()

    @property
    def week(self) -> int:
        return self.date.isocalendar().week


@dataclass(frozen=True)
class RoundSchedule:
    doctor: str
    period: str
    health_centre: str
    unit_lines: tuple[str, ...]
    summary: str
    entries: tuple[ScheduleEntry, ...]


@dataclass(frozen=True)
class PreparationEntry:
    preparation: date
    review: date
    when: str  # "rond 09:00" or "separat tid"
    patient: PrintedPatient
    # per step: the date it was done ("2027-01-12"), "" (to do) or SKIPPED (not for this
    # patient: the relatives' step of a patient with "Bjud inte in närstående")
    ticks: tuple[str, ...]


@dataclass(frozen=True)
class PreparationList:
    unit: str
    unit_type: str
    nurse: str
    doctors: tuple[str, ...]
    period: str
    steps: tuple[str, ...]
    entries: tuple[PreparationEntry, ...]
    preparation_days: int
    roles: tuple[str, ...] = ()  # per step: who does it, short ("Ssk", "–" when not said)


@dataclass(frozen=True)
class MovedRow:
    """One patient whose ÅMV date or clock time changes at a re-plan, or who gets a date
    again (a cancelled ÅMV) or loses it; with the reason."""

    patient: str
    unit: str
    doctor: str
    old: date
    new: date | None
    reason: str = ""
    old_time: str = ""  # "09:00–09:30", "" when unknown
    new_time: str = ""


@dataclass(frozen=True)
class MovedList:
    """"Flyttade – meddela": whom to tell that their ÅMV moves."""

    year: int
    plan_from: date
    rows: tuple[MovedRow, ...]


@dataclass(frozen=True)
class WeekListReview:
    """One ÅMV on the doctor's week: time, patient, status and how far its preparation is."""

    time_text: str
    patient: PrintedPatient
    status: str
    preparation: str  # "3 av 5 klara · saknas: prover tagna"
    late: bool = False  # a preparation step is late
    unrecorded: bool = False  # past and not recorded


@dataclass(frozen=True)
class WeekListRound:
    """A round (or the separate ÅMV time) of a day with its ÅMV."""

    time_text: str
    unit: str
    form: str
    remark: str
    remark_kind: str = ""  # "", "cancel" (red) or "sub" (blue)
    cancelled: bool = False
    reviews: tuple[WeekListReview, ...] = ()


@dataclass(frozen=True)
class WeekListDay:
    date: date
    label: str  # "tisdag 23 mars"
    note: str  # the doctor's absence that day, or ""
    rounds: tuple[WeekListRound, ...]


@dataclass(frozen=True)
class DoctorWeekList:
    """One doctor's page: the week's rounds per day with the ÅMV in them."""

    doctor: str
    health_centre: str
    summary: str
    days: tuple[WeekListDay, ...]


@dataclass(frozen=True)
class WeekRoundList:
    """The week's round list: one page per doctor."""

    label: str  # "Vecka 12 (22–28 mars 2027)"
    monday: date
    doctors: tuple[DoctorWeekList, ...]


@dataclass(frozen=True)
class Printout:
    """A printout ready to lay out, and what the audit log says about it."""

    kind: str  # ROUND_SCHEDULE, PREPARATION_LIST, MOVED_LIST, WEEK_LIST or CENSUS_LIST
    title: str
    content: RoundSchedule | PreparationList | MovedList | WeekRoundList | CensusList
    year: int
    count: int  # ÅMV on the paper
    doctor: str | None = None
    unit: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    numbers: str = MASKED  # MASKED, FULL or NONE


def _shown_number(value: str | None, numbers: str) -> str:
    if numbers == FULL:
        return value or ""
    return pnr.mask(value) if numbers == MASKED else ""


def _patient(a: AnnualReview, with_unit: bool, numbers: str, when: str = "",
             doc: PlanDocument | None = None) -> PrintedPatient:
    details = [a.unit] if with_unit else []
    details += [x for x in (a.room, _shown_number(a.personnummer, numbers)) if x]
    if doc is not None:  # the patient's own doctor and nurse where not the unit's
        details += [x for x in (doc.named_contacts(a),) if x]
    return PrintedPatient(a.patient, " · ".join(details), when)


def printed_patient(a: AnnualReview, with_unit: bool = False, numbers: str = MASKED,
                    doc: PlanDocument | None = None) -> PrintedPatient:
    """The patient of an ÅMV as paper shows it (unit, room, personnummer as chosen; with
    ``doc`` the patient's named doctor and nurse where they are not the unit's)."""
    return _patient(a, with_unit, numbers, doc=doc)


def _in_period(day: date, date_from: date | None, date_to: date | None) -> bool:
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def _round_entry(doc: PlanDocument, r: RoundEntry, doctor: str,
                 timed: Sequence[TimedReview], numbers: str) -> ScheduleEntry:
    form = "Telefon" if r.form == "Telefon" else "Fysisk"
    remark, kind = "", ""
    if r.cancelled:
        remark, kind = f"INSTÄLLD – {r.cancel_reason or 'spärrad dag'}", "cancel"
    elif r.doctor != doctor:
        remark, kind = f"Som vikarie för {r.doctor}", "sub"
    else:
        absence = doc.absence(r.doctor, r.date)
        if r.substitute:
            why = f" – {absence.reason}" if absence is not None and absence.reason else ""
            remark, kind = f"Vikarie: {r.substitute_named}{why}", "sub"
        elif absence is not None:
            why = f": {absence.reason}" if absence.reason else ""
            remark, kind = f"Läkaren frånvarande{why} – vikarie saknas", "cancel"
        elif timed:
            remark = f"{len(timed)} ÅMV"
        elif form == "Telefon":
            remark = "Telefon-/videorond"
    return ScheduleEntry(
        date=r.date, sort_time=r.start, unit=r.unit,
        time_text=span_text(r.start, r.length_min),
        length_text=f"{r.length_min} min", form=form, remark=remark, remark_kind=kind,
        cancelled=r.cancelled,
        patients=tuple(_patient(t.review, False, numbers, t.text, doc) for t in timed),
    )


def _separate_entry(doc: PlanDocument, day: date, timed: Sequence[TimedReview],
                    numbers: str) -> ScheduleEntry:
    units = sorted({t.review.unit for t in timed})
    first, last = timed[0].start, next((t.end for t in reversed(timed) if t.end), None)
    minutes = sum(minutes_per_review(doc, t.review.unit) for t in timed)
    return ScheduleEntry(
        date=day, sort_time=f"{first:%H:%M}" if first else "99:99", unit=", ".join(units),
        time_text=f"{first:%H:%M}–{last:%H:%M}" if first and last else "",
        length_text=f"{minutes} min",
        form="ÅMV-tid", remark=f"{len(timed)} ÅMV på separat tid", separate=True,
        patients=tuple(_patient(t.review, True, numbers, t.text, doc) for t in timed),
    )


def _homeless_entry(day: date, timed: Sequence[TimedReview], numbers: str) -> ScheduleEntry:
    """ÅMV of a unit that holds them in its rounds, on a day without a round of it."""
    return ScheduleEntry(
        date=day, sort_time="99:99", unit=", ".join(sorted({t.review.unit for t in timed})),
        time_text="", length_text="", form="Ingen rond",
        remark=f"{len(timed)} ÅMV utan rond – behöver nytt datum", remark_kind="cancel",
        separate=True, patients=tuple(_patient(t.review, True, numbers) for t in timed),
    )


def _schedule_entries(doc: PlanDocument, tt: Timetable, doctor: str,
                      rounds: Sequence[RoundEntry], reviews: Sequence[AnnualReview],
                      numbers: str) -> list[ScheduleEntry]:
    """The rows of the doctor's schedule: each round with the doctor's ÅMV held in it (or,
    cancelled, the ones that had it), the separate ÅMV times, the ÅMV without a round."""
    mine = set(reviews)
    shown = {(r.unit, r.date) for r in rounds}
    held = {(s.round.unit, s.round.date): s for s in tt.sittings if s.round is not None}
    extra = [s.round for key, s in held.items()  # a round of another doctor with our ÅMV
             if key not in shown and s.round is not None
             and any(t.review in mine for t in s.reviews)]
    homeless: dict[tuple[str, date], list[TimedReview]] = defaultdict(list)
    for t in tt.without_round:
        if t.review in mine:
            homeless[(t.review.unit, t.review.date)].append(t)
    entries = []
    for r in [*rounds, *extra]:
        sitting = held.get((r.unit, r.date))
        timed = [t for t in sitting.reviews if t.review in mine] if sitting else []
        entries.append(_round_entry(doc, r, doctor, timed + homeless.pop((r.unit, r.date), []),
                                    numbers))
    entries += [_separate_entry(doc, s.day, [t for t in s.reviews if t.review in mine], numbers)
                for s in tt.sittings if s.round is None and s.doctor == doctor
                and any(t.review in mine for t in s.reviews)]
    by_day: dict[date, list[TimedReview]] = defaultdict(list)
    for (_unit, day), items in homeless.items():
        by_day[day] += items
    entries += [_homeless_entry(day, items, numbers) for day, items in by_day.items()]
    return entries


def _doctor_of(doc: PlanDocument, unit: str) -> str:
    info = doc.unit(unit)
    return info.doctor if info is not None else ""


def _unit_line(doc: PlanDocument, name: str) -> str:
    info = doc.unit(name)
    details = [] if info is None else [x for x in (info.type, info.nurse and f"ssk {info.nurse}")
                                       if x]
    return name + (f" ({', '.join(details)})" if details else "")


def round_schedule(
    doc: PlanDocument,
    doctor: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    numbers: str = MASKED,
) -> Printout:
    """The doctor's round schedule for a period: every round date of the doctor's units in
    order (time, length, form, cancelled rounds with their reason, the substitute on absence
    days), the patients with an ÅMV in each round, and the separate ÅMV times (phone-round
    and LSS units) with their patients. Each ÅMV has its clock time (:func:`round_times`,
    :func:`separate_times`). Rounds the doctor stands in for are listed too."""
    rounds = [r for r in doc.rounds if _in_period(r.date, date_from, date_to)]
    own = [r for r in rounds if r.doctor == doctor]
    standing_in = [r for r in rounds if r.doctor != doctor and r.substitute == doctor]
    reviews = [a for a in doc.reviews
               if a.doctor == doctor and _in_period(a.date, date_from, date_to)]
    tt = timetable(doc)
    entries = _schedule_entries(doc, tt, doctor, own + standing_in, reviews, numbers)
    entries.sort(key=lambda e: (e.date, e.sort_time, "" if e.separate else e.unit))
    # units of others where the doctor has only patients who keep them (fast läkarkontakt)
    rounds_of = {r.unit for r in own + standing_in}
    named = Counter(a.unit for a in reviews
                    if a.unit not in rounds_of and _doctor_of(doc, a.unit) != doctor)
    unit_names = sorted({r.unit for r in own} | {a.unit for a in reviews if a.unit not in named})
    centre = next((info.health_centre for u in [*unit_names, *sorted(named)]
                   if (info := doc.unit(u)) is not None and info.health_centre), "")
    cancelled = sum(1 for r in own if r.cancelled)
    n_separate = sum(len(e.patients) for e in entries if e.form == "ÅMV-tid")
    summary = (f"{count(len(own), 'rondtillfälle', 'rondtillfällen')}, varav {cancelled} "
               f"{'inställt' if cancelled == 1 else 'inställda'} · {len(reviews)} ÅMV, "
               f"varav {n_separate} på separata tider")
    period = period_text(doc.year, date_from, date_to)
    return Printout(
        kind=ROUND_SCHEDULE, title=f"Rondschema – {doctor} – {period}",
        content=RoundSchedule(doctor=doctor, period=period, health_centre=centre,
                              unit_lines=(*(_unit_line(doc, u) for u in unit_names),
                                          *(f"{u} ({count(n, 'ÅMV', 'ÅMV')} som fast "
                                            "läkarkontakt)" for u, n in sorted(named.items()))),
                              summary=summary, entries=tuple(entries)),
        year=doc.year, count=len(reviews), doctor=doctor, date_from=date_from,
        date_to=date_to, numbers=numbers,
    )


def preparation_list(
    doc: PlanDocument,
    unit: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    numbers: str = MASKED,
    steps: Sequence[PreparationStep] = DEFAULT_STEPS,
    ticks: Mapping[tuple[int, date], Mapping[str, date]] | None = None,
    no_relatives: Collection[int] = (),
) -> Printout:
    """The unit's preparation list: every ÅMV whose preparation date (R11) falls in the
    period, in preparation order, with the preparation steps and who does each – ticked
    with the date done (``ticks``: (patient id, ÅMV date) → step → date) or a box to tick;
    the relatives' step of a patient in ``no_relatives`` (patient ids, "Bjud inte in
    närstående") is :data:`SKIPPED`."""
    info = doc.unit(unit)
    reviews = sorted((a for a in doc.reviews
                      if a.unit == unit and _in_period(a.preparation, date_from, date_to)),
                     key=lambda a: (a.preparation, a.date, a.patient))
    rounds = {(r.unit, r.date): r for r in doc.rounds if r.unit == unit}
    doctors = sorted({a.doctor for a in reviews} | ({info.doctor} if info else set()))
    entries = []
    for a in reviews:
        rnd = held_round(doc, a, rounds)
        done = (ticks or {}).get((a.patient_id, a.date), {})
        entries.append(PreparationEntry(
            preparation=a.preparation, review=a.date,
            when=f"rond {rnd.start}" if rnd is not None else "separat tid",
            patient=_patient(a, False, numbers, doc=doc),
            ticks=tuple(SKIPPED if s.relatives and a.patient_id in no_relatives
                        else done[s.name].isoformat() if s.name in done else ""
                        for s in steps),
        ))
    period = period_text(doc.year, date_from, date_to)
    return Printout(
        kind=PREPARATION_LIST, title=f"Förberedelselista ÅMV – {unit} – {period}",
        content=PreparationList(
            unit=unit, unit_type=info.type if info else "", nurse=info.nurse if info else "",
            doctors=tuple(doctors), period=period, steps=tuple(s.name for s in steps),
            entries=tuple(entries), preparation_days=doc.settings.preparation_days,
            roles=tuple(role_short(s.role) for s in steps)),
        year=doc.year, count=len(reviews), unit=unit, date_from=date_from, date_to=date_to,
        numbers=numbers,
    )


def moved_list(year: int, plan_from: date, rows: Sequence[MovedRow]) -> Printout:
    """The list of moved ÅMV to tell patients, relatives and units about, by unit and date."""
    ordered = tuple(sorted(rows, key=lambda r: (r.unit, r.old, r.patient)))
    return Printout(kind=MOVED_LIST,
                    title=f"Flyttade ÅMV – meddela – {year} från {plan_from.isoformat()}",
                    content=MovedList(year, plan_from, ordered), year=year, count=len(ordered),
                    date_from=plan_from, numbers=NONE)


def census_printout(census: CensusList, numbers: str = MASKED) -> Printout:
    """"Ändringar sedan …" on paper (the rows as :func:`lakarrond.census.census_rows` sorted
    them; personnummer as ``numbers`` says)."""
    return Printout(kind=CENSUS_LIST, title=f"Ändringar sedan {census.since.isoformat()}",
                    content=census, year=census.since.year, count=len(census.rows),
                    date_from=census.since, numbers=numbers)


def shown_number(value: str | None, numbers: str) -> str:
    """A personnummer as the paper shows it: whole, masked or left out."""
    return _shown_number(value, numbers)


def week_round_list(
    year: int,
    monday: date,
    label: str,
    doctors: Sequence[DoctorWeekList],
    *,
    numbers: str = MASKED,
) -> Printout:
    """The week's round list for the doctors: one page per doctor with the rounds of each
    day, the ÅMV in them (time, patient, preparation) and the separate ÅMV times."""
    sunday = date.fromordinal(monday.toordinal() + 6)
    n = sum(len(r.reviews) for d in doctors for day in d.days for r in day.rounds)
    who = f" – {doctors[0].doctor}" if len(doctors) == 1 else ""
    return Printout(kind=WEEK_LIST, title=f"Veckans ronder{who} – {label}",
                    content=WeekRoundList(label, monday, tuple(doctors)), year=year, count=n,
                    doctor=doctors[0].doctor if len(doctors) == 1 else None, date_from=monday,
                    date_to=sunday, numbers=numbers)
