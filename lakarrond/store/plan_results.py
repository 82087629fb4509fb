"""The results a saved plan keeps as JSON (``Plan.measures``, ``violations``, ``unplaced``,
``not_required``, ``forced_moves``, ``settings``, ``fingerprints``): one schema, written and
read here only.

Each stored column has a typed row (or value) and a ``*_to_json`` / ``*_from_json`` pair.
Reading is lenient where older plan versions lack a key (it gets the default the program
always gave it) and strict on everything else: a row that is not an object, a text where a
number belongs, an unreadable date raise :class:`MalformedPlan`, a Swedish message naming
the column and the row, never a ``KeyError`` deep in a reader.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any  # Any: JSON edge: the JSON columns as stored

from lakarrond.document import PlanMeasures
from lakarrond.store.errors import StoreError
from lakarrond.store.settings import settings_dict, settings_from_dict
from solver.problem import Settings
from solver.result import DoctorTime, FixAction, Measures

# JSON as it comes out of a JSON column: Any is the honest type at this edge (the
# converters below check every value before it leaves this module)
Json = Any
JsonRow = dict[str, Any]


# what the messages call each stored column
COLUMN_NAMES = {
    "measures": "måtten", "violations": "de brutna reglerna", "unplaced": "de ej planerade",
    "not_required": "patienterna utan ÅMV", "forced_moves": "de flyttade inom frysperioden",
    "settings": "inställningarna", "fingerprints": "underlaget för omplanering",
}


class MalformedPlan(StoreError):
    """A stored plan column does not have the shape this program writes."""

    def __init__(self, column: str, detail: str) -> None:
        self.column = column
        self.detail = detail
        super().__init__(f"Den sparade planen går inte att läsa: "
                         f"{COLUMN_NAMES.get(column, column)} ({column}), {detail}. "
                         "Gör en ny plan.")


@dataclass(frozen=True)
class PatientRow:
    """A patient of the plan with a reason: an unplaced one, or one needing no ÅMV."""

    patient_id: int | None
    patient: str
    unit: str
    reason: str


@dataclass(frozen=True)
class ViolationRow:
    """A broken rule as stored with the plan; ``action`` is the fix the program can carry
    out (None: none)."""

    rule: str
    patient_id: int | None
    patient: str
    unit: str
    doctor: str
    message: str
    fix: str
    cause: str
    action: FixAction | None


@dataclass(frozen=True)
class ForcedMoveRow:
    """A frozen ÅMV that had to move ("Flyttad inom frysperioden")."""

    patient_id: int | None
    patient: str
    old: date
    new: date | None
    reason: str


# --- reading helpers ----------------------------------------------------------------------


class _Reader:
    """Checked access to one stored row (``column`` and ``index`` name it in errors)."""

    def __init__(self, column: str, index: int, row: Json) -> None:
        if not isinstance(row, Mapping):
            raise MalformedPlan(column, f"rad {index + 1} är inte ett objekt")
        self.column, self.index, self.row = column, index, row

    def fail(self, key: str, what: str) -> MalformedPlan:
        return MalformedPlan(self.column, f"rad {self.index + 1}: \"{key}\" {what}")

    def text(self, key: str) -> str:
        value = self.row.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(key, "är inte en text")
        return value

    def optional_int(self, key: str) -> int | None:
        value = self.row.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.fail(key, "är inte ett heltal")
        try:
            return int(value)
        except ValueError:
            raise self.fail(key, "är inte ett heltal") from None

    def optional_date(self, key: str) -> date | None:
        value = self.row.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self.fail(key, "är inte ett datum")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(key, "är inte ett datum") from None

    def date(self, key: str) -> date:
        value = self.optional_date(key)
        if value is None:
            raise self.fail(key, "saknas")
        return value


def _rows(column: str, data: Json) -> list[_Reader]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise MalformedPlan(column, "är inte en lista")
    return [_Reader(column, i, row) for i, row in enumerate(data)]


# --- unplaced and not required ------------------------------------------------------------


def patient_rows_to_json(rows: Sequence[PatientRow]) -> list[JsonRow]:
    return [{"patient_id": r.patient_id, "patient": r.patient, "unit": r.unit,
             "reason": r.reason} for r in rows]


def patient_rows_from_json(data: Json, column: str = "unplaced") -> list[PatientRow]:
    return [PatientRow(patient_id=r.optional_int("patient_id"), patient=r.text("patient"),
                       unit=r.text("unit"), reason=r.text("reason"))
            for r in _rows(column, data)]


# --- violations ---------------------------------------------------------------------------


def action_to_json(action: FixAction) -> JsonRow:
    return {"kind": action.kind, "unit": action.unit, "doctor": action.doctor,
            "patient_id": action.patient_id,
            "day": action.day.isoformat() if action.day else None, "value": action.value}


def action_from_json(data: Json, column: str = "violations", index: int = 0) -> FixAction:
    """The fix as stored (any ``kind``: the services say whether they know it)."""
    r = _Reader(column, index, data)
    value = r.optional_int("value")
    patient = r.row.get("patient_id")
    return FixAction(kind=r.text("kind"), unit=r.text("unit"), doctor=r.text("doctor"),
                     patient_id="" if patient is None else str(patient),
                     day=r.optional_date("day"), value=value or 0)


def violations_to_json(rows: Sequence[ViolationRow]) -> list[JsonRow]:
    return [{"rule": v.rule, "patient_id": v.patient_id, "patient": v.patient,
             "unit": v.unit, "doctor": v.doctor, "message": v.message, "fix": v.fix,
             "cause": v.cause,
             "action": action_to_json(v.action) if v.action is not None else None}
            for v in rows]


def violations_from_json(data: Json) -> list[ViolationRow]:
    rows = []
    for r in _rows("violations", data):
        action = r.row.get("action")
        rows.append(ViolationRow(
            rule=r.text("rule"), patient_id=r.optional_int("patient_id"),
            patient=r.text("patient"), unit=r.text("unit"), doctor=r.text("doctor"),
            message=r.text("message"), fix=r.text("fix"), cause=r.text("cause"),
            action=action_from_json(action, "violations", r.index) if action else None))
    return rows


# --- forced moves -------------------------------------------------------------------------


def forced_moves_to_json(rows: Sequence[ForcedMoveRow]) -> list[JsonRow]:
    return [{"patient_id": f.patient_id, "patient": f.patient, "old": f.old.isoformat(),
             "new": f.new.isoformat() if f.new else None, "reason": f.reason} for f in rows]


def forced_moves_from_json(data: Json) -> list[ForcedMoveRow]:
    return [ForcedMoveRow(patient_id=r.optional_int("patient_id"), patient=r.text("patient"),
                          old=r.date("old"), new=r.optional_date("new"),
                          reason=r.text("reason"))
            for r in _rows("forced_moves", data)]


# --- measures, settings, fingerprints -----------------------------------------------------


def measures_to_json(measures: Measures) -> JsonRow:
    """The solver's measures, every field (numbers and tables of numbers only)."""
    return dataclasses.asdict(measures)


