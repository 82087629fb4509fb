"""The "Flyttad inom frysperioden" reminders a saved plan version carries.

A forced move (a frozen ÅMV that could not be held) is stored on the plan version that made
it (``plan.forced_moves``). The patient and the unit still have to be told after the next
version is saved – a fix, a booking, a re-plan – so a reminder is carried to the next version
while it still holds: the patient's ÅMV is still on the new date (or still without one), that
date has not passed, and the new version did not make its own forced move for the patient."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from lakarrond.store.plan_results import ForcedMoveRow

Row = ForcedMoveRow


def still_to_tell(previous: Sequence[Row], new: Sequence[Row], dates: Mapping[int, date],
                  plan_from: date) -> list[Row]:
    """``new`` plus the reminders of ``previous`` that still hold (see the module); ``dates``
    are the new version's ÅMV dates per patient id."""
    own = {row.patient_id for row in new}
    carried = []
    for row in previous:
        pid = row.patient_id
        if pid is None or pid in own:
            continue
        if dates.get(pid) != row.new:
            continue  # moved again, or placed after all: the new version's list tells it
        if (row.new or row.old) < plan_from:
            continue  # passed
        carried.append(row)
    return [*new, *carried]


__all__ = ["still_to_tell"]
