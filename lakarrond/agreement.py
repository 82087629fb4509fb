"""Doctor time against the agreement (issue 18 point 4) as the contract writes it and as the
nurse reads it: the JSON of one figure and the Swedish below-the-floor line. The figures
themselves are :mod:`solver.doctor_time`'s."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any  # Any: JSON edge: the contract's values

from lakarrond.formatting import decimal
from solver.result import DoctorTime


def doctor_time_json(t: DoctorTime) -> dict[str, Any]:
    """One unit's doctor time as the contract writes it (``measures.doctor_time``): hours
    and per 10 rounded to two decimals."""
    return {"hours_per_week": round(t.hours_per_week, 2), "patients": t.patients,
            "per_10": None if t.per_10 is None else round(t.per_10, 2),
            "below_floor": t.below_floor}


def below_floor_line(name: str, t: DoctorTime, floor: float) -> str:
    """The Swedish line for a unit (or doctor) below the agreement's floor of doctor time,
    "" when it is not below."""
    if not t.below_floor or t.per_10 is None:
        return ""
    digits = 2 if decimal(t.per_10) == decimal(floor) else 1  # 0,96 is not shown as 1,0
    return (f"Läkartid under avtalet: {name} {decimal(t.per_10, digits)} h/vecka per 10 "
            f"patienter (minst {decimal(floor)})")


def kept_times(times: Mapping[str, DoctorTime], keep: Callable[[str], bool]
               ) -> dict[str, DoctorTime]:
    """The figures of the units (or doctors) a filtered document keeps."""
    return {name: t for name, t in times.items() if keep(name)}
