"""A saved plan as a plain dict: exactly the contracts §3 JSON keys plus writer extras.

Extras (stripped by :func:`json_document`): per appointment ``room``, ``patient_id``,
``unit_type``; top level ``rounds``, ``settings`` (Swedish labels), ``version``,
``created_at``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lakarrond.store import models as m
from lakarrond.store.settings import settings_from_dict
from solver.problem import Settings

TOP_KEYS = ("year", "solver", "appointments", "unplaced", "violations", "measures")
APPOINTMENT_KEYS = (
    "date",
    "week",
    "doctor",
    "unit",
    "patient",
    "personnummer",
    "preparation",
    "status",
)
UNPLACED_KEYS = ("patient", "unit", "reason")
VIOLATION_KEYS = ("rule", "patient", "unit", "message", "fix")
MEASURE_KEYS = ("coverage", "max_interval_months", "peak_week", "peak_week_bound", "moved")


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def week_ranges(weeks: tuple[int, ...] | list[int]) -> str:
    """(27, 28, 29, 30, 31) → "27-31"; (10, 27, 28) → "10, 27-28"."""
    parts: list[str] = []
    ordered = sorted(set(weeks))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ", ".join(parts)


def settings_labels(settings: Settings) -> dict[str, Any]:
    return {
        "Planår": settings.year,
        "Semesterveckor": week_ranges(settings.summer_weeks),
        "Nya patienter inom (dagar)": settings.new_patient_days,
        "Max intervall (månader)": settings.max_interval_months,
        "Min intervall (månader)": settings.min_interval_months,
        "Förberedelse (dagar)": settings.preparation_days,
        "Tidsgräns (s)": _number(float(settings.time_limit_s)),
    }


def _rounds(session: Session, settings: Settings) -> list[dict[str, Any]]:
    from lakarrond.services.plan import build_problem
    from solver.rounds import round_dates

    problem, _ = build_problem(session, settings.year)
    problem = type(problem)(
        settings=settings,
        doctors=problem.doctors,
        units=problem.units,
        patients=(),
        absences=problem.absences,
    )
    return [
        {
            "date": rd.date.isoformat(),
            "week": rd.week,
            "unit": rd.unit,
            "doctor": rd.doctor,
            "start": rd.start_time.strftime("%H:%M"),
            "length_min": rd.length_min,
            "form": rd.form.value,
            "cancelled": rd.cancelled,
            "cancel_reason": rd.cancel_reason,
            "substitute": rd.substitute,
        }
        for rd in round_dates(problem)
    ]


def build_document(session: Session, plan: m.Plan) -> dict[str, Any]:
    """The document of one saved plan version."""
    visits = session.scalars(
        select(m.Visit)
        .where(m.Visit.plan_id == plan.id)
        .options(selectinload(m.Visit.patient).selectinload(m.Patient.unit))
    ).all()
    unit_types = {name: kind for name, kind in session.execute(select(m.Unit.name, m.Unit.type))}
    names = {pid: name for pid, name in session.execute(select(m.Patient.id, m.Patient.name))}

    appointments = []
    for v in visits:
        patient = v.patient
        unit = v.unit or patient.unit.name
        appointments.append(
            {
                "date": v.date.isoformat(),
                "week": v.date.isocalendar().week,
                "doctor": v.doctor or patient.unit.doctor.name,
                "unit": unit,
                "patient": patient.name,
                "personnummer": patient.personnummer,
                "preparation": v.preparation.isoformat(),
                "status": v.status,
                "room": patient.room or "",
                "patient_id": patient.id,
                "unit_type": unit_types.get(unit, ""),
            }
        )
    appointments.sort(key=lambda a: (a["date"], a["unit"], a["patient"], a["patient_id"]))

    def current_name(row: dict[str, Any]) -> str:
        pid = row.get("patient_id")
        return names.get(pid, row.get("patient", "")) if pid is not None else row.get("patient", "")

    settings = settings_from_dict(plan.settings) if plan.settings else Settings(year=plan.year)
    measures = plan.measures or {}
    return {
        "year": plan.year,
        "solver": {
            "status": plan.solver_status,
            "objective": _number(plan.objective),
            "bound": _number(plan.bound),
            "wall_s": round(plan.wall_s, 3),
        },
        "appointments": appointments,
        "unplaced": [
            {"patient": current_name(u), "unit": u.get("unit", ""), "reason": u.get("reason", "")}
            for u in plan.unplaced or []
        ],
        "violations": [
            {
                "rule": v.get("rule", ""),
                "patient": current_name(v),
                "unit": v.get("unit", ""),
                "message": v.get("message", ""),
                "fix": v.get("fix", ""),
            }
            for v in plan.violations or []
        ],
        "measures": {
            "coverage": measures.get("coverage", 0.0),
            "max_interval_months": measures.get("max_interval_months", 0.0),
            "peak_week": measures.get("peak_week", {}),
            "peak_week_bound": measures.get("peak_week_bound", {}),
            "moved": measures.get("moved", 0),
        },
        "rounds": _rounds(session, settings),
        "settings": settings_labels(settings),
        "version": plan.version,
        "created_at": plan.created_at.isoformat(timespec="seconds") if plan.created_at else "",
    }


def json_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Only the contracts §3 keys, in their order."""
    return {
        "year": doc["year"],
        "solver": {k: doc["solver"][k] for k in ("status", "objective", "bound", "wall_s")},
        "appointments": [{k: a[k] for k in APPOINTMENT_KEYS} for a in doc["appointments"]],
        "unplaced": [{k: u[k] for k in UNPLACED_KEYS} for u in doc["unplaced"]],
        "violations": [{k: v[k] for k in VIOLATION_KEYS} for v in doc["violations"]],
        "measures": {k: doc["measures"][k] for k in MEASURE_KEYS},
    }