def _number(data: Mapping[str, Json], key: str) -> float:
    value = data.get(key)
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedPlan("measures", f"\"{key}\" är inte ett tal")
    return value


def _counts(data: Mapping[str, Json], key: str) -> dict[str, float]:
    value = data.get(key) or {}
    if not isinstance(value, Mapping) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()):
        raise MalformedPlan("measures", f"\"{key}\" är inte en tabell med tal")
    return {str(k): v for k, v in value.items()}


def _whole_counts(data: Mapping[str, Json], key: str) -> dict[str, int]:
    return {k: int(v) for k, v in _counts(data, key).items()}


def _doctor_time(data: Mapping[str, Json], key: str = "doctor_time") -> dict[str, DoctorTime]:
    """``doctor_time``: unit -> its doctor time, ``doctor_time_doctors``: doctor -> it (a plan
    saved before issue 18: {})."""
    value = data.get(key) or {}
    if not isinstance(value, Mapping):
        raise MalformedPlan("measures", f"\"{key}\" är inte en tabell")
    out = {}
    for unit, row in value.items():
        if not isinstance(row, Mapping):
            raise MalformedPlan("measures", f"\"{key}\" för {unit} är inte ett objekt")
        per_10 = row.get("per_10")
        out[str(unit)] = DoctorTime(
            hours_per_week=_number(row, "hours_per_week"), patients=int(_number(row, "patients")),
            per_10=None if per_10 is None else _number(row, "per_10"),
            below_floor=bool(row.get("below_floor")))
    return out


def measures_from_json(data: Json) -> PlanMeasures:
    """The stored measures; keys a plan saved by an older version lacks are 0 / empty."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise MalformedPlan("measures", "är inte ett objekt")
    whole = {"moved", "moved_in_freeze", "required", "planned", "over_max_interval",
             "window_breaks", "late_overdue", "days_late", "unplaced"}
    numbers = {key: _number(data, key) for key in whole}
    return PlanMeasures(
        coverage=_number(data, "coverage"),
        max_interval_months=_number(data, "max_interval_months"),
        peak_week=_whole_counts(data, "peak_week"),
        peak_week_bound=_whole_counts(data, "peak_week_bound"),
        breaks_by_rule=_whole_counts(data, "breaks_by_rule"),
        monthly_cv=_counts(data, "monthly_cv"), peak_day=_whole_counts(data, "peak_day"),
        doctor_time=_doctor_time(data),
        doctor_time_doctors=_doctor_time(data, "doctor_time_doctors"),
        **{key: int(value) for key, value in numbers.items()},
    )


def settings_to_json(settings: Settings) -> JsonRow:
    return settings_dict(settings)


def settings_from_json(data: Json, year: int) -> Settings:
    """The settings the plan was made with (a plan without them: the defaults of ``year``)."""
    if not data:
        return Settings(year=year)
    if not isinstance(data, Mapping):
        raise MalformedPlan("settings", "är inte ett objekt")
    try:
        return settings_from_dict(dict(data))
    except (TypeError, ValueError, KeyError) as error:
        raise MalformedPlan("settings", f"({error})") from None


def fingerprints_to_json(fingerprints: Mapping[str, str]) -> dict[str, str]:
    return dict(fingerprints)


def fingerprints_from_json(data: Json) -> dict[str, str]:
    """Doctor → the fingerprint of her last solve (what a re-plan may reuse)."""
    if data is None:
        return {}
    if not isinstance(data, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise MalformedPlan("fingerprints", "är inte en tabell läkare → text")
    return dict(data)


__all__ = [
    "COLUMN_NAMES", "ForcedMoveRow", "MalformedPlan", "PatientRow", "ViolationRow",
    "action_from_json", "action_to_json", "fingerprints_from_json", "fingerprints_to_json",
    "forced_moves_from_json", "forced_moves_to_json", "measures_from_json", "measures_to_json",
    "patient_rows_from_json", "patient_rows_to_json", "settings_from_json", "settings_to_json",
    "violations_from_json", "violations_to_json",
]
