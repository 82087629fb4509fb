"""Clock times of the ÅMV within a round (issue 14.6), for the round schedule and the
calendar file. Pure functions: no database.

The k-th ÅMV (k = 0, 1, …) of a round date starts at the first ÅMV time + k × the unit's
minutes per ÅMV. The first ÅMV time is the round's start for a unit whose ÅMV are held in
its physical rounds (R5); for a unit whose ÅMV are on the doctor's separate ÅMV days (R6:
phone rounds, or "ÅMV i rond" = nej, e.g. LSS) it is the year's setting
``review_day_start`` (default 13:00), and the ÅMV of all such units of the doctor on one
day follow each other (:func:`sequence_times`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from lakarrond.errors import BadInput
from lakarrond.store.settings import DEFAULT_REVIEW_DAY_START
from solver.problem import RoundForm

TimeSlot = tuple[time, time]  # (start, end)
_DAY = datetime(2000, 1, 1)  # any date: times are added on it and must stay on it


def sequence_times(start: time, minutes: Sequence[int]) -> list[TimeSlot]:
    """Back-to-back slots from ``start``, one per length in ``minutes``. Raises BadInput
    when the last one would end after midnight."""
    if any(length <= 0 for length in minutes):
        raise ValueError(f"minutes per ÅMV must be positive: {list(minutes)}")
    out: list[TimeSlot] = []
    at = datetime.combine(_DAY, start)
    for length in minutes:
        end = at + timedelta(minutes=length)
        if end.date() != _DAY.date() and end.time() != time(0, 0):
            raise BadInput(
                f"Minuter per ÅMV: {len(minutes)} ÅMV från {start:%H:%M} går över midnatt.")
        out.append((at.time(), end.time()))
        at = end
    return out


def review_times(round_start: time, minutes: int, count: int) -> list[TimeSlot]:
    """The ``count`` ÅMV of one round date: the k-th from ``round_start`` + k × ``minutes``
    to that + ``minutes``. ``review_times(time(9), 30, 3)`` →
    ``[(09:00, 09:30), (09:30, 10:00), (10:00, 10:30)]``."""
    if count < 0:
        raise ValueError(f"count must not be negative: {count}")
    return sequence_times(round_start, [minutes] * count)


def reviews_at_rounds(form: str, reviews_in_round: bool | None) -> bool:
    """True when the unit's ÅMV are held in its physical rounds (R5), False for R6 units
    (the same rule as ``solver.problem.Unit.reviews_at_rounds``, on the store's values)."""
    if form == RoundForm.PHONE.value:
        return False
    return True if reviews_in_round is None else reviews_in_round


def first_review_time(
    round_start: time,
    form: str,
    reviews_in_round: bool | None,
    day_start: time = DEFAULT_REVIEW_DAY_START,
) -> time:
    """When the first ÅMV of a day starts for a unit: its round start (R5) or the doctor's
    ÅMV-day start (R6)."""
    return round_start if reviews_at_rounds(form, reviews_in_round) else day_start
