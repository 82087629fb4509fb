"""Tiny hand-made problems for the rule tests (imported by the test modules)."""

from __future__ import annotations

from datetime import date

from solver.problem import (
    Doctor,
    Patient,
    Problem,
    Rhythm,
    RhythmKind,
    RoundForm,
    Settings,
    Unit,
    UnitType,
)

DOCTOR = "Anna Berg"


def weekly_unit(name: str = "Bäckliden", weekday: int = 3, per_round: int = 1, **kw) -> Unit:
    return Unit(name, UnitType.NURSING_HOME, DOCTOR, Rhythm(RhythmKind.WEEKLY, (weekday,)),
                reviews_per_round=per_round, **kw)


def phone_unit(name: str = "Lugnet", weekday: int = 0) -> Unit:
    return Unit(name, UnitType.NURSING_HOME, DOCTOR, Rhythm(RhythmKind.WEEKLY, (weekday,)),
                form=RoundForm.PHONE)


def patient(pid: str, unit: str = "Bäckliden", last: date | None = None,
            admitted: date = date(2020, 1, 1), **kw) -> Patient:
    return Patient(pid, unit, admitted, last, name=kw.pop("name", f"Patient {pid}"), **kw)


def problem(units, patients, *, doctor: Doctor | None = None, time_limit: float = 20.0,
            **kw) -> Problem:
    settings = kw.pop("settings", Settings(2027, time_limit_s=time_limit))
    return Problem(settings, (doctor or Doctor(DOCTOR, "VC Norr", (2,), 2),), tuple(units),
                   tuple(patients), **kw)


__all__ = ["DOCTOR", "patient", "phone_unit", "problem", "weekly_unit"]
