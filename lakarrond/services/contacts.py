"""The patient's named contacts (issue 18 point 1), answered once for every view, printout and
export: the named doctor (fast läkarkontakt) and the named nurse (fast vårdkontakt), each the
unit's when the patient names none.

A patient who moved in may keep their former doctor (``Patient.doctor_id``); that patient's
ÅMV is planned in that doctor's ÅMV time (R6, :func:`solver.problem.care_unit`). Every place
that shows "the doctor" or "the nurse" of a patient's ÅMV reads these functions, never
``unit.doctor`` directly.
"""

from __future__ import annotations

from lakarrond.store import models as m


def patient_doctor(p: m.Patient) -> str:
    """The name of the patient's doctor: the named one, else the unit's."""
    return doctor_of(p).name


def doctor_of(p: m.Patient) -> m.Doctor:
    """The patient's doctor: the named one, else the unit's."""
    return p.named_doctor if p.named_doctor is not None else p.unit.doctor


def own_doctor(p: m.Patient) -> m.Doctor | None:
    """The named doctor when another than the unit's, else None."""
    named = p.named_doctor
    return None if named is None or named.id == p.unit.doctor_id else named


def named_doctor(p: m.Patient) -> str:
    """The named doctor when another than the unit's, else "" (what the planner needs:
    ``solver.problem.Patient.doctor``)."""
    named = own_doctor(p)
    return named.name if named is not None else ""


def patient_nurse(p: m.Patient) -> str:
    """The name of the patient's nurse: the named one, else the unit's ("" when neither)."""
    return p.nurse.strip() or p.unit.nurse or ""
