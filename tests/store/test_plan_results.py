"""The stored plan results (``store.plan_results``): every column reads back what was written;
a plan saved by an older version (keys missing) reads with the defaults; a malformed column
is refused with a Swedish message naming it, never a KeyError or a TypeError."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from lakarrond.store.plan_results import (
    COLUMN_NAMES,
    ForcedMoveRow,
    MalformedPlan,
    PatientRow,
    ViolationRow,
    fingerprints_from_json,
    fingerprints_to_json,
    forced_moves_from_json,
    forced_moves_to_json,
    measures_from_json,
    measures_to_json,
    patient_rows_from_json,
    patient_rows_to_json,
    settings_from_json,
    settings_to_json,
    violations_from_json,
    violations_to_json,
)
from solver.problem import Settings
from solver.result import DoctorTime, FixAction, Measures


def stored(value: object) -> object:
    """What a JSON column gives back."""
    return json.loads(json.dumps(value))


VIOLATIONS = [
    ViolationRow(rule="R8", patient_id=7, patient="Karl Nilsson", unit="Bäckliden",
                 doctor="Anna Berg", message="för sent", fix="höj ÅMV per rond",
                 cause="capacity:unit:Bäckliden",
                 action=FixAction("extra_round", unit="Bäckliden", day=date(2027, 5, 13))),
    ViolationRow(rule="R4", patient_id=None, patient="", unit="", doctor="Anna Berg",
                 message="frånvaro", fix="ange en vikarie", cause="absence:Anna Berg",
                 action=None),
]


def test_every_column_reads_back_what_was_written() -> None:
    rows = [PatientRow(3, "Greta Ek", "Tallen", "ingen plats"),
            PatientRow(None, "Okänd", "Tallen", "")]
    assert patient_rows_from_json(stored(patient_rows_to_json(rows))) == rows
    assert violations_from_json(stored(violations_to_json(VIOLATIONS))) == VIOLATIONS
    forced = [ForcedMoveRow(7, "Karl Nilsson", date(2027, 4, 6), date(2027, 4, 13), "frånvaro"),
              ForcedMoveRow(8, "Olof Berg", date(2027, 4, 7), None, "ingen plats")]
    assert forced_moves_from_json(stored(forced_moves_to_json(forced))) == forced
    settings = Settings(year=2027, summer_weeks=(28, 29),
                        blocked_periods=((date(2027, 12, 20), date(2027, 12, 31)),))
    assert settings_from_json(stored(settings_to_json(settings)), 2027) == settings
    assert fingerprints_from_json(stored(fingerprints_to_json({"Anna Berg": "ab12"}))) == {
        "Anna Berg": "ab12"}
    measures = Measures(required=10, planned=9, coverage=0.9, unplaced=1,
                        hard_breaks={"R2": 1}, window_breaks=2, breaks_by_rule={"R8": 2},
                        max_interval_months=13.5, over_max_interval=1,
                        peak_week={"Anna Berg": 4}, peak_week_bound={"Anna Berg": 3},
                        peak_day={"Anna Berg": 2}, monthly_cv={"Anna Berg": 0.25}, moved=3,
                        moved_in_freeze=1, late_overdue=1, days_late=6,
                        doctor_time={"Bäckliden": DoctorTime(1.81, 6, 3.01, False),
                                     "Tom": DoctorTime(0.5, 0, None, False)},
                        doctor_time_doctors={"Anna Berg": DoctorTime(2.31, 6, 3.85, False)})
    read = measures_from_json(stored(measures_to_json(measures)))
    assert dict(read.doctor_time) == measures.doctor_time  # issue 18, null per_10 kept
    assert dict(read.doctor_time_doctors) == measures.doctor_time_doctors
    assert (read.required, read.planned, read.coverage, read.unplaced, read.window_breaks,
            read.max_interval_months, read.moved, read.moved_in_freeze, read.days_late) == (
        10, 9, 0.9, 1, 2, 13.5, 3, 1, 6)
    assert (dict(read.peak_week), dict(read.peak_week_bound), dict(read.monthly_cv),
            dict(read.breaks_by_rule)) == ({"Anna Berg": 4}, {"Anna Berg": 3},
                                           {"Anna Berg": 0.25}, {"R8": 2})


def test_a_plan_saved_by_an_older_version_reads_with_the_defaults() -> None:
    # before causes, actions, doctors and patient ids were kept; settings and measures empty
    (old,) = violations_from_json([{"rule": "R8", "patient": "Karl", "unit": "Bäckliden",
                                    "message": "för sent", "fix": "höj"}])
    assert (old.patient_id, old.doctor, old.cause, old.action) == (None, "", "", None)
    assert patient_rows_from_json(None) == [] and forced_moves_from_json(None) == []
    assert settings_from_json({}, 2027) == Settings(year=2027)
    assert measures_from_json({}).coverage == 0 and measures_from_json(None).moved == 0
    assert measures_from_json({}).doctor_time == {}  # saved before issue 18
    assert fingerprints_from_json(None) == {}
    assert patient_rows_from_json([{"patient_id": "12", "patient": "Greta"}]) == [
        PatientRow(12, "Greta", "", "")]  # an id kept as text reads as the number


@pytest.mark.parametrize(("column", "read", "data", "detail"), [
    ("violations", violations_from_json, {"rule": "R8"}, "är inte en lista"),
    ("violations", violations_from_json, ["R8"], "rad 1 är inte ett objekt"),
    ("violations", violations_from_json, [{"rule": 8}], 'rad 1: "rule" är inte en text'),
    ("violations", violations_from_json, [{"rule": "R8", "action": {"kind": "unlock",
                                                                    "day": "i morgon"}}],
     'rad 1: "day" är inte ett datum'),
    ("unplaced", patient_rows_from_json, [{}, {"patient_id": "sju"}],
     'rad 2: "patient_id" är inte ett heltal'),
    ("forced_moves", forced_moves_from_json, [{"patient": "Karl"}], 'rad 1: "old" saknas'),
    ("measures", measures_from_json, {"moved": "tre"}, '"moved" är inte ett tal'),
    ("measures", measures_from_json, {"peak_week": [4]}, '"peak_week" är inte en tabell'),
    ("measures", measures_from_json, {"doctor_time": [1]}, '"doctor_time" är inte en tabell'),
    ("measures", measures_from_json, {"doctor_time": {"Tallen": {"per_10": "två"}}},
     '"per_10" är inte ett tal'),
    ("fingerprints", fingerprints_from_json, {"Anna Berg": 12}, "är inte en tabell"),
])
def test_a_malformed_column_is_refused_by_name(column: str, read: Callable[[object], object],
                                               data: object, detail: str) -> None:
    with pytest.raises(MalformedPlan) as refused:
        read(data)
    assert refused.value.column == column
    assert str(refused.value).startswith(
        f"Den sparade planen går inte att läsa: {COLUMN_NAMES[column]} ({column}), ")
    assert detail in str(refused.value)
