"""The clock time of every ÅMV of a plan, computed once (issue 14.6, issue 22 point 2).

Veckan (:mod:`lakarrond.services.week`), the round schedule and the preparation list
(:mod:`lakarrond.printouts`), the calendar file (:mod:`lakarrond.io.ics`), the Excel export
and the window all read the times and "held in the round" from here. Pure Python over a
:class:`~lakarrond.document.PlanDocument`: no store, no Qt.

- **Held in the round** (R5, :func:`held_round`): the unit holds its ÅMV in its rounds and
  a physical round of the unit is held (not cancelled) on the ÅMV's date. The k-th ÅMV of
  the round (k = 0, 1, …, by patient name) starts at the round's start + k × the unit's
  minutes per ÅMV (:func:`round_times`).
- **Separate ÅMV time** (R6: phone rounds, or "ÅMV i rond" = nej, e.g. LSS): one doctor's
  ÅMV of a day follow each other from the year's setting ``review_day_start``, by unit and
  patient, each as long as its unit's minutes per ÅMV (:func:`separate_times`). The ÅMV of
  a patient who keeps another doctor than the unit's (fast läkarkontakt, issue 18) is on
  that doctor's separate ÅMV time, whatever the unit (:func:`in_named_time`).
- **No clock time**: an ÅMV of a unit that holds its ÅMV in its rounds, on a date without
  a held round (the round was cancelled or is gone: the ÅMV needs a new date). It is listed
  without a time, never put on a separate ÅMV time it does not have.
- **Inside the round** (R5b): an ÅMV held in a round ends by the round's end (start +
  length). The planner never puts more ÅMV in a round than its time holds
  (:func:`solver.rounds.round_capacity`); an ÅMV kept beyond that (locked or done by hand)
  has no clock time (:data:`OUTSIDE_ROUND`), never a time after the round.
- **Midnight**: a day's clock times never pass midnight. An ÅMV may end at 24:00 (shown
  "00:00"); one that would end later has no clock time (:data:`PAST_MIDNIGHT`), nor have
  the ones after it. Nothing fails and nothing wraps round to the morning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property

from lakarrond.document import DEFAULT_REVIEW_MINUTES, AnnualReview, PlanDocument, RoundEntry
from solver.problem import RoundForm

TimeSlot = tuple[time, time]  # (start, end)
_DAY = date(2000, 1, 1)  # any date: times are added on it and must stay on it
NO_ROUND = "ingen rond hålls den dagen"  # why an ÅMV has no clock time
PAST_MIDNIGHT = "skulle sluta efter midnatt"
OUTSIDE_ROUND = "ryms inte i rondens tid"


def parse_clock(value: str, default: time = time(9, 0)) -> time:
    """"09:30" → 09:30; "" (or nonsense) → ``default``."""
    hour, _, minute = value.partition(":")
    try:
        return time(int(hour), int(minute or 0))
    except ValueError:
        return default


def clock_slots(start: time, minutes: Sequence[int]) -> list[TimeSlot | None]:
    """Back-to-back (start, end) times from ``start``, one per length in ``minutes``:
    ``clock_slots(09:00, [30, 30])`` → 09:00–09:30, 09:30–10:00. Never past midnight: a slot
    may end at 24:00 (``time(0, 0)``), a slot that would end later is None, and so is every
    slot after it."""
    if any(length <= 0 for length in minutes):
        raise ValueError(f"minutes per ÅMV must be positive: {list(minutes)}")
    out: list[TimeSlot | None] = []
    at = datetime.combine(_DAY, start)
    midnight = datetime.combine(_DAY + timedelta(days=1), time(0, 0))
    for length in minutes:
        end = at + timedelta(minutes=length)
        out.append((at.time(), end.time()) if end <= midnight else None)
        at = end
    return out


def end_of(start: time, minutes: int) -> time | None:
    """When something of ``minutes`` from ``start`` ends (a round), None past midnight."""
    slot = clock_slots(start, [minutes])[0] if minutes > 0 else None
    return slot[1] if slot is not None else None


@dataclass(frozen=True)
class TimedReview:
    """An ÅMV with its clock time, or without one (``start`` None, ``why`` says why)."""

    review: AnnualReview
    start: time | None
    end: time | None
    why: str = ""  # "" when timed, else NO_ROUND, OUTSIDE_ROUND or PAST_MIDNIGHT

    @property
    def timed(self) -> bool:
        return self.start is not None

    @property
    def text(self) -> str:
        """"09:00–09:30", or "" without a clock time."""
        if self.start is None or self.end is None:
            return ""
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def minutes_per_review(doc: PlanDocument, unit: str) -> int:
    info = doc.unit(unit)
    return (info.review_minutes or DEFAULT_REVIEW_MINUTES) if info is not None \
        else DEFAULT_REVIEW_MINUTES


def reviews_at_rounds(doc: PlanDocument, unit: str) -> bool:
    """Whether the unit holds its ÅMV in its physical rounds (R5), else on separate ÅMV
    times (R6). The plan document carries the solver's rule per unit; a unit it does not
    describe (a hand-made document) holds them in its rounds when it has physical ones."""
    info = doc.unit(unit)
    if info is not None:
        return info.reviews_in_round
    return any(r.unit == unit and r.form == RoundForm.PHYSICAL for r in doc.rounds)


def in_named_time(doc: PlanDocument, review: AnnualReview) -> bool:
    """The ÅMV of a patient who keeps another doctor (fast läkarkontakt) than the unit's:
    held on that doctor's separate ÅMV time (R6), never in the unit's round."""
    info = doc.unit(review.unit)
    return info is not None and bool(review.doctor) and review.doctor != info.doctor


def held_round(doc: PlanDocument, review: AnnualReview,
               rounds: Mapping[tuple[str, date], RoundEntry]) -> RoundEntry | None:
    """The one definition of "held in the round": the held physical round (R5) the ÅMV
    takes place in, from ``rounds`` ((unit, date) → round), or None."""
    if not reviews_at_rounds(doc, review.unit) or in_named_time(doc, review):
        return None
    rnd = rounds.get((review.unit, review.date))
    if rnd is None or rnd.cancelled or rnd.form != RoundForm.PHYSICAL:
        return None
    return rnd


def _timed(reviews: Sequence[AnnualReview], start: time, minutes: Sequence[int],
           within: int | None = None) -> list[TimedReview]:
    """Back-to-back clock times; with ``within`` (a round's length) an ÅMV that would end
    after start + ``within`` minutes has none (OUTSIDE_ROUND)."""
    slots = clock_slots(start, minutes)
    out, used = [], 0
    for a, slot, length in zip(reviews, slots, minutes, strict=True):
        used += length
        if within is not None and used > within:
            out.append(TimedReview(a, None, None, OUTSIDE_ROUND))
        elif slot is None:
            out.append(TimedReview(a, None, None, PAST_MIDNIGHT))
        else:
            out.append(TimedReview(a, slot[0], slot[1]))
    return out


def round_times(doc: PlanDocument, rnd: RoundEntry,
                reviews: Iterable[AnnualReview]) -> list[TimedReview]:
    """The ÅMV of one round by patient name, the k-th (k = 0, 1, …) at the round's start +
    k × the unit's minutes per ÅMV; none past the round's end (R5b)."""
    ordered = sorted(reviews, key=lambda a: (a.patient, a.patient_id))
    return _timed(ordered, parse_clock(rnd.start),
                  [minutes_per_review(doc, rnd.unit)] * len(ordered), rnd.length_min)


def separate_times(doc: PlanDocument, reviews: Iterable[AnnualReview]) -> list[TimedReview]:
    """One doctor's ÅMV of one day on separate ÅMV times (R6), by unit and patient, one
    after the other from the setting ``review_day_start``, each as long as its unit's
    minutes per ÅMV."""
    ordered = sorted(reviews, key=lambda a: (a.unit, a.patient, a.patient_id))
    return _timed(ordered, doc.review_day_start,
                  [minutes_per_review(doc, a.unit) for a in ordered])


@dataclass(frozen=True)
class Sitting:
    """ÅMV held together: a held round with its ÅMV, or (``round`` None) one doctor's
    separate ÅMV time of a day."""

    day: date
    doctor: str
    round: RoundEntry | None
    reviews: tuple[TimedReview, ...]
    minutes: int  # the ÅMV's minutes together

    @property
    def separate(self) -> bool:
        return self.round is None

    @property
    def start(self) -> time | None:
        return next((t.start for t in self.reviews if t.start is not None), None)

    @property
    def end(self) -> time | None:
        return next((t.end for t in reversed(self.reviews) if t.end is not None), None)


@dataclass(frozen=True)
class Timetable:
    """Every ÅMV of a plan with its clock time (:func:`timetable`)."""

    sittings: tuple[Sitting, ...]
    without_round: tuple[TimedReview, ...]  # R5 ÅMV with no held round that day

    def reviews(self) -> list[TimedReview]:
        return [t for s in self.sittings for t in s.reviews] + list(self.without_round)

    @cached_property
    def _rounds(self) -> dict[tuple[str, date], Sitting]:
        return {(s.round.unit, s.round.date): s for s in self.sittings if s.round is not None}

    @cached_property
    def _separate(self) -> dict[tuple[str, date], Sitting]:
        return {(s.doctor, s.day): s for s in self.sittings if s.round is None}

    @cached_property
    def _by_day(self) -> dict[date, list[TimedReview]]:
        out: dict[date, list[TimedReview]] = defaultdict(list)
        for t in self.reviews():
            out[t.review.date].append(t)
        return out

    def on(self, day: date) -> list[TimedReview]:
        """Every ÅMV of ``day`` with its clock time (or none)."""
        return list(self._by_day.get(day, []))

    def time_of(self, review: AnnualReview) -> TimedReview | None:
        """The ÅMV's clock time (None: not an ÅMV of this plan)."""
        return next((t for t in self._by_day.get(review.date, []) if t.review == review), None)

    def in_round(self, unit: str, day: date) -> Sitting | None:
        """The held round of ``unit`` on ``day`` with its ÅMV, if any ÅMV is held in it."""
        return self._rounds.get((unit, day))

    def separate(self, doctor: str, day: date) -> Sitting | None:
        """``doctor``'s separate ÅMV time on ``day``, if any."""
        return self._separate.get((doctor, day))

    def held_counts(self) -> dict[tuple[str, date], int]:
        """(unit, date) → the ÅMV held in that round."""
        return {key: len(s.reviews) for key, s in self._rounds.items()}


def _key(a: AnnualReview) -> tuple[int, date, str, str]:
    return (a.patient_id, a.date, a.unit, a.patient)


def timetable(doc: PlanDocument) -> Timetable:
    """Every ÅMV of ``doc`` in its round, on its doctor's separate ÅMV time or without a
    clock time (see the module's rules). A filtered copy (one unit, one health centre, a
    period) gives each of its ÅMV the time it has in the whole plan."""
    if not doc.whole_reviews:
        return _timetable(doc)
    whole = _timetable(replace(doc, reviews=doc.whole_reviews,
                               rounds=doc.whole_rounds or doc.rounds))
    mine = {_key(a): a for a in doc.reviews}

    def kept(items: Iterable[TimedReview]) -> tuple[TimedReview, ...]:
        return tuple(replace(t, review=mine[_key(t.review)]) for t in items
                     if _key(t.review) in mine)

    sittings = []
    for s in whole.sittings:
        items = kept(s.reviews)
        if items:
            sittings.append(replace(s, reviews=items, minutes=sum(
                minutes_per_review(doc, t.review.unit) for t in items)))
    return Timetable(tuple(sittings), kept(whole.without_round))


def _timetable(doc: PlanDocument) -> Timetable:
    rounds = {(r.unit, r.date): r for r in doc.rounds}
    in_round: dict[tuple[str, date], list[AnnualReview]] = defaultdict(list)
    separate: dict[tuple[str, date], list[AnnualReview]] = defaultdict(list)
    without: list[TimedReview] = []
    for a in doc.reviews:
        rnd = held_round(doc, a, rounds)
        if rnd is not None:
            in_round[(rnd.unit, rnd.date)].append(a)
        elif reviews_at_rounds(doc, a.unit) and not in_named_time(doc, a):
            without.append(TimedReview(a, None, None, NO_ROUND))
        else:
            separate[(a.doctor, a.date)].append(a)
    sittings = [
        Sitting(day, rounds[(unit, day)].doctor, rounds[(unit, day)],
                tuple(round_times(doc, rounds[(unit, day)], items)),
                minutes_per_review(doc, unit) * len(items))
        for (unit, day), items in in_round.items()]
    sittings += [
        Sitting(day, doctor, None, tuple(separate_times(doc, items)),
                sum(minutes_per_review(doc, a.unit) for a in items))
        for (doctor, day), items in separate.items()]
    sittings.sort(key=lambda s: (s.day, s.start or time.max, s.doctor,
                                 s.round.unit if s.round is not None else ""))
    return Timetable(tuple(sittings), tuple(without))
