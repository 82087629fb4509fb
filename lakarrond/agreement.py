"""Doctor time against the agreement (issue 18 point 4) as the contract writes it and as the
nurse reads it: the JSON of one figure and the Swedish below-the-floor line. The figures
themselves are :mod:`solver.doctor_time`'s."""

from __future__ import annotations

from typing import Any  # Any: JSON edge: the contract's values

from lakarrond.formatting import decimal
from solver.result import DoctorTime


def doctor_time_json(t: DoctorTime) -> dict[str, Any]:
    """One unit's doctor time as the contract writes it (``measures.doctor_time``)."""
    return {"hours_per_week": t.hours_per_week, "patients": t.patients, "per_10": t.per_10,
            "below_floor": t.below_floor}


def below_floor_line(name: str, t: DoctorTime, floor: float) -> str:
    """The Swedish line for a unit (or doctor) below the agreement's floor of doctor time,
    "" when it is not below."""
    if not t.below_floor or t.per_10 is None:
        return ""
    return (f"Läkartid under avtalet: {name} {decimal(t.per_10)} h/vecka per 10 patienter "
            f"(minst {decimal(floor)})")
