"""R5b, time is a rule: round settings that do not fit and rounds of one doctor that overlap.

The capacity itself is :func:`solver.rounds.round_capacity`; this module finds what the
nurse should be told (never silent): the unit form, the import, the plan and the window all
read :func:`time_warnings`. Pure Python over :class:`~solver.problem.Unit`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import combinations

from solver.problem import WEEKDAY_NAMES_SV, RhythmKind, Unit, WeekParity
from solver.rounds import rhythm_dates

NOT_FIT = "not_fit"
OVERLAP = "overlap"


@dataclass(frozen=True)
class TimeWarning:
    """One warning: ``units`` concerned (the first is ``unit``), their doctor, the Swedish
    cause and what to do (``advice``); ``message`` is both, naming every unit."""

    kind: str  # NOT_FIT or OVERLAP
    units: tuple[str, ...]
    doctor: str
    cause: str
    advice: str

    @property
    def unit(self) -> str:
        return self.units[0]

    @property
    def message(self) -> str:
        return f"{self.cause}. {self.advice}."


def needed_minutes(unit: Unit) -> int:
    """The minutes "ÅMV per rond" and "Övrig tid" take in one round of ``unit``."""
    held = unit.reviews_per_round if unit.reviews_at_rounds and unit.has_annual_reviews else 0
    return held * unit.review_minutes + unit.other_minutes


def _clock(start: time, minutes: int) -> str:
    end = datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)
    return f"{start:%H:%M}–{end:%H:%M}"


def fit_warning(unit: Unit) -> TimeWarning | None:
    """The warning for a unit whose "ÅMV per rond × Minuter per ÅMV + Övrig tid" is longer
    than its round, or None when it fits."""
    need = needed_minutes(unit)
    if need <= unit.length_min:
        return None
    advice = f"förläng ronden till {need} min"
    if unit.reviews_at_rounds and unit.has_annual_reviews and unit.reviews_per_round > 0:
        fits = max(0, (unit.length_min - unit.other_minutes) // max(unit.review_minutes, 1))
        advice = f"Sänk ÅMV per rond till {fits} eller {advice}"
        what = (f"{unit.reviews_per_round} ÅMV × {unit.review_minutes} min"
                f" + övrig tid {unit.other_minutes} min")
    else:
        advice = f"Sänk övrig tid till {unit.length_min} min eller {advice}"
        what = f"Övrig tid {unit.other_minutes} min"
    cause = (f"{unit.name}: {what} = {need} min ryms inte i ronden på {unit.length_min} min"
             f" ({_clock(unit.start_time, unit.length_min)})")
    return TimeWarning(NOT_FIT, (unit.name,), unit.doctor, cause, advice)


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def times_overlap(a: Unit, b: Unit) -> bool:
    a0, b0 = _minutes(a.start_time), _minutes(b.start_time)
    return a0 < b0 + b.length_min and b0 < a0 + a.length_min


def _parity_meets(a: Unit, b: Unit) -> bool:
    pa = a.rhythm.parity if a.rhythm.kind is RhythmKind.FORTNIGHTLY else None
    pb = b.rhythm.parity if b.rhythm.kind is RhythmKind.FORTNIGHTLY else None
    return pa is None or pb is None or pa is pb


def _weeks(a: Unit, b: Unit) -> str:
    parity = next((u.rhythm.parity for u in (a, b)
                   if u.rhythm.kind is RhythmKind.FORTNIGHTLY), None)
    if parity is None:
        return ""
    return " udda veckor" if parity is WeekParity.ODD else " jämna veckor"


def _overlap(a: Unit, b: Unit, when: str) -> TimeWarning:
    cause = (f"{a.doctor} har två ronder samtidigt {when}: {a.name}"
             f" {_clock(a.start_time, a.length_min)} och {b.name}"
             f" {_clock(b.start_time, b.length_min)}")
    return TimeWarning(OVERLAP, (a.name, b.name), a.doctor, cause,
                       "Flytta en av ronderna till en annan tid eller dag")


def overlap_warnings(units: Sequence[Unit], first: date | None = None,
                     last: date | None = None) -> list[TimeWarning]:
    """Two rounds of one doctor at overlapping times on one weekday (week parity counted);
    with a period, also a one-off extra round date (a round change) that meets another
    unit's round on that day."""
    out = []
    for a, b in combinations(sorted(units, key=lambda u: u.name), 2):
        if a.doctor != b.doctor or not a.doctor or not times_overlap(a, b):
            continue
        days = sorted(set(a.rhythm.weekdays) & set(b.rhythm.weekdays))
        if days and _parity_meets(a, b):
            names = " och ".join(f"{WEEKDAY_NAMES_SV[d]}ar" for d in days)
            out.append(_overlap(a, b, f"på {names}{_weeks(a, b)}"))
            continue
        if first is None or last is None:
            continue
        met = sorted({day for x, y in ((a, b), (b, a)) for day in x.extra_dates
                      if first <= day <= last and day not in y.cancelled_dates
                      and (day in y.extra_dates or rhythm_dates(y, day, day))})
        if met:
            out.append(_overlap(a, b, "den " + ", ".join(d.isoformat() for d in met)))
    return out


def time_warnings(units: Iterable[Unit], first: date | None = None,
                  last: date | None = None) -> list[TimeWarning]:
    """Every R5b warning of ``units``: settings that do not fit, then overlapping rounds."""
    ordered = sorted(units, key=lambda u: u.name)
    fits = [w for w in (fit_warning(u) for u in ordered) if w is not None]
    return fits + overlap_warnings(ordered, first, last)
